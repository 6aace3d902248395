/* mq-application.c: the tray applet's GtkApplication
 *
 * Wires the one-way data flow of docs/DESIGN.md: settings + key -> MqClient ->
 * MqPoller -> (MqView -> MqIndicator, MqAlerts). Nothing here interprets
 * quota: it only connects the parts and answers the menu's actions.
 */
#define G_LOG_DOMAIN "mq-application"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mq-alerts.h"
#include "mq-applet-accounts.h"
#include "mq-applet-window.h"
#include "mq-applet-notices.h"
#include "mq-applet-options.h"
#include "mq-application.h"
#include "mq-application-private.h"
#include "mq-background.h"
#include "mq-client.h"
#include "mq-config.h"
#include "mq-demo.h"
#include "mq-error.h"
#include "mq-history-recorder.h"
#include "mq-history-window.h"
#include "mq-indicator.h"
#include "mq-main-window.h"
#include "mq-poller.h"
#include "mq-preferences-window.h"
#include "mq-quota-service.h"
#include "mq-region.h"
#include "mq-service-report.h"
#include "mq-secret.h"
#include "mq-view.h"
#include "mq-window-actions.h"


G_DEFINE_FINAL_TYPE (MqApplication, mq_application, GTK_TYPE_APPLICATION)

static MqRegion
display_region (MqApplication *self)
{
  MqRegion region = mq_client_get_resolved_region (self->client);

  if (region == MQ_REGION_AUTO && self->config != NULL)
    region = mq_config_get_region (self->config);
  return region;
}

static void
render (MqApplication *self)
{
  g_autoptr(MqView) view = NULL;
  g_autofree MqViewAccountInput *accounts = NULL;
  gboolean several = self->accounts != NULL && mq_applet_accounts_get_active (self->accounts);
  g_autofree char *icon_model = g_settings_get_string (self->settings, "icon-model");
  MqViewInput input = { 0 };
  GAction *refresh;

  if (self->indicator == NULL || self->config == NULL)
    return;

  input.snapshot = mq_poller_get_snapshot (self->poller);
  input.error = mq_poller_get_error (self->poller);
  input.has_key = !self->key_known || mq_client_has_api_key (self->client);
  input.busy = mq_poller_get_busy (self->poller) || !self->key_known;
  input.now_ms = g_get_real_time () / 1000;
  input.last_success_ms = mq_poller_get_last_success_ms (self->poller);
  input.thresholds = mq_config_get_thresholds (self->config);
  input.icon_model = icon_model;
  input.region = display_region (self);
  input.forecasts = self->forecasts;
  input.rate_limited_until_ms = mq_poller_get_rate_limited_until_ms (self->poller);
  if (several)
    accounts = mq_applet_accounts_fill_view (self->accounts, &input);

  view = mq_view_build (&input);
  mq_indicator_update (self->indicator, view);
  self->stale = mq_view_get_icon (view)->stale;

  /* The window shows the same answer, error, forecasts and thresholds. */
  if (self->main_window != NULL && several)
    mq_applet_window_show_accounts (self->main_window, self->accounts, &input.thresholds,
                                    input.now_ms, self->stale, &self->window_accounts);
  else if (self->main_window != NULL)
    mq_main_window_set_snapshot (self->main_window, input.snapshot, input.error,
                                 self->forecasts_for == input.snapshot ? self->forecasts : NULL,
                                 &input.thresholds, input.now_ms, self->stale);

  /* "Refresh now" (and the status line bound to it) needs a key. */
  refresh = g_action_map_lookup_action (G_ACTION_MAP (self), "refresh");
  if (G_IS_SIMPLE_ACTION (refresh))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (refresh), mq_view_get_can_refresh (view));
}

/* The forecasts of @snapshot, when they are known. */
static const MqHistoryForecast *
forecasts_of (MqApplication *self,
              MqSnapshot    *snapshot,
              gsize         *out_n)
{
  if (self->forecasts == NULL || snapshot == NULL || snapshot != self->forecasts_for)
    {
      *out_n = 0;
      return NULL;
    }
  *out_n = self->forecasts->len;
  return (const MqHistoryForecast *) (gpointer) self->forecasts->data;
}

