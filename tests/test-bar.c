/* test-bar.c: every bar format (Waybar, Polybar, i3blocks, JSON) for every state
 *
 * The input is what the applet's Report property carries: the document
 * mq_report_to_json() makes from a parsed fixture (or the error document
 * mq_report_error_to_json() makes), plus Stale and Error.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "mq-bar.h"
#include "mq-error.h"
#include "mq-report.h"
#include "mq-snapshot.h"

/* "now" as the fixtures say: end_time - remains_time of a row. */
#define TOKEN_PLAN_NOW_MS G_GINT64_CONSTANT (1780857000000)
#define EXHAUSTED_NOW_MS  G_GINT64_CONSTANT (1782054000000)

/* The video row of token-plan-plus-video-not-in-plan.json alone. */
static const char not_in_plan_only_body[] =
  "{\"model_remains\":[{\"model_name\":\"video\",\"start_time\":1780848000000,"
  "\"end_time\":1780934400000,\"remains_time\":23965834,"
  "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
  "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
  "\"current_interval_status\":3,\"current_weekly_status\":3,"
  "\"current_interval_remaining_percent\":100,\"current_weekly_remaining_percent\":100}],"
  "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}";

static char *
report_from_body (const char         *body,
                  gsize               length,
                  gint64              now_ms,
                  const MqThresholds *thresholds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;

  snapshot = mq_snapshot_parse (body, length, now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  return mq_report_to_json (snapshot, thresholds, NULL);
}

static char *
report_from_fixture (const char         *name,
                     gint64              now_ms,
                     const MqThresholds *thresholds)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gsize length;

  g_file_get_contents (path, &body, &length, &error);
  g_assert_no_error (error);
  return report_from_body (body, length, now_ms, thresholds);
}

static char *
report_ok (void)
{
  return report_from_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, NULL);
}

static char *
report_low (void)
{
  return report_from_fixture ("e2e-low.json", TOKEN_PLAN_NOW_MS, NULL);
}

static char *
report_critical (void)
{
  /* 63% under thresholds that make it critical. */
  const MqThresholds thresholds = { .low = 80.0, .critical = 70.0 };

  return report_from_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS,
                              &thresholds);
}

static char *
report_exhausted (void)
{
  return report_from_fixture ("exhausted-interval.json", EXHAUSTED_NOW_MS, NULL);
}

static char *
report_not_in_plan_only (void)
{
  return report_from_body (not_in_plan_only_body, sizeof not_in_plan_only_body - 1,
                           TOKEN_PLAN_NOW_MS, NULL);
}

static char *
report_error (MqError code)
{
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, code,
                                                 "The key was rejected & <refused>.\nSet a new key.");

  return mq_report_error_to_json (error);
}

/* A Waybar line: one line of JSON, parsed. */
static JsonObject *
parse_waybar (const char *line,
              JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (g_str_has_suffix (line, "}\n"));
  g_assert_true (strchr (line, '\n') == line + strlen (line) - 1);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static char *
waybar_classes (JsonObject *object)
{
  JsonArray *classes = json_object_get_array_member (object, "class");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (classes); i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, json_array_get_string_element (classes, i));
    }
  return g_string_free (out, FALSE);
}

static void
assert_waybar (const char *line,
               const char *text,
               const char *alt,
               const char *classes,
               gint64      percentage)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_waybar (line, parser);
  g_autofree char *got_classes = waybar_classes (object);

  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, text);
  g_assert_cmpstr (json_object_get_string_member (object, "alt"), ==, alt);
  g_assert_cmpstr (got_classes, ==, classes);
  if (percentage < 0)
    g_assert_false (json_object_has_member (object, "percentage"));
  else
    g_assert_cmpint (json_object_get_int_member (object, "percentage"), ==, percentage);
}

static char *
waybar_tooltip (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_waybar (line, parser);

  return g_strdup (json_object_get_string_member (object, "tooltip"));
}

