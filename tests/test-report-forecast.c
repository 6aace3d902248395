/* test-report-forecast.c: what the report's fields mean (issue 10.5-10.7)
 * and the forecasts it shows (issue 11) */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "mq-format.h"
#include "mq-history.h"
#include "mq-report.h"
#include "mq-snapshot.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
/* 2026-06-07T18:30:00Z */
#define NOW_MS    G_GINT64_CONSTANT (1780857000000)

/* One "general" row: @interval_fields, a window from @start_ms to @end_ms
 * (none when 0), the weekly window unlimited. */
static MqSnapshot *
general_row (const char *interval_fields,
             gint64      start_ms,
             gint64      end_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *times = NULL;
  g_autofree char *json = NULL;
  MqSnapshot *snapshot;

  times = end_ms != 0
    ? g_strdup_printf ("\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ",",
                       start_ms, end_ms)
    : g_strdup ("");
  json = g_strdup_printf ("{\"model_remains\":[{\"model_name\":\"general\",%s"
                          "\"current_interval_status\":1,%s,"
                          "\"current_weekly_status\":3},"
                          "{\"model_name\":\"video\",\"current_interval_status\":3,"
                          "\"current_weekly_status\":3,\"current_interval_remaining_percent\":0}],"
                          "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
                          times, interval_fields);
  snapshot = mq_snapshot_parse (json, strlen (json), NOW_MS, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  return snapshot;
}

static JsonNode *
parse_report (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
window_of (JsonNode   *root,
           guint       model,
           const char *slot)
{
  JsonArray *models = json_object_get_array_member (json_node_get_object (root), "models");

  return json_object_get_object_member (json_array_get_object_element (models, model), slot);
}

static void
assert_int_member (JsonObject *object,
                   const char *name,
                   gint64      expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

/* Issue 10.5: 3,000 of 4,500 left printed 66.66666666666666. */
static void
test_whole_percents (void)
{
  static const struct { const char *percent; int whole; const char *cell; } cases[] = {
    { "66.66666666666666", 66, "66%" },
    { "0.022222222222222223", 1, "<1%" },  /* 1 of 4,500: never "0" */
    { "0", 0, "0%" },
    { "99.99", 99, "99%" },
    { "100", 100, "100%" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fields = g_strdup_printf ("\"current_interval_remaining_percent\":%s",
                                                 cases[i].percent);
      g_autoptr(MqSnapshot) snapshot = general_row (fields, NOW_MS - HOUR_MS, NOW_MS + 4 * HOUR_MS);
      g_autofree char *json = mq_report_to_json (snapshot, NULL, NULL);
      g_autoptr(JsonNode) root = parse_report (json);
      JsonObject *headline = json_object_get_object_member (json_node_get_object (root), "headline");

      assert_int_member (window_of (root, 0, "interval"), "remaining_percent", cases[i].whole);
      assert_int_member (headline, "remaining_percent", cases[i].whole);
      g_assert_null (strstr (json, "66.6"));
      g_assert_cmpint (mq_format_percent_whole (g_ascii_strtod (cases[i].percent, NULL)), ==,
                       cases[i].whole);
    }

  g_assert_cmpint (mq_format_percent_whole (1.0 / 4500.0 * 100.0), ==, 1);
  g_assert_cmpint (mq_format_percent_whole (3000.0 / 4500.0 * 100.0), ==, 66);
  g_assert_cmpint (mq_format_percent_whole (-1), ==, -1);
}

/* Issue 10.6: a 4-hour window said "5h"; a model not in the plan said
 * "usable": true. */
static void
test_fields_say_what_they_mean (void)
{
  g_autoptr(MqSnapshot) four = general_row ("\"current_interval_remaining_percent\":50",
                                            NOW_MS - HOUR_MS, NOW_MS + 3 * HOUR_MS);
  g_autoptr(MqSnapshot) five = general_row ("\"current_interval_remaining_percent\":50",
                                            NOW_MS - HOUR_MS, NOW_MS + 4 * HOUR_MS);
  g_autoptr(MqSnapshot) unknown = general_row ("\"current_interval_remaining_percent\":50", 0, 0);
  g_autofree char *four_json = mq_report_to_json (four, NULL, NULL);
  g_autofree char *five_json = mq_report_to_json (five, NULL, NULL);
  g_autofree char *unknown_json = mq_report_to_json (unknown, NULL, NULL);
  g_autoptr(JsonNode) four_root = parse_report (four_json);
  g_autoptr(JsonNode) five_root = parse_report (five_json);
  g_autoptr(JsonNode) unknown_root = parse_report (unknown_json);
  JsonObject *interval = window_of (four_root, 0, "interval");
  JsonObject *headline = json_object_get_object_member (json_node_get_object (four_root), "headline");
  JsonArray *models = json_object_get_array_member (json_node_get_object (four_root), "models");
  JsonObject *video = json_array_get_object_element (models, 1);

  assert_int_member (interval, "period_seconds", 14400);
  g_assert_cmpstr (json_object_get_string_member (interval, "period"), ==, "4h");
  g_assert_cmpstr (json_object_get_string_member (headline, "period"), ==, "4h");
  g_assert_cmpstr (json_object_get_string_member (window_of (five_root, 0, "interval"), "period"),
                   ==, "5h");
  /* No times: the period the row names (a text model: the 5-hour window). */
  g_assert_cmpstr (json_object_get_string_member (window_of (unknown_root, 0, "interval"), "period"),
                   ==, "5h");

  g_assert_false (json_object_get_boolean_member (video, "in_plan"));
  g_assert_false (json_object_get_boolean_member (video, "usable"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (models, 0), "usable"));
}

/* Issue 10.7: a fixture that has aged said "resets now (Jul 27)". */
static void
test_reset_due (void)
{
  g_autoptr(MqSnapshot) aged = general_row ("\"current_interval_remaining_percent\":63",
                                            NOW_MS - 6 * HOUR_MS, NOW_MS - HOUR_MS);
  g_autoptr(MqSnapshot) fresh = general_row ("\"current_interval_remaining_percent\":63",
                                             NOW_MS - HOUR_MS, NOW_MS + 4 * HOUR_MS);
  g_autofree char *json = mq_report_to_json (aged, NULL, NULL);
  g_autofree char *fresh_json = mq_report_to_json (fresh, NULL, NULL);
  g_autofree char *text = mq_report_to_text (aged, NULL, NULL, NOW_MS, FALSE);
  g_autoptr(JsonNode) root = parse_report (json);
  g_autoptr(JsonNode) fresh_root = parse_report (fresh_json);
  JsonObject *interval = window_of (root, 0, "interval");
  JsonObject *headline = json_object_get_object_member (json_node_get_object (root), "headline");

  assert_int_member (interval, "resets_in_seconds", 0);
  g_assert_true (json_object_get_boolean_member (interval, "reset_due"));
  assert_int_member (headline, "resets_in_seconds", 0);
  g_assert_true (json_object_get_boolean_member (headline, "reset_due"));

  interval = window_of (fresh_root, 0, "interval");
  assert_int_member (interval, "resets_in_seconds", 4 * 3600);
  g_assert_false (json_object_get_boolean_member (interval, "reset_due"));

  g_assert_nonnull (strstr (text, "reset due"));
  g_assert_null (strstr (text, "in now"));
  g_assert_null (strstr (text, "now ("));
}

static MqHistoryForecast *
forecasts_for_general (void)
{
  MqHistoryForecast *forecasts = g_new0 (MqHistoryForecast, 2);

  forecasts[0].model = g_strdup ("general");
  forecasts[0].slot = MQ_SLOT_INTERVAL;
  forecasts[0].forecast = (MqForecast) {
    .has_forecast = TRUE, .rate_percent_per_hour = 12.5,
    .runs_out_at_ms = NOW_MS + 2 * HOUR_MS, .lasts_until_reset = FALSE, .samples_used = 7,
    .has_pace = TRUE, .expected_remaining_percent = 58.4, .delta_percent = -5.4,
  };
  /* The weekly window is unlimited: its forecast is not shown. */
  forecasts[1].model = g_strdup ("general");
  forecasts[1].slot = MQ_SLOT_WEEKLY;
  forecasts[1].forecast = (MqForecast) { .has_forecast = TRUE, .lasts_until_reset = TRUE };
  return forecasts;
}

static void
forecasts_free (MqHistoryForecast *forecasts,
                gsize              n)
{
  for (gsize i = 0; i < n; i++)
    g_free (forecasts[i].model);
  g_free (forecasts);
}

/* Issue 11 §3: "forecast" and "pace" on every window object. */
static void
test_json_forecast (void)
{
  g_autoptr(MqSnapshot) snapshot = general_row ("\"current_interval_remaining_percent\":53",
                                                NOW_MS - HOUR_MS, NOW_MS + 4 * HOUR_MS);
  MqHistoryForecast *forecasts = forecasts_for_general ();
  g_autofree char *json = mq_report_to_json_with_forecasts (snapshot, NULL, NULL, forecasts, 2, NOW_MS);
  g_autofree char *plain = mq_report_to_json (snapshot, NULL, NULL);
  g_autofree char *runs_out = mq_format_iso8601_utc (NOW_MS + 2 * HOUR_MS);
  g_autoptr(JsonNode) root = parse_report (json);
  g_autoptr(JsonNode) plain_root = parse_report (plain);
  JsonObject *interval = window_of (root, 0, "interval");
  JsonObject *forecast = json_object_get_object_member (interval, "forecast");
  JsonObject *pace = json_object_get_object_member (interval, "pace");

  g_assert_nonnull (forecast);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (forecast, "rate_percent_per_hour"),
                                  12.5, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (forecast, "runs_out_at"), ==, runs_out);
  g_assert_false (json_object_get_boolean_member (forecast, "lasts_until_reset"));
  assert_int_member (forecast, "samples", 7);
  g_assert_nonnull (pace);
  assert_int_member (pace, "expected_remaining_percent", 58);
  assert_int_member (pace, "delta_percent", -5);
  /* The other fields stay. */
  assert_int_member (interval, "remaining_percent", 53);
  g_assert_true (json_object_has_member (interval, "resets_at"));

  /* Without forecasts (or for a window without one): null, not missing. */
  interval = window_of (plain_root, 0, "interval");
  g_assert_true (json_object_has_member (interval, "forecast"));
  g_assert_true (json_object_get_null_member (interval, "forecast"));
  g_assert_true (json_object_get_null_member (interval, "pace"));

  forecasts_free (forecasts, 2);
}

/* A forecast that lasts: runs_out_at null; no pace without the bounds. */
static void
test_json_forecast_lasts (void)
{
  g_autoptr(MqSnapshot) snapshot = general_row ("\"current_interval_remaining_percent\":90",
                                                NOW_MS - HOUR_MS, NOW_MS + 4 * HOUR_MS);
  MqHistoryForecast entry = { (char *) "general", MQ_SLOT_INTERVAL,
                              { .has_forecast = TRUE, .rate_percent_per_hour = 0.0,
                                .lasts_until_reset = TRUE, .samples_used = 3 } };
  g_autofree char *json = mq_report_to_json_with_forecasts (snapshot, NULL, NULL, &entry, 1, NOW_MS);
  g_autoptr(JsonNode) root = parse_report (json);
  JsonObject *forecast = json_object_get_object_member (window_of (root, 0, "interval"), "forecast");

  g_assert_true (json_object_get_null_member (forecast, "runs_out_at"));
  g_assert_true (json_object_get_boolean_member (forecast, "lasts_until_reset"));
  g_assert_true (json_object_get_null_member (window_of (root, 0, "interval"), "pace"));
}

/* The text table gains a "Forecast" column only when forecasts are given. */
static void
test_text_forecast_column (void)
{
  g_autoptr(MqSnapshot) snapshot = general_row ("\"current_interval_remaining_percent\":53",
                                                NOW_MS - HOUR_MS, NOW_MS + 4 * HOUR_MS);
  MqHistoryForecast *forecasts = forecasts_for_general ();
  MqHistoryForecast lasts = { (char *) "general", MQ_SLOT_INTERVAL,
                              { .has_forecast = TRUE, .lasts_until_reset = TRUE, .samples_used = 3 } };
  g_autofree char *clock = mq_format_clock (NOW_MS + 2 * HOUR_MS, NOW_MS);
  g_autofree char *expected = g_strdup_printf ("runs out ~%s", clock);
  g_autofree char *text = mq_report_to_text_with_forecasts (snapshot, NULL, NULL, forecasts, 2,
                                                            NOW_MS, FALSE);
  g_autofree char *lasting = mq_report_to_text_with_forecasts (snapshot, NULL, NULL, &lasts, 1,
                                                               NOW_MS, FALSE);
  g_autofree char *plain = mq_report_to_text (snapshot, NULL, NULL, NOW_MS, FALSE);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  /* Headline, blank, header, general, video. */
  g_assert_nonnull (strstr (lines[2], "Forecast"));
  g_assert_true (g_str_has_prefix (lines[3], "Text models"));
  g_assert_true (g_str_has_suffix (lines[3], expected));
  g_assert_nonnull (strstr (lasting, "  lasts\n"));
  g_assert_null (strstr (plain, "Forecast"));
  g_assert_null (strstr (plain, "runs out"));

  forecasts_free (forecasts, 2);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/json/whole-percents", test_whole_percents);
  g_test_add_func ("/report/json/fields-say-what-they-mean", test_fields_say_what_they_mean);
  g_test_add_func ("/report/reset-due", test_reset_due);
  g_test_add_func ("/report/json/forecast", test_json_forecast);
  g_test_add_func ("/report/json/forecast-lasts", test_json_forecast_lasts);
  g_test_add_func ("/report/text/forecast-column", test_text_forecast_column);

  return g_test_run ();
}
