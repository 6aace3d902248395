/* mq-preferences-window.c: the preferences window
 *
 * A template (ui/preferences-window.ui) declares the widgets and the
 * signals; settings are bound to the widgets with g_settings_bind() when
 * the window is constructed, so a change shows at once, without an Apply
 * button. The API key is the exception: a candidate key is first checked
 * with a real fetch by a temporary MqClient set up by the application's
 * MqConfig (its region, --region included, and base URL), then announced with
 * "key-changed" and stored in the keyring. Without a keyring the key is
 * still used, for this session, and the window says how to keep it. The
 * key is wiped from memory once announced and stored, and never shown
 * unless asked for (the peek icon) or logged.
 */
#define G_LOG_DOMAIN "mq-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-autostart.h"
#include "mq-client-private.h"
#include "mq-client.h"
#include "mq-error.h"
#include "mq-key-page.h"
#include "mq-preferences-parts.h"
#include "mq-preferences-window-private.h"
#include "mq-preferences-window.h"
#include "mq-region.h"
#include "mq-resources.h"
#include "mq-secret.h"
#include "mq-wording.h"

struct _MqPreferencesWindow
{
  GtkWindow          parent_instance;

  GSettings         *settings;
  MqConfig          *config;            /* the application's connection */
  GStrv              host_overrides[2]; /* tests: GLOBAL's and CN's hosts */
  GCancellable      *cancellable;       /* every async operation; cancelled in dispose */

  /* Template children */
  GtkHeaderBar      *header_bar;
  GtkScrolledWindow *scrolled_window;
  GtkWidget         *content_box;
  GtkListBox        *key_list;
  GtkListBox        *alerts_list;
  GtkListBox        *general_list;
  GtkLabel          *key_status_label;
  GtkButton         *remove_key_button;
  GtkEntry          *key_entry;
  GtkLinkButton     *get_key_button;
  GtkSpinner        *key_spinner;
  GtkButton         *save_key_button;
  GtkLabel          *key_error_label;
  GtkLabel          *key_success_label;
  GtkLabel          *key_help_label;
  GtkComboBoxText   *region_combo;
  GtkComboBoxText   *refresh_combo;
  GtkSpinButton     *low_spin;
  GtkSpinButton     *critical_spin;
  GtkAdjustment     *critical_adjustment;
  GtkSwitch         *notifications_switch;
  GtkSwitch         *forecast_switch;
  GtkSpinButton     *forecast_lead_spin;
  GtkComboBoxText   *icon_model_combo;
  GtkSwitch         *show_label_switch;
  GtkSwitch         *autostart_switch;
  GtkLabel          *autostart_error_label;

  GtkWidget         *remove_dialog;     /* "Remove the key?" while it asks */

  char              *pending_key;       /* checked or being checked; wiped after */
  char              *pending_percent;   /* "63%" from the check, or NULL */
  gboolean           pending_unlimited;
  gboolean           key_busy;          /* checking, storing or removing a key */
  gboolean           key_known;         /* the keyring has answered once */
  gboolean           has_stored_key;
  gboolean           session_key;       /* a key in use that no keyring holds */
  gboolean           no_keyring;        /* no Secret Service on the bus */
  gboolean           keyring_failed;    /* the last lookup failed otherwise */
  guint              key_serial;        /* bumped whenever the stored key changes */

  gboolean           autostart_busy;
  gboolean           autostart_syncing;
};

