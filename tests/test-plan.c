/* test-plan.c: the plan's name, reported by the answer or inferred from its allowance */
#include "config.h"

#include <string.h>

#include "mq-plan.h"
#include "mq-safe-text.h"
#include "mq-snapshot.h"

/* 2026-06-08T13:13:20Z */
#define NOW_MS G_GINT64_CONSTANT (1780924400000)

/* A count-based text row with a 5-hour window around NOW_MS. */
#define TEXT_ROW(total) \
  "{\"model_name\":\"MiniMax-M*\",\"start_time\":1780920000000,\"end_time\":1780938000000," \
  "\"current_interval_total_count\":" total ",\"current_interval_usage_count\":10}"

#define OK_RESP "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}"

static MqSnapshot *
parse (const char *json,
       MqRegion    region)
{
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot = mq_snapshot_parse (json, strlen (json), NOW_MS, region, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static void
assert_plan (const char *json,
             MqRegion    region,
             const char *expected,
             gboolean    expected_inferred)
{
  g_autoptr(MqSnapshot) snapshot = parse (json, region);
  const char *name = (const char *) 0x1;
  gboolean inferred = !expected_inferred;
  gboolean found = mq_snapshot_get_plan (snapshot, &name, &inferred);

  g_assert_cmpstr (name, ==, expected);
  g_assert_true (found == (expected != NULL));
  g_assert_true (inferred == (expected != NULL && expected_inferred));
}

static void
assert_inferred (MqRegion    region,
                 gint64      total,
                 const char *expected)
{
  g_autofree char *json = g_strdup_printf ("{\"model_remains\":[{\"model_name\":\"general\","
                                           "\"start_time\":1780920000000,\"end_time\":1780938000000,"
                                           "\"current_interval_total_count\":%" G_GINT64_FORMAT ","
                                           "\"current_interval_usage_count\":10}]," OK_RESP "}",
                                           total);

  g_assert_cmpstr (mq_plan_infer_tier (region, total), ==, expected);
  assert_plan (json, region, expected, TRUE);
}

/* Each known tier of both regions, by prompts and by model calls. */
static void
test_infer_known_tiers (void)
{
  assert_inferred (MQ_REGION_GLOBAL, 100, "Starter");
  assert_inferred (MQ_REGION_GLOBAL, 1500, "Starter");
  assert_inferred (MQ_REGION_GLOBAL, 300, "Plus");
  assert_inferred (MQ_REGION_GLOBAL, 4500, "Plus");
  assert_inferred (MQ_REGION_GLOBAL, 1000, "Max");
  assert_inferred (MQ_REGION_GLOBAL, 15000, "Max");
  assert_inferred (MQ_REGION_GLOBAL, 2000, "Ultra");
  assert_inferred (MQ_REGION_GLOBAL, 30000, "Ultra");

  assert_inferred (MQ_REGION_CN, 40, "Starter");
  assert_inferred (MQ_REGION_CN, 600, "Starter");
  assert_inferred (MQ_REGION_CN, 100, "Plus");
  assert_inferred (MQ_REGION_CN, 1500, "Plus");
  assert_inferred (MQ_REGION_CN, 300, "Max");
  assert_inferred (MQ_REGION_CN, 4500, "Max");
}

/* Only an exact match is a guess. */
static void
test_infer_near_misses (void)
{
  static const gint64 global_misses[] = { 99, 101, 299, 301, 999, 1001, 1499, 1501,
                                          4499, 4501, 14999, 15001, 29999, 30001, 40, 600, 0, -1 };
  static const gint64 cn_misses[] = { 39, 41, 99, 101, 299, 301, 599, 601, 1499, 1501,
                                      4499, 4501, 1000, 2000, 15000, 30000, 0, -1 };

  for (gsize i = 0; i < G_N_ELEMENTS (global_misses); i++)
    assert_inferred (MQ_REGION_GLOBAL, global_misses[i], NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cn_misses); i++)
    assert_inferred (MQ_REGION_CN, cn_misses[i], NULL);

  /* Region auto: the tables overlap (1,500 is Starter and Plus). */
  assert_inferred (MQ_REGION_AUTO, 1500, NULL);
  assert_inferred (MQ_REGION_AUTO, 30000, NULL);
}

/* Percent-only answers, boosted or daily windows, and rows out of the
 * plan give no guess. */
static void
test_infer_not_guessed (void)
{
  /* Percent-only (total 0). */
  assert_plan ("{\"model_remains\":[{\"model_name\":\"general\",\"start_time\":1780920000000,"
               "\"end_time\":1780938000000,\"current_interval_total_count\":0,"
               "\"current_interval_remaining_percent\":80,\"current_interval_status\":1}]," OK_RESP "}",
               MQ_REGION_GLOBAL, NULL, FALSE);
  /* A boosted allowance is not the plan's own. */
  assert_plan ("{\"model_remains\":[{\"model_name\":\"general\",\"start_time\":1780920000000,"
               "\"end_time\":1780938000000,\"current_interval_total_count\":4500,"
               "\"current_interval_usage_count\":10,\"interval_boost_permille\":2000}]," OK_RESP "}",
               MQ_REGION_GLOBAL, NULL, FALSE);
  /* Only a daily quota (no text lane): nothing to go by. */
  assert_plan ("{\"model_remains\":[{\"model_name\":\"image-01\",\"start_time\":1780876800000,"
               "\"end_time\":1780963200000,\"current_interval_total_count\":1500,"
               "\"current_interval_usage_count\":10}]," OK_RESP "}",
               MQ_REGION_GLOBAL, NULL, FALSE);
  /* The old count-based China answer (MiniMax-M* 4,500): Max, read as cn. */
  assert_plan ("{\"model_remains\":[" TEXT_ROW ("4500") "]," OK_RESP "}",
               MQ_REGION_CN, "Max", TRUE);
}

/* A reported title, in every spelling and place, wins over a guess. */
static void
test_reported_titles (void)
{
  static const struct {
    const char *json;
    const char *expected;
  } cases[] = {
    { "{\"current_subscribe_title\":\"Max\",\"model_remains\":[" TEXT_ROW ("4500") "]," OK_RESP "}", "Max" },
    { "{\"plan_name\":\"Plus\",\"model_remains\":[]," OK_RESP "}", "Plus" },
    { "{\"combo_title\":\"Ultra-HighSpeed\",\"model_remains\":[]," OK_RESP "}", "Ultra-HighSpeed" },
    { "{\"current_plan_title\":\"Starter\",\"model_remains\":[]," OK_RESP "}", "Starter" },
    { "{\"plan\":\"Max\",\"model_remains\":[]," OK_RESP "}", "Max" },
    { "{\"plan\":{\"title\":\"Plus Yearly\",\"name\":\"plus\"},\"model_remains\":[]," OK_RESP "}", "Plus Yearly" },
    { "{\"plan\":{\"name\":\"Max\"},\"model_remains\":[]," OK_RESP "}", "Max" },
    /* Inside data (the web variant). */
    { "{\"data\":{\"current_subscribe_title\":\"Plus\",\"model_remains\":[]}," OK_RESP "}", "Plus" },
    { "{\"data\":{\"plan\":{\"title\":\"Max\"},\"model_remains\":[]," OK_RESP "}}", "Max" },
    /* In the first row. */
    { "{\"model_remains\":[{\"model_name\":\"general\",\"plan_name\":\"Starter\","
      "\"current_interval_remaining_percent\":50}]," OK_RESP "}", "Starter" },
    /* Trimmed; the first field found wins; blanks and numbers skipped. */
    { "{\"plan_name\":\"  Plus  \",\"combo_title\":\"Max\",\"model_remains\":[]," OK_RESP "}", "Plus" },
    { "{\"current_subscribe_title\":\"   \",\"plan_name\":7,\"combo_title\":\"Max\",\"model_remains\":[]," OK_RESP "}", "Max" },
    { "{\"plan\":{\"title\":\"\",\"name\":\"Ultra\"},\"model_remains\":[]," OK_RESP "}", "Ultra" },
    /* Control characters and bidi overrides never reach a screen. */
    { "{\"plan_name\":\"Max\\u001b]0;owned\\u0007\\u202e\",\"model_remains\":[]," OK_RESP "}",
      "Max\xef\xbf\xbd]0;owned\xef\xbf\xbd\xef\xbf\xbd" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      assert_plan (cases[i].json, MQ_REGION_GLOBAL, cases[i].expected, FALSE);
    }

  /* Not a title: an array, an object without one, only a second row's. */
  assert_plan ("{\"plan\":[\"Max\"],\"model_remains\":[]," OK_RESP "}", MQ_REGION_GLOBAL, NULL, FALSE);
  assert_plan ("{\"plan\":{\"id\":3},\"model_remains\":[]," OK_RESP "}", MQ_REGION_GLOBAL, NULL, FALSE);
  assert_plan ("{\"model_remains\":[{\"model_name\":\"general\",\"current_interval_remaining_percent\":5},"
               "{\"model_name\":\"video\",\"plan_name\":\"Max\",\"current_interval_remaining_percent\":5}]," OK_RESP "}",
               MQ_REGION_GLOBAL, NULL, FALSE);
}

/* A long title is cut like a model name. */
static void
test_long_title (void)
{
  g_autoptr(GString) json = g_string_new ("{\"plan_name\":\"");
  g_autoptr(MqSnapshot) snapshot = NULL;
  const char *name = NULL;
  gboolean inferred = TRUE;

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (json, 'P');
  g_string_append (json, "\",\"model_remains\":[]," OK_RESP "}");

  snapshot = parse (json->str, MQ_REGION_GLOBAL);
  g_assert_true (mq_snapshot_get_plan (snapshot, &name, &inferred));
  g_assert_false (inferred);
  g_assert_cmpuint (g_utf8_strlen (name, -1), ==, MQ_SAFE_TEXT_NAME_MAX);
  g_assert_true (g_str_has_suffix (name, "…"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/plan/infer/known-tiers", test_infer_known_tiers);
  g_test_add_func ("/plan/infer/near-misses", test_infer_near_misses);
  g_test_add_func ("/plan/infer/not-guessed", test_infer_not_guessed);
  g_test_add_func ("/plan/reported-titles", test_reported_titles);
  g_test_add_func ("/plan/long-title", test_long_title);

  return g_test_run ();
}
