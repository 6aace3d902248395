/* test-alerts.c: notifications and their saved state, end to end in-process
 *
 * A private D-Bus session bus (GTestDBus) with a small org.gtk.Notifications
 * server (the interface GNOME Shell implements; GIO prefers it whenever its
 * name is owned) on its own connection; a registered GApplication whose
 * notifications GIO serialises there; GSettings from the schema compiled in
 * the build directory, with the memory backend. The server records every
 * notification and presses buttons the way GNOME Shell does, with
 * org.freedesktop.Application.ActivateAction on the application.
 */
#include "config.h"

#include <string.h>

#include "mq-alerts.h"
#include "mq-format.h"
#include "mq-test-notifications.h"
#include "mq-wording.h"
#include "mq-test-util.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define APP_PATH  "/io/github/leewayapp/Leeway"

static struct {
  GTestDBus           *bus;
  MqTestNotifications *server;            /* records what is shown and removed */

  GApplication        *app;
  guint                opened_dashboard;
  MqAlerts            *alerts;            /* the one the app's actions talk to */
  GSettings           *settings;
  gint64               now_ms;
  gint64               end_ms;            /* reset of the 5-hour window */
} t;

static void
wait_for_shown (guint wanted)
{
  mq_test_wait_count (&t.server->shown->len, wanted, 10, "the notifications");
  g_assert_cmpuint (t.server->shown->len, ==, wanted);
}

static const MqTestNotification *
last_shown (void)
{
  g_assert_cmpuint (t.server->shown->len, >, 0);
  return g_ptr_array_index (t.server->shown, t.server->shown->len - 1);
}