/* io.github.leewayapp.Leeway.Quota1's properties: only what changed is
 * announced (MqQuotaService). */
static void
publish (MqApplication *self)
{
  g_autofree char *icon_model = NULL;
  MqSnapshot *snapshot;
  MqThresholds thresholds;
  const MqHistoryForecast *forecasts;
  gsize n = 0;

  if (self->service == NULL || self->poller == NULL || self->config == NULL)
    return;

  snapshot = mq_poller_get_snapshot (self->poller);
  thresholds = mq_config_get_thresholds (self->config);
  icon_model = g_settings_get_string (self->settings, "icon-model");
  forecasts = forecasts_of (self, snapshot, &n);
  if (self->accounts != NULL && mq_applet_accounts_get_active (self->accounts))
    {
      /* Report: the `--once --json` document of every account; the other
       * properties: the account the icon shows. */
      MqAccountSet *set = mq_applet_accounts_get_set (self->accounts);
      gint shown = mq_account_set_get_displayed (set);
      g_autofree char *document = mq_applet_accounts_report_json (self->accounts,
                                                                  g_get_real_time () / 1000);
      const GArray *items = shown >= 0 ? mq_applet_accounts_get_forecasts (self->accounts, shown) : NULL;

      mq_service_report_publish_document (self->service, document,
                                          shown >= 0 ? mq_account_set_get_snapshot (set, shown) : NULL,
                                          &thresholds, icon_model,
                                          items != NULL ? (gpointer) items->data : NULL,
                                          items != NULL ? items->len : 0, self->stale,
                                          shown >= 0 ? mq_account_set_get_error (set, shown) : NULL);
      return;
    }
  mq_service_report_publish (self->service, snapshot, &thresholds, icon_model, forecasts, n,
                             self->stale, mq_poller_get_error (self->poller));
}

/* Replies to Refresh() once nothing more is coming: no fetch in flight,
 * and no history task for its answer. */
static void
finish_refresh_if_done (MqApplication *self)
{
  if (self->service == NULL)
    return;
  if (self->poller != NULL && mq_poller_get_busy (self->poller))
    return;
  if (self->recorder != NULL && mq_history_recorder_get_busy (self->recorder))
    return;
  if (self->accounts != NULL && mq_applet_accounts_get_busy (self->accounts))
    return;
  mq_quota_service_refresh_done (self->service);
}

/* "Refresh now": every account, else the one connection once its key is
 * known. */
static void
refresh (MqApplication *self)
{
  if (self->accounts != NULL && mq_applet_accounts_get_active (self->accounts))
    mq_account_set_refresh (mq_applet_accounts_get_set (self->accounts));
  else if (self->poller != NULL && self->key_known)
    mq_poller_refresh (self->poller);
}

static void
on_accounts_changed (MqApplication *self)
{
  MqAccountSet *set = mq_applet_accounts_get_set (self->accounts);
  gint shown = set != NULL ? mq_account_set_get_displayed (set) : -1;

  /* "Icon shows" offers the models of the account the icon follows. */
  if (self->preferences != NULL && shown >= 0 && mq_account_set_get_snapshot (set, shown) != NULL)
    mq_preferences_window_set_snapshot (self->preferences, mq_account_set_get_snapshot (set, shown));
  render (self);
  publish (self);
  finish_refresh_if_done (self);
}

static void
on_poller_changed (MqPoller      *poller,
                   MqApplication *self)
{
  render (self);

  /* A success ("updated" follows) is published with its forecasts, in
   * on_history_recorded(); a start or a failure now. */
  if (!mq_poller_get_busy (poller) && mq_poller_get_error (poller) == NULL &&
      mq_poller_get_snapshot (poller) != NULL)
    return;

  publish (self);
  finish_refresh_if_done (self);
}

static void
on_poller_updated (MqPoller      *poller,
                   MqSnapshot    *snapshot,
                   MqApplication *self)
{
  mq_config_remember_region (self->config, mq_client_get_resolved_region (self->client));

  /* Recorded and forecast off the main thread; alerts, the tray and the
   * D-Bus report follow in on_history_recorded(). */
  mq_history_recorder_add (self->recorder, snapshot);

  /* "Icon shows" offers the models this account really has. */
  if (self->preferences != NULL)
    mq_preferences_window_set_snapshot (self->preferences, snapshot);
}

