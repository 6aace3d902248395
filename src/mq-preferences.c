/* mq-preferences.c: the preferences window
 *
 * Settings are bound to the widgets with g_settings_bind(): a change shows
 * at once, without an Apply button. The API key is the exception: a
 * candidate key is first checked with a real fetch by a temporary MqClient
 * (the region from the settings, the base-URL override when there is one),
 * then stored in the keyring, then announced with "key-changed". The key
 * is wiped from memory as soon as it is stored, and never shown or logged.
 */
#define G_LOG_DOMAIN "mq-preferences"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mq-autostart.h"
#include "mq-client.h"
#include "mq-error.h"
#include "mq-format.h"
#include "mq-preferences.h"
#include "mq-region.h"
#include "mq-resources.h"
#include "mq-secret.h"

struct _MqPreferences
{
  GObject            parent_instance;

  GSettings         *settings;
  char              *base_url_override;
  GCancellable      *cancellable;       /* every async operation; cancelled in dispose */

  GtkBuilder        *builder;           /* owns the objects below */
  GtkWindow         *window;
  GtkScrolledWindow *scrolled_window;
  GtkWidget         *content_box;
  GtkLabel          *key_status_label;
  GtkButton         *remove_key_button;
  GtkEntry          *key_entry;
  GtkSpinner        *key_spinner;
  GtkButton         *save_key_button;
  GtkLabel          *key_error_label;
  GtkLabel          *key_success_label;
  GtkComboBoxText   *region_combo;
  GtkComboBoxText   *refresh_combo;
  GtkComboBoxText   *icon_model_combo;
  GtkAdjustment     *critical_adjustment;
  GtkSwitch         *autostart_switch;
  GtkLabel          *autostart_error_label;

  char              *pending_key;       /* checked or being checked; wiped after */
  char              *pending_success;   /* the line to show once it is stored */
  gboolean           key_busy;          /* checking, storing or removing a key */
  gboolean           key_known;         /* the keyring has answered once */
  gboolean           has_stored_key;
  GError            *keyring_error;     /* the last lookup failed */
  guint              key_serial;        /* bumped whenever the stored key changes */

  gboolean           autostart_busy;
  gboolean           autostart_syncing;
};

G_DEFINE_FINAL_TYPE (MqPreferences, mq_preferences, G_TYPE_OBJECT)

enum {
  SIGNAL_KEY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Choices of "Refresh every", in seconds; others are added when set. */
static const guint refresh_presets[] = { 30, 60, 120, 180, 300, 600, 900, 1800, 3600 };

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ------------------------------------------------------------------ */
/* Combo boxes                                                          */
/* ------------------------------------------------------------------ */

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
  MqPreferences *self = user_data;
  guint seconds = g_variant_get_uint32 (variant);

  ensure_refresh_item (self->refresh_combo, seconds);
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

/* Adds @model_name to "Icon shows" when missing. */
static void
ensure_icon_model_item (GtkComboBoxText *combo,
                        const char      *model_name)
{
  const char *display;
  g_autofree char *text = NULL;

  if (combo_has_id (combo, model_name))
    return;

  display = mq_format_model_display_name (model_name);
  if (g_str_equal (display, model_name))
    text = g_strdup (model_name);
  else
    /* Translators: a model in "Icon shows": its display name, then the
     * name the service uses, e.g. "Speech (speech-hd)". */
    text = g_strdup_printf (_("%s (%s)"), display, model_name);

  gtk_combo_box_text_append (combo, model_name, text);
}

static gboolean
icon_model_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  MqPreferences *self = user_data;
  const char *model_name = g_variant_get_string (variant, NULL);