/* The buttons as "label=action(target)" lines, for exact comparisons. */
static char *
describe_buttons (const MqTestNotification *shown)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (shown->buttons == NULL)
    return g_string_free (g_steal_pointer (&out), FALSE);

  for (gsize i = 0; i < g_variant_n_children (shown->buttons); i++)
    {
      g_autoptr(GVariant) button = g_variant_get_child_value (shown->buttons, i);
      g_autoptr(GVariant) target = g_variant_lookup_value (button, "target", NULL);
      g_autofree char *target_text = target != NULL ? g_variant_print (target, FALSE) : g_strdup ("");
      const char *label = "", *action = "";

      g_variant_lookup (button, "label", "&s", &label);
      g_variant_lookup (button, "action", "&s", &action);
      g_string_append_printf (out, "%s=%s(%s)\n", label, action, target_text);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Presses a button the way GNOME Shell does: ActivateAction on the
 * application's own bus name. */
static void
press_button (const char *action,
              GVariant   *target)
{
  GVariantBuilder parameter;

  g_variant_builder_init (&parameter, G_VARIANT_TYPE ("av"));
  if (target != NULL)
    g_variant_builder_add (&parameter, "v", target);

  g_dbus_connection_call (t.server->connection, APP_ID, APP_PATH, "org.freedesktop.Application",
                          "ActivateAction",
                          g_variant_new ("(sava{sv})", action, &parameter, NULL),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

/* ---------------- the application side ---------------- */

static void
action_open_dashboard (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  t.opened_dashboard++;
}

static void
action_mute_until_reset (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  mq_alerts_mute_until_reset (t.alerts, g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "open-dashboard", action_open_dashboard, NULL, NULL, NULL, { 0 } },
  { "mute-until-reset", action_mute_until_reset, "s", NULL, NULL, { 0 } },
};

/* The remains body: "general" with @interval left in a 5-hour window ending
 * at t.end_ms, and @weekly left in its weekly window ("unlimited": status 3). */
static MqSnapshot *
snapshot (const char *interval,
          const char *weekly,
          gint64      fetched_at_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *weekly_fields = NULL;
  g_autofree char *json = NULL;
  MqSnapshot *result;

  if (g_str_equal (weekly, "unlimited"))
    weekly_fields = g_strdup ("\"current_weekly_status\":3");
  else
    weekly_fields = g_strdup_printf ("\"current_weekly_status\":1,"
                                     "\"current_weekly_remaining_percent\":%s", weekly);

  json = g_strdup_printf ("{\"model_remains\":[{\"model_name\":\"general\","
                          "\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
                          "\"current_interval_status\":1,\"current_interval_remaining_percent\":%s,"
                          "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
                          "%s}],\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
                          t.end_ms - 5 * HOUR_MS, t.end_ms, interval,
                          t.end_ms - 48 * HOUR_MS, t.end_ms + 120 * HOUR_MS, weekly_fields);

  result = mq_snapshot_parse (json, strlen (json), fetched_at_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  return result;
}

static void
process (const char *interval,
         const char *weekly)
{
  g_autoptr(MqSnapshot) fresh = snapshot (interval, weekly, t.now_ms);

  mq_alerts_process (t.alerts, fresh, t.now_ms);
  t.now_ms += 3 * MINUTE_MS;
}

static void
set_up (void)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  mq_test_notifications_reset (t.server);
  t.opened_dashboard = 0;

  /* The memory backend lives as long as the process: start clean. */
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID, FALSE);
  g_assert_nonnull (schema);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (t.settings, keys[i]);

  /* Real time: "mute until reset" reads the clock. */
  t.now_ms = g_get_real_time () / 1000;
  t.end_ms = t.now_ms + 2 * HOUR_MS + 30 * MINUTE_MS;
  t.alerts = mq_alerts_new (t.app, t.settings);
}

static void
tear_down (void)
{
  g_clear_object (&t.alerts);
}

/* ---------------- the tests ---------------- */

static void
test_low_then_critical (void)
{
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;
  g_autofree char *buttons = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GIcon) warning_icon = g_themed_icon_new ("dialog-warning-symbolic");
  g_autoptr(GIcon) error_icon = g_themed_icon_new ("dialog-error-symbolic");
  const MqTestNotification *low, *critical;
  guint32 level = 0;
  gint64 resets_at_ms = 0;

  set_up ();

  process ("25", "unlimited");
  when = mq_wording_when (t.end_ms, t.now_ms);
  process ("18", "unlimited");
  wait_for_shown (1);

  low = last_shown ();
  /* Full sentences, and the clock time of the reset rather than a
   * countdown that goes stale on screen (issue 10). */
  body = g_strdup_printf ("18%% of the 5-hour window is left. It resets %s.", when);
  g_assert_cmpstr (low->app_id, ==, APP_ID);
  g_assert_cmpstr (low->id, ==, "quota-general/interval");
  g_assert_cmpstr (low->title, ==, "Text models: 18% left");
  g_assert_cmpstr (low->body, ==, body);
  g_assert_cmpstr (low->priority, ==, "normal");
  g_assert_nonnull (low->icon);
  g_assert_true (g_icon_equal (low->icon, warning_icon));
  g_assert_false (low->has_default_action);
  buttons = describe_buttons (low);
  g_assert_cmpstr (buttons, ==,
                   "Open dashboard=app.open-dashboard()\n"
                   "Mute until reset=app.mute-until-reset('general/interval')\n");

  /* Saved right away, in the schema's type. */
  state = g_settings_get_value (t.settings, "alert-state");
  g_assert_true (g_variant_lookup (state, "general/interval", "(ux)", &level, &resets_at_ms));
  g_assert_cmpuint (level, ==, MQ_ALERT_LEVEL_LOW);
  g_assert_cmpint (resets_at_ms, ==, t.end_ms);

  process ("17", "unlimited");
  process ("4", "unlimited");
  wait_for_shown (2);
  critical = last_shown ();
  g_assert_cmpstr (critical->title, ==, "Text models: 4% left");
  /* Urgent: GLib 2.74 sends "high" to a freedesktop daemon as normal
   * (issue 10.3). */
  g_assert_cmpstr (critical->priority, ==, "urgent");
  g_assert_true (g_icon_equal (critical->icon, error_icon));
  g_assert_true (g_str_has_prefix (critical->body, "4% of the 5-hour window is left. It resets "));
  /* One notification per window: the same id, so the newer replaces it. */
  g_assert_cmpstr (critical->id, ==, low->id);

  tear_down ();
}

static void
test_restart_does_not_repeat (void)
{
  set_up ();
  process ("18", "unlimited");
  wait_for_shown (1);

  /* The applet restarts: a new MqAlerts on the same settings. */
  g_clear_object (&t.alerts);
  t.alerts = mq_alerts_new (t.app, t.settings);
  process ("18", "unlimited");
  process ("16", "unlimited");
  /* The next crossing is the first thing shown after the restart (calls
   * on one connection arrive in order). */
  process ("3", "unlimited");
  wait_for_shown (2);
  g_assert_cmpstr (last_shown ()->title, ==, "Text models: 3% left");

  tear_down ();
}

static void
test_setting_turns_off (void)
{
  g_autoptr(GVariant) state = NULL;

  set_up ();
  g_settings_set_boolean (t.settings, "notifications-enabled", FALSE);
  process ("25", "unlimited");
  process ("18", "unlimited");

  /* Nothing shown, but the crossing is remembered: turning notifications
   * back on does not bring a backlog. */
  state = g_settings_get_value (t.settings, "alert-state");
  g_assert_cmpuint (g_variant_n_children (state), ==, 1);

  g_settings_set_boolean (t.settings, "notifications-enabled", TRUE);
  process ("17", "unlimited");
  process ("4", "unlimited");
  wait_for_shown (1);
  g_assert_cmpstr (last_shown ()->title, ==, "Text models: 4% left");

  tear_down ();
}

static void
test_buttons (void)
{
  g_autoptr(GVariant) muted = NULL;
  g_autofree char *buttons = NULL;
  gint64 until_ms = 0;
  const MqTestNotification *shown;

  set_up ();
  process ("18", "unlimited");
  wait_for_shown (1);

  press_button ("open-dashboard", NULL);
  mq_test_wait_count (&t.opened_dashboard, 1, 10, "the dashboard");

  press_button ("mute-until-reset", g_variant_new_string ("general/interval"));
  mq_test_wait_count (&t.server->removed, 1, 10, "the removal");
  g_assert_cmpstr (t.server->removed_id, ==, "quota-general/interval");
  muted = g_settings_get_value (t.settings, "muted-until");
  g_assert_true (g_variant_lookup (muted, "general/interval", "x", &until_ms));
  g_assert_cmpint (until_ms, ==, t.end_ms);

  /* Muted: the 5-hour window's crossings stay silent; the weekly one not. */
  process ("4", "30");
  process ("0", "15");
  wait_for_shown (2);
  shown = last_shown ();
  g_assert_cmpstr (shown->id, ==, "quota-general/weekly");
  g_assert_cmpstr (shown->title, ==, "Text models: 15% left");
  g_assert_true (g_str_has_prefix (shown->body, "15% of the weekly cap is left. It resets "));
  buttons = describe_buttons (shown);
  g_assert_cmpstr (buttons, ==,
                   "Open dashboard=app.open-dashboard()\n"
                   "Mute until reset=app.mute-until-reset('general/weekly')\n");

  /* A key that is no quota window is refused. */
  g_test_expect_message ("mq-alerts", G_LOG_LEVEL_WARNING, "*not a quota window*");
  mq_alerts_mute_until_reset (t.alerts, "general");
  g_test_assert_expected_messages ();

  tear_down ();
}

static void
test_exhausted_and_refilled (void)
{
  g_autofree char *when = NULL;
  g_autofree char *body = NULL;
  g_autofree char *buttons = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GIcon) error_icon = g_themed_icon_new ("dialog-error-symbolic");
  g_autoptr(GIcon) ok_icon = g_themed_icon_new ("emblem-ok-symbolic");
  const MqTestNotification *shown;

  set_up ();
  when = mq_wording_when (t.end_ms, t.now_ms);
  process ("0", "unlimited");
  wait_for_shown (1);
  shown = last_shown ();
  body = g_strdup_printf ("The 5-hour window is used up. It resets %s.", when);
  g_assert_cmpstr (shown->title, ==, "Text models: used up");
  g_assert_cmpstr (shown->body, ==, body);
  g_assert_cmpstr (shown->priority, ==, "urgent");
  g_assert_true (g_icon_equal (shown->icon, error_icon));

  /* The next window. */
  t.end_ms += 5 * HOUR_MS;
  process ("100", "unlimited");
  wait_for_shown (2);
  shown = last_shown ();
  g_assert_cmpstr (shown->id, ==, "quota-general/interval");
  g_assert_cmpstr (shown->title, ==, "Text models: available again");
  g_assert_cmpstr (shown->body, ==, "100% of the 5-hour window is left.");
  g_assert_cmpstr (shown->priority, ==, "normal");
  g_assert_true (g_icon_equal (shown->icon, ok_icon));
  buttons = describe_buttons (shown);
  g_assert_cmpstr (buttons, ==, "Open dashboard=app.open-dashboard()\n");

  state = g_settings_get_value (t.settings, "alert-state");
  g_assert_cmpuint (g_variant_n_children (state), ==, 0);

  tear_down ();
}

