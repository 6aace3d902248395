/* test-report.c: the JSON and text reports of every fixture */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-report-accounts.h"
#include "mq-report.h"
#include "mq-snapshot.h"

/* "now" as the fixture itself says: end_time - remains_time of a row. */
#define TOKEN_PLAN_NOW_MS   G_GINT64_CONSTANT (1780857000000)
#define CURRENT_PLAN_NOW_MS G_GINT64_CONSTANT (1785180522508)
#define EXHAUSTED_NOW_MS    G_GINT64_CONSTANT (1782054000000)
#define LEGACY_NOW_MS       G_GINT64_CONSTANT (1774319451477)
#define BOOST_NOW_MS        G_GINT64_CONSTANT (1780360949178)

static MqSnapshot *
parse_bytes (const char  *data,
             gsize        length,
             gint64       now_ms,
             MqRegion     region)
{
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot;

  snapshot = mq_snapshot_parse (data, length, now_ms, region, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);

  return snapshot;
}

static char *
load_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static MqSnapshot *
parse_fixture (const char *name,
               gint64      now_ms,
               MqRegion    region)
{
  g_autofree char *contents = NULL;
  gsize length;

  contents = load_fixture (name, &length);
  return parse_bytes (contents, length, now_ms, region);
}

static JsonNode *
report_json (MqSnapshot *snapshot)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = mq_report_to_json (snapshot, NULL, NULL);

  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "}\n"));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static void
assert_null_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
}

static void
assert_int_member (JsonObject *object,
                   const char *name,
                   gint64      expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

static void
assert_double_member (JsonObject *object,
                      const char *name,
                      double      expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (node), expected, 1e-6);
}

static void
assert_bool_member (JsonObject *object,
                    const char *name,
                    gboolean    expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_BOOLEAN);
  g_assert_cmpint (json_node_get_boolean (node), ==, expected);
}

static void
assert_string_member (JsonObject *object,
                      const char *name,
                      const char *expected)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static JsonObject *
model_at (JsonObject *root,
          guint       index)
{
  JsonArray *models = json_object_get_array_member (root, "models");

  g_assert_nonnull (models);
  g_assert_cmpuint (index, <, json_array_get_length (models));
  return json_array_get_object_element (models, index);
}

static guint
n_models (JsonObject *root)
{
  return json_array_get_length (json_object_get_array_member (root, "models"));
}

/* Every window object has every key, whatever its values. */
static void
assert_window_keys (JsonObject *window)
{
  static const char * const keys[] = {
    "remaining_percent", "total", "remaining", "used", "unlimited",
    "exhausted", "boost", "boosted", "counts_unreliable", "period_seconds",
    "period", "resets_at", "resets_in_seconds", "state",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (window, keys[i]));
}

/* ------------------------------------------------------------------ */

static void
test_json_token_plan (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_autoptr(JsonNode) node = report_json (snapshot);
  JsonObject *root = json_node_get_object (node);
  JsonObject *headline, *general, *interval, *weekly, *video;

  assert_string_member (root, "region", "global");
  assert_string_member (root, "fetched_at", "2026-06-07T18:30:00Z");
  assert_int_member (root, "models_omitted", 0);

  headline = member_object (root, "headline");
  assert_string_member (headline, "model", "general");
  assert_string_member (headline, "window", "interval");
  assert_int_member (headline, "remaining_percent", 63);
  assert_string_member (headline, "state", "ok");
  assert_string_member (headline, "period", "5h");
  assert_string_member (headline, "resets_at", "2026-06-07T21:00:00Z");
  assert_int_member (headline, "resets_in_seconds", 9000);
  assert_bool_member (headline, "unlimited", FALSE);

  g_assert_cmpuint (n_models (root), ==, 2);

  general = model_at (root, 0);
  assert_string_member (general, "name", "general");
  assert_string_member (general, "display_name", "Text models");
  assert_bool_member (general, "in_plan", TRUE);
  assert_bool_member (general, "usable", TRUE);

  interval = member_object (general, "interval");
  assert_window_keys (interval);
  assert_int_member (interval, "remaining_percent", 63);
  assert_int_member (interval, "total", 1500);
  assert_int_member (interval, "remaining", 945);
  assert_int_member (interval, "used", 555);
  assert_bool_member (interval, "unlimited", FALSE);
  assert_bool_member (interval, "exhausted", FALSE);
  assert_double_member (interval, "boost", 1.0);
  assert_bool_member (interval, "boosted", FALSE);
  assert_bool_member (interval, "counts_unreliable", FALSE);
  assert_int_member (interval, "period_seconds", 18000);
  assert_string_member (interval, "period", "5h");
  assert_string_member (interval, "resets_at", "2026-06-07T21:00:00Z");
  assert_int_member (interval, "resets_in_seconds", 9000);
  assert_string_member (interval, "state", "ok");

  weekly = member_object (general, "weekly");
  assert_window_keys (weekly);
  assert_int_member (weekly, "remaining_percent", 96);
  assert_int_member (weekly, "total", 15000);
  assert_int_member (weekly, "remaining", 14400);
  assert_int_member (weekly, "used", 600);
  assert_bool_member (weekly, "unlimited", FALSE);
  assert_int_member (weekly, "period_seconds", 604800);
  assert_string_member (weekly, "period", "weekly");
  assert_string_member (weekly, "resets_at", "2026-06-14T16:00:00Z");

  video = model_at (root, 1);
  assert_string_member (video, "name", "video");
  assert_bool_member (video, "in_plan", FALSE);
  assert_null_member (video, "interval");
  assert_null_member (video, "weekly");
}