  ensure_icon_model_item (self->icon_model_combo, model_name);
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

void
mq_preferences_set_snapshot (MqPreferences *self,
                             MqSnapshot    *snapshot)
{
  g_return_if_fail (MQ_IS_PREFERENCES (self));

  if (snapshot == NULL)
    return;

  for (guint i = 0; i < mq_snapshot_get_n_models (snapshot); i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      /* The text lane is the default entry; a model outside the plan has
       * no quota to draw. */
      if (model->name == NULL || model->lane == MQ_LANE_TEXT ||
          !model->usable || !model->in_plan)
        continue;

      ensure_icon_model_item (self->icon_model_combo, model->name);
    }
}

/* ------------------------------------------------------------------ */
/* Thresholds                                                           */
/* ------------------------------------------------------------------ */

/* Critical stays below low: lowering "Warn at" pushes "Critical at" down. */
static void
update_critical_range (MqPreferences *self)
{
  guint low = g_settings_get_uint (self->settings, "low-threshold");
  double upper = low > 0 ? low - 1 : 0;

  gtk_adjustment_set_upper (self->critical_adjustment, upper);
  if (gtk_adjustment_get_value (self->critical_adjustment) > upper)
    gtk_adjustment_set_value (self->critical_adjustment, upper);
}

/* ------------------------------------------------------------------ */
/* The API key                                                          */
/* ------------------------------------------------------------------ */

/* GTK 3 sizes a window once, when it is first shown; a message that
 * appears later would need scrolling. Grow the window to fit its content,
 * up to the scrolled window's maximum (never shrink: no jumps). The window
 * size and the allocation come from the same layout, so calling this
 * again before the next layout asks for the same size. */
static void
fit_window_height (MqPreferences *self)
{
  int have = gtk_widget_get_allocated_height (GTK_WIDGET (self->scrolled_window));
  /* The content's margins count in the width asked about. */
  int width = gtk_widget_get_allocated_width (GTK_WIDGET (self->scrolled_window));
  int max = gtk_scrolled_window_get_max_content_height (self->scrolled_window);
  int natural = 0;
  int window_width, window_height, target;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self->window)))
    return;

  gtk_widget_get_preferred_height_for_width (self->content_box, width, NULL, &natural);
  if (max > 0)
    natural = MIN (natural, max);

  gtk_window_get_size (self->window, &window_width, &window_height);
  target = window_height - have + natural;
  if (target > window_height)
    gtk_window_resize (self->window, window_width, target);
}

static void
update_key_status (MqPreferences *self)
{
  g_autofree char *text = NULL;

  if (!self->key_known)
    {
      text = g_strdup (_("Checking the keyring…"));
    }
  else if (self->has_stored_key)
    {
      text = g_strdup (_("A key is saved in your keyring."));
    }
  else
    {
      MqRegion region = g_settings_get_enum (self->settings, "region");
      const char *variable = mq_region_key_variable (region);

      if (variable != NULL)
        /* Translators: %s is the name of an environment variable, such as
         * MINIMAX_API_KEY. */
        text = g_strdup_printf (_("Using the key from %s. A key saved here takes its place."),
                                variable);
      else if (self->keyring_error != NULL)
        text = g_strdup_printf (_("The keyring cannot be read: %s"),
                                self->keyring_error->message);
      else
        text = g_strdup (_("No key yet: paste your key below."));
    }

  gtk_label_set_text (self->key_status_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_key_button),
                            self->has_stored_key && !self->key_busy);
  fit_window_height (self);
}

static void
update_key_sensitivity (MqPreferences *self)
{
  const char *text = gtk_entry_get_text (self->key_entry);
  gboolean has_text = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      {
        has_text = TRUE;
        break;
      }

  gtk_widget_set_sensitive (GTK_WIDGET (self->key_entry), !self->key_busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_key_button), !self->key_busy && has_text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_key_button),
                            self->has_stored_key && !self->key_busy);
}

static void
set_key_busy (MqPreferences *self,
              gboolean       busy)
{
  self->key_busy = busy;

  gtk_widget_set_visible (GTK_WIDGET (self->key_spinner), busy);
  if (busy)
    gtk_spinner_start (self->key_spinner);
  else
    gtk_spinner_stop (self->key_spinner);

  update_key_sensitivity (self);
}

static void
show_key_message (MqPreferences *self,
                  const char    *error_text,
                  const char    *success_text)
{
  gtk_label_set_text (self->key_error_label, error_text != NULL ? error_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_error_label), error_text != NULL);
  gtk_label_set_text (self->key_success_label, success_text != NULL ? success_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_success_label), success_text != NULL);
  fit_window_height (self);
}

