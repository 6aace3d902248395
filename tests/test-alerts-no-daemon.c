/* test-alerts-no-daemon.c: alerts due with no notification service
 *
 * A private session bus (GTestDBus) on which nothing owns, or can start,
 * org.freedesktop.Notifications or org.gtk.Notifications. GNotification
 * gives no error there (only a GIO warning at best): MqAlerts asks the bus
 * and says so in one clear line on stderr, once per run (issue 10).
 */
#include "config.h"

#include <string.h>

#include "mq-alerts.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)

#define MISSING_LINE \
  "No notification service is running: alerts cannot be shown. Install a " \
  "notification daemon such as dunst or use a desktop that has one.\n"

static MqSnapshot *
snapshot (const char *interval,
          gint64      now_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  MqSnapshot *result;

  json = g_strdup_printf ("{\"model_remains\":[{\"model_name\":\"general\","
                          "\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
                          "\"current_interval_status\":1,\"current_interval_remaining_percent\":%s,"
                          "\"current_weekly_status\":3}],"
                          "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
                          now_ms - HOUR_MS, now_ms + 4 * HOUR_MS, interval);
  result = mq_snapshot_parse (json, strlen (json), now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  return result;
}

static gboolean
timed_out (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until the alerts have met the missing
 * service @wanted times (10 s at most). */
static void
wait_for_missing (MqAlerts *alerts,
                  guint     wanted)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (10, timed_out, &expired);

  while (mq_alerts_get_n_missing_service (alerts) < wanted && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

/* In the child: two refreshes with alerts due (low, then critical). */
static void
run_alerts (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(MqAlerts) alerts = NULL;
  g_autoptr(MqSnapshot) low = NULL;
  g_autoptr(MqSnapshot) critical = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now_ms = g_get_real_time () / 1000;

  g_test_dbus_up (bus);

  app = g_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  settings = g_settings_new (APP_ID);
  alerts = mq_alerts_new (app, settings);

  low = snapshot ("18", now_ms);
  mq_alerts_process (alerts, low, now_ms);
  wait_for_missing (alerts, 1);

  critical = snapshot ("3", now_ms + 3 * MINUTE_MS);
  mq_alerts_process (alerts, critical, now_ms + 3 * MINUTE_MS);
  wait_for_missing (alerts, 2);

  g_clear_object (&alerts);
  g_clear_object (&settings);
  g_clear_object (&app);
  g_test_dbus_down (bus);
}

static void
test_no_daemon (void)
{
  if (g_test_subprocess ())
    {
      run_alerts ();
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The line, once for both refreshes, and no GIO warning (the bus
   * daemon may say things of its own). */
  g_test_trap_assert_stderr ("*" MISSING_LINE "*");
  g_test_trap_assert_stderr_unmatched ("*No notification service*No notification service*");
  g_test_trap_assert_stderr_unmatched ("*GLib-GIO*");
  g_test_trap_assert_stderr_unmatched ("*WARNING*");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", MQ_SCHEMA_DIR, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/alerts/no-notification-service", test_no_daemon);

  return g_test_run ();
}