static void
test_json_current_percent_plan (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("current-percent-plan.json", CURRENT_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_autoptr(JsonNode) node = report_json (snapshot);
  JsonObject *root = json_node_get_object (node);
  JsonObject *headline, *interval, *weekly;

  headline = member_object (root, "headline");
  assert_string_member (headline, "model", "general");
  assert_int_member (headline, "remaining_percent", 99);
  assert_string_member (headline, "state", "ok");

  g_assert_cmpuint (n_models (root), ==, 2);

  /* A percent-based plan: totals of 0 are no counts, so null. */
  interval = member_object (model_at (root, 0), "interval");
  assert_int_member (interval, "remaining_percent", 99);
  assert_null_member (interval, "total");
  assert_null_member (interval, "remaining");
  assert_null_member (interval, "used");
  assert_string_member (interval, "resets_at", "2026-07-27T20:00:00Z");

  weekly = member_object (model_at (root, 0), "weekly");
  assert_int_member (weekly, "remaining_percent", 99);
  assert_null_member (weekly, "total");

  /* Video in the plan: 3 per day, nothing used. */
  interval = member_object (model_at (root, 1), "interval");
  assert_bool_member (model_at (root, 1), "in_plan", TRUE);
  assert_int_member (interval, "remaining_percent", 100);
  assert_int_member (interval, "total", 3);
  assert_int_member (interval, "remaining", 3);
  assert_int_member (interval, "used", 0);
  assert_string_member (interval, "period", "daily");
  assert_int_member (interval, "period_seconds", 86400);
}

static void
test_json_exhausted (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("exhausted-interval.json", EXHAUSTED_NOW_MS, MQ_REGION_GLOBAL);
  g_autoptr(JsonNode) node = report_json (snapshot);
  JsonObject *root = json_node_get_object (node);
  JsonObject *headline, *interval, *weekly;

  headline = member_object (root, "headline");
  assert_string_member (headline, "window", "interval");
  assert_int_member (headline, "remaining_percent", 0);
  assert_string_member (headline, "state", "exhausted");
  assert_int_member (headline, "resets_in_seconds", 3600);

  interval = member_object (model_at (root, 0), "interval");
  assert_bool_member (interval, "exhausted", TRUE);
  assert_int_member (interval, "remaining_percent", 0);
  assert_string_member (interval, "state", "exhausted");

  /* Status 3 on the weekly window: unlimited, nothing to count down. */
  weekly = member_object (model_at (root, 0), "weekly");
  assert_window_keys (weekly);
  assert_bool_member (weekly, "unlimited", TRUE);
  assert_bool_member (weekly, "exhausted", FALSE);
  assert_null_member (weekly, "remaining_percent");
  assert_null_member (weekly, "total");
  assert_null_member (weekly, "resets_at");
  assert_null_member (weekly, "resets_in_seconds");
}

static void
test_json_legacy_counts (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("legacy-counts-cn.json", LEGACY_NOW_MS, MQ_REGION_CN);
  g_autoptr(JsonNode) node = report_json (snapshot);
  JsonObject *root = json_node_get_object (node);
  JsonObject *headline, *text, *interval, *weekly;

  assert_string_member (root, "region", "cn");

  headline = member_object (root, "headline");
  assert_string_member (headline, "model", "MiniMax-M*");
  assert_string_member (headline, "window", "interval");
  /* 4286 of 4500 left (95.2%): a whole number, rounded down (issue 10.5). */
  assert_int_member (headline, "remaining_percent", 95);

  g_assert_cmpuint (n_models (root), ==, 5);

  text = model_at (root, 0);
  assert_string_member (text, "display_name", "Text (MiniMax-M)");
  interval = member_object (text, "interval");
  assert_int_member (interval, "total", 4500);
  assert_int_member (interval, "remaining", 4286);
  assert_int_member (interval, "used", 214);
  assert_int_member (interval, "remaining_percent", 95);
  assert_string_member (interval, "resets_at", "2026-03-24T07:00:00Z");

  /* No weekly limit on the old format, not "0% left". */
  weekly = member_object (text, "weekly");
  assert_bool_member (weekly, "unlimited", TRUE);
  assert_null_member (weekly, "remaining_percent");

  for (guint i = 1; i < 5; i++)
    {
      JsonObject *row = model_at (root, i);

      assert_bool_member (row, "in_plan", TRUE);
      interval = member_object (row, "interval");
      assert_window_keys (interval);
      assert_string_member (interval, "period", "daily");
      weekly = member_object (row, "weekly");
      assert_window_keys (weekly);
    }

  interval = member_object (model_at (root, 1), "interval");
  assert_int_member (interval, "total", 19000);
  assert_int_member (interval, "remaining", 19000);
  assert_int_member (interval, "remaining_percent", 100);
}

static void
test_json_boost (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("plus-boost-not-in-plan.json", BOOST_NOW_MS, MQ_REGION_GLOBAL);
  g_autoptr(JsonNode) node = report_json (snapshot);
  JsonObject *root = json_node_get_object (node);
  JsonObject *interval, *weekly, *video;

  interval = member_object (model_at (root, 0), "interval");
  assert_int_member (interval, "remaining_percent", 99);
  assert_double_member (interval, "boost", 2.0);
  assert_bool_member (interval, "boosted", TRUE);

  weekly = member_object (model_at (root, 0), "weekly");
  assert_bool_member (weekly, "unlimited", TRUE);

  video = model_at (root, 1);
  assert_bool_member (video, "in_plan", FALSE);
  assert_null_member (video, "interval");
  assert_null_member (video, "weekly");
}

/* No text lane: the headline is an empty object. */
static void
test_json_no_text_lane (void)
{
  static const char body[] =
    "{\"model_remains\":[{\"model_name\":\"video\",\"current_interval_total_count\":3,"
    "\"current_interval_usage_count\":1,\"current_interval_remaining_percent\":50.5},"
    "{\"model_name\":\"speech-hd\",\"current_interval_remaining_percent\":40}],"
    "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}";
  g_autoptr(MqSnapshot) snapshot = parse_bytes (body, strlen (body), TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_autoptr(JsonNode) node = report_json (snapshot);
  JsonObject *root = json_node_get_object (node);
  JsonObject *headline = member_object (root, "headline");
  JsonObject *interval;

  g_assert_cmpuint (json_object_get_size (headline), ==, 0);

  interval = member_object (model_at (root, 0), "interval");
  assert_int_member (interval, "remaining_percent", 50);
  /* Neither reading of the count agrees with the percent: no counts. */
  assert_bool_member (interval, "counts_unreliable", TRUE);
  assert_null_member (interval, "total");
  assert_null_member (interval, "remaining");
  assert_null_member (interval, "used");
  assert_null_member (interval, "resets_at");
  assert_null_member (interval, "period_seconds");

  /* Nothing at all about the weekly window: not known, so null. */
  interval = member_object (model_at (root, 1), "interval");
  assert_int_member (interval, "remaining_percent", 40);
  assert_null_member (model_at (root, 1), "weekly");
}

static void
assert_error_json (const char *fixture,
                   const char *code,
                   int         exit_status)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  MqSnapshot *snapshot;
  JsonObject *object;
  gsize length;

  contents = load_fixture (fixture, &length);
  snapshot = mq_snapshot_parse (contents, length, TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL, &error);
  g_assert_null (snapshot);
  g_assert_nonnull (error);

  text = mq_report_error_to_json (error);
  json_parser_load_from_data (parser, text, -1, &json_error);
  g_assert_no_error (json_error);

  object = member_object (json_node_get_object (json_parser_get_root (parser)), "error");
  assert_string_member (object, "code", code);
  assert_string_member (object, "message", error->message);
  assert_int_member (object, "exit_status", exit_status);
}

static void
test_json_errors (void)
{
  assert_error_json ("error-2049-invalid-key.json", "key-rejected", 2);
  assert_error_json ("error-1004-no-key.json", "key-rejected", 2);
  assert_error_json ("cloudflare-403.html", "unreadable", 4);
}

/* ------------------------------------------------------------------ */

static char **
text_lines (MqSnapshot *snapshot,
            gint64      now_ms,
            gboolean    color)
{
  g_autofree char *text = mq_report_to_text (snapshot, NULL, NULL, now_ms, color);

  g_assert_nonnull (text);
  g_assert_true (g_str_has_suffix (text, "\n"));
  g_test_message ("%s", text);

  return g_strsplit (text, "\n", -1);
}

static const char *
line_containing (char       **lines,
                 const char  *needle)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return lines[i];

  g_assert_not_reached ();
  return NULL;
}