static char *
format (MqBarFormat  format,
        const char  *report,
        gboolean     stale,
        const char  *error_message,
        gint64       now_ms)
{
  char *line = mq_bar_format (format, report, stale, error_message, now_ms);

  g_assert_nonnull (line);
  g_assert_true (g_str_has_suffix (line, "\n"));
  g_assert_true (g_utf8_validate (line, -1, NULL));
  return line;
}

/* ---- Formats by name ------------------------------------------------- */

static void
test_format_names (void)
{
  const char *names[] = { "waybar", "polybar", "i3blocks", "json" };
  MqBarFormat format;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (mq_bar_format_from_string (names[i], &format));
      g_assert_cmpstr (mq_bar_format_to_string (format), ==, names[i]);
    }
  g_assert_false (mq_bar_format_from_string ("Waybar", &format));
  g_assert_false (mq_bar_format_from_string ("", &format));
  g_assert_false (mq_bar_format_from_string (NULL, &format));
}

/* ---- ok ----------------------------------------------------------------- */

static void
test_ok (void)
{
  g_autofree char *report = report_ok ();
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);

  assert_waybar (waybar, "63%", "ok", "ok", 63);
  g_assert_cmpstr (tooltip, ==,
                   "Leeway\n"
                   "Text models, 5-hour window: 63% left, resets in 2h 30m (21:00)\n"
                   "Text models, weekly: 96% left, resets in 6d 21h (Sun 16:00)\n"
                   "Video: not in plan");
  g_assert_cmpstr (polybar, ==, "63%\n");
  g_assert_cmpstr (i3blocks, ==, "63% left, resets in 2h 30m (21:00)\n63%\n#2EC27E\n");
}

/* The waybar tooltip an hour later counts from the new now. */
static void
test_ok_later (void)
{
  g_autofree char *report = report_ok ();
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL,
                                    TOKEN_PLAN_NOW_MS + 3600 * 1000);
  g_autofree char *tooltip = waybar_tooltip (waybar);

  g_assert_nonnull (strstr (tooltip, "63% left, resets in 1h 30m (21:00)"));

  /* Past the reset (the applet has not fetched since): "reset due", never "resets now". */
  {
    gint64 past = TOKEN_PLAN_NOW_MS + 3 * 3600 * 1000;
    g_autofree char *late = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, past);
    g_autofree char *late_tooltip = waybar_tooltip (late);
    g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, past);

    g_assert_nonnull (strstr (late_tooltip, "Text models, 5-hour window: 63% left, reset due\n"));
    g_assert_cmpstr (i3blocks, ==, "63% left, reset due\n63%\n#2EC27E\n");
  }
}

/* ---- low, critical, exhausted --------------------------------------------- */

static void
test_low (void)
{
  g_autofree char *report = report_low ();
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);

  assert_waybar (waybar, "15%", "low", "low", 15);
  g_assert_cmpstr (polybar, ==, "%{F#E5A50A}15%%{F-}\n");
  g_assert_cmpstr (i3blocks, ==, "15% left, resets in 2h 30m (21:00)\n15%\n#E5A50A\n");
}

static void
test_critical (void)
{
  g_autofree char *report = report_critical ();
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);

  assert_waybar (waybar, "63%", "critical", "critical", 63);
  g_assert_cmpstr (polybar, ==, "%{F#E01B24}63%%{F-}\n");
  g_assert_cmpstr (i3blocks, ==, "63% left, resets in 2h 30m (21:00)\n63%\n#E01B24\n");
}

static void
test_exhausted (void)
{
  g_autofree char *report = report_exhausted ();
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, EXHAUSTED_NOW_MS);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, EXHAUSTED_NOW_MS);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, EXHAUSTED_NOW_MS);

  g_test_message ("%s", tooltip);
  assert_waybar (waybar, "0%", "exhausted", "exhausted", 0);
  g_assert_nonnull (strstr (tooltip, "Text models, 5-hour window: 0% left, resets in 1h (16:00)\n"));
  g_assert_nonnull (strstr (tooltip, "Text models, weekly: unlimited"));
  g_assert_cmpstr (polybar, ==, "%{F#C01C28}0%%{F-}\n");
  g_assert_true (g_str_has_prefix (i3blocks, "0% left, resets in 1h (16:00)\n"));
  g_assert_true (g_str_has_suffix (i3blocks, "\n0%\n#C01C28\n"));
}