static void
test_stale_and_thresholds_from_settings (void)
{
  g_autoptr(MqSnapshot) old = NULL;

  set_up ();
  g_settings_set_uint (t.settings, "low-threshold", 40);
  g_settings_set_uint (t.settings, "critical-threshold", 10);

  /* Fetched 20 minutes ago: never alerts. */
  old = snapshot ("3", "unlimited", t.now_ms - 20 * MINUTE_MS);
  mq_alerts_process (t.alerts, old, t.now_ms);

  process ("50", "unlimited");
  process ("35", "unlimited");
  wait_for_shown (1);
  g_assert_cmpstr (last_shown ()->title, ==, "Text models: 35% left");
  process ("12", "unlimited");
  process ("9", "unlimited");
  wait_for_shown (2);
  g_assert_cmpstr (last_shown ()->title, ==, "Text models: 9% left");

  tear_down ();
}

/* A limited row: @interval left in a 5-hour window ending at t.end_ms, the
 * weekly window unlimited. */
static void
append_row (GString    *rows,
            const char *name,
            const char *interval)
{
  if (rows->len > 0)
    g_string_append_c (rows, ',');
  g_string_append_printf (rows, "{\"model_name\":\"%s\","
                          "\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
                          "\"current_interval_status\":1,\"current_interval_remaining_percent\":%s,"
                          "\"current_weekly_status\":3}",
                          name, t.end_ms - 5 * HOUR_MS, t.end_ms, interval);
}