static void
test_text_token_plan (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_auto(GStrv) lines = text_lines (snapshot, TOKEN_PLAN_NOW_MS, FALSE);
  const char *general, *video;

  g_assert_cmpstr (lines[0], ==,
                   "63% of the 5-hour window left · resets in 2h 30m (21:00)");
  g_assert_cmpstr (lines[1], ==, "");

  general = line_containing (lines, "Text models");
  g_assert_nonnull (strstr (general, "945/1,500 · 63%"));
  g_assert_nonnull (strstr (general, "2h 30m (21:00)"));
  g_assert_nonnull (strstr (general, "14,400/15,000 · 96%"));
  g_assert_nonnull (strstr (general, "6d 21h (Sun 16:00)"));

  video = line_containing (lines, "Video");
  g_assert_nonnull (strstr (video, "not in plan"));
  g_assert_nonnull (strstr (video, "https://platform.minimax.io/subscribe/token-plan"));
  g_assert_null (strchr (video, '%'));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_null (strchr (lines[i], '\033'));
      g_assert_false (g_str_has_suffix (lines[i], " "));
    }
}

static void
test_text_cn_plan_url (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, MQ_REGION_CN);
  g_auto(GStrv) lines = text_lines (snapshot, TOKEN_PLAN_NOW_MS, FALSE);

  g_assert_nonnull (strstr (line_containing (lines, "Video"),
                            "https://platform.minimax.cn/subscribe/token-plan"));
}

