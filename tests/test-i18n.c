/* test-i18n.c: Leeway in Simplified Chinese (zh_CN)
 *
 * Runs under LANG=zh_CN.UTF-8 with the translations built in
 * <builddir>/po (LEEWAY_LOCALEDIR, set by meson).
 *
 * /i18n/unit/...         the format helpers, the tray's words (MqView) and
 *                        the --once table, in-process;
 * /i18n/integration/...  the built `leeway --once` (MQ_CLI_PATH)
 *                        against a loopback server, and a notification sent
 *                        through GIO to a small org.gtk.Notifications server
 *                        on a private session bus.
 *
 * Every test skips, with a message, when the zh_CN.UTF-8 locale is not
 * installed (tools/deps.sh test generates it).
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mq-alerts.h"
#include "mq-client.h"
#include "mq-error.h"
#include "mq-format.h"
#include "mq-report.h"
#include "mq-snapshot.h"
#include "mq-test-notifications.h"
#include "mq-test-server.h"
#include "mq-test-util.h"
#include "mq-view.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)
/* 2026-11-23 14:32:00 UTC; the tests run with TZ=UTC. */
#define NOW_MS    G_GINT64_CONSTANT (1795444320000)
#define KEY       "sk-cp-TESTKEY-i18n-0123456789abcdef0123"
#define TEST_APP_ID "io.github.leewayapp.Leeway.TestI18n"

static gboolean have_zh_locale;

static gboolean
require_zh_locale (void)
{
  if (!have_zh_locale)
    g_test_skip ("The zh_CN.UTF-8 locale is not installed: generate it with "
                 "tools/deps.sh test (or locale-gen zh_CN.UTF-8)");
  return have_zh_locale;
}

/* A remains body: "general" with 63% of its 5-hour window left, resetting
 * @interval_ms after @now_ms, its weekly cap (96%) @weekly_ms after; and
 * "video", not in the plan. */
static char *
make_body (gint64 now_ms,
           gint64 interval_ms,
           gint64 weekly_ms)
{
  return g_strdup_printf (
    "{\"model_remains\":["
    "{\"model_name\":\"general\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
    "\"remains_time\":%" G_GINT64_FORMAT ","
    "\"current_interval_total_count\":1500,\"current_interval_usage_count\":945,"
    "\"current_weekly_total_count\":15000,\"current_weekly_usage_count\":14400,"
    "\"current_interval_status\":1,\"current_weekly_status\":1,"
    "\"current_interval_remaining_percent\":63,\"current_weekly_remaining_percent\":96,"
    "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
    "\"weekly_remains_time\":%" G_GINT64_FORMAT "},"
    "{\"model_name\":\"video\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
    "\"remains_time\":86400000,"
    "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
    "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
    "\"current_interval_status\":3,\"current_weekly_status\":3,"
    "\"current_interval_remaining_percent\":100,\"current_weekly_remaining_percent\":100}],"
    "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
    now_ms + interval_ms - 5 * HOUR_MS, now_ms + interval_ms, interval_ms,
    now_ms + weekly_ms - 7 * DAY_MS, now_ms + weekly_ms, weekly_ms,
    now_ms, now_ms + DAY_MS);
}

static MqSnapshot *
parse_body (gint64 fetched_ms,
            gint64 interval_ms,
            gint64 weekly_ms)
{
  g_autofree char *body = make_body (fetched_ms, interval_ms, weekly_ms);
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot;

  snapshot = mq_snapshot_parse (body, strlen (body), fetched_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack != NULL ? haystack : "(null)");
}

/* The display columns at which the cells of a table line start: a cell
 * starts after a run of two or more spaces. */
static GArray *
column_starts (const char *line)
{
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize width = 0;
  guint spaces = 0;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    {
      char one[8] = { 0 };

      if (*p == ' ')
        spaces++;
      else
        {
          if (spaces >= 2 || p == line)
            g_array_append_val (starts, width);
          spaces = 0;
        }
      memcpy (one, p, g_utf8_next_char (p) - p);
      width += mq_format_display_width (one);
    }

  return starts;
}

/* The table's heading ("模型 ...") and the row of the text models line up,
 * counting a CJK character as two columns. */
