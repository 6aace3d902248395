/* mq-account-dialog.c: "Add Account" of the preferences window
 *
 * The form is a template (ui/account-dialog.ui). Add checks the key with a
 * real fetch by a temporary MqClient set up as the applet would set up
 * that account (mq_config_apply_account_to_client(), with the tests' host
 * overrides), the quota or the balance by the key's kind, and only then
 * hands it to mq_accounts_add_async(), which stores it in the keyring and
 * lists the account. The key is wiped from memory once stored (or handed
 * over for the session), and from the field when the dialog hides.
 */
#define G_LOG_DOMAIN "mq-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-account-dialog.h"
#include "mq-client-private.h"
#include "mq-error.h"
#include "mq-key-page.h"
#include "mq-preferences-parts.h"
#include "mq-resources.h"
#include "mq-secret.h"
#include "mq-wording.h"

struct _MqAccountDialog
{
  GtkDialog          parent_instance;

  MqAccounts        *accounts;
  MqConfig          *config;
  GStrv              host_overrides[2]; /* tests: GLOBAL's and CN's hosts */
  GCancellable      *cancellable;       /* the check and the store under way */

  /* Template children */
  GtkEntry          *name_entry;
  GtkLabel          *name_error_label;
  GtkComboBoxText   *account_region_combo;
  GtkEntry          *key_entry;
  GtkLabel          *key_error_label;
  GtkLinkButton     *get_key_button;
  GtkSpinner        *key_spinner;
  GtkButton         *save_key_button;

  char              *pending_name;
  MqRegion           pending_region;
  char              *pending_key;       /* being checked or stored; wiped after */
  char              *saved_text;        /* the success lines once the check passed: */
  char              *unsaved_text;      /* stored, or used for this session only */
  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (MqAccountDialog, mq_account_dialog, GTK_TYPE_DIALOG)

enum {
  SIGNAL_ADDED,
  SIGNAL_UNSAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static MqRegion
chosen_region (MqAccountDialog *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->account_region_combo));
  MqRegion region = MQ_REGION_AUTO;

  if (id == NULL || !mq_region_from_string (id, &region))
    return MQ_REGION_AUTO;
  return region;
}

static gboolean
has_text (GtkEntry *entry)
{
  for (const char *p = gtk_entry_get_text (entry); *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return TRUE;

  return FALSE;
}

/* The name as it would be stored, or NULL (and the reason shown). */
static char *
checked_name (MqAccountDialog *self,
              gboolean         show_error)
{
  g_autofree char *name = g_strdup (gtk_entry_get_text (self->name_entry));
  g_autoptr(GError) error = NULL;

  if (!mq_accounts_check_name (self->accounts, name, NULL, &error))
    {
      if (show_error)
        {
          gtk_label_set_text (self->name_error_label, error->message);
          gtk_widget_show (GTK_WIDGET (self->name_error_label));
        }
      return NULL;
    }

  gtk_widget_hide (GTK_WIDGET (self->name_error_label));
  return g_steal_pointer (&name);
}

static void
update_sensitivity (MqAccountDialog *self)
{
  g_autofree char *name = NULL;

  /* Signals of the template, before mq_account_dialog_new() ends. */
  if (self->accounts == NULL)
    return;

  name = checked_name (self, TRUE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->name_entry), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->account_region_combo), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_entry), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_key_button),
                            !self->busy && name != NULL && has_text (self->key_entry));
}

static void
set_busy (MqAccountDialog *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->key_spinner), busy);
  if (busy)
    gtk_spinner_start (self->key_spinner);
  else
    gtk_spinner_stop (self->key_spinner);
  update_sensitivity (self);
}

static void
show_key_error (MqAccountDialog *self,
                const char      *text)
{
  gtk_label_set_text (self->key_error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_error_label), text != NULL);
}