/* One refresh with the rows @rows (a JSON array's contents). */
static void
process_rows (const char *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) fresh = NULL;
  g_autofree char *json = g_strdup_printf (
      "{\"model_remains\":[%s],\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
      rows);

  fresh = mq_snapshot_parse (json, strlen (json), t.now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  mq_alerts_process (t.alerts, fresh, t.now_ms);
  t.now_ms += 3 * MINUTE_MS;
}

/* Issue 9.2: an answer without the text row wiped its alert state, so the
 * next answer announced the same crossing again, and a mute ended. */
static void
test_missing_row_keeps_state (void)
{
  g_autoptr(GString) speech_only = g_string_new (NULL);

  set_up ();
  append_row (speech_only, "speech-hd", "80");

  process ("80", "unlimited");
  process ("15", "unlimited");
  wait_for_shown (1);
  process ("15", "unlimited");
  process_rows (speech_only->str);
  process ("15", "unlimited");

  /* Muted until reset, then an answer without the row: still muted. */
  mq_alerts_mute_until_reset (t.alerts, "general/interval");
  mq_test_wait_count (&t.server->removed, 1, 10, "the removal");
  process_rows (speech_only->str);
  process ("3", "unlimited");

  /* The weekly window is not muted: its crossing is the next thing shown
   * (calls on one connection arrive in order), and the only one. */
  process ("3", "10");
  wait_for_shown (2);
  g_assert_cmpstr (last_shown ()->id, ==, "quota-general/weekly");

  tear_down ();
}