static void
assert_table_aligned (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GArray) heading = NULL;
  g_autoptr(GArray) row = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "模型 "))
        heading = column_starts (lines[i]);
      else if (g_str_has_prefix (lines[i], "文本模型 "))
        row = column_starts (lines[i]);
    }

  if (heading == NULL || row == NULL)
    g_error ("No table heading or text model row in:\n%s", text);

  g_assert_cmpuint (heading->len, ==, 5);
  g_assert_cmpuint (row->len, ==, heading->len);
  for (guint c = 0; c < heading->len; c++)
    g_assert_cmpuint (g_array_index (row, gsize, c), ==, g_array_index (heading, gsize, c));
}

/* ------------------------------------------------------------------ */
/* Unit                                                                 */
/* ------------------------------------------------------------------ */

static void
check_duration (gint64      seconds,
                const char *expected)
{
  g_autofree char *text = mq_format_duration (seconds);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_duration (void)
{
  if (!require_zh_locale ())
    return;

  check_duration (2 * 3600 + 30 * 60, "2小时30分");
  check_duration (2 * 3600 + 30 * 60 + 59, "2小时30分");
  check_duration (2 * 3600, "2小时");
  check_duration (45 * 60, "45分");
  check_duration (30, "<1分");
  check_duration (3 * 86400 + 4 * 3600, "3天4小时");
  check_duration (3 * 86400, "3天");
}

static void
test_format_other (void)
{
  g_autofree char *reset = NULL;
  g_autofree char *weekday = NULL;
  g_autofree char *date = NULL;
  g_autofree char *percent = mq_format_percent (63);

  if (!require_zh_locale ())
    return;

  g_assert_cmpstr (percent, ==, "63%");
  g_assert_cmpstr (mq_format_model_display_name ("general"), ==, "文本模型");
  g_assert_cmpstr (mq_format_model_display_name ("video"), ==, "视频");

  reset = mq_format_reset (NOW_MS + 2 * HOUR_MS + 30 * MINUTE_MS, NOW_MS);
  g_assert_cmpstr (reset, ==, "2小时30分后重置 (17:02)");

  /* 2026-11-26 is a Thursday: "周四" */
  weekday = mq_format_clock (NOW_MS + 3 * DAY_MS, NOW_MS);
  g_assert_cmpstr (weekday, ==, "周四 14:32");
  date = mq_format_clock (NOW_MS + 10 * DAY_MS, NOW_MS);
  g_assert_cmpstr (date, ==, "12月3日");
}

/* The tray's menu: header, model rows, not-in-plan row, status line. */
static void
test_view (void)
{
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(MqView) view = NULL;
  g_autoptr(MqView) offline = NULL;
  g_autoptr(GError) error = NULL;
  MqViewInput input = { 0 };
  gboolean found_not_in_plan = FALSE;
  gboolean found_weekly = FALSE;

  if (!require_zh_locale ())
    return;

  snapshot = parse_body (NOW_MS, 2 * HOUR_MS + 30 * MINUTE_MS, 3 * DAY_MS + 4 * HOUR_MS);
  input.snapshot = snapshot;
  input.has_key = TRUE;
  input.now_ms = NOW_MS;
  input.last_success_ms = NOW_MS;
  input.thresholds.low = MQ_THRESHOLD_LOW_DEFAULT;
  input.thresholds.critical = MQ_THRESHOLD_CRITICAL_DEFAULT;
  input.region = MQ_REGION_GLOBAL;

  view = mq_view_build (&input);
  g_assert_cmpstr (mq_view_get_label (view), ==, "63%");
  g_assert_cmpstr (mq_view_get_header (view), ==, "5 小时窗口剩余 63%");
  g_assert_cmpstr (mq_view_get_header_detail (view), ==, "距重置 2小时30分 (17:02)");
  g_assert_cmpstr (mq_view_get_title (view), ==, "5 小时窗口剩余 63% · 17:02 重置");
  g_assert_cmpstr (mq_view_get_status (view), ==, "已更新 14:32");

  for (guint i = 0; i < mq_view_get_n_rows (view); i++)
    {
      const MqViewRow *row = mq_view_get_row (view, i);

      g_test_message ("row %u: %s", i, row->text);
      if (row->not_in_plan)
        {
          g_assert_cmpstr (row->text, ==, "视频 — 不在您的套餐中");
          found_not_in_plan = TRUE;
        }
      if (g_str_has_prefix (row->text, "每周上限："))
        {
          /* The reset by the clock, no countdown (issue 10: width). */
          g_assert_null (strstr (row->text, "3天4小时"));
          g_assert_nonnull (strstr (row->text, ":"));
          found_weekly = TRUE;
        }
    }
  g_assert_true (found_not_in_plan);
  g_assert_true (found_weekly);

  /* Offline, with data fetched half an hour ago. */
  g_clear_pointer (&snapshot, mq_snapshot_unref);
  snapshot = parse_body (NOW_MS - 30 * MINUTE_MS, 3 * HOUR_MS, 3 * DAY_MS);
  error = g_error_new_literal (MQ_ERROR, MQ_ERROR_NETWORK, "unreachable");
  input.snapshot = snapshot;
  input.error = error;
  input.last_success_ms = NOW_MS - 30 * MINUTE_MS;
  offline = mq_view_build (&input);
  g_assert_cmpstr (mq_view_get_status (offline), ==, "离线 — 显示 14:02 的数据");
}

/* The --once table, built in-process. */
static void
test_report (void)
{
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *text = NULL;

  if (!require_zh_locale ())
    return;

  snapshot = parse_body (NOW_MS, 2 * HOUR_MS + 30 * MINUTE_MS, 3 * DAY_MS + 4 * HOUR_MS);
  text = mq_report_to_text (snapshot, NULL, NULL, NOW_MS, FALSE);
  g_test_message ("%s", text);

  g_assert_true (g_str_has_prefix (text, "5 小时窗口剩余 63% · 2小时30分后重置 (17:02)\n"));
  assert_contains (text, "\n模型 ");
  assert_contains (text, "当前窗口");
  assert_contains (text, "2小时30分 (17:02)");
  assert_contains (text, "3天4小时 (周四 18:32)");
  assert_contains (text, "\n视频 ");
  assert_contains (text, "不在套餐中 — 升级：https://platform.minimax.io/");
  assert_table_aligned (text);
}

/* ------------------------------------------------------------------ */
/* Integration: the built command line                                  */
/* ------------------------------------------------------------------ */

/* Runs `leeway @args` under LANG=zh_CN.UTF-8 while this thread's
 * main context (and with it the loopback server) keeps answering. */
static MqTestRun
run_cli (const char         *keyring_path,
         const char         *api_key,
         const char * const *args)
{
  static const char * const unset[] = {
    "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LC_TIME", "LC_NUMERIC", "LANGUAGE",
    "MINIMAX_API_KEY", "MINIMAX_CN_API_KEY", "MINIMAX_API_TOKEN",
    "MINIMAX_BASE_URL", "MINIMAX_REGION", "TERM", "G_MESSAGES_DEBUG",
    "SECRET_FILE_TEST_PASSWORD", "GSETTINGS_SCHEMA_DIR",
    "DBUS_SESSION_BUS_ADDRESS",
    NULL,
  };
  const char *cli = g_getenv ("MQ_CLI_PATH");
  g_auto(GStrv) env = NULL;
  MqTestRun run;

  g_assert_nonnull (cli);

  env = mq_test_environ_unset (g_get_environ (), unset);
  /* loopback must not go through a proxy of the machine running the tests */
  env = mq_test_environ_unset (env, mq_test_proxy_variables);
  env = g_environ_setenv (env, "LANG", "zh_CN.UTF-8", TRUE);
  env = g_environ_setenv (env, "NO_COLOR", "1", TRUE);
  env = g_environ_setenv (env, "TZ", "UTC", TRUE);
  env = g_environ_setenv (env, "no_proxy", "127.0.0.1,localhost", TRUE);
  env = g_environ_setenv (env, "SECRET_BACKEND", "file", TRUE);
  env = g_environ_setenv (env, "SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  if (api_key != NULL)
    env = g_environ_setenv (env, "MINIMAX_API_KEY", api_key, TRUE);

  run = mq_test_run_program (cli, args, (const char * const *) env, G_SUBPROCESS_FLAGS_NONE, 0);

  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run.status, run.out, run.err);
  g_assert_null (strstr (run.out, "TESTKEY"));
  g_assert_null (strstr (run.err, "TESTKEY"));

  return run;
}

static void
test_cli_once (void)
{
  g_autoptr(MqTestServer) server = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *keyring = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(MqTestRun) run = { 0 };
  gint64 now_ms;

  if (!require_zh_locale ())
    return;

  server = mq_test_server_new ();
  base_url = mq_test_server_get_base_url (server);
  tmpdir = g_dir_make_tmp ("mq-test-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  keyring = g_build_filename (tmpdir, "no-keyring.file", NULL);

  /* Windows that reset in 2 h 30 min and 3 d 4 h, with half a minute to
   * spare for the time the command takes to start. */
  now_ms = g_get_real_time () / 1000;
  body = make_body (now_ms,
                    2 * HOUR_MS + 30 * MINUTE_MS + 30000,
                    3 * DAY_MS + 4 * HOUR_MS + 30000);
  mq_test_server_set_route (server, MQ_PATH_CURRENT, 200, "application/json", body, -1);

  run = run_cli (keyring, KEY,
                 (const char *[]) { "--once", "--region=global", "--base-url", base_url, NULL });

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_true (g_str_has_prefix (run.out, "5 小时窗口剩余 63% · 2小时30分后重置 ("));
  assert_contains (run.out, "\n模型 ");
  assert_contains (run.out, "当前窗口");
  assert_contains (run.out, "\n文本模型 ");
  assert_contains (run.out, "3天4小时 (周");
  assert_contains (run.out, "\n视频 ");
  assert_contains (run.out, "不在套餐中");
  assert_table_aligned (run.out);

  g_remove (tmpdir);
}

/* An error names its cause in Chinese too. */
static void
test_cli_no_key (void)
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *keyring = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(MqTestRun) run = { 0 };

  if (!require_zh_locale ())
    return;

  tmpdir = g_dir_make_tmp ("mq-test-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  keyring = g_build_filename (tmpdir, "no-keyring.file", NULL);

  run = run_cli (keyring, NULL,
                 (const char *[]) { "--once", "--region=global",
                                    "--base-url", "http://127.0.0.1:9", NULL });

  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "leeway: 未找到 API 密钥。"));

  g_remove (tmpdir);
}