static void
set_key_revealed (MqAccountDialog *self,
                  gboolean         revealed)
{
  gtk_entry_set_visibility (self->key_entry, revealed);
  gtk_entry_set_icon_from_icon_name (self->key_entry, GTK_ENTRY_ICON_SECONDARY,
                                     revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_entry_set_icon_tooltip_text (self->key_entry, GTK_ENTRY_ICON_SECONDARY,
                                   revealed ? _("Hide the key") : _("Show the key"));
}

static void
clear_pending (MqAccountDialog *self)
{
  g_clear_pointer (&self->pending_key, mq_secret_free_key);
  g_clear_pointer (&self->pending_name, g_free);
  g_clear_pointer (&self->saved_text, g_free);
  g_clear_pointer (&self->unsaved_text, g_free);
}

/* The check or the store failed: nothing is kept, the key stays in the
 * field for correcting. */
static void
fail (MqAccountDialog *self,
      const char      *message)
{
  clear_pending (self);
  set_busy (self, FALSE);
  show_key_error (self, message);
}

/* ------------------------------------------------------------------ */
/* Add: check, then store                                               */
/* ------------------------------------------------------------------ */

static void
on_added (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MqAccountDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  char *key;
  gboolean no_keyring;

  if (!mq_accounts_add_finish (MQ_ACCOUNTS (source), result, &error))
    {
      if (is_cancelled (error))
        return;
      /* The list's own refusals (a name taken meanwhile…): nothing stored. */
      if (error->domain == MQ_ERROR)
        {
          fail (self, error->message);
          return;
        }
    }

  /* Stored and listed, or the keyring failed: the key works for this
   * session only, and the window says how to keep it. */
  key = g_steal_pointer (&self->pending_key);
  name = g_steal_pointer (&self->pending_name);
  no_keyring = error != NULL && mq_preferences_keyring_missing (error);
  if (error != NULL)
    g_debug ("The keyring: %s", error->message);
  message = g_strdup (error == NULL ? self->saved_text : self->unsaved_text);
  clear_pending (self);
  set_busy (self, FALSE);
  gtk_entry_set_text (self->key_entry, "");
  set_key_revealed (self, FALSE);
  gtk_widget_hide (GTK_WIDGET (self));

  if (error == NULL)
    g_signal_emit (self, signals[SIGNAL_ADDED], 0, name, message);
  else
    g_signal_emit (self, signals[SIGNAL_UNSAVED], 0, key, no_keyring, message);
  mq_secret_free_key (key);
}

static void
store (MqAccountDialog *self)
{
  mq_accounts_add_async (self->accounts, self->pending_name, self->pending_region,
                         self->pending_key, self->cancellable, on_added, self);
}

/* The end of a check (@answered and @error from its finish): nothing when
 * it was cancelled, the error shown when it failed, else the region that
 * answered remembered as the applet does. TRUE when it answered. */
static gboolean
check_answered (MqAccountDialog *self,
                MqClient        *client,
                gboolean         answered,
                const GError    *error)
{
  if (is_cancelled (error))
    return FALSE;
  if (!answered)
    {
      fail (self, error->message);
      return FALSE;
    }

  if (self->pending_region == MQ_REGION_AUTO)
    mq_config_remember_region (self->config, mq_client_get_resolved_region (client));
  return TRUE;
}

static void
on_quota_checked (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MqAccountDialog *self = user_data;
  MqClient *client = MQ_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  MqThresholds thresholds;
  MqWordedHeadline worded;
  gboolean unlimited;

  snapshot = mq_client_fetch_finish (client, result, &error);
  if (!check_answered (self, client, snapshot != NULL, error))
    return;

  /* The headline the tray and the command line show. */
  thresholds = mq_config_get_thresholds (self->config);
  mq_wording_headline (snapshot, NULL, &thresholds, &worded);
  unlimited = worded.kind == MQ_HEADLINE_UNLIMITED;
  self->saved_text = mq_preferences_key_success_text (TRUE, unlimited,
                                                      worded.kind == MQ_HEADLINE_PERCENT ? worded.percent : NULL);
  self->unsaved_text = mq_preferences_key_success_text (FALSE, unlimited,
                                                        worded.kind == MQ_HEADLINE_PERCENT ? worded.percent : NULL);
  mq_worded_headline_clear (&worded);

  store (self);
}

static void
on_balance_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MqAccountDialog *self = user_data;
  MqClient *client = MQ_CLIENT (source);
  g_autoptr(GError) error = NULL;
  MqBalance *balance;
  g_autofree char *amount = NULL;
  double available;

  balance = mq_client_fetch_balance_finish (client, result, NULL, &error);
  if (!check_answered (self, client, balance != NULL, error))
    return;

  if (mq_balance_get_amount (balance, MQ_BALANCE_AVAILABLE, &available))
    amount = mq_balance_format_amount (available, mq_balance_get_currency (balance));
  mq_balance_unref (balance);
  self->saved_text = mq_preferences_balance_success_text (TRUE, amount);
  self->unsaved_text = mq_preferences_balance_success_text (FALSE, amount);

  store (self);
}