G_DEFINE_FINAL_TYPE (MqPreferencesWindow, mq_preferences_window, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_KEY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
mq_preferences_window_set_snapshot (MqPreferencesWindow *self,
                                    MqSnapshot          *snapshot)
{
  g_return_if_fail (MQ_IS_PREFERENCES_WINDOW (self));

  if (snapshot == NULL)
    return;

  mq_preferences_set_icon_models (self->icon_model_combo, self->settings, snapshot);
}

/* ------------------------------------------------------------------ */
/* Layout                                                               */
/* ------------------------------------------------------------------ */

/* Critical stays below low: lowering "Warn at" pushes "Critical at" down. */
static void
update_critical_range (MqPreferencesWindow *self)
{
  guint low = g_settings_get_uint (self->settings, "low-threshold");
  double upper = low > 0 ? low - 1 : 0;

  gtk_adjustment_set_upper (self->critical_adjustment, upper);
  if (gtk_adjustment_get_value (self->critical_adjustment) > upper)
    gtk_adjustment_set_value (self->critical_adjustment, upper);
}

/* GTK 3 sizes a window once, when it is first shown; a message that
 * appears later would need scrolling. Grow the window to fit its content,
 * up to the scrolled window's maximum (never shrink: no jumps). The window
 * size and the allocation come from the same layout, so calling this
 * again before the next layout asks for the same size. */
static void
fit_window_height (MqPreferencesWindow *self)
{
  int have = gtk_widget_get_allocated_height (GTK_WIDGET (self->scrolled_window));
  /* The content's margins count in the width asked about. */
  int width = gtk_widget_get_allocated_width (GTK_WIDGET (self->scrolled_window));
  int max = gtk_scrolled_window_get_max_content_height (self->scrolled_window);
  int natural = 0;
  int window_width, window_height, target;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  gtk_widget_get_preferred_height_for_width (self->content_box, width, NULL, &natural);
  if (max > 0)
    natural = MIN (natural, max);

  gtk_window_get_size (GTK_WINDOW (self), &window_width, &window_height);
  target = window_height - have + natural;
  if (target > window_height)
    gtk_window_resize (GTK_WINDOW (self), window_width, target);
}

/* ------------------------------------------------------------------ */
/* The API key                                                          */
/* ------------------------------------------------------------------ */

static void
update_key_link (MqPreferencesWindow *self)
{
  gtk_link_button_set_uri (self->get_key_button,
                           mq_key_page_url (mq_config_get_region (self->config),
                                            mq_config_get_preferred_region (self->config)));
}

static void
update_key_status (MqPreferencesWindow *self)
{
  /* The variable the application takes its key from (--region honoured). */
  const char *variable = mq_config_get_key_variable (self->config);
  g_autofree char *text = NULL;

  if (!self->key_known)
    text = g_strdup (_("Checking the keyring…"));
  else if (self->has_stored_key)
    text = g_strdup (_("A key is saved in your keyring."));
  else if (self->session_key && self->no_keyring)
    text = g_strdup (_("No keyring service is running, so the key in use is not saved: you will be asked for it again after a restart."));
  else if (self->session_key)
    text = g_strdup (_("The keyring did not save the key in use: you will be asked for it again after a restart."));
  else if (variable != NULL)
    /* Translators: %s is the name of an environment variable, such as
     * MINIMAX_API_KEY. */
    text = g_strdup_printf (_("Using the key from %s. A key saved here takes its place."),
                            variable);
  else if (self->no_keyring)
    text = g_strdup (_("No keyring service is running: a key entered here is used until you log out, and asked for again after a restart."));
  else if (self->keyring_failed)
    text = g_strdup (_("The keyring could not be read. A key entered here is still used."));
  else
    text = g_strdup (_("No key yet: paste your key below."));

  gtk_label_set_text (self->key_status_label, text);

  /* Without a keyring, the help names the ways to keep a key. */
  if (self->no_keyring && !self->has_stored_key)
    gtk_label_set_text (self->key_help_label,
                        _("To keep the key, install gnome-keyring, or KeePassXC with its Secret Service integration turned on, or set MINIMAX_API_KEY in your session."));
  else
    gtk_label_set_text (self->key_help_label,
                        _("Token Plan keys (sk-cp-…) come from the MiniMax platform. The key is kept in your keyring, never in the settings."));

  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_key_button),
                            self->has_stored_key && !self->key_busy);
  fit_window_height (self);
}

static void
update_key_sensitivity (MqPreferencesWindow *self)
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
set_key_busy (MqPreferencesWindow *self,
              gboolean             busy)
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
show_key_message (MqPreferencesWindow *self,
                  const char          *error_text,
                  const char          *success_text)
{
  gtk_label_set_text (self->key_error_label, error_text != NULL ? error_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_error_label), error_text != NULL);
  gtk_label_set_text (self->key_success_label, success_text != NULL ? success_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_success_label), success_text != NULL);
  fit_window_height (self);
}