/* ------------------------------------------------------------------ */
/* Integration: a notification                                          */
/* ------------------------------------------------------------------ */

static void
test_notification (void)
{
  g_autoptr(GTestDBus) bus = NULL;
  g_autoptr(MqTestNotifications) server = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  const MqTestNotification *received;
  MqAlert alert = {
    .kind = MQ_ALERT_LOW,
    .model_name = (char *) "general",
    .slot = MQ_SLOT_INTERVAL,
    .period = MQ_PERIOD_FIVE_HOUR,
    .percent = 18,
    .resets_at_ms = NOW_MS + 2 * HOUR_MS + 30 * MINUTE_MS,
    .window_key = (char *) "general/interval",
  };

  if (!require_zh_locale ())
    return;

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  server = mq_test_notifications_new (g_test_dbus_get_bus_address (bus));

  app = g_application_new (TEST_APP_ID, G_APPLICATION_DEFAULT_FLAGS);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);

  notification = mq_alerts_build_notification (&alert, TEST_APP_ID, NOW_MS);
  g_application_send_notification (app, "quota-general/interval", notification);

  mq_test_wait_count (&server->shown->len, 1, 10, "the notification");
  received = g_ptr_array_index (server->shown, 0);

  g_assert_cmpstr (received->title, ==, "文本模型：剩余 18%");
  /* Full sentences with the reset's clock time, no countdown (issue 10;
   * their translation comes with the next po update). */
  g_assert_nonnull (strstr (received->body, "18%"));
  g_assert_nonnull (strstr (received->body, "17:02"));
  g_assert_null (strstr (received->body, "2小时30分"));
  g_assert_nonnull (received->buttons);
  g_assert_cmpuint (g_variant_n_children (received->buttons), ==, 2);
  {
    g_autoptr(GVariant) first = g_variant_get_child_value (received->buttons, 0);

    g_assert_true (g_variant_lookup (first, "label", "s", &label));
    g_assert_cmpstr (label, ==, "打开用量面板");
  }

  g_clear_object (&app);
  g_clear_pointer (&server, mq_test_notifications_free);
  g_test_dbus_down (bus);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("LEEWAY_LOCALEDIR");

  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LANG", "zh_CN.UTF-8", TRUE);
  have_zh_locale = setlocale (LC_ALL, "zh_CN.UTF-8") != NULL;
  if (!have_zh_locale)
    g_printerr ("test-i18n: the zh_CN.UTF-8 locale is not installed; skipping\n");

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/unit/format-duration", test_format_duration);
  g_test_add_func ("/i18n/unit/format-other", test_format_other);
  g_test_add_func ("/i18n/unit/view", test_view);
  g_test_add_func ("/i18n/unit/report", test_report);
  g_test_add_func ("/i18n/integration/cli-once", test_cli_once);
  g_test_add_func ("/i18n/integration/cli-no-key", test_cli_no_key);
  g_test_add_func ("/i18n/integration/notification", test_notification);

  return g_test_run ();
}