static void
clear_pending_key (MqPreferences *self)
{
  g_clear_pointer (&self->pending_key, mq_secret_free_key);
}

typedef struct {
  MqPreferences *self;   /* not a reference: dispose cancels the lookup */
  guint          serial;
} LookupData;

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree LookupData *data = user_data;
  MqPreferences *self;
  g_autoptr(GError) error = NULL;
  char *key;

  key = mq_secret_lookup_finish (result, &error);
  if (is_cancelled (error))
    return;

  self = data->self;
  /* Only whether there is a key matters here. */
  mq_secret_free_key (key);

  /* The stored key changed meanwhile: what was looked up is stale. */
  if (data->serial != self->key_serial || self->key_busy)
    return;

  self->key_known = TRUE;
  self->has_stored_key = key != NULL;
  g_clear_error (&self->keyring_error);
  if (error != NULL)
    {
      g_debug ("Keyring lookup failed: %s", error->message);
      self->keyring_error = g_steal_pointer (&error);
    }

  update_key_status (self);
}

static void
look_up_key (MqPreferences *self)
{
  LookupData *data = g_new0 (LookupData, 1);

  data->self = self;
  data->serial = self->key_serial;
  mq_secret_lookup_async (self->cancellable, on_key_looked_up, data);
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  MqPreferences *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *success = NULL;

  if (!mq_secret_store_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (is_cancelled (error))
        return;

      message = g_strdup_printf (_("The key works, but it could not be saved in the keyring: %s"),
                                 error->message);
      clear_pending_key (self);
      set_key_busy (self, FALSE);
      show_key_message (self, message, NULL);
      return;
    }

  success = g_steal_pointer (&self->pending_success);
  self->key_known = TRUE;
  self->has_stored_key = TRUE;
  self->key_serial++;
  g_clear_error (&self->keyring_error);

  gtk_entry_set_text (self->key_entry, "");
  set_key_busy (self, FALSE);
  show_key_message (self, NULL, success);
  update_key_status (self);

  g_signal_emit (self, signals[SIGNAL_KEY_CHANGED], 0, self->pending_key);
  clear_pending_key (self);
}

/* "Key saved — 63% left", or the like. */
static char *
success_text (MqPreferences *self,
              MqSnapshot    *snapshot)
{
  MqThresholds thresholds = {
    .low = g_settings_get_uint (self->settings, "low-threshold"),
    .critical = g_settings_get_uint (self->settings, "critical-threshold"),
  };
  MqHeadline headline;

  if (mq_snapshot_get_headline (snapshot, NULL, &thresholds, &headline) &&
      headline.model != NULL && headline.model->in_plan)
    {
      if (headline.unlimited)
        return g_strdup (_("Key saved — no limit applies"));

      if (headline.remaining_percent >= 0)
        {
          g_autofree char *percent = mq_format_percent (headline.remaining_percent);

          /* Translators: %s is a percentage, e.g. "63%". */
          return g_strdup_printf (_("Key saved — %s left"), percent);
        }
    }

  return g_strdup (_("Key saved — it works"));
}

static void
on_key_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MqPreferences *self = user_data;
  MqClient *client = MQ_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  MqRegion setting_region;
  MqRegion resolved;

  snapshot = mq_client_fetch_finish (client, result, &error);
  if (is_cancelled (error))
    return;

  if (snapshot == NULL)
    {
      g_autofree char *message = NULL;

      /* A pay-as-you-go key has no plan quota: say so, by its prefix only. */
      if (g_str_has_prefix (self->pending_key, "sk-api-"))
        message = g_strdup_printf ("%s %s", error->message,
                                   _("This looks like a pay-as-you-go key (sk-api-…); "
                                     "the quota needs a Token Plan key (sk-cp-…)."));
      else
        message = g_strdup (error->message);

      clear_pending_key (self);
      set_key_busy (self, FALSE);
      show_key_message (self, message, NULL);
      return;
    }

  setting_region = g_settings_get_enum (self->settings, "region");
  resolved = mq_client_get_resolved_region (client);
  if (setting_region == MQ_REGION_AUTO && resolved != MQ_REGION_AUTO)
    g_settings_set_string (self->settings, "last-region", mq_region_to_string (resolved));

  /* The success line is made now, from the snapshot of this check. */
  g_free (self->pending_success);
  self->pending_success = success_text (self, snapshot);

  mq_secret_store_async (self->pending_key,
                         resolved != MQ_REGION_AUTO ? resolved : setting_region,
                         self->cancellable, on_key_stored, self);
}