static void
test_text_color (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_auto(GStrv) lines = text_lines (snapshot, TOKEN_PLAN_NOW_MS, TRUE);
  g_auto(GStrv) plain = text_lines (snapshot, TOKEN_PLAN_NOW_MS, FALSE);

  /* Green for ok, dim for not in plan, always reset. */
  g_assert_true (g_str_has_prefix (lines[0], "\033[32m63% of the 5-hour window left\033[0m"));
  g_assert_nonnull (strstr (line_containing (lines, "Text models"),
                            "\033[32m945/1,500 · 63%\033[0m"));
  g_assert_nonnull (strstr (line_containing (lines, "Video"),
                            "\033[2mnot in plan"));

  /* Colour adds escapes and nothing else: same rows once stripped. */
  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length (plain));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GRegex) escapes = g_regex_new ("\033\\[[0-9;]*m", 0, 0, NULL);
      g_autofree char *stripped = g_regex_replace_literal (escapes, lines[i], -1, 0, "", 0, NULL);

      g_assert_cmpstr (stripped, ==, plain[i]);
    }
}

static void
test_text_exhausted (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("exhausted-interval.json", EXHAUSTED_NOW_MS, MQ_REGION_GLOBAL);
  g_auto(GStrv) lines = text_lines (snapshot, EXHAUSTED_NOW_MS, FALSE);
  g_auto(GStrv) colored = text_lines (snapshot, EXHAUSTED_NOW_MS, TRUE);
  const char *general;

  g_assert_cmpstr (lines[0], ==, "The 5-hour window is used up · resets in 1h (16:00)");
  general = line_containing (lines, "Text models");
  g_assert_nonnull (strstr (general, "0% · used up"));
  g_assert_nonnull (strstr (general, "unlimited"));

  g_assert_true (g_str_has_prefix (colored[0], "\033[31m"));
  g_assert_nonnull (strstr (line_containing (colored, "Text models"),
                            "\033[31m0% · used up\033[0m"));
}