/* ---- stale ---------------------------------------------------------------- */

static void
test_stale (void)
{
  g_autofree char *report = report_ok ();
  gint64 later = TOKEN_PLAN_NOW_MS + 20 * 60 * 1000;
  const char *message = "The server did not answer.";
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, TRUE, message, later);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, TRUE, message, later);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, TRUE, message, later);
  g_autofree char *quiet = format (MQ_BAR_FORMAT_WAYBAR, report, TRUE, NULL, later);
  g_autofree char *quiet_tooltip = waybar_tooltip (quiet);

  assert_waybar (waybar, "63%", "ok", "ok stale", 63);
  g_assert_true (g_str_has_suffix (tooltip,
                                   "\nNot up to date: fetched 20m ago\n"
                                   "Last refresh failed: The server did not answer."));
  g_assert_true (g_str_has_suffix (quiet_tooltip, "\nNot up to date: fetched 20m ago"));
  g_assert_cmpstr (polybar, ==, "~63%\n");
  g_assert_cmpstr (i3blocks, ==, "63% left, resets in 2h 10m (21:00) (stale)\n~63%\n#2EC27E\n");

  /* A stale low: its colour stays, the mark is added. */
  {
    g_autofree char *low = report_low ();
    g_autofree char *low_polybar = format (MQ_BAR_FORMAT_POLYBAR, low, TRUE, NULL, later);
    g_autofree char *low_waybar = format (MQ_BAR_FORMAT_WAYBAR, low, TRUE, NULL, later);

    g_assert_cmpstr (low_polybar, ==, "%{F#E5A50A}~15%%{F-}\n");
    assert_waybar (low_waybar, "15%", "low", "low stale", 15);
  }
}

/* ---- not in plan only ----------------------------------------------------- */

static void
test_not_in_plan_only (void)
{
  g_autofree char *report = report_not_in_plan_only ();
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);

  assert_waybar (waybar, "—", "unknown", "unknown", -1);
  g_assert_cmpstr (tooltip, ==, "Leeway\nVideo: not in plan");
  g_assert_cmpstr (polybar, ==, "\n");
  g_assert_cmpstr (i3blocks, ==, "—\n—\n#9A9996\n");
}

/* ---- errors ----------------------------------------------------------------- */

static void
test_error_document (void)
{
  g_autofree char *report = report_error (MQ_ERROR_KEY_REJECTED);
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *json = format (MQ_BAR_FORMAT_JSON, report, FALSE, NULL, TOKEN_PLAN_NOW_MS);

  assert_waybar (waybar, "!", "error", "error", -1);
  /* Pango markup: the message is escaped. */
  g_assert_cmpstr (tooltip, ==,
                   "Leeway\nThe key was rejected &amp; &lt;refused&gt;.\nSet a new key.");
  g_assert_cmpstr (polybar, ==, "\n");
  g_assert_cmpstr (i3blocks, ==, "The key was rejected & <refused>.\n!\n#E01B24\n");
  g_assert_cmpstr (json, ==,
                   "{\"error\":{\"code\":\"key-rejected\",\"message\":"
                   "\"The key was rejected & <refused>.\\nSet a new key.\",\"exit_status\":2}}\n");
}

static void
test_error_no_key (void)
{
  g_autofree char *report = report_error (MQ_ERROR_NO_KEY);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, 0);
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, 0);

  g_assert_cmpstr (polybar, ==, "\n");
  assert_waybar (waybar, "!", "error", "error", -1);
}

/* The applet's Error with no good answer yet (Report empty). */
static void
test_error_property_only (void)
{
  const char *message = "No API key is set.";
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, "", TRUE, message, 0);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, NULL, FALSE, message, 0);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, "", FALSE, message, 0);
  g_autofree char *json = format (MQ_BAR_FORMAT_JSON, "", FALSE, message, 0);

  assert_waybar (waybar, "!", "error", "error", -1);
  g_assert_cmpstr (tooltip, ==, "Leeway\nNot up to date\nNo API key is set.");
  g_assert_cmpstr (polybar, ==, "\n");
  g_assert_cmpstr (i3blocks, ==, "No API key is set.\n!\n#E01B24\n");
  g_assert_cmpstr (json, ==, "{\"error\":{\"message\":\"No API key is set.\"}}\n");
}