void
mq_account_dialog_add (MqAccountDialog *self)
{
  g_autoptr(MqClient) client = NULL;
  g_autoptr(MqAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  char *candidate;

  g_return_if_fail (MQ_IS_ACCOUNT_DIALOG (self));

  if (self->busy)
    return;

  name = checked_name (self, TRUE);
  if (name == NULL)
    return;

  candidate = g_strstrip (g_strdup (gtk_entry_get_text (self->key_entry)));
  if (*candidate == '\0')
    {
      mq_secret_free_key (candidate);
      return;
    }

  /* Checked where the applet would ask for this account: its region (or
   * the one --region fixes), the region it prefers, its base URL. */
  client = mq_client_new ();
  mq_client_override_hosts (client, MQ_REGION_GLOBAL,
                            (const char * const *) self->host_overrides[0]);
  mq_client_override_hosts (client, MQ_REGION_CN,
                            (const char * const *) self->host_overrides[1]);
  account = mq_account_new (name, chosen_region (self), candidate);
  if (!mq_config_apply_account_to_client (self->config, account, client, &error))
    {
      mq_secret_free_key (candidate);
      show_key_error (self, error->message);
      return;
    }

  clear_pending (self);
  self->pending_key = candidate;
  self->pending_name = g_steal_pointer (&name);
  self->pending_region = chosen_region (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_busy (self, TRUE);
  show_key_error (self, NULL);

  /* The fetch keeps the client alive until it ends. */
  if (mq_account_get_key_kind (account) == MQ_KEY_KIND_PAY_AS_YOU_GO)
    mq_client_fetch_balance_async (client, self->cancellable, on_balance_checked, self);
  else
    mq_client_fetch_async (client, self->cancellable, on_quota_checked, self);
}

/* ------------------------------------------------------------------ */
/* The form                                                             */
/* ------------------------------------------------------------------ */

static void
on_name_changed (MqAccountDialog *self)
{
  update_sensitivity (self);
}

static void
on_key_entry_changed (MqAccountDialog *self)
{
  update_sensitivity (self);
  if (gtk_entry_get_text_length (self->key_entry) > 0)
    show_key_error (self, NULL);
}

static void
on_key_entry_icon_press (MqAccountDialog      *self,
                         GtkEntryIconPosition  position,
                         GdkEvent             *event)
{
  if (position == GTK_ENTRY_ICON_SECONDARY)
    set_key_revealed (self, !gtk_entry_get_visibility (self->key_entry));
}

/* Hidden (Cancel, Escape, the close button): what was under way stops,
 * and the key leaves the field. */
static void
on_hide (MqAccountDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  clear_pending (self);
  gtk_entry_set_text (self->key_entry, "");
  set_key_revealed (self, FALSE);
  set_busy (self, FALSE);
}

static void
on_cancel_clicked (MqAccountDialog *self)
{
  gtk_widget_hide (GTK_WIDGET (self));
}

void
mq_account_dialog_update_link (MqAccountDialog *self)
{
  MqRegion region;

  g_return_if_fail (MQ_IS_ACCOUNT_DIALOG (self));

  if (self->config == NULL)
    return;

  region = chosen_region (self);
  if (region == MQ_REGION_AUTO)
    region = mq_config_get_region (self->config);
  gtk_link_button_set_uri (self->get_key_button,
                           mq_key_page_url (region, mq_config_get_preferred_region (self->config)));
}

/* "team-2" for the second account, or the first free one after it. */
static char *
suggest_name (MqAccountDialog *self)
{
  guint n = mq_accounts_get_n_accounts (self->accounts);

  if (n == 0 && mq_accounts_check_name (self->accounts, MQ_ACCOUNT_DEFAULT_NAME, NULL, NULL))
    return g_strdup (MQ_ACCOUNT_DEFAULT_NAME);

  for (guint i = MAX (n + 1, 2); ; i++)
    {
      g_autofree char *name = g_strdup_printf ("team-%u", i);

      if (mq_accounts_check_name (self->accounts, name, NULL, NULL))
        return g_steal_pointer (&name);
    }
}

void
mq_account_dialog_reset (MqAccountDialog *self)
{
  g_autofree char *name = NULL;

  g_return_if_fail (MQ_IS_ACCOUNT_DIALOG (self));

  if (self->busy)
    return;

  name = suggest_name (self);
  gtk_entry_set_text (self->name_entry, name);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->account_region_combo), "auto");
  gtk_entry_set_text (self->key_entry, "");
  set_key_revealed (self, FALSE);
  show_key_error (self, NULL);
  mq_account_dialog_update_link (self);
  update_sensitivity (self);
}