static void
test_text_boost (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("plus-boost-not-in-plan.json", BOOST_NOW_MS, MQ_REGION_GLOBAL);
  g_auto(GStrv) lines = text_lines (snapshot, BOOST_NOW_MS, FALSE);
  const char *general = line_containing (lines, "Text models");

  g_assert_nonnull (strstr (general, "99% · ×2"));
  g_assert_nonnull (strstr (general, "unlimited"));
  g_assert_null (strchr (line_containing (lines, "Video"), '%'));
}

static void
test_text_legacy (void)
{
  g_autoptr(MqSnapshot) snapshot =
    parse_fixture ("legacy-counts-cn.json", LEGACY_NOW_MS, MQ_REGION_CN);
  g_auto(GStrv) lines = text_lines (snapshot, LEGACY_NOW_MS, FALSE);

  /* 95.2% floors to 95%. */
  g_assert_true (g_str_has_prefix (lines[0], "95% of the 5-hour window left · resets in"));
  g_assert_nonnull (strstr (line_containing (lines, "Text (MiniMax-M)"), "4,286/4,500 · 95%"));
  g_assert_nonnull (strstr (line_containing (lines, "Speech"), "19,000/19,000 · 100%"));
  g_assert_nonnull (strstr (line_containing (lines, "Speech"), "133,000/133,000 · 100%"));
  line_containing (lines, "MiniMax-Hailuo-2.3-Fast-6s-768p");
  line_containing (lines, "Music");
  line_containing (lines, "Image");
}

static void
test_text_no_text_lane (void)
{
  static const char body[] =
    "{\"model_remains\":[{\"model_name\":\"video\",\"current_interval_total_count\":3,"
    "\"current_interval_usage_count\":3,\"current_interval_remaining_percent\":100}],"
    "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}";
  g_autoptr(MqSnapshot) snapshot = parse_bytes (body, strlen (body), TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_auto(GStrv) lines = text_lines (snapshot, TOKEN_PLAN_NOW_MS, FALSE);

  g_assert_cmpstr (lines[0], ==, "No text model quota in the response");
  g_assert_nonnull (strstr (line_containing (lines, "Video"), "3/3 · 100%"));
}

/* The display column at which @needle starts in @line. */
static gsize
column_of (const char *line,
           const char *needle)
{
  const char *at = strstr (line, needle);
  g_autofree char *prefix = NULL;

  g_assert_nonnull (at);
  prefix = g_strndup (line, at - line);
  return mq_format_display_width (prefix);
}

static void
test_text_cjk_alignment (void)
{
  static const char body[] =
    "{\"model_remains\":["
    "{\"model_name\":\"general\",\"current_interval_total_count\":1500,"
    "\"current_interval_usage_count\":945,\"current_interval_remaining_percent\":63,"
    "\"current_weekly_total_count\":15000,\"current_weekly_usage_count\":14400,"
    "\"current_weekly_remaining_percent\":96,\"current_interval_status\":1,\"current_weekly_status\":1},"
    "{\"model_name\":\"视频生成模型\",\"current_interval_total_count\":10,"
    "\"current_interval_usage_count\":5,\"current_interval_remaining_percent\":50,"
    "\"current_weekly_total_count\":70,\"current_weekly_usage_count\":7,"
    "\"current_weekly_remaining_percent\":10,\"current_interval_status\":1,\"current_weekly_status\":1},"
    "{\"model_name\":\"x\",\"current_interval_remaining_percent\":7,"
    "\"current_weekly_remaining_percent\":8}],"
    "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}";
  g_autoptr(MqSnapshot) snapshot = parse_bytes (body, strlen (body), TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_auto(GStrv) lines = text_lines (snapshot, TOKEN_PLAN_NOW_MS, FALSE);
  const char *header = line_containing (lines, "Current window");
  const char *general = line_containing (lines, "Text models");
  const char *cjk = line_containing (lines, "视频生成模型");
  const char *ascii = line_containing (lines, "x  ");
  gsize second, fourth;

  /* "视频生成模型" is 6 characters, 18 bytes and 12 columns: the widest
   * name, so the second column starts at 12 + 2. */
  second = column_of (header, "Current window");
  g_assert_cmpuint (second, ==, 14);
  g_assert_cmpuint (column_of (general, "945/1,500 · 63%"), ==, second);
  g_assert_cmpuint (column_of (cjk, "5/10 · 50%"), ==, second);
  g_assert_cmpuint (column_of (ascii, "7%"), ==, second);

  fourth = column_of (header, "Weekly");
  g_assert_cmpuint (column_of (general, "14,400/15,000 · 96%"), ==, fourth);
  g_assert_cmpuint (column_of (cjk, "7/70 · 10%"), ==, fourth);
  g_assert_cmpuint (column_of (ascii, "8%"), ==, fourth);
}

/* Issue 9: under LC_ALL=C every "·" printed as "?" ("945/1,500 ? 63%").
 * In a locale that is not UTF-8 the text is ASCII: nothing to replace. */
static void
assert_ascii_in_c_locale (MqSnapshot *snapshot,
                          gint64      now_ms)
{
  g_autofree char *text = mq_report_to_text (snapshot, NULL, NULL, now_ms, FALSE);
  g_autofree char *printed = NULL;
  const char *charset;

  g_test_message ("%s", text);
  g_assert_null (strchr (text, '?'));
  for (const char *p = text; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);

  /* What g_print() would write: no "?" for an unconvertible character. */
  g_get_charset (&charset);
  printed = g_convert_with_fallback (text, -1, charset, "UTF-8", "?", NULL, NULL, NULL);
  g_assert_nonnull (printed);
  g_assert_null (strchr (printed, '?'));
}

/* An answer of more models than a snapshot keeps: the JSON lists those
 * kept and counts the rest; the text says so under the table. */
static MqSnapshot *
parse_many_models (guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"model_remains\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"model_name\":\"speech-%u\",\"current_interval_total_count\":100,"
                            "\"current_interval_usage_count\":40}", i ? "," : "", i);
  g_string_append (json, "]}");
  return parse_bytes (json->str, json->len, TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
}

static void
test_json_models_omitted (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_many_models (MQ_SNAPSHOT_MAX_MODELS + 44);
  g_autoptr(JsonNode) node = report_json (snapshot);
  JsonObject *root = json_node_get_object (node);

  assert_int_member (root, "models_omitted", 44);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "models")), ==,
                    MQ_SNAPSHOT_MAX_MODELS);
}