static void
on_history_recorded (MqHistoryRecorder *recorder,
                     MqSnapshot        *snapshot,
                     GArray            *forecasts,
                     MqApplication     *self)
{
  gsize n = 0;
  const MqHistoryForecast *items;

  /* Forecasts for an older answer than the one shown are kept only until
   * the newer one's arrive; none (history paused) are none. */
  g_clear_pointer (&self->forecasts, g_array_unref);
  g_clear_pointer (&self->forecasts_for, mq_snapshot_unref);
  if (forecasts != NULL)
    {
      self->forecasts = g_array_ref (forecasts);
      self->forecasts_for = mq_snapshot_ref (snapshot);
    }

  items = forecasts_of (self, snapshot, &n);
  mq_alerts_process_with_forecasts (self->alerts, snapshot, items, n, g_get_real_time () / 1000);

  render (self);
  /* The chart reads the samples just written (the hidden window later,
   * when it is shown again). */
  if (forecasts != NULL && self->main_window != NULL &&
      gtk_widget_get_visible (GTK_WIDGET (self->main_window)))
    mq_main_window_reload_history (self->main_window);
  if (!mq_history_recorder_get_busy (recorder))
    {
      publish (self);
      finish_refresh_if_done (self);
    }
}

static void
on_service_refresh (MqQuotaService *service,
                    MqApplication  *self)
{
  /* Joins a fetch in flight; sends nothing within the refresh floor or a
   * Retry-After, and then the callers get the properties as they are. */
  refresh (self);
  finish_refresh_if_done (self);
}

static void
apply_settings (MqApplication *self)
{
  MqThresholds thresholds = mq_config_get_thresholds (self->config);
  g_autofree char *icon_model = g_settings_get_string (self->settings, "icon-model");
  guint interval = self->opt.interval > 0
                   ? (guint) self->opt.interval
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
  if (self->config == NULL)
    return;

  if (g_str_equal (key, "region"))
    {
      mq_client_set_region (self->client, mq_config_get_region (self->config));
      mq_poller_restart (self->poller);
      if (self->accounts != NULL && mq_applet_accounts_get_active (self->accounts))
        mq_account_set_restart (mq_applet_accounts_get_set (self->accounts));
      return;
    }

  if (g_str_equal (key, "refresh-interval") || g_str_equal (key, "low-threshold") ||
      g_str_equal (key, "critical-threshold") || g_str_equal (key, "icon-model") ||
      g_str_equal (key, "icon-account") || g_str_equal (key, "balance-alert-threshold"))
    {
      apply_settings (self);
      render (self);
      publish (self);
    }
}

static void
open_uri (MqApplication *self,
          const char    *uri)
{
  g_autoptr(GError) error = NULL;

  /* Without the key variables in the child's environment. */
  if (!mq_config_launch_uri (uri, &error))
    g_warning ("Could not open %s: %s", uri, error->message);
}

static void
action_refresh (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  refresh (user_data);
}

static void
action_open_dashboard (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MqApplication *self = user_data;

  open_uri (self, mq_region_get_usage_url (display_region (self)));
}

static void
action_upgrade (GSimpleAction *action,
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
                                                 self->config);
  g_signal_connect_object (self->preferences, "key-changed",
                           G_CALLBACK (mq_application_on_key_changed), self, 0);
  if (self->accounts != NULL)
    g_signal_connect_object (self->preferences, "accounts-changed",
                             G_CALLBACK (mq_applet_accounts_reload), self->accounts,
                             G_CONNECT_SWAPPED);
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

/* "Usage history…": one window, presented again while it is open; it
 * reads the history only now (the idle applet never loads it). */
static void
action_history (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MqApplication *self = user_data;

  if (self->history_window == NULL)
    {
      self->history_window = mq_history_window_new (GTK_APPLICATION (self), NULL, NULL);
      g_object_add_weak_pointer (G_OBJECT (self->history_window),
                                 (gpointer *) &self->history_window);
    }
  gtk_window_present (GTK_WINDOW (self->history_window));
}