void
mq_account_dialog_present (MqAccountDialog *self)
{
  g_return_if_fail (MQ_IS_ACCOUNT_DIALOG (self));

  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->busy ? self->name_entry : self->key_entry));
}

gboolean
mq_account_dialog_get_busy (MqAccountDialog *self)
{
  g_return_val_if_fail (MQ_IS_ACCOUNT_DIALOG (self), FALSE);

  return self->busy;
}

void
mq_account_dialog_override_hosts (MqAccountDialog    *self,
                                  MqRegion            region,
                                  const char * const *base_urls)
{
  g_return_if_fail (MQ_IS_ACCOUNT_DIALOG (self));
  g_return_if_fail (region == MQ_REGION_GLOBAL || region == MQ_REGION_CN);

  g_strfreev (self->host_overrides[region == MQ_REGION_CN]);
  self->host_overrides[region == MQ_REGION_CN] = g_strdupv ((char **) base_urls);
}

MqAccountDialog *
mq_account_dialog_new (GtkWindow  *parent,
                       MqAccounts *accounts,
                       MqConfig   *config)
{
  MqAccountDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MQ_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (MQ_IS_CONFIG (config), NULL);

  self = g_object_new (MQ_TYPE_ACCOUNT_DIALOG, "transient-for", parent, NULL);
  self->accounts = g_object_ref (accounts);
  self->config = g_object_ref (config);
  mq_account_dialog_reset (self);

  return self;
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */
/* ------------------------------------------------------------------ */

static void
mq_account_dialog_dispose (GObject *object)
{
  MqAccountDialog *self = MQ_ACCOUNT_DIALOG (object);

  /* Before the template children go: no callback may reach them. */
  g_cancellable_cancel (self->cancellable);
  clear_pending (self);
  g_clear_object (&self->accounts);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (mq_account_dialog_parent_class)->dispose (object);
}

static void
mq_account_dialog_finalize (GObject *object)
{
  MqAccountDialog *self = MQ_ACCOUNT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->host_overrides[0], g_strfreev);
  g_clear_pointer (&self->host_overrides[1], g_strfreev);

  G_OBJECT_CLASS (mq_account_dialog_parent_class)->finalize (object);
}

static void
mq_account_dialog_class_init (MqAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mq_account_dialog_dispose;
  object_class->finalize = mq_account_dialog_finalize;

  signals[SIGNAL_ADDED] =
    g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* The key is passed without a copy (static scope), so that no copy
   * outlives the emission unwiped. */
  signals[SIGNAL_UNSAVED] =
    g_signal_new ("unsaved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN, G_TYPE_STRING);

  if (mq_get_resource () == NULL)
    g_error ("The resources of %s are missing", APP_ID);

  gtk_widget_class_set_template_from_resource (widget_class, MQ_ACCOUNT_DIALOG_RESOURCE);

#define BIND_CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, MqAccountDialog, name)
  BIND_CHILD (name_entry);
  BIND_CHILD (name_error_label);
  BIND_CHILD (account_region_combo);
  BIND_CHILD (key_entry);
  BIND_CHILD (key_error_label);
  BIND_CHILD (get_key_button);
  BIND_CHILD (key_spinner);
  BIND_CHILD (save_key_button);
#undef BIND_CHILD

  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_widget_hide_on_delete",
                                                G_CALLBACK (gtk_widget_hide_on_delete));
  gtk_widget_class_bind_template_callback (widget_class, mq_account_dialog_add);
  gtk_widget_class_bind_template_callback (widget_class, mq_account_dialog_update_link);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_icon_press);
  gtk_widget_class_bind_template_callback (widget_class, on_hide);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
}

static void
mq_account_dialog_init (MqAccountDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
