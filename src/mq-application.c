/* mq-application.c: the tray applet's GtkApplication
 *
 * Wires the one-way data flow of DESIGN.md: settings + key -> MqClient ->
 * MqPoller -> (MqView -> MqIndicator, MqAlerts). Nothing here interprets
 * quota: it only connects the parts and answers the menu's actions.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mq-alerts.h"
#include "mq-application.h"
#include "mq-client.h"
#include "mq-demo.h"
#include "mq-error.h"
#include "mq-indicator.h"
#include "mq-poller.h"
#include "mq-preferences-window.h"
#include "mq-region.h"
#include "mq-secret.h"
#include "mq-view.h"

struct _MqApplication {
  GtkApplication  parent_instance;

  /* Command-line overrides for this run. */
  char           *opt_region;
  char           *opt_base_url;
  int             opt_interval;
  gboolean        opt_demo;

  GSettings      *settings;
  MqClient       *client;
  MqPoller       *poller;
  MqIndicator    *indicator;
  MqAlerts       *alerts;
  MqPreferencesWindow *preferences;
  MqDemo         *demo;
  GCancellable   *cancellable;

  char           *base_url;      /* effective override, nullable */
  gboolean        key_known;     /* the key lookup has finished */
  gboolean        started;
};

G_DEFINE_FINAL_TYPE (MqApplication, mq_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "region", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Region of the API key: auto, global or cn"), N_("REGION") },
  { "base-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Use this API base URL (https://…, or http:// on loopback)"), N_("URL") },
  { "interval", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Refresh every SECONDS (30–3600) for this run"), N_("SECONDS") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show a built-in, changing sample instead of your account"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static MqThresholds
current_thresholds (MqApplication *self)
{
  MqThresholds thresholds;

  thresholds.low = g_settings_get_uint (self->settings, "low-threshold");
  thresholds.critical = g_settings_get_uint (self->settings, "critical-threshold");
  if (thresholds.critical >= thresholds.low)
    thresholds.critical = MAX (thresholds.low - 1, 0);

  return thresholds;
}

static MqRegion
current_region (MqApplication *self)
{
  MqRegion region = MQ_REGION_AUTO;
  g_autofree char *setting = NULL;

  if (self->opt_region != NULL && mq_region_from_string (self->opt_region, &region))
    return region;
  if (mq_region_from_string (g_getenv ("MINIMAX_REGION"), &region))
    return region;

  setting = g_settings_get_string (self->settings, "region");
  if (!mq_region_from_string (setting, &region))
    region = MQ_REGION_AUTO;
  return region;
}

static MqRegion
display_region (MqApplication *self)
{
  MqRegion region = mq_client_get_resolved_region (self->client);

  if (region == MQ_REGION_AUTO)
    region = current_region (self);
  return region;
}

static void
render (MqApplication *self)
{
  g_autoptr(MqView) view = NULL;
  g_autofree char *icon_model = g_settings_get_string (self->settings, "icon-model");
  MqViewInput input = { 0 };

  if (self->indicator == NULL)
    return;

  input.snapshot = mq_poller_get_snapshot (self->poller);
  input.error = mq_poller_get_error (self->poller);
  input.has_key = !self->key_known || mq_client_has_api_key (self->client);
  input.busy = mq_poller_get_busy (self->poller) || !self->key_known;
  input.now_ms = g_get_real_time () / 1000;
  input.last_success_ms = mq_poller_get_last_success_ms (self->poller);
  input.thresholds = current_thresholds (self);
  input.icon_model = icon_model;
  input.region = display_region (self);

  view = mq_view_build (&input);
  mq_indicator_update (self->indicator, view);
}

static void
on_poller_changed (MqPoller      *poller,
                   MqApplication *self)
{
  render (self);
}

static void
on_poller_updated (MqPoller      *poller,
                   MqSnapshot    *snapshot,
                   MqApplication *self)
{
  MqRegion resolved = mq_client_get_resolved_region (self->client);

  if (current_region (self) == MQ_REGION_AUTO && resolved != MQ_REGION_AUTO)
    {
      g_autofree char *remembered = g_settings_get_string (self->settings, "last-region");

      if (g_strcmp0 (remembered, mq_region_to_string (resolved)) != 0)
        g_settings_set_string (self->settings, "last-region", mq_region_to_string (resolved));
    }

  mq_alerts_process (self->alerts, snapshot, g_get_real_time () / 1000);

  /* "Icon shows" offers the models this account really has. */
  if (self->preferences != NULL)
    mq_preferences_window_set_snapshot (self->preferences, snapshot);
}

static void
apply_settings (MqApplication *self)
{
  MqThresholds thresholds = current_thresholds (self);
  g_autofree char *icon_model = g_settings_get_string (self->settings, "icon-model");
  guint interval = self->opt_interval > 0
                   ? (guint) self->opt_interval
                   : g_settings_get_uint (self->settings, "refresh-interval");

  mq_poller_set_interval (self->poller, interval);
  mq_poller_set_thresholds (self->poller, &thresholds);
  mq_poller_set_headline_model (self->poller, icon_model);
}

static void
on_settings_changed (GSettings     *settings,
                     const char    *key,
                     MqApplication *self)
{
  if (g_str_equal (key, "region"))
    {
      mq_client_set_region (self->client, current_region (self));
      mq_poller_restart (self->poller);
      return;
    }

  if (g_str_equal (key, "refresh-interval") || g_str_equal (key, "low-threshold") ||
      g_str_equal (key, "critical-threshold") || g_str_equal (key, "icon-model"))
    {
      apply_settings (self);
      render (self);
    }
}

static void
use_key (MqApplication *self,
         const char    *keyring_key)
{
  g_autofree char *key = NULL;
  MqRegion key_region = current_region (self);

  if (self->demo != NULL)
    key = g_strdup (MQ_DEMO_API_KEY);
  else
    key = mq_secret_resolve_key (keyring_key, current_region (self), &key_region);

  /* A key from MINIMAX_CN_API_KEY says which region it belongs to. */
  if (current_region (self) == MQ_REGION_AUTO && key_region != MQ_REGION_AUTO)
    mq_client_set_preferred_region (self->client, key_region);

  mq_client_set_api_key (self->client, key);
  if (key != NULL)
    memset (key, 0, strlen (key));

  self->key_known = TRUE;
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MqApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring_key = mq_secret_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("Keyring unavailable, using the environment: %s", error->message);

  use_key (self, keyring_key);
  if (keyring_key != NULL)
    memset (keyring_key, 0, strlen (keyring_key));

  mq_poller_start (self->poller);
}

static void
on_key_changed (MqPreferencesWindow *preferences,
                const char          *key,
                MqApplication       *self)
{
  use_key (self, key);
  /* Drop a fetch still using the old key, and any backoff it earned. */
  mq_poller_restart (self->poller);
}

static void
open_uri (MqApplication *self,
          const char    *uri)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

static void
action_refresh (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MqApplication *self = user_data;

  if (self->key_known)
    mq_poller_refresh (self->poller);
}

static void
action_open_dashboard (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MqApplication *self = user_data;

  open_uri (self, mq_region_get_plan_url (display_region (self)));
}

static void
ensure_preferences (MqApplication *self)
{
  if (self->preferences != NULL)
    return;

  self->preferences = mq_preferences_window_new (GTK_APPLICATION (self), self->settings,
                                                 self->base_url);
  g_signal_connect_object (self->preferences, "key-changed",
                           G_CALLBACK (on_key_changed), self, 0);
  if (mq_poller_get_snapshot (self->poller) != NULL)
    mq_preferences_window_set_snapshot (self->preferences, mq_poller_get_snapshot (self->poller));
}

static void
action_preferences (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MqApplication *self = user_data;

  ensure_preferences (self);
  mq_preferences_window_present (self->preferences, FALSE);
}

static void
action_set_key (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MqApplication *self = user_data;

  ensure_preferences (self);
  mq_preferences_window_present (self->preferences, TRUE);
}

static void
action_quit (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
action_mute_until_reset (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  MqApplication *self = user_data;

  mq_alerts_mute_until_reset (self->alerts, g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "refresh", action_refresh, NULL, NULL, NULL },
  { "open-dashboard", action_open_dashboard, NULL, NULL, NULL },
  { "upgrade", action_open_dashboard, NULL, NULL, NULL },
  { "preferences", action_preferences, NULL, NULL, NULL },
  { "set-key", action_set_key, NULL, NULL, NULL },
  { "quit", action_quit, NULL, NULL, NULL },
  { "mute-until-reset", action_mute_until_reset, "s", NULL, NULL },
};

static gint
mq_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  MqApplication *self = MQ_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  const char *base_url = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("minimax-quota %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "region", "s", &self->opt_region);
  g_variant_dict_lookup (options, "base-url", "s", &self->opt_base_url);
  g_variant_dict_lookup (options, "interval", "i", &self->opt_interval);
  self->opt_demo = g_variant_dict_contains (options, "demo");

  if (self->opt_region != NULL && !mq_region_from_string (self->opt_region, NULL))
    {
      g_printerr (_("minimax-quota: unknown region “%s”. Use auto, global or cn.\n"),
                  self->opt_region);
      return 1;
    }

  if (g_variant_dict_contains (options, "interval") &&
      (self->opt_interval < 30 || self->opt_interval > 3600))
    {
      g_printerr (_("minimax-quota: the interval must be between 30 and 3600 seconds.\n"));
      return 1;
    }

  base_url = self->opt_base_url != NULL ? self->opt_base_url : g_getenv ("MINIMAX_BASE_URL");
  if (base_url != NULL && *base_url != '\0' && !self->opt_demo)
    {
      if (!mq_base_url_validate (base_url, &error))
        {
          g_printerr ("minimax-quota: %s\n", error->message);
          return 1;
        }
      self->base_url = g_strdup (base_url);
    }

  return -1;
}

static void
mq_application_startup (GApplication *application)
{
  MqApplication *self = MQ_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  g_autofree char *last_region = NULL;
  MqRegion remembered;

  G_APPLICATION_CLASS (mq_application_parent_class)->startup (application);

  /* A tray applet has no window to keep it alive. */
  g_application_hold (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->client = mq_client_new ();

  if (self->opt_demo)
    {
      self->demo = mq_demo_new (&error);
      if (self->demo == NULL)
        g_warning ("The demo server could not start: %s", error->message);
      else
        {
          g_free (self->base_url);
          self->base_url = g_strdup (mq_demo_get_base_url (self->demo));
          if (self->opt_interval == 0)
            self->opt_interval = 30;
        }
    }

  mq_client_set_region (self->client, current_region (self));
  last_region = g_settings_get_string (self->settings, "last-region");
  if (mq_region_from_string (last_region, &remembered) && remembered != MQ_REGION_AUTO)
    mq_client_set_preferred_region (self->client, remembered);
  if (self->base_url != NULL && !mq_client_set_base_url (self->client, self->base_url, &error))
    g_warning ("%s", error->message);

  self->poller = mq_poller_new (self->client);
  apply_settings (self);
  g_signal_connect_object (self->poller, "changed", G_CALLBACK (on_poller_changed), self, 0);
  g_signal_connect_object (self->poller, "updated", G_CALLBACK (on_poller_updated), self, 0);

  self->alerts = mq_alerts_new (application, self->settings);
  self->indicator = mq_indicator_new (application);

  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);

  render (self);
}

static void
mq_application_activate (GApplication *application)
{
  MqApplication *self = MQ_APPLICATION (application);

  /* The first activation starts the applet; a later launch (the desktop
   * file, autostart, a second `minimax-quota`) only refreshes. */
  if (self->started)
    {
      if (self->key_known)
        mq_poller_refresh (self->poller);
      return;
    }

  self->started = TRUE;

  if (self->demo != NULL)
    {
      use_key (self, NULL);
      mq_poller_start (self->poller);
      return;
    }

  mq_secret_lookup_async (self->cancellable, on_key_looked_up, g_object_ref (self));
}

static void
mq_application_shutdown (GApplication *application)
{
  MqApplication *self = MQ_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer ((GtkWidget **) &self->preferences, gtk_widget_destroy);
  g_clear_object (&self->indicator);
  g_clear_object (&self->alerts);
  g_clear_object (&self->poller);
  g_clear_object (&self->client);
  g_clear_object (&self->demo);

  G_APPLICATION_CLASS (mq_application_parent_class)->shutdown (application);
}

static void
mq_application_finalize (GObject *object)
{
  MqApplication *self = MQ_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_free (self->opt_region);
  g_free (self->opt_base_url);
  g_free (self->base_url);

  G_OBJECT_CLASS (mq_application_parent_class)->finalize (object);
}

static void
mq_application_class_init (MqApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = mq_application_finalize;

  app_class->handle_local_options = mq_application_handle_local_options;
  app_class->startup = mq_application_startup;
  app_class->activate = mq_application_activate;
  app_class->shutdown = mq_application_shutdown;
}

static void
mq_application_init (MqApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Shows the MiniMax Token Plan quota in the system tray."));
}

MqApplication *
mq_application_new (void)
{
  return g_object_new (MQ_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