/* Nothing yet: no report, no error (the applet just started). */
static void
test_nothing_yet (void)
{
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, "", FALSE, "", 0);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, "", FALSE, "", 0);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, "", FALSE, "", 0);
  g_autofree char *json = format (MQ_BAR_FORMAT_JSON, "", FALSE, "", 0);

  assert_waybar (waybar, "—", "unknown", "unknown", -1);
  g_assert_cmpstr (tooltip, ==, "Leeway\nNo quota yet.");
  g_assert_cmpstr (polybar, ==, "\n");
  g_assert_cmpstr (i3blocks, ==, "—\n—\n#9A9996\n");
  g_assert_cmpstr (json, ==, "{}\n");
}

/* Not JSON, not an object, wrong shapes: an error, never a crash. */
static void
test_unreadable (void)
{
  const char *inputs[] = {
    "{", "[]", "42", "\"text\"", "{\"headline\": []}",
    "{\"headline\": {\"remaining_percent\": \"63\", \"state\": 7}, \"models\": {}}",
    "{\"models\": [1, null, {\"name\": 3}, {\"display_name\": \"X\", \"in_plan\": true, \"usable\": true, \"interval\": {\"remaining_percent\": -5, \"resets_at\": \"not a time\"}}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    for (guint f = MQ_BAR_FORMAT_WAYBAR; f <= MQ_BAR_FORMAT_JSON; f++)
      {
        g_autofree char *line = format (f, inputs[i], FALSE, NULL, TOKEN_PLAN_NOW_MS);

        if (f == MQ_BAR_FORMAT_WAYBAR)
          {
            g_autoptr(JsonParser) parser = json_parser_new ();
            JsonObject *object = parse_waybar (line, parser);
            const char *text = json_object_get_string_member (object, "text");

            /* Unparsable: an error; parsed with odd shapes: no number. */
            g_assert_true (g_str_equal (text, "!") || g_str_equal (text, "—"));
          }
      }

  {
    g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, "{", FALSE, NULL, 0);
    g_autofree char *json = format (MQ_BAR_FORMAT_JSON, "{", FALSE, NULL, 0);

    assert_waybar (waybar, "!", "error", "error", -1);
    g_assert_cmpstr (json, ==,
                     "{\"error\":{\"message\":\"The quota report could not be read.\"}}\n");
  }
}

/* No limit on the headline: "∞", a full gauge. */
static void
test_unlimited (void)
{
  const char *report = "{\"headline\": {\"model\": \"general\", \"remaining_percent\": null, "
                       "\"state\": \"ok\", \"unlimited\": true, \"in_plan\": true}, "
                       "\"models\": [{\"name\": \"general\", \"display_name\": \"Text models\", "
                       "\"in_plan\": true, \"usable\": true, "
                       "\"interval\": {\"unlimited\": true}, \"weekly\": null}]}";
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, report, FALSE, NULL, 0);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *polybar = format (MQ_BAR_FORMAT_POLYBAR, report, FALSE, NULL, 0);
  g_autofree char *i3blocks = format (MQ_BAR_FORMAT_I3BLOCKS, report, FALSE, NULL, 0);

  assert_waybar (waybar, "∞", "ok", "ok", 100);
  g_assert_cmpstr (tooltip, ==, "Leeway\nText models, current window: unlimited");
  g_assert_cmpstr (polybar, ==, "∞\n");
  g_assert_cmpstr (i3blocks, ==, "unlimited\n∞\n#2EC27E\n");
}

/* ---- JSON --------------------------------------------------------------------- */