static void
save_key (MqPreferences *self)
{
  g_autoptr(MqClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last_region = NULL;
  MqRegion preferred;
  char *candidate;

  if (self->key_busy)
    return;

  candidate = g_strstrip (g_strdup (gtk_entry_get_text (self->key_entry)));
  if (*candidate == '\0')
    {
      mq_secret_free_key (candidate);
      return;
    }

  client = mq_client_new ();
  mq_client_set_region (client, g_settings_get_enum (self->settings, "region"));
  last_region = g_settings_get_string (self->settings, "last-region");
  if (mq_region_from_string (last_region, &preferred) && preferred != MQ_REGION_AUTO)
    mq_client_set_preferred_region (client, preferred);

  if (self->base_url_override != NULL &&
      !mq_client_set_base_url (client, self->base_url_override, &error))
    {
      mq_secret_free_key (candidate);
      show_key_message (self, error->message, NULL);
      return;
    }

  mq_client_set_api_key (client, candidate);
  clear_pending_key (self);
  self->pending_key = candidate;

  set_key_busy (self, TRUE);
  show_key_message (self, NULL, NULL);

  /* The fetch keeps the client alive until it ends. */
  mq_client_fetch_async (client, self->cancellable, on_key_checked, self);
}

static void
on_key_cleared (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MqPreferences *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mq_secret_clear_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (is_cancelled (error))
        return;

      message = g_strdup_printf (_("The key could not be removed from the keyring: %s"),
                                 error->message);
      set_key_busy (self, FALSE);
      show_key_message (self, message, NULL);
      return;
    }

  self->key_known = TRUE;
  self->has_stored_key = FALSE;
  self->key_serial++;
  set_key_busy (self, FALSE);
  show_key_message (self, NULL, _("Key removed from the keyring."));
  update_key_status (self);

  g_signal_emit (self, signals[SIGNAL_KEY_CHANGED], 0, NULL);
}

static void
on_remove_key_clicked (MqPreferences *self)
{
  if (self->key_busy)
    return;

  set_key_busy (self, TRUE);
  show_key_message (self, NULL, NULL);
  mq_secret_clear_async (self->cancellable, on_key_cleared, self);
}

static void
on_key_entry_changed (MqPreferences *self)
{
  update_key_sensitivity (self);
  if (gtk_entry_get_text_length (self->key_entry) > 0)
    show_key_message (self, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Start on login                                                       */
/* ------------------------------------------------------------------ */

static void
sync_autostart_switch (MqPreferences *self)
{
  gboolean enabled = mq_autostart_is_enabled (self->settings);

  self->autostart_syncing = TRUE;
  gtk_switch_set_active (self->autostart_switch, enabled);
  gtk_switch_set_state (self->autostart_switch, enabled);
  self->autostart_syncing = FALSE;
}

static void
on_autostart_set (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MqPreferences *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mq_autostart_set_finish (result, &error) && is_cancelled (error))
    return;

  self->autostart_busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), TRUE);
  sync_autostart_switch (self);

  if (error != NULL)
    {
      gtk_label_set_text (self->autostart_error_label, error->message);
      gtk_widget_show (GTK_WIDGET (self->autostart_error_label));
      fit_window_height (self);
    }
}

/* The switch shows the new position at once and its state (the colour)
 * once the file is written or the portal has answered. */
static gboolean
on_autostart_state_set (MqPreferences *self,
                        gboolean       state)
{
  if (self->autostart_syncing)
    return FALSE;

  if (self->autostart_busy)
    return TRUE;

  self->autostart_busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->autostart_error_label));

  mq_autostart_set_async (state, self->window, self->settings, self->cancellable,
                          on_autostart_set, self);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The window                                                           */