/* ---- The main window ---- */

/* Closing hides: the applet runs on. With no tray nothing would show that
 * it does: say so once, and ask the Background portal in Flatpak. */
static gboolean
on_main_window_delete (GtkWidget     *window,
                       GdkEvent      *event,
                       MqApplication *self)
{
  gtk_widget_hide (window);
  if (self->no_host && !self->background_said)
    {
      self->background_said = TRUE;
      mq_background_keep_running (G_APPLICATION (self), GTK_WINDOW (window), self->cancellable);
    }
  return GDK_EVENT_STOP;
}

static void
present_main_window (MqApplication *self)
{
  if (self->main_window == NULL)
    {
      self->main_window = mq_main_window_new (GTK_APPLICATION (self));
      mq_window_actions_add_close (GTK_APPLICATION_WINDOW (self->main_window));
      g_signal_connect_object (self->main_window, "delete-event",
                               G_CALLBACK (on_main_window_delete), self, 0);
      render (self);
    }
  else if (!gtk_widget_get_visible (GTK_WIDGET (self->main_window)))
    mq_main_window_reload_history (self->main_window);
  gtk_window_present (GTK_WINDOW (self->main_window));
}

static void
action_open (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  present_main_window (user_data);
}

/* Nothing shows tray icons: the window is the app, also when it started
 * quietly on login; say how to get an icon (once per login). */
static void
on_no_host (MqApplication *self)
{
  self->no_host = TRUE;
  mq_host_notice_give (G_APPLICATION (self));
  if (self->main_window == NULL)
    present_main_window (self);
}

static void
on_host_found (MqApplication *self)
{
  self->no_host = FALSE;
  mq_host_notice_withdraw (G_APPLICATION (self));
  g_application_withdraw_notification (G_APPLICATION (self), MQ_BACKGROUND_NOTICE_ID);
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
  { "upgrade", action_upgrade, NULL, NULL, NULL },
  { "open", action_open, NULL, NULL, NULL },
  { "preferences", action_preferences, NULL, NULL, NULL },
  { "set-key", action_set_key, NULL, NULL, NULL },
  { "history", action_history, NULL, NULL, NULL },
  { "quit", action_quit, NULL, NULL, NULL },
  { "mute-until-reset", action_mute_until_reset, "s", NULL, NULL },
};

/* Runs in every instance, before anything starts: refuses what cannot
 * work (mq-applet-options.c). */
static gint
mq_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  return mq_applet_options_check (options);
}

static MqConfig *
new_config (MqApplication  *self,
            GError        **error)
{
  const char *base_url = self->opt.base_url;

  if (self->demo != NULL)
    base_url = mq_demo_get_base_url (self->demo);

  return mq_config_new (self->opt.region, base_url, self->settings, error);
}

/* A second launch: --region and --base-url (and --interval) given to it
 * apply to the running applet; --demo cannot change a running applet. */
static int
apply_second_launch (MqApplication           *self,
                     GApplicationCommandLine *command_line,
                     GVariantDict            *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autofree char *old_region = g_strdup (self->opt.region);
  g_autofree char *old_base_url = g_strdup (self->opt.base_url);
  gboolean connection_changed;

  if (g_variant_dict_contains (options, "demo") && self->demo == NULL)
    {
      g_application_command_line_printerr (command_line,
        _("leeway: the applet is already running with your account; quit it first to see the demo.\n"));
      return 1;
    }

  mq_applet_options_take (&self->opt, options);
  connection_changed = g_strcmp0 (old_region, self->opt.region) != 0 ||
                       (self->demo == NULL && g_strcmp0 (old_base_url, self->opt.base_url) != 0);

  if (g_variant_dict_contains (options, "interval"))
    apply_settings (self);

  if (!connection_changed)
    {
      refresh (self);
      return 0;
    }

  config = new_config (self, &error);
  if (config == NULL || !mq_config_apply_to_client (config, self->client, &error))
    {
      g_free (self->opt.region);
      self->opt.region = g_steal_pointer (&old_region);
      g_free (self->opt.base_url);
      self->opt.base_url = g_steal_pointer (&old_base_url);
      g_application_command_line_printerr (command_line, "leeway: %s\n", error->message);
      return 1;
    }

  g_set_object (&self->config, config);

  /* Translators: the first %s is a region (auto, global or cn), the
   * second a server address or "the region's servers". */
  g_application_command_line_print (command_line,
    _("leeway: the running applet now asks region %s at %s.\n"),
    mq_region_to_string (mq_config_get_region (self->config)),
    mq_config_get_base_url (self->config) != NULL ? mq_config_get_base_url (self->config)
                                                  : _("the region’s servers"));

  /* The key may depend on the region (MINIMAX_CN_API_KEY): decide again,
   * then ask the new server. */
  mq_application_look_up_key (self);
  return 0;
}