static void
test_text_models_omitted (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_many_models (MQ_SNAPSHOT_MAX_MODELS + 1);
  g_autoptr(MqSnapshot) at_cap = parse_many_models (MQ_SNAPSHOT_MAX_MODELS);
  g_auto(GStrv) lines = text_lines (snapshot, TOKEN_PLAN_NOW_MS, FALSE);
  g_auto(GStrv) all_lines = text_lines (at_cap, TOKEN_PLAN_NOW_MS, FALSE);
  guint n = g_strv_length (lines);

  /* Headline, blank, heading, the models, the note, and the empty string
   * after the last newline. */
  g_assert_cmpuint (n, ==, 3 + MQ_SNAPSHOT_MAX_MODELS + 1 + 1);
  g_assert_cmpstr (lines[n - 2], ==,
                   "1 more model in MiniMax’s answer is not shown (Leeway keeps at most 256).");
  g_assert_cmpuint (g_strv_length (all_lines), ==, 3 + MQ_SNAPSHOT_MAX_MODELS + 1);
  for (guint i = 0; all_lines[i] != NULL; i++)
    g_assert_null (strstr (all_lines[i], "not shown"));
}

static void
test_text_c_locale_ascii (void)
{
  g_autoptr(MqSnapshot) token_plan =
    parse_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  g_autoptr(MqSnapshot) boost =
    parse_fixture ("plus-boost-not-in-plan.json", BOOST_NOW_MS, MQ_REGION_GLOBAL);
  g_autoptr(MqSnapshot) legacy =
    parse_fixture ("legacy-counts-cn.json", LEGACY_NOW_MS, MQ_REGION_CN);
  g_autofree char *utf8_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));

  g_assert_nonnull (setlocale (LC_ALL, "C"));
  if (g_get_charset (NULL))
    {
      setlocale (LC_ALL, saved);
      g_test_skip ("the C locale is UTF-8 here");
      return;
    }

  assert_ascii_in_c_locale (token_plan, TOKEN_PLAN_NOW_MS);
  assert_ascii_in_c_locale (boost, BOOST_NOW_MS);
  assert_ascii_in_c_locale (legacy, LEGACY_NOW_MS);

  /* The separators are ASCII ones, not dropped. */
  text = mq_report_to_text (token_plan, NULL, NULL, TOKEN_PLAN_NOW_MS, FALSE);
  g_assert_nonnull (strstr (text, "945/1,500 - 63%"));
  g_assert_true (g_str_has_prefix (text, "63% of the 5-hour window left - resets in 2h 30m (21:00)\n"));
  g_assert_nonnull (strstr (text, "not in plan - upgrade: https://"));

  /* Back in a UTF-8 locale, the usual "·". */
  setlocale (LC_ALL, saved);
  if (g_get_charset (NULL))
    {
      utf8_text = mq_report_to_text (token_plan, NULL, NULL, TOKEN_PLAN_NOW_MS, FALSE);
      g_assert_nonnull (strstr (utf8_text, "945/1,500 · 63%"));
    }
}