/* Issue 9.3: 200 models at 10% sent 400 notifications from one refresh. */
static void
test_flood_is_capped (void)
{
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(GString) worse = NULL;
  const MqTestNotification *shown;

  set_up ();
  /* The text model is listed last, and 199 others before it; 20 rows are
   * not in the plan (status 3 on both windows, 0% left). */
  for (guint i = 0; i < 199; i++)
    {
      g_autofree char *name = g_strdup_printf ("model-%03u", i);

      append_row (rows, name, "10");
    }
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (rows, ",{\"model_name\":\"video-%02u\","
                            "\"current_interval_status\":3,\"current_weekly_status\":3,"
                            "\"current_interval_remaining_percent\":0,"
                            "\"current_weekly_remaining_percent\":0}", i);
  worse = g_string_new (rows->str);
  append_row (rows, "general", "10");
  append_row (worse, "general", "3");

  process_rows (rows->str);
  wait_for_shown (MQ_ALERTS_MAX_PER_REFRESH + 1);

  /* The headline first, two more, then one summary for the rest. */
  shown = g_ptr_array_index (t.server->shown, 0);
  g_assert_cmpstr (shown->id, ==, "quota-general/interval");
  g_assert_cmpstr (shown->title, ==, "Text models: 10% left");
  shown = last_shown ();
  g_assert_cmpstr (shown->id, ==, MQ_ALERTS_SUMMARY_ID);
  g_assert_cmpstr (shown->title, ==, "And 197 more models are low");
  for (guint i = 0; i < t.server->shown->len; i++)
    {
      const char *id = ((MqTestNotification *) g_ptr_array_index (t.server->shown, i))->id;

      g_assert_null (strstr (id, "video"));
    }

  /* The crossings left out are not announced later: the next refresh
   * sends nothing, and the next one only the text model's new crossing. */
  process_rows (rows->str);
  process_rows (worse->str);
  wait_for_shown (MQ_ALERTS_MAX_PER_REFRESH + 2);
  g_assert_cmpstr (last_shown ()->title, ==, "Text models: 3% left");

  tear_down ();
}

/* One refresh with a forecast of the 5-hour window that runs out
 * @runs_out_in_ms from now. */
static void
process_forecast (const char *interval,
                  gint64      runs_out_in_ms)
{
  g_autoptr(MqSnapshot) fresh = snapshot (interval, "unlimited", t.now_ms);
  MqHistoryForecast forecast = { (char *) "general", MQ_SLOT_INTERVAL, { 0 } };

  forecast.forecast.has_forecast = TRUE;
  forecast.forecast.rate_percent_per_hour = 30.0;
  forecast.forecast.samples_used = 6;
  forecast.forecast.runs_out_at_ms = t.now_ms + runs_out_in_ms;

  mq_alerts_process_with_forecasts (t.alerts, fresh, &forecast, 1, t.now_ms);
  t.now_ms += 3 * MINUTE_MS;
}

/* Issue 11: "At this rate the 5-hour window runs out at 14:20, 2h before
 * it resets", once per window. */
static void
test_forecast_alert (void)
{
  g_autoptr(GIcon) warning_icon = g_themed_icon_new ("dialog-warning-symbolic");
  g_autoptr(GVariant) state = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *buttons = NULL;
  const MqTestNotification *shown;
  gint64 runs_out_at_ms;

  set_up ();
  g_assert_true (g_settings_get_boolean (t.settings, "forecast-alerts"));
  g_assert_cmpuint (g_settings_get_uint (t.settings, "forecast-lead-minutes"), ==, 30);

  /* Two hours ahead: beyond the lead time. */
  process_forecast ("60", 2 * HOUR_MS);
  runs_out_at_ms = t.now_ms + 25 * MINUTE_MS;
  expected = mq_wording_forecast_alert (MQ_PERIOD_FIVE_HOUR, runs_out_at_ms, t.end_ms, t.now_ms);
  process_forecast ("40", 25 * MINUTE_MS);
  wait_for_shown (1);

  shown = last_shown ();
  g_assert_cmpstr (shown->id, ==, "quota-forecast-general/interval");
  g_assert_cmpstr (shown->title, ==, "Text models: 40% left");
  g_assert_cmpstr (shown->body, ==, expected);
  g_assert_true (g_str_has_prefix (shown->body, "At this rate the 5-hour window runs out "));
  g_assert_true (g_str_has_suffix (shown->body, " before it resets."));
  g_assert_cmpstr (shown->priority, ==, "normal");
  g_assert_true (g_icon_equal (shown->icon, warning_icon));
  buttons = describe_buttons (shown);
  g_assert_cmpstr (buttons, ==,
                   "Open dashboard=app.open-dashboard()\n"
                   "Mute until reset=app.mute-until-reset('general/interval')\n");

  state = g_settings_get_value (t.settings, "forecast-alert-state");
  g_assert_cmpuint (g_variant_n_children (state), ==, 1);

  /* Once per window: the next refreshes say nothing more of it; the low
   * crossing is the next thing shown (calls arrive in order). */
  process_forecast ("38", 20 * MINUTE_MS);
  process_forecast ("30", 15 * MINUTE_MS);
  process_forecast ("18", 10 * MINUTE_MS);
  wait_for_shown (2);
  g_assert_cmpstr (last_shown ()->id, ==, "quota-general/interval");

  /* A restart does not repeat it. */
  g_clear_object (&t.alerts);
  t.alerts = mq_alerts_new (t.app, t.settings);
  process_forecast ("17", 8 * MINUTE_MS);
  process_forecast ("4", 3 * MINUTE_MS);
  wait_for_shown (3);
  g_assert_cmpstr (last_shown ()->title, ==, "Text models: 4% left");

  tear_down ();
}