static int
mq_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  MqApplication *self = MQ_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);

  /* A launch opens the window; --background (autostart) does not. */
  if (self->started)
    {
      int status = apply_second_launch (self, command_line, options);

      if (status == 0 && !g_variant_dict_contains (options, "background"))
        present_main_window (self);
      return status;
    }

  mq_applet_options_take (&self->opt, options);
  g_application_activate (application);
  return 0;
}

static void
mq_application_startup (GApplication *application)
{
  MqApplication *self = MQ_APPLICATION (application);

  G_APPLICATION_CLASS (mq_application_parent_class)->startup (application);

  /* A tray applet has no window to keep it alive. */
  g_application_hold (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  mq_window_actions_set_accels (GTK_APPLICATION (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->client = mq_client_new ();
  self->poller = mq_poller_new (self->client);
  g_signal_connect_object (self->poller, "changed", G_CALLBACK (on_poller_changed), self, 0);
  g_signal_connect_object (self->poller, "updated", G_CALLBACK (on_poller_updated), self, 0);

  self->alerts = mq_alerts_new (application, self->settings);
  self->indicator = mq_indicator_new (application);
  /* Nothing shows tray icons: keep running, so that the icon appears when
   * a host does, and say how to get one (notified once per login). */
  g_signal_connect_object (self->indicator, "no-host", G_CALLBACK (on_no_host),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->indicator, "host-found", G_CALLBACK (on_host_found),
                           self, G_CONNECT_SWAPPED);

  /* Opens nothing until the first answer. */
  self->recorder = mq_history_recorder_new (NULL, "default");
  g_signal_connect_object (self->recorder, "recorded", G_CALLBACK (on_history_recorded), self, 0);
  /* One warning while it cannot be written; the quota goes on. */
  g_signal_connect_object (self->recorder, "paused", G_CALLBACK (mq_history_notice_paused),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->recorder, "resumed", G_CALLBACK (mq_history_notice_resumed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->recorder, "notice", G_CALLBACK (mq_history_notice_moved),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->settings, "changed", G_CALLBACK (on_settings_changed), self, 0);
}

static void
on_accounts_ready (MqAppletAccounts *accounts,
                   gboolean          active,
                   MqApplication    *self)
{
  if (!active)
    {
      mq_application_look_up_key (self);
      return;
    }
  /* The one connection asks nothing from now on. */
  if (self->key_known)
    {
      mq_client_set_api_key (self->client, NULL);
      mq_poller_restart (self->poller);
    }
  self->key_known = TRUE;
  render (self);
}

/* The first activation: options are known (command_line() has run). */
static void
start (MqApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->opt.demo)
    {
      self->demo = mq_demo_new (&error);
      if (self->demo == NULL)
        {
          g_warning ("The demo server could not start: %s", error->message);
          g_clear_error (&error);
        }
      else if (self->opt.interval == 0)
        self->opt.interval = 30;
    }

  self->config = new_config (self, &error);
  if (self->config == NULL)
    {
      /* handle_local_options() refused these already; only a changed
       * environment gets here. */
      g_warning ("%s", error->message);
      g_clear_error (&error);
      self->config = mq_config_new ("auto", NULL, self->settings, NULL);
    }

  if (!mq_config_apply_to_client (self->config, self->client, &error))
    g_warning ("%s", error->message);

  apply_settings (self);
  render (self);

  /* The old single key becomes the account "default" first; with no
   * stored account the environment's key is the one connection. */
  if (self->demo != NULL)
    {
      mq_application_look_up_key (self);
      return;
    }
  self->accounts = mq_applet_accounts_new (G_APPLICATION (self), self->config, self->settings,
                                           self->alerts);
  g_signal_connect_object (self->accounts, "ready", G_CALLBACK (on_accounts_ready), self, 0);
  g_signal_connect_object (self->accounts, "changed", G_CALLBACK (on_accounts_changed),
                           self, G_CONNECT_SWAPPED);
  mq_applet_accounts_start (self->accounts, self->cancellable);
}

static void
mq_application_activate (GApplication *application)
{
  MqApplication *self = MQ_APPLICATION (application);

  /* The first activation starts the applet and, unless started with
   * --background, opens the window; a later one refreshes and shows it.
   * A second launch goes through command_line(). */
  if (self->started)
    {
      refresh (self);
      present_main_window (self);
      return;
    }

  self->started = TRUE;
  start (self);
  if (!self->opt.background)
    present_main_window (self);
}

static void
mq_application_shutdown (GApplication *application)
{
  MqApplication *self = MQ_APPLICATION (application);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->key_retry_id, g_source_remove);
  g_clear_pointer ((GtkWidget **) &self->preferences, gtk_widget_destroy);
  if (self->history_window != NULL)
    gtk_widget_destroy (GTK_WIDGET (self->history_window));
  g_clear_pointer ((GtkWidget **) &self->main_window, gtk_widget_destroy);
  g_clear_object (&self->recorder);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->window_accounts, g_strfreev);
  g_clear_pointer (&self->forecasts, g_array_unref);
  g_clear_pointer (&self->forecasts_for, mq_snapshot_unref);
  g_clear_object (&self->indicator);
  g_clear_object (&self->alerts);
  g_clear_object (&self->poller);
  g_clear_object (&self->client);
  g_clear_object (&self->demo);
  g_clear_object (&self->config);

  G_APPLICATION_CLASS (mq_application_parent_class)->shutdown (application);
}

static void
mq_application_finalize (GObject *object)
{
  MqApplication *self = MQ_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->service);
  mq_applet_options_clear (&self->opt);

  G_OBJECT_CLASS (mq_application_parent_class)->finalize (object);
}