/* ------------------------------------------------------------------ */
/* Several accounts                                                     */
/* ------------------------------------------------------------------ */

static MqBalance *
parse_balance_fixture (const char *name,
                       MqRegion    region)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  MqBalance *balance;
  gsize length;

  contents = load_fixture (name, &length);
  balance = mq_balance_parse (contents, length, TOKEN_PLAN_NOW_MS, region, &error);
  g_assert_no_error (error);
  return balance;
}

/* A pay-as-you-go account first: the top level has its region, an empty
 * headline and no models; a failed account has its error and no data;
 * the exit status is the worst. */
static void
test_accounts_json (void)
{
  g_autoptr(MqSnapshot) plus = NULL;
  g_autoptr(MqBalance) owed = NULL;
  g_autoptr(GError) rejected = g_error_new_literal (MQ_ERROR, MQ_ERROR_KEY_REJECTED, "rejected");
  g_autoptr(GError) network = g_error_new_literal (MQ_ERROR, MQ_ERROR_NETWORK, "down");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *without_array = NULL;
  MqReportAccount accounts[3] = { 0 };
  JsonObject *root, *entry, *balance, *failure;
  JsonArray *array;

  plus = parse_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  owed = parse_balance_fixture ("balance-numbers-owed.json", MQ_REGION_CN);

  accounts[0] = (MqReportAccount) { "payg", MQ_REGION_CN, MQ_KEY_KIND_PAY_AS_YOU_GO, NULL, owed, NULL, NULL, 0 };
  accounts[1] = (MqReportAccount) { "team", MQ_REGION_AUTO, MQ_KEY_KIND_TOKEN_PLAN, NULL, NULL, rejected, NULL, 0 };
  accounts[2] = (MqReportAccount) { "mine", MQ_REGION_GLOBAL, MQ_KEY_KIND_TOKEN_PLAN, plus, NULL, NULL, NULL, 0 };

  json = mq_report_accounts_to_json (accounts, 3, TRUE, TOKEN_PLAN_NOW_MS);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (root, "region"), ==, "cn");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (root, "headline")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "models")), ==, 0);
  g_assert_false (json_object_has_member (root, "balance"));

  array = json_object_get_array_member (root, "accounts");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  entry = json_array_get_object_element (array, 0);
  balance = json_object_get_object_member (entry, "balance");
  g_assert_cmpstr (json_object_get_string_member (balance, "currency"), ==, "CNY");
  g_assert_cmpfloat (json_object_get_double_member (balance, "owed"), <, 0.0);

  entry = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "region"), ==, "auto");
  g_assert_true (json_object_get_null_member (entry, "plan"));
  g_assert_true (json_object_get_null_member (entry, "balance"));
  failure = json_object_get_object_member (entry, "error");
  g_assert_cmpstr (json_object_get_string_member (failure, "code"), ==, "key-rejected");
  g_assert_cmpint (json_object_get_int_member (failure, "exit_status"), ==, 2);

  entry = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "plan"), "name"),
                   ==, "Starter");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (entry, "headline"),
                                               "remaining_percent"), ==, 63);

  /* Without the array: exactly the one-account document. */
  without_array = mq_report_accounts_to_json (&accounts[2], 1, FALSE, TOKEN_PLAN_NOW_MS);
  {
    g_autofree char *single = mq_report_to_json_with_forecasts (plus, NULL, NULL, NULL, 0,
                                                                TOKEN_PLAN_NOW_MS);

    g_assert_cmpstr (without_array, ==, single);
  }

  /* A failed first account: the error document at the top. */
  {
    g_autofree char *failed = mq_report_accounts_to_json (&accounts[1], 1, FALSE, TOKEN_PLAN_NOW_MS);
    g_autofree char *expected = mq_report_error_to_json (rejected);

    g_assert_cmpstr (failed, ==, expected);
  }

  g_assert_cmpint (mq_report_accounts_exit_status (accounts, 3), ==, 2);
  accounts[0].balance = NULL;
  accounts[0].error = network;
  g_assert_cmpint (mq_report_accounts_exit_status (accounts, 3), ==, 3);
  g_assert_cmpint (mq_report_accounts_exit_status (&accounts[2], 1), ==, 0);
}