static void
set_key_revealed (MqPreferencesWindow *self,
                  gboolean             revealed)
{
  gtk_entry_set_visibility (self->key_entry, revealed);
  gtk_entry_set_icon_from_icon_name (self->key_entry, GTK_ENTRY_ICON_SECONDARY,
                                     revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_entry_set_icon_tooltip_text (self->key_entry, GTK_ENTRY_ICON_SECONDARY,
                                   revealed ? _("Hide the key") : _("Show the key"));
}

static void
on_key_entry_icon_press (MqPreferencesWindow  *self,
                         GtkEntryIconPosition  position,
                         GdkEvent             *event)
{
  if (position == GTK_ENTRY_ICON_SECONDARY)
    set_key_revealed (self, !gtk_entry_get_visibility (self->key_entry));
}

static void
clear_pending_key (MqPreferencesWindow *self)
{
  g_clear_pointer (&self->pending_key, mq_secret_free_key);
  g_clear_pointer (&self->pending_percent, g_free);
}

typedef struct {
  MqPreferencesWindow *self;   /* not a reference: dispose cancels the lookup */
  guint                serial;
} LookupData;

/* What a failed keyring tells: no Secret Service, or another failure. The
 * bus's own words never reach the window. */
static void
note_keyring_error (MqPreferencesWindow *self,
                    const GError        *error)
{
  self->no_keyring = error != NULL && mq_preferences_keyring_missing (error);
  self->keyring_failed = error != NULL && !self->no_keyring;
  if (error != NULL)
    g_debug ("Keyring: %s", error->message);
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree LookupData *data = user_data;
  MqPreferencesWindow *self;
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
  note_keyring_error (self, error);
  update_key_status (self);
}

static void
look_up_key (MqPreferencesWindow *self)
{
  LookupData *data = g_new0 (LookupData, 1);

  data->self = self;
  data->serial = self->key_serial;
  mq_secret_lookup_async (self->cancellable, on_key_looked_up, data);
}

/* The key passed the check: it is used from now on, stored or not (the
 * status line then says that it is not kept). */
static void
key_accepted (MqPreferencesWindow *self,
              gboolean             stored)
{
  g_autofree char *success = mq_preferences_key_success_text (stored, self->pending_unlimited,
                                                              self->pending_percent);

  self->key_known = TRUE;
  self->has_stored_key = stored;
  self->session_key = !stored;
  self->key_serial++;

  gtk_entry_set_text (self->key_entry, "");
  set_key_revealed (self, FALSE);
  set_key_busy (self, FALSE);
  show_key_message (self, NULL, success);
  update_key_status (self);

  g_signal_emit (self, signals[SIGNAL_KEY_CHANGED], 0, self->pending_key);
  clear_pending_key (self);
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  MqPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mq_secret_store_finish (result, &error))
    {
      if (is_cancelled (error))
        return;

      note_keyring_error (self, error);
      key_accepted (self, FALSE);
      return;
    }

  self->no_keyring = FALSE;
  self->keyring_failed = FALSE;
  key_accepted (self, TRUE);
}

static void
on_key_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  MqPreferencesWindow *self = user_data;
  MqClient *client = MQ_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  MqThresholds thresholds;
  MqWordedHeadline worded;
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

  /* The region that answered, remembered as the application does. */
  resolved = mq_client_get_resolved_region (client);
  mq_config_remember_region (self->config, resolved);

  /* The success line is made from the snapshot of this check, with the
   * headline the tray and the command line show. */
  thresholds = mq_config_get_thresholds (self->config);
  mq_wording_headline (snapshot, NULL, &thresholds, &worded);
  self->pending_unlimited = worded.kind == MQ_HEADLINE_UNLIMITED;
  if (worded.kind == MQ_HEADLINE_PERCENT)
    self->pending_percent = g_steal_pointer (&worded.percent);
  mq_worded_headline_clear (&worded);

  mq_secret_store_async (self->pending_key,
                         resolved != MQ_REGION_AUTO ? resolved : mq_config_get_region (self->config),
                         self->cancellable, on_key_stored, self);
}

static void
save_key (MqPreferencesWindow *self)
{
  g_autoptr(MqClient) client = NULL;
  g_autoptr(GError) error = NULL;
  char *candidate;

  if (self->key_busy)
    return;

  candidate = g_strstrip (g_strdup (gtk_entry_get_text (self->key_entry)));
  if (*candidate == '\0')
    {
      mq_secret_free_key (candidate);
      return;
    }

  /* Checked where the application asks: its region (--region included),
   * the region it prefers, its base URL. */
  client = mq_client_new ();
  mq_client_override_hosts (client, MQ_REGION_GLOBAL,
                            (const char * const *) self->host_overrides[0]);
  mq_client_override_hosts (client, MQ_REGION_CN,
                            (const char * const *) self->host_overrides[1]);
  if (!mq_config_apply_to_client (self->config, client, &error))
    {
      mq_secret_free_key (candidate);
      show_key_message (self, error->message, NULL);
      return;
    }

  mq_client_set_api_key (client, candidate);
  clear_pending_key (self);
  self->pending_key = candidate;
  self->pending_unlimited = FALSE;

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
  MqPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mq_secret_clear_finish (result, &error))
    {
      if (is_cancelled (error))
        return;

      note_keyring_error (self, error);
      set_key_busy (self, FALSE);
      show_key_message (self, _("The key could not be removed from the keyring."), NULL);
      return;
    }

  self->key_known = TRUE;
  self->has_stored_key = FALSE;
  self->session_key = FALSE;
  self->key_serial++;
  set_key_busy (self, FALSE);
  show_key_message (self, NULL, _("Key removed from the keyring."));
  update_key_status (self);

  g_signal_emit (self, signals[SIGNAL_KEY_CHANGED], 0, NULL);
}