/* The report on one line, the same document. */
static void
test_json_one_line (void)
{
  g_autofree char *report = report_ok ();
  g_autofree char *line = format (MQ_BAR_FORMAT_JSON, report, TRUE, "x", TOKEN_PLAN_NOW_MS);
  g_autoptr(JsonParser) a = json_parser_new ();
  g_autoptr(JsonParser) b = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (strchr (line, '\n') == line + strlen (line) - 1);
  json_parser_load_from_data (a, report, -1, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (b, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (a), json_parser_get_root (b)));
}

/* ---- forecast ------------------------------------------------------------------- */

/* The report with a "forecast" object in the text model's interval. */
static char *
report_with_forecast (const char *runs_out_at,
                      gboolean    lasts_until_reset)
{
  g_autofree char *report = report_ok ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonObject *interval;
  JsonObject *forecast = json_object_new ();

  json_parser_load_from_data (parser, report, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  interval = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (root, "models"), 0),
    "interval");
  if (runs_out_at != NULL)
    json_object_set_string_member (forecast, "runs_out_at", runs_out_at);
  else
    json_object_set_null_member (forecast, "runs_out_at");
  json_object_set_boolean_member (forecast, "lasts_until_reset", lasts_until_reset);
  json_object_set_double_member (forecast, "rate_percent_per_hour", 12.5);
  json_object_set_int_member (forecast, "samples", 7);
  json_object_set_object_member (interval, "forecast", forecast);

  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static void
test_forecast (void)
{
  /* 1h 10m after TOKEN_PLAN_NOW_MS (19:30 UTC). */
  g_autofree char *runs_out = report_with_forecast ("2026-06-07T19:40:00Z", FALSE);
  g_autofree char *lasts = report_with_forecast (NULL, TRUE);
  g_autofree char *neither = report_with_forecast (NULL, FALSE);
  g_autofree char *waybar_neither = format (MQ_BAR_FORMAT_WAYBAR, neither, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *waybar = format (MQ_BAR_FORMAT_WAYBAR, runs_out, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *tooltip = waybar_tooltip (waybar);
  g_autofree char *waybar_lasts = format (MQ_BAR_FORMAT_WAYBAR, lasts, FALSE, NULL, TOKEN_PLAN_NOW_MS);
  g_autofree char *tooltip_lasts = waybar_tooltip (waybar_lasts);

  g_assert_nonnull (strstr (tooltip,
                            "Text models, 5-hour window: 63% left, resets in 2h 30m (21:00), "
                            "runs out in 1h 10m (19:40) at this pace\n"));
  g_assert_nonnull (strstr (tooltip_lasts,
                            "resets in 2h 30m (21:00), lasts until the reset at this pace\n"));
  /* Neither a run-out time nor "lasts" (too few samples): no phrase. */
  g_assert_null (strstr (waybar_neither, "at this pace"));
  /* Without forecast objects (test_ok): neither phrase. */
  {
    g_autofree char *plain = report_ok ();
    g_autofree char *line = format (MQ_BAR_FORMAT_WAYBAR, plain, FALSE, NULL, TOKEN_PLAN_NOW_MS);

    g_assert_null (strstr (line, "at this pace"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bar/format-names", test_format_names);
  g_test_add_func ("/bar/ok", test_ok);
  g_test_add_func ("/bar/ok-later", test_ok_later);
  g_test_add_func ("/bar/low", test_low);
  g_test_add_func ("/bar/critical", test_critical);
  g_test_add_func ("/bar/exhausted", test_exhausted);
  g_test_add_func ("/bar/stale", test_stale);
  g_test_add_func ("/bar/not-in-plan-only", test_not_in_plan_only);
  g_test_add_func ("/bar/error/document", test_error_document);
  g_test_add_func ("/bar/error/no-key", test_error_no_key);
  g_test_add_func ("/bar/error/property-only", test_error_property_only);
  g_test_add_func ("/bar/nothing-yet", test_nothing_yet);
  g_test_add_func ("/bar/unlimited", test_unlimited);
  g_test_add_func ("/bar/unreadable", test_unreadable);
  g_test_add_func ("/bar/json/one-line", test_json_one_line);
  g_test_add_func ("/bar/forecast", test_forecast);

  return g_test_run ();
}