static void
test_forecast_switch_and_lead (void)
{
  g_autoptr(GVariant) state = NULL;

  set_up ();
  g_settings_set_boolean (t.settings, "forecast-alerts", FALSE);
  process_forecast ("40", 10 * MINUTE_MS);
  state = g_settings_get_value (t.settings, "forecast-alert-state");
  g_assert_cmpuint (g_variant_n_children (state), ==, 0);

  /* On, with a 5-minute lead: 10 minutes ahead is not yet, 4 is. */
  g_settings_set_boolean (t.settings, "forecast-alerts", TRUE);
  g_settings_set_uint (t.settings, "forecast-lead-minutes", 5);
  process_forecast ("40", 10 * MINUTE_MS);
  process_forecast ("39", 4 * MINUTE_MS);
  wait_for_shown (1);
  g_assert_cmpstr (last_shown ()->id, ==, "quota-forecast-general/interval");

  tear_down ();
}

/* ---------------- several accounts (issue 12) ---------------- */

static void
process_account (const char *account,
                 const char *interval)
{
  g_autoptr(MqSnapshot) fresh = snapshot (interval, "unlimited", t.now_ms);

  mq_alerts_process_account (t.alerts, account, fresh, NULL, 0, t.now_ms);
  t.now_ms += MINUTE_MS;
}

/* Each account has its own crossings, named in the notification, saved
 * under account-prefixed keys beside the single account's, and kept
 * across a restart. */
static void
test_accounts (void)
{
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) muted = NULL;
  const MqTestNotification *first, *second;
  guint32 level = 0;
  gint64 resets_at_ms = 0, until_ms = 0;

  set_up ();

  /* The single account's entry survives the accounts' saves. */
  process ("18", "unlimited");
  wait_for_shown (1);

  process_account ("team-1", "18");
  wait_for_shown (2);
  first = last_shown ();
  g_assert_cmpstr (first->title, ==, "team-1: Text models: 18% left");
  g_assert_true (g_str_has_prefix (first->body, "team-1: 18% of the 5-hour window is left."));

  process_account ("team-2", "18");
  wait_for_shown (3);
  second = last_shown ();
  g_assert_cmpstr (second->title, ==, "team-2: Text models: 18% left");
  g_assert_cmpstr (second->id, !=, first->id);
  g_assert_cmpstr (first->id, !=, "quota-general/interval");

  state = g_settings_get_value (t.settings, "alert-state");
  g_assert_cmpuint (g_variant_n_children (state), ==, 3);
  g_assert_true (g_variant_lookup (state, "general/interval", "(ux)", &level, &resets_at_ms));
  g_assert_true (g_variant_lookup (state, "team-1" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval",
                                   "(ux)", &level, &resets_at_ms));
  g_assert_cmpuint (level, ==, MQ_ALERT_LEVEL_LOW);
  g_assert_true (g_variant_lookup (state, "team-2" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval",
                                   "(ux)", &level, &resets_at_ms));

  /* A restart: nothing again for either account (one connection: what
   * was sent arrives in order, so the critical one is next). */
  g_clear_object (&t.alerts);
  t.alerts = mq_alerts_new (t.app, t.settings);
  process_account ("team-2", "17");
  process_account ("team-1", "16");
  process_account ("team-1", "4");
  wait_for_shown (4);
  g_assert_cmpstr (last_shown ()->title, ==, "team-1: Text models: 4% left");

  /* Muting one account's window mutes only that one. */
  mq_alerts_mute_until_reset (t.alerts, "team-2" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval");
  muted = g_settings_get_value (t.settings, "muted-until");
  g_assert_true (g_variant_lookup (muted, "team-2" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval",
                                   "x", &until_ms));
  g_assert_cmpint (until_ms, ==, t.end_ms);
  g_assert_false (g_variant_lookup (muted, "team-1" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval",
                                    "x", &until_ms));

  tear_down ();
}