/* Quota1 lives beside org.gtk.Application on the application's own path
 * and connection; a second instance unregisters again at once. */
static gboolean
mq_application_dbus_register (GApplication     *application,
                              GDBusConnection  *connection,
                              const char       *object_path,
                              GError          **error)
{
  MqApplication *self = MQ_APPLICATION (application);
  g_autoptr(GError) local_error = NULL;

  if (!G_APPLICATION_CLASS (mq_application_parent_class)->dbus_register (application, connection,
                                                                          object_path, error))
    return FALSE;

  /* The tray works without it: say so and go on. */
  if (!mq_quota_service_export (self->service, connection, object_path, &local_error))
    g_message ("The D-Bus quota interface is not available: %s", local_error->message);
  return TRUE;
}

static void
mq_application_dbus_unregister (GApplication    *application,
                                GDBusConnection *connection,
                                const char      *object_path)
{
  MqApplication *self = MQ_APPLICATION (application);

  mq_quota_service_unexport (self->service);
  G_APPLICATION_CLASS (mq_application_parent_class)->dbus_unregister (application, connection,
                                                                     object_path);
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
  app_class->command_line = mq_application_command_line;
  app_class->shutdown = mq_application_shutdown;
  app_class->dbus_register = mq_application_dbus_register;
  app_class->dbus_unregister = mq_application_dbus_unregister;
}

static void
mq_application_init (MqApplication *self)
{
  mq_applet_options_add (G_APPLICATION (self));

  self->service = mq_quota_service_new ();
  g_signal_connect (self->service, "refresh", G_CALLBACK (on_service_refresh), self);
}

MqApplication *
mq_application_new (void)
{
  return g_object_new (MQ_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

MqConfig *
mq_application_get_config (MqApplication *self)
{
  g_return_val_if_fail (MQ_IS_APPLICATION (self), NULL);

  return self->config;
}
