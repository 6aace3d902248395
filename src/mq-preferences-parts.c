/* mq-preferences-parts.c: the parts of the preferences window that need
 * none of its state
 *
 * "Refresh every" and "Icon shows" bound to their settings (with the
 * choices they offer), the separators between list rows, Escape, and the
 * question asked before the key is removed.
 */
#define G_LOG_DOMAIN "mq-preferences"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "mq-format.h"
#include "mq-preferences-parts.h"

/* The snapshot whose plan "Icon shows" follows, on the combo box. */
#define SNAPSHOT_KEY "mq-snapshot"

/* Choices of "Refresh every", in seconds; others are added when set. */
static const guint refresh_presets[] = { 30, 60, 120, 180, 300, 600, 900, 1800, 3600 };

static gboolean
combo_has_id (GtkComboBoxText *combo,
              const char      *id)
{
  GtkTreeModel *model = gtk_combo_box_get_model (GTK_COMBO_BOX (combo));
  int column = gtk_combo_box_get_id_column (GTK_COMBO_BOX (combo));
  GtkTreeIter iter;
  gboolean valid;

  for (valid = gtk_tree_model_get_iter_first (model, &iter);
       valid;
       valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *item_id = NULL;

      gtk_tree_model_get (model, &iter, column, &item_id, -1);
      if (g_strcmp0 (item_id, id) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
refresh_label (guint seconds)
{
  if (seconds % 3600 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", seconds / 3600),
                            seconds / 3600);
  if (seconds % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", seconds / 60),
                            seconds / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds),
                          seconds);
}

/* Adds a "Refresh every" choice for @seconds, in order, when missing. */
static void
ensure_refresh_item (GtkComboBoxText *combo,
                     guint            seconds)
{
  g_autofree char *id = g_strdup_printf ("%u", seconds);
  g_autofree char *text = NULL;
  GtkTreeModel *model;
  GtkTreeIter iter;
  gboolean valid;
  int position = 0;

  if (combo_has_id (combo, id))
    return;

  model = gtk_combo_box_get_model (GTK_COMBO_BOX (combo));
  for (valid = gtk_tree_model_get_iter_first (model, &iter);
       valid;
       valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *item_id = NULL;

      gtk_tree_model_get (model, &iter, gtk_combo_box_get_id_column (GTK_COMBO_BOX (combo)),
                          &item_id, -1);
      if (item_id == NULL || strtoul (item_id, NULL, 10) > seconds)
        break;
      position++;
    }

  text = refresh_label (seconds);
  gtk_combo_box_text_insert (combo, position, id, text);
}

static gboolean
refresh_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  GtkComboBoxText *combo = user_data;
  guint seconds = g_variant_get_uint32 (variant);

  ensure_refresh_item (combo, seconds);
  g_value_take_string (value, g_strdup_printf ("%u", seconds));
  return TRUE;
}

static GVariant *
refresh_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *id = g_value_get_string (value);
  guint64 seconds;

  if (id == NULL || !g_ascii_string_to_unsigned (id, 10, 30, 3600, &seconds, NULL))
    return NULL;

  return g_variant_new_uint32 ((guint32) seconds);
}

/* "Speech (speech-hd)"; "Video" alone for "video", the name alone when it
 * has no display name. */
static char *
icon_model_label (const char *model_name)
{
  const char *display = mq_format_model_display_name (model_name);

  if (g_ascii_strcasecmp (display, model_name) == 0)
    return g_strdup (display);

  /* Translators: a model in "Icon shows": its display name, then the
   * name the service uses, e.g. "Speech (speech-hd)". */
  return g_strdup_printf (_("%s (%s)"), display, model_name);
}

/* The snapshot is known and @model_name has no quota in it to draw. */
static gboolean
icon_model_out_of_plan (MqSnapshot *snapshot,
                        const char *model_name)
{
  const MqModel *model;

  if (snapshot == NULL || *model_name == '\0')
    return FALSE;

  model = mq_snapshot_find_model (snapshot, model_name);
  return model == NULL || !model->in_plan || !model->usable;
}

/* Adds @model_name to "Icon shows" when missing; a choice the plan lacks
 * says that the icon falls back to the text models. */
static void
ensure_icon_model_item (GtkComboBoxText *combo,
                        const char      *model_name)
{
  MqSnapshot *snapshot = g_object_get_data (G_OBJECT (combo), SNAPSHOT_KEY);
  g_autofree char *label = NULL;

  if (combo_has_id (combo, model_name))
    return;

  label = icon_model_label (model_name);
  if (icon_model_out_of_plan (snapshot, model_name))
    {
      g_autofree char *text = NULL;

      /* Translators: a stored choice of "Icon shows" that the plan does not
       * include; %s is the model, e.g. "Video". */
      text = g_strdup_printf (_("%s (not in plan — the icon shows text models)"), label);
      gtk_combo_box_text_append (combo, model_name, text);
      return;
    }

  gtk_combo_box_text_append (combo, model_name, label);
}