static MqBalance *
balance (const char *available,
         gboolean    own_alert)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json =
    g_strdup_printf ("{\"available_amount\":\"%s\",\"cash_balance\":\"%s\","
                     "\"balance_alert_switch\":%s,\"balance_alert_threshold\":\"20\","
                     "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
                     available, available, own_alert ? "true" : "false");
  MqBalance *result = mq_balance_parse (json, strlen (json), t.now_ms, MQ_REGION_GLOBAL, &error);

  g_assert_no_error (error);
  return result;
}

static void
process_balance (const char *available,
                 gboolean    own_alert)
{
  g_autoptr(MqBalance) fresh = balance (available, own_alert);

  mq_alerts_process_balance (t.alerts, "spare", fresh);
}

static gboolean
on_spun (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets anything sent reach the notification server. */
static void
spin_briefly (void)
{
  gboolean done = FALSE;

  g_timeout_add (500, on_spun, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A pay-as-you-go balance below the threshold of Preferences (its own
 * alert off): once per crossing; its own threshold when its alert is on. */
static void
test_balance (void)
{
  const MqTestNotification *shown;

  set_up ();
  g_settings_set_double (t.settings, "balance-alert-threshold", 10.0);

  process_balance ("25.40", FALSE);
  process_balance ("4", FALSE);
  wait_for_shown (1);
  shown = last_shown ();
  g_assert_cmpstr (shown->title, ==, "spare: balance low");
  g_assert_cmpstr (shown->body, ==, "$4.00 is available, below your alert at $10.00.");

  /* Still below: nothing more; back above, then below again: once more. */
  process_balance ("3", FALSE);
  process_balance ("12", FALSE);
  process_balance ("5", FALSE);
  wait_for_shown (2);

  /* The account's own alert (at 20) wins over the setting. */
  process_balance ("30", TRUE);
  process_balance ("15", TRUE);
  wait_for_shown (3);
  g_assert_cmpstr (last_shown ()->body, ==, "$15.00 is available, below your alert at $20.00.");

  /* Turned off: nothing. */
  g_settings_set_double (t.settings, "balance-alert-threshold", 0.0);
  process_balance ("30", FALSE);
  process_balance ("1", FALSE);
  spin_briefly ();
  g_assert_cmpuint (t.server->shown->len, ==, 3);

  tear_down ();
}


int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", MQ_SCHEMA_DIR, TRUE);
  g_test_init (&argc, &argv, NULL);

  t.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (t.bus);

  /* The notification server, on its own connection to the test bus. */
  t.server = mq_test_notifications_new (g_test_dbus_get_bus_address (t.bus));

  /* The application, owning its name as the applet does. */
  t.app = g_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_action_map_add_action_entries (G_ACTION_MAP (t.app), app_actions, G_N_ELEMENTS (app_actions), NULL);
  g_assert_true (g_application_register (t.app, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (t.app));
  t.settings = g_settings_new (APP_ID);

  g_test_add_func ("/alerts/low-then-critical", test_low_then_critical);
  g_test_add_func ("/alerts/restart-does-not-repeat", test_restart_does_not_repeat);
  g_test_add_func ("/alerts/setting-turns-off", test_setting_turns_off);
  g_test_add_func ("/alerts/buttons", test_buttons);
  g_test_add_func ("/alerts/exhausted-and-refilled", test_exhausted_and_refilled);
  g_test_add_func ("/alerts/stale-and-thresholds-from-settings", test_stale_and_thresholds_from_settings);
  g_test_add_func ("/alerts/missing-row-keeps-state", test_missing_row_keeps_state);
  g_test_add_func ("/alerts/flood-is-capped", test_flood_is_capped);
  g_test_add_func ("/alerts/forecast", test_forecast_alert);
  g_test_add_func ("/alerts/accounts", test_accounts);
  g_test_add_func ("/alerts/balance", test_balance);
  g_test_add_func ("/alerts/forecast-switch-and-lead", test_forecast_switch_and_lead);

  status = g_test_run ();

  g_clear_object (&t.settings);
  g_clear_object (&t.app);
  g_clear_pointer (&t.server, mq_test_notifications_free);
  g_test_dbus_down (t.bus);
  g_clear_object (&t.bus);

  return status;
}