static void
on_remove_dialog_response (MqPreferencesWindow *self,
                           int                  response,
                           GtkDialog           *dialog)
{
  self->remove_dialog = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));

  if (response != GTK_RESPONSE_ACCEPT || self->key_busy)
    return;

  set_key_busy (self, TRUE);
  show_key_message (self, NULL, NULL);
  mq_secret_clear_async (self->cancellable, on_key_cleared, self);
}

/* Removing cannot be undone: ask first. */
static void
on_remove_key_clicked (MqPreferencesWindow *self)
{
  if (self->key_busy)
    return;
  if (self->remove_dialog == NULL)
    {
      self->remove_dialog = mq_preferences_remove_key_dialog_new (GTK_WINDOW (self));
      g_signal_connect_object (self->remove_dialog, "response",
                               G_CALLBACK (on_remove_dialog_response), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_window_present (GTK_WINDOW (self->remove_dialog));
}

static void
on_key_entry_changed (MqPreferencesWindow *self)
{
  update_key_sensitivity (self);
  if (gtk_entry_get_text_length (self->key_entry) > 0)
    show_key_message (self, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Start on login                                                       */
/* ------------------------------------------------------------------ */

static void
sync_autostart_switch (MqPreferencesWindow *self)
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
  MqPreferencesWindow *self = user_data;
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
on_autostart_state_set (MqPreferencesWindow *self,
                        gboolean             state)
{
  if (self->autostart_syncing)
    return FALSE;

  if (self->autostart_busy)
    return TRUE;

  self->autostart_busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->autostart_error_label));

  mq_autostart_set_async (state, GTK_WINDOW (self), self->settings, self->cancellable,
                          on_autostart_set, self);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The window                                                           */
/* ------------------------------------------------------------------ */

static void
on_settings_changed (MqPreferencesWindow *self,
                     const char          *key)
{
  if (g_str_equal (key, "region"))
    update_key_status (self);
  else if (g_str_equal (key, "low-threshold"))
    update_critical_range (self);

  if (g_str_equal (key, "region") || g_str_equal (key, "last-region"))
    update_key_link (self);
}

MqPreferencesWindow *
mq_preferences_window_new (GtkApplication *app,
                           GSettings      *settings,
                           MqConfig       *config)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (MQ_IS_CONFIG (config), NULL);

  return g_object_new (MQ_TYPE_PREFERENCES_WINDOW,
                       "application", app,
                       "settings", settings,
                       "config", config,
                       NULL);
}

void
mq_preferences_window_override_hosts (MqPreferencesWindow *self,
                                      MqRegion             region,
                                      const char * const  *base_urls)
{
  g_return_if_fail (MQ_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (region == MQ_REGION_GLOBAL || region == MQ_REGION_CN);

  g_strfreev (self->host_overrides[region == MQ_REGION_CN]);
  self->host_overrides[region == MQ_REGION_CN] = g_strdupv ((char **) base_urls);
}

void
mq_preferences_window_present (MqPreferencesWindow *self,
                               gboolean             focus_key)
{
  g_return_if_fail (MQ_IS_PREFERENCES_WINDOW (self));

  /* Things may have changed behind the window's back. */
  if (!self->key_busy)
    look_up_key (self);
  if (!self->autostart_busy)
    sync_autostart_switch (self);

  gtk_window_present (GTK_WINDOW (self));

  if (focus_key)
    gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */
/* ------------------------------------------------------------------ */

static void
mq_preferences_window_constructed (GObject *object)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);
  GtkListBox *lists[] = {
    self->key_list, self->general_list, self->alerts_list,
  };

  G_OBJECT_CLASS (mq_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_assert (MQ_IS_CONFIG (self->config));

  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    mq_preferences_separate_rows (lists[i]);

  /* The critical range follows the low threshold first, so that binding
   * the critical spin button never stores an inconsistent pair. */
  update_critical_range (self);

  g_settings_bind (self->settings, "region", self->region_combo, "active-id",
                   G_SETTINGS_BIND_DEFAULT);
  mq_preferences_bind_refresh (self->settings, self->refresh_combo);
  g_settings_bind (self->settings, "low-threshold", self->low_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "critical-threshold", self->critical_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications-enabled",
                   self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "forecast-alerts", self->forecast_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "forecast-lead-minutes", self->forecast_lead_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->forecast_switch, "active", self->forecast_lead_spin, "sensitive",
                          G_BINDING_SYNC_CREATE);
  mq_preferences_bind_icon_model (self->settings, self->icon_model_combo);
  g_settings_bind (self->settings, "show-label", self->show_label_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (on_settings_changed), self, G_CONNECT_SWAPPED);

  sync_autostart_switch (self);
  update_key_link (self);
  update_key_status (self);
  update_key_sensitivity (self);
  look_up_key (self);
}

static void
mq_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mq_preferences_window_dispose (GObject *object)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);

  /* Before the template children go: no callback may reach them. */
  g_cancellable_cancel (self->cancellable);

  if (self->remove_dialog != NULL)
    {
      GtkWidget *dialog = g_steal_pointer (&self->remove_dialog);

      gtk_widget_destroy (dialog);
    }

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->config);
  clear_pending_key (self);

  G_OBJECT_CLASS (mq_preferences_window_parent_class)->dispose (object);
}