/* ------------------------------------------------------------------ */

static gboolean
on_key_press (GtkWidget   *widget,
              GdkEventKey *event,
              gpointer     user_data)
{
  if (event->keyval == GDK_KEY_Escape)
    {
      gtk_widget_hide (widget);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
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

static void
on_settings_changed (MqPreferences *self,
                     const char    *key)
{
  if (g_str_equal (key, "region"))
    update_key_status (self);
  else if (g_str_equal (key, "low-threshold"))
    update_critical_range (self);
}

static GObject *
builder_object (GtkBuilder *builder,
                const char *name)
{
  GObject *object = gtk_builder_get_object (builder, name);

  if (object == NULL)
    g_error ("%s has no object “%s”", MQ_PREFERENCES_RESOURCE, name);

  return object;
}

static void
build_window (MqPreferences  *self,
              GtkApplication *app)
{
  static const char * const lists[] = {
    "key_list", "connection_list", "alerts_list", "general_list",
  };
  GtkBuilder *builder;

  /* The resource is compiled into the same static library; naming it makes
   * the linker keep it, and its constructor registers it. */
  if (mq_get_resource () == NULL)
    g_error ("The resources of %s are missing", APP_ID);

  self->builder = builder = gtk_builder_new_from_resource (MQ_PREFERENCES_RESOURCE);
  gtk_builder_set_translation_domain (builder, GETTEXT_PACKAGE);

  self->window = GTK_WINDOW (builder_object (builder, "window"));
  self->scrolled_window = GTK_SCROLLED_WINDOW (builder_object (builder, "scrolled_window"));
  self->content_box = GTK_WIDGET (builder_object (builder, "content_box"));
  self->key_status_label = GTK_LABEL (builder_object (builder, "key_status_label"));
  self->remove_key_button = GTK_BUTTON (builder_object (builder, "remove_key_button"));
  self->key_entry = GTK_ENTRY (builder_object (builder, "key_entry"));
  self->key_spinner = GTK_SPINNER (builder_object (builder, "key_spinner"));
  self->save_key_button = GTK_BUTTON (builder_object (builder, "save_key_button"));
  self->key_error_label = GTK_LABEL (builder_object (builder, "key_error_label"));
  self->key_success_label = GTK_LABEL (builder_object (builder, "key_success_label"));
  self->region_combo = GTK_COMBO_BOX_TEXT (builder_object (builder, "region_combo"));
  self->refresh_combo = GTK_COMBO_BOX_TEXT (builder_object (builder, "refresh_combo"));
  self->icon_model_combo = GTK_COMBO_BOX_TEXT (builder_object (builder, "icon_model_combo"));
  self->critical_adjustment = GTK_ADJUSTMENT (builder_object (builder, "critical_adjustment"));
  self->autostart_switch = GTK_SWITCH (builder_object (builder, "autostart_switch"));
  self->autostart_error_label = GTK_LABEL (builder_object (builder, "autostart_error_label"));

  if (app != NULL)
    gtk_window_set_application (self->window, app);

  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    gtk_list_box_set_header_func (GTK_LIST_BOX (builder_object (builder, lists[i])),
                                  separator_header, NULL, NULL);

  g_signal_connect (self->window, "delete-event",
                    G_CALLBACK (gtk_widget_hide_on_delete), NULL);
  g_signal_connect (self->window, "key-press-event",
                    G_CALLBACK (on_key_press), NULL);
  /* The first size is guessed at the content's natural width, which is
   * wider than the window: wrapped labels may need more height. */
  g_signal_connect_object (self->window, "map",
                           G_CALLBACK (fit_window_height), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  /* Settings. The critical range follows the low threshold first, so that
   * binding the critical spin button never stores an inconsistent pair. */
  for (gsize i = 0; i < G_N_ELEMENTS (refresh_presets); i++)
    ensure_refresh_item (self->refresh_combo, refresh_presets[i]);
  update_critical_range (self);

  g_settings_bind (self->settings, "region", self->region_combo, "active-id",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "refresh-interval",
                                self->refresh_combo, "active-id",
                                G_SETTINGS_BIND_DEFAULT,
                                refresh_get_mapping, refresh_set_mapping,
                                self, NULL);
  g_settings_bind (self->settings, "low-threshold",
                   builder_object (builder, "low_spin"), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "critical-threshold",
                   builder_object (builder, "critical_spin"), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications-enabled",
                   builder_object (builder, "notifications_switch"), "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "icon-model",
                                self->icon_model_combo, "active-id",
                                G_SETTINGS_BIND_DEFAULT,
                                icon_model_get_mapping, icon_model_set_mapping,
                                self, NULL);

  g_signal_connect_swapped (self->settings, "changed",
                            G_CALLBACK (on_settings_changed), self);

  /* The API key */
  g_signal_connect_swapped (self->key_entry, "changed",
                            G_CALLBACK (on_key_entry_changed), self);
  g_signal_connect_swapped (self->key_entry, "activate",
                            G_CALLBACK (save_key), self);
  g_signal_connect_swapped (self->save_key_button, "clicked",
                            G_CALLBACK (save_key), self);
  g_signal_connect_swapped (self->remove_key_button, "clicked",
                            G_CALLBACK (on_remove_key_clicked), self);

  /* Start on login */
  sync_autostart_switch (self);
  g_signal_connect_swapped (self->autostart_switch, "state-set",
                            G_CALLBACK (on_autostart_state_set), self);

  update_key_status (self);
  update_key_sensitivity (self);
}

/* ------------------------------------------------------------------ */
/* Public API                                                           */
/* ------------------------------------------------------------------ */

MqPreferences *
mq_preferences_new (GtkApplication *app,
                    GSettings      *settings,
                    const char     *base_url_override)
{
  MqPreferences *self;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MQ_TYPE_PREFERENCES, NULL);
  self->settings = g_object_ref (settings);
  self->base_url_override = g_strdup (base_url_override);

  build_window (self, app);
  look_up_key (self);

  return self;
}

void
mq_preferences_present (MqPreferences *self,
                        gboolean       focus_key)
{
  g_return_if_fail (MQ_IS_PREFERENCES (self));

  /* Things may have changed behind the window's back. */
  if (!self->key_busy)
    look_up_key (self);
  if (!self->autostart_busy)
    sync_autostart_switch (self);

  gtk_window_present (self->window);

  if (focus_key)
    gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}

GtkWindow *
mq_preferences_get_window (MqPreferences *self)
{
  g_return_val_if_fail (MQ_IS_PREFERENCES (self), NULL);

  return self->window;
}

GObject *
mq_preferences_get_object (MqPreferences *self,
                           const char    *name)
{
  g_return_val_if_fail (MQ_IS_PREFERENCES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return gtk_builder_get_object (self->builder, name);
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */
/* ------------------------------------------------------------------ */

static void
mq_preferences_dispose (GObject *object)
{
  MqPreferences *self = MQ_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  if (self->window != NULL)
    {
      gtk_widget_destroy (GTK_WIDGET (self->window));
      self->window = NULL;
    }
  g_clear_object (&self->builder);
  g_clear_object (&self->settings);
  clear_pending_key (self);

  G_OBJECT_CLASS (mq_preferences_parent_class)->dispose (object);
}

static void
mq_preferences_finalize (GObject *object)
{
  MqPreferences *self = MQ_PREFERENCES (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->base_url_override, g_free);
  g_clear_pointer (&self->pending_success, g_free);
  g_clear_error (&self->keyring_error);

  G_OBJECT_CLASS (mq_preferences_parent_class)->finalize (object);
}

static void
mq_preferences_class_init (MqPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_preferences_dispose;
  object_class->finalize = mq_preferences_finalize;

  /* The key is passed without a copy (static scope), so that no copy
   * outlives the emission unwiped. */
  signals[SIGNAL_KEY_CHANGED] =
    g_signal_new ("key-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mq_preferences_init (MqPreferences *self)
{
  self->cancellable = g_cancellable_new ();
}