static gboolean
icon_model_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  GtkComboBoxText *combo = user_data;
  const char *model_name = g_variant_get_string (variant, NULL);

  ensure_icon_model_item (combo, model_name);
  g_value_set_string (value, model_name);
  return TRUE;
}

static GVariant *
icon_model_set_mapping (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  const char *id = g_value_get_string (value);

  /* NULL: nothing chosen (the list is being changed); keep the setting. */
  if (id == NULL)
    return NULL;

  return g_variant_new_string (id);
}

static void
separator_header (GtkListBoxRow *row,
                  GtkListBoxRow *before,
                  gpointer       user_data)
{
  if (before == NULL)
    gtk_list_box_row_set_header (row, NULL);
  else if (gtk_list_box_row_get_header (row) == NULL)
    gtk_list_box_row_set_header (row, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
}

void
mq_preferences_bind_refresh (GSettings       *settings,
                             GtkComboBoxText *combo)
{
  for (gsize i = 0; i < G_N_ELEMENTS (refresh_presets); i++)
    ensure_refresh_item (combo, refresh_presets[i]);

  g_settings_bind_with_mapping (settings, "refresh-interval", combo, "active-id",
                                G_SETTINGS_BIND_DEFAULT,
                                refresh_get_mapping, refresh_set_mapping,
                                combo, NULL);
}

void
mq_preferences_bind_icon_model (GSettings       *settings,
                                GtkComboBoxText *combo)
{
  g_settings_bind_with_mapping (settings, "icon-model", combo, "active-id",
                                G_SETTINGS_BIND_DEFAULT,
                                icon_model_get_mapping, icon_model_set_mapping,
                                combo, NULL);
}

void
mq_preferences_set_icon_models (GtkComboBoxText *combo,
                                GSettings       *settings,
                                MqSnapshot      *snapshot)
{
  g_autofree char *chosen = g_settings_get_string (settings, "icon-model");
  int n = gtk_tree_model_iter_n_children (gtk_combo_box_get_model (GTK_COMBO_BOX (combo)), NULL);

  g_object_set_data_full (G_OBJECT (combo), SNAPSHOT_KEY, mq_snapshot_ref (snapshot),
                          (GDestroyNotify) mq_snapshot_unref);

  for (int i = n - 1; i >= 1; i--)
    gtk_combo_box_text_remove (combo, i);

  for (guint i = 0; i < mq_snapshot_get_n_models (snapshot); i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      /* The text lane is the default entry; a model outside the plan has
       * no quota to draw. */
      if (model->name == NULL || model->lane == MQ_LANE_TEXT ||
          !model->usable || !model->in_plan)
        continue;

      ensure_icon_model_item (combo, model->name);
    }

  ensure_icon_model_item (combo, chosen);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), chosen);
}

void
mq_preferences_separate_rows (GtkListBox *list)
{
  gtk_list_box_set_header_func (list, separator_header, NULL, NULL);
}

gboolean
mq_preferences_hide_on_escape (GtkWidget   *widget,
                               GdkEventKey *event)
{
  if (event->keyval == GDK_KEY_Escape)
    {
      gtk_widget_hide (widget);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Removing cannot be undone: the window asks first. */
GtkWidget *
mq_preferences_remove_account_dialog_new (GtkWindow  *parent,
                                          const char *name)
{
  GtkWidget *dialog;
  GtkWidget *remove;

  /* Translators: %s is the name of an account, such as "default". */
  dialog = gtk_message_dialog_new (parent, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Remove the account “%s”?"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            _("Its key is deleted from your keyring. Its quota cannot be shown until it is added again."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  remove = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Remove"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (remove), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);

  return dialog;
}

/* libsecret talks to the Secret Service over D-Bus. When nothing provides
 * it, the error is the bus's own. */
gboolean
mq_preferences_keyring_missing (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED);
}

char *
mq_preferences_key_success_text (gboolean    stored,
                                 gboolean    unlimited,
                                 const char *percent)
{
  if (unlimited)
    return g_strdup (stored ? _("Key saved — no limit applies")
                            : _("Key in use — no limit applies"));

  if (percent != NULL)
    /* Translators: %s is a percentage, e.g. "63%". */
    return g_strdup_printf (stored ? _("Key saved — %s left") : _("Key in use — %s left"),
                            percent);

  return g_strdup (stored ? _("Key saved — it works") : _("Key in use — it works"));
}

char *
mq_preferences_balance_success_text (gboolean    stored,
                                     const char *amount)
{
  if (amount != NULL)
    /* Translators: %s is an amount of money, e.g. "$25.40". */
    return g_strdup_printf (stored ? _("Key saved — %s available") : _("Key in use — %s available"),
                            amount);

  return mq_preferences_key_success_text (stored, FALSE, NULL);
}

const char *
mq_preferences_key_kind_text (MqKeyKind kind)
{
  return kind == MQ_KEY_KIND_PAY_AS_YOU_GO ? _("Pay-as-you-go") : _("Token Plan");
}