static void
mq_preferences_window_finalize (GObject *object)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->host_overrides[0], g_strfreev);
  g_clear_pointer (&self->host_overrides[1], g_strfreev);

  G_OBJECT_CLASS (mq_preferences_window_parent_class)->finalize (object);
}

static void
mq_preferences_window_class_init (MqPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mq_preferences_window_constructed;
  object_class->set_property = mq_preferences_window_set_property;
  object_class->dispose = mq_preferences_window_dispose;
  object_class->finalize = mq_preferences_window_finalize;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The application's resolved connection: where a key is checked, which
   * variable an environment key comes from, the remembered region. */
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, MQ_TYPE_CONFIG,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The key is passed without a copy (static scope), so that no copy
   * outlives the emission unwiped. */
  signals[SIGNAL_KEY_CHANGED] =
    g_signal_new ("key-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /* The resource is compiled into the same static library; naming it makes
   * the linker keep it, and its constructor registers it. */
  if (mq_get_resource () == NULL)
    g_error ("The resources of %s are missing", APP_ID);

  gtk_widget_class_set_template_from_resource (widget_class, MQ_PREFERENCES_WINDOW_RESOURCE);

#define BIND_CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, MqPreferencesWindow, name)
  BIND_CHILD (header_bar);
  BIND_CHILD (scrolled_window);
  BIND_CHILD (content_box);
  BIND_CHILD (key_list);
  BIND_CHILD (alerts_list);
  BIND_CHILD (general_list);
  BIND_CHILD (key_status_label);
  BIND_CHILD (remove_key_button);
  BIND_CHILD (key_entry);
  BIND_CHILD (get_key_button);
  BIND_CHILD (key_spinner);
  BIND_CHILD (save_key_button);
  BIND_CHILD (key_error_label);
  BIND_CHILD (key_success_label);
  BIND_CHILD (key_help_label);
  BIND_CHILD (region_combo);
  BIND_CHILD (refresh_combo);
  BIND_CHILD (low_spin);
  BIND_CHILD (critical_spin);
  BIND_CHILD (critical_adjustment);
  BIND_CHILD (notifications_switch);
  BIND_CHILD (forecast_switch);
  BIND_CHILD (forecast_lead_spin);
  BIND_CHILD (icon_model_combo);
  BIND_CHILD (show_label_switch);
  BIND_CHILD (autostart_switch);
  BIND_CHILD (autostart_error_label);
#undef BIND_CHILD

  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_widget_hide_on_delete",
                                                G_CALLBACK (gtk_widget_hide_on_delete));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_key_press",
                                                G_CALLBACK (mq_preferences_hide_on_escape));
  gtk_widget_class_bind_template_callback (widget_class, fit_window_height);
  gtk_widget_class_bind_template_callback (widget_class, save_key);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_entry_icon_press);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_key_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_autostart_state_set);
}

static void
mq_preferences_window_init (MqPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