static void
test_accounts_text (void)
{
  g_autoptr(MqSnapshot) plus = NULL;
  g_autoptr(MqBalance) strings = NULL;
  g_autoptr(GError) rejected = g_error_new_literal (MQ_ERROR, MQ_ERROR_KEY_REJECTED, "The key was rejected.");
  g_autofree char *text = NULL;
  g_autofree char *balance = NULL;
  g_autofree char *untitled = NULL;
  MqReportAccount accounts[3] = { 0 };

  if (!g_get_charset (NULL))
    {
      g_test_skip ("needs a UTF-8 locale");
      return;
    }

  plus = parse_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL);
  strings = parse_balance_fixture ("balance-strings.json", MQ_REGION_GLOBAL);

  accounts[0] = (MqReportAccount) { "mine", MQ_REGION_GLOBAL, MQ_KEY_KIND_TOKEN_PLAN, plus, NULL, NULL, NULL, 0 };
  accounts[1] = (MqReportAccount) { "payg", MQ_REGION_GLOBAL, MQ_KEY_KIND_PAY_AS_YOU_GO, NULL, strings, NULL, NULL, 0 };
  accounts[2] = (MqReportAccount) { "team", MQ_REGION_AUTO, MQ_KEY_KIND_TOKEN_PLAN, NULL, NULL, rejected, NULL, 0 };

  text = mq_report_accounts_to_text (accounts, 3, TRUE, TOKEN_PLAN_NOW_MS, FALSE);
  g_assert_true (g_str_has_prefix (text, "mine — Starter plan (inferred)\n63% of the 5-hour window left"));
  g_assert_nonnull (strstr (text, "\n\npayg — pay-as-you-go\nBalance: $25.40 available (cash $20.00, voucher $5.40, credit $0.00)\nAlert below $10.00\n"));
  g_assert_true (g_str_has_suffix (text, "\n\nteam\nThe key was rejected.\n"));

  /* Without titles: the table of old. */
  untitled = mq_report_accounts_to_text (accounts, 1, FALSE, TOKEN_PLAN_NOW_MS, FALSE);
  {
    g_autofree char *single = mq_report_to_text (plus, NULL, NULL, TOKEN_PLAN_NOW_MS, FALSE);

    g_assert_cmpstr (untitled, ==, single);
  }

  {
    g_autoptr(MqBalance) owed = parse_balance_fixture ("balance-numbers-owed.json", MQ_REGION_CN);

    balance = mq_report_balance_to_text (owed);
    g_assert_nonnull (strstr (balance, "Owed: -¥"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/json/token-plan", test_json_token_plan);
  g_test_add_func ("/report/json/current-percent-plan", test_json_current_percent_plan);
  g_test_add_func ("/report/json/exhausted", test_json_exhausted);
  g_test_add_func ("/report/json/legacy-counts", test_json_legacy_counts);
  g_test_add_func ("/report/json/boost", test_json_boost);
  g_test_add_func ("/report/json/models-omitted", test_json_models_omitted);
  g_test_add_func ("/report/text/models-omitted", test_text_models_omitted);
  g_test_add_func ("/report/json/no-text-lane", test_json_no_text_lane);
  g_test_add_func ("/report/json/errors", test_json_errors);
  g_test_add_func ("/report/text/token-plan", test_text_token_plan);
  g_test_add_func ("/report/text/cn-plan-url", test_text_cn_plan_url);
  g_test_add_func ("/report/text/color", test_text_color);
  g_test_add_func ("/report/text/exhausted", test_text_exhausted);
  g_test_add_func ("/report/text/boost", test_text_boost);
  g_test_add_func ("/report/text/legacy", test_text_legacy);
  g_test_add_func ("/report/text/no-text-lane", test_text_no_text_lane);
  g_test_add_func ("/report/text/cjk-alignment", test_text_cjk_alignment);
  g_test_add_func ("/report/text/c-locale-ascii", test_text_c_locale_ascii);
  g_test_add_func ("/report/accounts/json", test_accounts_json);
  g_test_add_func ("/report/accounts/text", test_accounts_text);

  return g_test_run ();
}
