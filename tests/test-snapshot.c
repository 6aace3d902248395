/* test-snapshot.c: the quota model and every interpretation rule */
#include "config.h"

#include <string.h>

#include "mq-error.h"
#include "mq-safe-text.h"
#include "mq-snapshot.h"

/* 2026-06-08T13:13:20Z: inside the windows of most fixtures. */
#define NOW_MS G_GINT64_CONSTANT (1780924400000)

static MqSnapshot *
parse_text (const char  *json,
            GError     **error)
{
  return mq_snapshot_parse (json, strlen (json), NOW_MS, MQ_REGION_GLOBAL, error);
}

static MqSnapshot *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot = parse_text (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static void
assert_parse_error (const char *json,
                    gssize      length,
                    MqError     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;

  snapshot = mq_snapshot_parse (json, length < 0 ? strlen (json) : (gsize) length,
                                NOW_MS, MQ_REGION_GLOBAL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, MQ_ERROR, (gint) code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 20);
}

static MqSnapshot *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return mq_snapshot_parse (contents, length, NOW_MS, MQ_REGION_GLOBAL, error);
}

/* One row wrapped in a successful response. */
static MqSnapshot *
parse_row (const char *row_fields)
{
  g_autofree char *json = g_strdup_printf (
      "{\"model_remains\":[{\"model_name\":\"general\",%s}],"
      "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
      row_fields);

  return parse_ok (json);
}

static const MqModel *
only_model (MqSnapshot *snapshot)
{
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, 1);
  return mq_snapshot_get_model (snapshot, 0);
}

/* ---------------- fixtures ---------------- */

static void
test_fixture_current_percent_plan (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("current-percent-plan.json", NULL);
  const MqModel *general, *video;
  MqHeadline headline;

  g_assert_nonnull (snapshot);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, 2);

  general = mq_snapshot_find_model (snapshot, "general");
  g_assert_nonnull (general);
  g_assert_true (general->usable);
  g_assert_true (general->in_plan);
  g_assert_cmpint (general->lane, ==, MQ_LANE_TEXT);
  g_assert_cmpfloat (general->interval.remaining_percent, ==, 99);
  /* Percent-based plan: totals are 0, so counts are unknown, not 0. */
  g_assert_cmpint (general->interval.total, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (general->interval.remaining, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (general->interval.used, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (general->interval.period, ==, MQ_PERIOD_FIVE_HOUR);
  g_assert_cmpint (general->interval.period_seconds, ==, 18000);
  g_assert_cmpint (general->interval.resets_at_ms, ==, G_GINT64_CONSTANT (1785182400000));
  g_assert_cmpint (general->weekly.period, ==, MQ_PERIOD_WEEKLY);
  g_assert_cmpint (general->weekly.period_seconds, ==, 604800);
  g_assert_false (general->interval.unlimited);
  g_assert_false (general->interval.exhausted);

  video = mq_snapshot_find_model (snapshot, "video");
  g_assert_nonnull (video);
  g_assert_true (video->in_plan);
  g_assert_cmpint (video->interval.period, ==, MQ_PERIOD_DAILY);
  /* usage 0 of 3 with 100% left: usage_count is the used count here. */
  g_assert_cmpint (video->interval.total, ==, 3);
  g_assert_cmpint (video->interval.remaining, ==, 3);
  g_assert_cmpint (video->interval.used, ==, 0);
  g_assert_cmpint (video->weekly.total, ==, 21);
  g_assert_cmpint (video->weekly.remaining, ==, 21);

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_true (headline.model == general);
  g_assert_cmpint (headline.slot, ==, MQ_SLOT_INTERVAL);
  g_assert_cmpfloat (headline.remaining_percent, ==, 99);
  g_assert_cmpint (headline.state, ==, MQ_STATE_OK);
}

static void
test_fixture_error_codes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) s1 = parse_fixture ("error-1004-no-key.json", &error);

  g_assert_null (s1);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  g_assert_nonnull (strstr (error->message, "1004"));
  g_clear_error (&error);

  {
    g_autoptr(MqSnapshot) s2 = parse_fixture ("error-2049-invalid-key.json", &error);

    g_assert_null (s2);
    g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
    g_assert_nonnull (strstr (error->message, "2049"));
    g_assert_nonnull (strstr (error->message, "region"));
  }
}

static void
test_fixture_exhausted_interval (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("exhausted-interval.json", NULL);
  const MqModel *general = only_model (snapshot);
  MqHeadline headline;

  g_assert_true (general->interval.exhausted);
  g_assert_cmpfloat (general->interval.remaining_percent, ==, 0);
  /* The last block of the day is 4 hours: still the 5-hour text window. */
  g_assert_cmpint (general->interval.period_seconds, ==, 14400);
  g_assert_cmpint (general->interval.period, ==, MQ_PERIOD_FIVE_HOUR);
  /* Weekly status 3 beside a limited interval: unlimited, no countdown. */
  g_assert_true (general->weekly.unlimited);
  g_assert_cmpint (general->weekly.resets_at_ms, ==, 0);

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpint (headline.state, ==, MQ_STATE_EXHAUSTED);
  g_assert_cmpint (headline.slot, ==, MQ_SLOT_INTERVAL);
  g_assert_cmpfloat (headline.remaining_percent, ==, 0);
  g_assert_cmpint (headline.resets_at_ms, ==, G_GINT64_CONSTANT (1782057600000));
}

static void
test_fixture_legacy_counts (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("legacy-counts-cn.json", NULL);
  const MqModel *text, *speech, *hailuo;
  MqHeadline headline;

  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, 5);

  text = mq_snapshot_find_model (snapshot, "MiniMax-M*");
  g_assert_nonnull (text);
  g_assert_cmpint (text->lane, ==, MQ_LANE_TEXT);
  /* No percent: usage_count is the remaining count (old endpoint). */
  g_assert_cmpint (text->interval.total, ==, 4500);
  g_assert_cmpint (text->interval.remaining, ==, 4286);
  g_assert_cmpint (text->interval.used, ==, 214);
  g_assert_cmpfloat_with_epsilon (text->interval.remaining_percent, 95.2444, 0.001);
  /* Weekly total 0 beside a real interval total: no weekly limit. */
  g_assert_true (text->weekly.unlimited);
  g_assert_false (text->weekly.exhausted);

  speech = mq_snapshot_find_model (snapshot, "speech-hd");
  g_assert_cmpint (speech->lane, ==, MQ_LANE_SPEECH);
  g_assert_cmpint (speech->interval.remaining, ==, 19000);
  g_assert_cmpfloat (speech->interval.remaining_percent, ==, 100);
  g_assert_cmpint (speech->interval.period, ==, MQ_PERIOD_DAILY);
  g_assert_cmpint (speech->weekly.total, ==, 133000);
  g_assert_false (speech->weekly.unlimited);

  hailuo = mq_snapshot_find_model (snapshot, "MiniMax-Hailuo-2.3-Fast-6s-768p");
  g_assert_cmpint (hailuo->lane, ==, MQ_LANE_VIDEO);
  g_assert_cmpint (mq_snapshot_find_model (snapshot, "music-2.5")->lane, ==, MQ_LANE_MUSIC);
  g_assert_cmpint (mq_snapshot_find_model (snapshot, "image-01")->lane, ==, MQ_LANE_IMAGE);

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_true (headline.model == text);
  g_assert_cmpint (headline.slot, ==, MQ_SLOT_INTERVAL);
  g_assert_cmpint (headline.state, ==, MQ_STATE_OK);
}

static void
test_fixture_boost_not_in_plan (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("plus-boost-not-in-plan.json", NULL);
  const MqModel *general = mq_snapshot_find_model (snapshot, "general");
  const MqModel *video = mq_snapshot_find_model (snapshot, "video");
  MqHeadline headline;

  g_assert_cmpfloat (general->interval.boost, ==, 2.0);
  g_assert_cmpfloat (general->weekly.boost, ==, 2.0);
  /* Shown as reported, never multiplied past 100. */
  g_assert_cmpfloat (general->interval.remaining_percent, ==, 99);
  g_assert_true (general->weekly.unlimited);

  /* Rule 1: the server says 100% but the plan does not include video. */
  g_assert_false (video->in_plan);
  g_assert_cmpfloat (video->interval.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
  g_assert_cmpfloat (video->weekly.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
  g_assert_false (video->interval.known);

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpfloat (headline.remaining_percent, ==, 99);

  /* Driving the icon with a model not in the plan shows no number. */
  g_assert_true (mq_snapshot_get_headline (snapshot, "video", NULL, &headline));
  g_assert_true (headline.model == video);
  g_assert_cmpint (headline.state, ==, MQ_STATE_UNKNOWN);
  g_assert_cmpfloat (headline.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
}

static void
test_fixture_counts_and_not_in_plan (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json", NULL);
  const MqModel *general = mq_snapshot_find_model (snapshot, "general");
  const MqModel *video = mq_snapshot_find_model (snapshot, "video");
  MqHeadline headline;

  g_assert_cmpint (general->interval.total, ==, 1500);
  g_assert_cmpint (general->interval.remaining, ==, 945);
  g_assert_cmpint (general->interval.used, ==, 555);
  g_assert_cmpint (general->weekly.total, ==, 15000);
  g_assert_cmpint (general->weekly.remaining, ==, 14400);
  g_assert_cmpint (general->weekly.used, ==, 600);
  g_assert_false (video->in_plan);

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpfloat (headline.remaining_percent, ==, 63);
  g_assert_cmpint (headline.slot, ==, MQ_SLOT_INTERVAL);
  g_assert_cmpint (headline.resets_at_ms, ==, G_GINT64_CONSTANT (1780866000000));
}

static void
test_fixture_cloudflare_html (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("cloudflare-403.html", &error);

  g_assert_null (snapshot);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE);
  /* Never echo the body. */
  g_assert_null (strstr (error->message, "Just a moment"));
}

/* Every file in tests/data parses to a snapshot or a clean error. */
static void
test_every_fixture_is_safe (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MqSnapshot) snapshot = NULL;

      if (!g_str_has_suffix (name, ".json") && !g_str_has_suffix (name, ".html"))
        continue;

      snapshot = parse_fixture (name, &error);
      g_assert_true ((snapshot == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (error->domain == MQ_ERROR);
      for (guint i = 0; snapshot != NULL && i < mq_snapshot_get_n_models (snapshot); i++)
        {
          const MqModel *model = mq_snapshot_get_model (snapshot, i);

          g_assert_cmpfloat (model->interval.remaining_percent, <=, 100);
          g_assert_cmpfloat (model->weekly.remaining_percent, <=, 100);
          /* Not in plan never reads as a percentage. */
          if (!model->in_plan)
            g_assert_cmpfloat (model->interval.remaining_percent, <, 0);
        }
      count++;
    }

  g_assert_cmpuint (count, >=, 8);
}

/* ---------------- rule 4: which count is remaining ---------------- */

static void
test_usage_read_as_used (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":1000,\"current_interval_usage_count\":370,"
      "\"current_interval_remaining_percent\":63,\"current_interval_status\":1");
  const MqModel *model = only_model (snapshot);

  g_assert_cmpint (model->interval.used, ==, 370);
  g_assert_cmpint (model->interval.remaining, ==, 630);
  g_assert_cmpint (model->interval.total, ==, 1000);
  g_assert_false (model->interval.counts_unreliable);
}

static void
test_usage_read_as_remaining (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":1000,\"current_interval_usage_count\":630,"
      "\"current_interval_remaining_percent\":63.4");
  const MqModel *model = only_model (snapshot);

  g_assert_cmpint (model->interval.remaining, ==, 630);
  g_assert_cmpint (model->interval.used, ==, 370);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 63.4);
}

static void
test_usage_disagrees (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":1000,\"current_interval_usage_count\":500,"
      "\"current_interval_remaining_percent\":10");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->interval.counts_unreliable);
  g_assert_cmpint (model->interval.total, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (model->interval.remaining, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (model->interval.used, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 10);
  g_assert_true (model->usable);
}

static void
test_usage_beyond_total (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":100,\"current_interval_usage_count\":150");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->interval.counts_unreliable);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
  g_assert_false (model->interval.known);
}

static void
test_percent_only (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
      "\"current_interval_remaining_percent\":42,\"current_interval_status\":1");
  const MqModel *model = only_model (snapshot);

  g_assert_cmpfloat (model->interval.remaining_percent, ==, 42);
  g_assert_cmpint (model->interval.total, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (model->interval.remaining, ==, MQ_COUNT_UNKNOWN);
  g_assert_false (model->interval.counts_unreliable);
}

static void
test_remaining_alias_preferred (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":1500,\"current_interval_usage_count\":1400,"
      "\"current_interval_remaining_count\":100,\"current_interval_remaining_percent\":7");
  const MqModel *model = only_model (snapshot);

  g_assert_cmpint (model->interval.remaining, ==, 100);
  g_assert_cmpint (model->interval.used, ==, 1400);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 7);
}

static void
test_remains_and_used_aliases (void)
{
  g_autoptr(MqSnapshot) a = parse_row (
      "\"current_weekly_total_count\":200,\"current_weekly_remains_count\":\"50\"");
  g_autoptr(MqSnapshot) b = parse_row (
      "\"current_interval_total_count\":200,\"current_interval_used_count\":150");
  const MqModel *ma = only_model (a);
  const MqModel *mb = only_model (b);

  g_assert_cmpint (ma->weekly.remaining, ==, 50);
  g_assert_cmpint (ma->weekly.used, ==, 150);
  g_assert_cmpfloat (ma->weekly.remaining_percent, ==, 25);

  g_assert_cmpint (mb->interval.used, ==, 150);
  g_assert_cmpint (mb->interval.remaining, ==, 50);
  g_assert_cmpfloat (mb->interval.remaining_percent, ==, 25);
}

static void
test_alias_beyond_total (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":100,\"current_interval_remaining_count\":500,"
      "\"current_interval_remaining_percent\":80");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->interval.counts_unreliable);
  g_assert_cmpint (model->interval.remaining, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 80);
}

/* ---------------- numbers ---------------- */

static void
test_numeric_strings_and_floats (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":\"1500\",\"current_interval_usage_count\":945.0,"
      "\"current_interval_remaining_percent\":\" 63 \",\"current_interval_status\":\"1\","
      "\"end_time\":\"1780866000000\",\"start_time\":1780848000000.0");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->usable);
  g_assert_cmpint (model->interval.total, ==, 1500);
  g_assert_cmpint (model->interval.remaining, ==, 945);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 63);
  g_assert_cmpint (model->interval.resets_at_ms, ==, G_GINT64_CONSTANT (1780866000000));
  g_assert_cmpint (model->interval.period_seconds, ==, 18000);
}

static void
test_negative_number_unusable (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":-5,\"current_interval_remaining_percent\":50");
  const MqModel *model = only_model (snapshot);
  MqHeadline headline;

  g_assert_false (model->usable);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpint (headline.state, ==, MQ_STATE_UNKNOWN);
}

static void
test_huge_number_unusable (void)
{
  g_autoptr(MqSnapshot) a = parse_row ("\"current_interval_total_count\":1e300");
  g_autoptr(MqSnapshot) b = parse_row ("\"current_interval_usage_count\":99999999999999999999999");
  g_autoptr(MqSnapshot) c = parse_row ("\"current_interval_remaining_percent\":250");

  g_assert_false (only_model (a)->usable);
  g_assert_false (only_model (b)->usable);
  g_assert_false (only_model (c)->usable);
}

static void
test_wrong_types_unusable (void)
{
  const char *rows[] = {
    "\"current_interval_remaining_percent\":true",
    "\"current_interval_remaining_percent\":{\"v\":1}",
    "\"current_interval_remaining_percent\":[50]",
    "\"current_interval_remaining_percent\":\"half\"",
    "\"current_interval_total_count\":\"12abc\"",
    "\"current_weekly_status\":[]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(MqSnapshot) snapshot = parse_row (rows[i]);

      g_assert_false (only_model (snapshot)->usable);
    }
}

static void
test_missing_fields (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok (
      "{\"model_remains\":[{\"model_name\":\"general\"}],\"base_resp\":{\"status_code\":0}}");
  const MqModel *model = only_model (snapshot);
  MqHeadline headline;

  g_assert_true (model->usable);
  g_assert_false (model->interval.known);
  g_assert_false (model->weekly.known);
  g_assert_cmpint (model->interval.resets_at_ms, ==, 0);
  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpint (headline.state, ==, MQ_STATE_UNKNOWN);
  g_assert_cmpfloat (headline.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
}

static void
test_rows_without_name (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok (
      "{\"model_remains\":[42,null,\"x\",{\"current_interval_remaining_percent\":5},"
      "{\"model_name\":7},{\"model_name\":\"\"},"
      "{\"model_name\":\"video\",\"current_interval_remaining_percent\":50}],"
      "\"base_resp\":{\"status_code\":0}}");
  const MqModel *unnamed;

  /* Rule 9: a nameless row with numbers is kept, named by its window (none
   * said: the text lane of the older plans); one without numbers is not. */
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, 2);
  unnamed = mq_snapshot_get_model (snapshot, 0);
  g_assert_cmpstr (unnamed->name, ==, MQ_MODEL_NAME_UNNAMED_TEXT);
  g_assert_cmpint (unnamed->lane, ==, MQ_LANE_TEXT);
  g_assert_cmpfloat (unnamed->interval.remaining_percent, ==, 5);
  g_assert_cmpstr (mq_snapshot_get_model (snapshot, 1)->name, ==, "video");
}

static void
test_unknown_status_ignored (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_status\":7,\"current_interval_remaining_percent\":30");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->usable);
  g_assert_false (model->interval.unlimited);
  g_assert_false (model->interval.exhausted);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 30);
}

/* ---------------- rules 1-3 ---------------- */

static void
test_not_in_plan_needs_both (void)
{
  /* Only one window at status 3: that window is unlimited, the model is in
   * the plan. */
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":0,\"current_weekly_total_count\":0,"
      "\"current_interval_status\":1,\"current_interval_remaining_percent\":80,"
      "\"current_weekly_status\":3,\"current_weekly_remaining_percent\":100,"
      "\"weekly_end_time\":1781452800000");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->in_plan);
  g_assert_true (model->weekly.unlimited);
  g_assert_cmpint (model->weekly.resets_at_ms, ==, 0);
  g_assert_cmpfloat (model->weekly.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 80);
}

static void
test_interval_unlimited_weekly_limited (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_status\":3,\"current_interval_remaining_percent\":100,"
      "\"current_weekly_status\":1,\"current_weekly_remaining_percent\":12");
  MqHeadline headline;

  g_assert_true (only_model (snapshot)->interval.unlimited);
  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpint (headline.slot, ==, MQ_SLOT_WEEKLY);
  g_assert_cmpfloat (headline.remaining_percent, ==, 12);
  g_assert_cmpint (headline.state, ==, MQ_STATE_LOW);
}

static void
test_status_2_is_exhausted (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_status\":2,\"current_interval_remaining_percent\":50");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->interval.exhausted);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 0);
  g_assert_cmpint (mq_state_for_window (&model->interval, NULL), ==, MQ_STATE_EXHAUSTED);
}

static void
test_zero_percent_is_exhausted (void)
{
  g_autoptr(MqSnapshot) a = parse_row ("\"current_interval_remaining_percent\":0");
  g_autoptr(MqSnapshot) b = parse_row (
      "\"current_interval_total_count\":10,\"current_interval_usage_count\":0");

  g_assert_true (only_model (a)->interval.exhausted);
  /* Old format, no percent: usage_count 0 is 0 remaining. */
  g_assert_true (only_model (b)->interval.exhausted);
  g_assert_cmpfloat (only_model (b)->interval.remaining_percent, ==, 0);
}

static void
test_legacy_weekly_absent_is_unknown (void)
{
  /* No weekly fields at all: nothing is known about a weekly limit. */
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":100,\"current_interval_usage_count\":40");
  const MqModel *model = only_model (snapshot);

  g_assert_cmpint (model->interval.remaining, ==, 40);
  g_assert_false (model->weekly.unlimited);
  g_assert_false (model->weekly.known);
}

static void
test_legacy_weekly_zero_is_unlimited_only_beside_interval (void)
{
  /* Both totals 0 and no statuses: nothing is known, not "unlimited". */
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
      "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->in_plan);
  g_assert_false (model->weekly.unlimited);
  g_assert_false (model->weekly.known);
  g_assert_false (model->interval.known);
}

/* ---------------- rules 5-6 ---------------- */

static void
test_boost_spellings (void)
{
  const char *rows[] = {
    "\"interval_boost_permille\":2000",
    "\"interval_boost_permill\":2000",
    "\"current_interval_boost_permille\":\"2000\"",
    "\"current_interval_boost_permill\":2000.0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *fields = g_strdup_printf (
          "%s,\"current_interval_remaining_percent\":90,\"weekly_boost_permill\":1500", rows[i]);
      g_autoptr(MqSnapshot) snapshot = parse_row (fields);
      const MqModel *model = only_model (snapshot);

      g_assert_cmpfloat (model->interval.boost, ==, 2.0);
      g_assert_cmpfloat (model->weekly.boost, ==, 1.5);
      g_assert_cmpfloat (model->interval.remaining_percent, ==, 90);
    }
}

static void
test_reset_from_remains_time (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_remaining_percent\":50,\"remains_time\":9000000,"
      "\"end_time\":\"soon\",\"weekly_remains_time\":60000,"
      "\"current_weekly_remaining_percent\":90");
  const MqModel *model = only_model (snapshot);

  /* A bad end_time is tolerated: remains_time takes over. */
  g_assert_true (model->usable);
  g_assert_cmpint (model->interval.resets_at_ms, ==, NOW_MS + 9000000);
  g_assert_cmpint (model->weekly.resets_at_ms, ==, NOW_MS + 60000);
  /* No times: the name decides the window kind. */
  g_assert_cmpint (model->interval.period, ==, MQ_PERIOD_FIVE_HOUR);
  g_assert_cmpint (model->interval.period_seconds, ==, 0);
}

static void
test_period_from_name_fallback (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok (
      "{\"model_remains\":[{\"model_name\":\"image-01\",\"current_interval_remaining_percent\":40,"
      "\"remains_time\":1000}],\"base_resp\":{\"status_code\":0}}");

  g_assert_cmpint (only_model (snapshot)->interval.period, ==, MQ_PERIOD_DAILY);
}

static void
test_negative_times_ignored (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_remaining_percent\":50,\"start_time\":-1,\"end_time\":-5,"
      "\"remains_time\":-100");
  const MqModel *model = only_model (snapshot);

  g_assert_true (model->usable);
  g_assert_cmpint (model->interval.resets_at_ms, ==, 0);
  g_assert_cmpint (model->interval.period_seconds, ==, 0);
}

/* ---------------- rule 7: headline ---------------- */

static void
test_headline_weekly_binds (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_remaining_percent\":70,\"current_weekly_remaining_percent\":4,"
      "\"weekly_end_time\":1781452800000");
  MqHeadline headline;

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpint (headline.slot, ==, MQ_SLOT_WEEKLY);
  g_assert_cmpfloat (headline.remaining_percent, ==, 4);
  g_assert_cmpint (headline.state, ==, MQ_STATE_CRITICAL);
  g_assert_cmpint (headline.resets_at_ms, ==, G_GINT64_CONSTANT (1781452800000));
}

static void
test_headline_thresholds (void)
{
  struct { double pct; MqState state; } cases[] = {
    { 100, MQ_STATE_OK }, { 21, MQ_STATE_OK }, { 20, MQ_STATE_LOW },
    { 6, MQ_STATE_LOW }, { 5, MQ_STATE_CRITICAL }, { 0.5, MQ_STATE_CRITICAL },
    { 0, MQ_STATE_EXHAUSTED },
  };
  MqThresholds custom = { 50, 10 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fields = g_strdup_printf ("\"current_interval_remaining_percent\":%g",
                                                 cases[i].pct);
      g_autoptr(MqSnapshot) snapshot = parse_row (fields);
      MqHeadline headline;

      g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
      g_assert_cmpint (headline.state, ==, cases[i].state);
    }

  {
    g_autoptr(MqSnapshot) snapshot = parse_row ("\"current_interval_remaining_percent\":45");
    MqHeadline headline;

    g_assert_true (mq_snapshot_get_headline (snapshot, NULL, &custom, &headline));
    g_assert_cmpint (headline.state, ==, MQ_STATE_LOW);
  }
}

static void
test_headline_no_text_lane (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok (
      "{\"model_remains\":[{\"model_name\":\"video\",\"current_interval_remaining_percent\":50}],"
      "\"base_resp\":{\"status_code\":0}}");
  MqHeadline headline;

  g_assert_false (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_null (headline.model);
  g_assert_cmpint (headline.state, ==, MQ_STATE_UNKNOWN);

  /* Asking for video explicitly works. */
  g_assert_true (mq_snapshot_get_headline (snapshot, "video", NULL, &headline));
  g_assert_cmpfloat (headline.remaining_percent, ==, 50);
}

static void
test_headline_all_unlimited (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_row (
      "\"current_interval_total_count\":5,\"current_interval_status\":3,"
      "\"current_weekly_status\":3");
  MqHeadline headline;

  g_assert_true (only_model (snapshot)->in_plan);
  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_true (headline.unlimited);
  g_assert_cmpint (headline.state, ==, MQ_STATE_OK);
  g_assert_cmpfloat (headline.remaining_percent, ==, MQ_PERCENT_UNKNOWN);
}

static void
test_next_reset (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json", NULL);

  /* The general interval ends 1780866000000; video (not in plan) is ignored. */
  g_assert_cmpint (mq_snapshot_get_next_reset_ms (snapshot, 1780850000000), ==,
                   G_GINT64_CONSTANT (1780866000000));
  g_assert_cmpint (mq_snapshot_get_next_reset_ms (snapshot, 1780870000000), ==,
                   G_GINT64_CONSTANT (1781452800000));
  g_assert_cmpint (mq_snapshot_get_next_reset_ms (snapshot, 1790000000000), ==, 0);
}

/* ---------------- envelope ---------------- */

static void
test_empty_and_absent_rows (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok ("{\"model_remains\":[],\"base_resp\":{\"status_code\":0}}");
  MqHeadline headline;

  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, 0);
  g_assert_false (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));

  assert_parse_error ("{\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}", -1,
                      MQ_ERROR_UNREADABLE);
  assert_parse_error ("{\"model_remains\":null}", -1, MQ_ERROR_UNREADABLE);
  assert_parse_error ("{\"model_remains\":{\"general\":1}}", -1, MQ_ERROR_UNREADABLE);
}

static void
test_data_wrapper (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok (
      "{\"data\":{\"model_remains\":[{\"model_name\":\"general\","
      "\"current_interval_remaining_percent\":33}],\"base_resp\":{\"status_code\":0}}}");

  g_assert_cmpfloat (only_model (snapshot)->interval.remaining_percent, ==, 33);
  assert_parse_error ("{\"data\":{\"base_resp\":{\"status_code\":2049}}}", -1,
                      MQ_ERROR_KEY_REJECTED);
}

static void
test_api_status_codes (void)
{
  struct { const char *code; MqError error; } cases[] = {
    { "1004", MQ_ERROR_KEY_REJECTED },
    { "2049", MQ_ERROR_KEY_REJECTED },
    { "\"2049\"", MQ_ERROR_KEY_REJECTED },
    { "2062", MQ_ERROR_NO_PLAN },
    { "1008", MQ_ERROR_NO_PLAN },
    { "1002", MQ_ERROR_RATE_LIMITED },
    { "1000", MQ_ERROR_SERVER },
    { "1024", MQ_ERROR_SERVER },
    { "9999", MQ_ERROR_SERVER },
    { "\"bad\"", MQ_ERROR_UNREADABLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
          "{\"model_remains\":[],\"base_resp\":{\"status_code\":%s,\"status_msg\":\"x\"}}",
          cases[i].code);

      assert_parse_error (json, -1, cases[i].error);
    }
}

static void
test_hostile_bodies (void)
{
  GString *deep = g_string_new ("{\"model_remains\":");
  const char invalid_utf8[] = "{\"model_remains\":[{\"model_name\":\"gen\xff\xfe\"}]}";

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');

  assert_parse_error (deep->str, deep->len, MQ_ERROR_UNREADABLE);
  g_string_free (deep, TRUE);

  assert_parse_error (invalid_utf8, sizeof invalid_utf8 - 1, MQ_ERROR_UNREADABLE);
  assert_parse_error ("", 0, MQ_ERROR_UNREADABLE);
  assert_parse_error ("   \n", -1, MQ_ERROR_UNREADABLE);
  assert_parse_error ("{\"model_remains\":[{\"model_name\":\"general\",\"current_int", -1,
                      MQ_ERROR_UNREADABLE);
  assert_parse_error ("[1,2,3]", -1, MQ_ERROR_UNREADABLE);
  assert_parse_error ("null", -1, MQ_ERROR_UNREADABLE);
  assert_parse_error ("<html><body>502 Bad Gateway</body></html>", -1, MQ_ERROR_UNREADABLE);
  assert_parse_error ("{\"model_remains\":[]}\0trailing", 30, MQ_ERROR_UNREADABLE);
}

static void
test_nesting_inside_strings_is_fine (void)
{
  GString *json = g_string_new ("{\"model_remains\":[{\"model_name\":\"general\",\"note\":\"");

  for (guint i = 0; i < 500; i++)
    g_string_append (json, "[{");
  g_string_append (json, "\\\"\",\"current_interval_remaining_percent\":12}],"
                         "\"base_resp\":{\"status_code\":0}}");

  {
    g_autoptr(MqSnapshot) snapshot = parse_ok (json->str);

    g_assert_cmpfloat (only_model (snapshot)->interval.remaining_percent, ==, 12);
  }
  g_string_free (json, TRUE);
}

/* An answer of more rows than MQ_SNAPSHOT_MAX_MODELS (issue 9.5: 20,000
 * rows were carried whole into the report, the menu and the alerts, and
 * held 100 MiB): the snapshot keeps that many, in the order of the answer,
 * and counts the rest. */
static void
test_many_rows (void)
{
  GString *json = g_string_new ("{\"model_remains\":[");
  g_autoptr(MqSnapshot) snapshot = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (json, "%s{\"model_name\":\"x%u\",\"current_interval_remaining_percent\":%u}",
                            i ? "," : "", i, i % 101);
  g_string_append (json, "],\"base_resp\":{\"status_code\":0}}");

  snapshot = parse_ok (json->str);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, MQ_SNAPSHOT_MAX_MODELS);
  g_assert_cmpuint (mq_snapshot_get_n_omitted (snapshot), ==, 5000 - MQ_SNAPSHOT_MAX_MODELS);
  for (guint i = 0; i < MQ_SNAPSHOT_MAX_MODELS; i++)
    {
      g_autofree char *name = g_strdup_printf ("x%u", i);

      g_assert_cmpstr (mq_snapshot_get_model (snapshot, i)->name, ==, name);
      g_assert_cmpfloat (mq_snapshot_get_model (snapshot, i)->interval.remaining_percent, ==, i % 101);
    }
  g_assert_null (mq_snapshot_find_model (snapshot, "x256"));
  g_string_free (json, TRUE);
}

/* Exactly MQ_SNAPSHOT_MAX_MODELS rows: every one, nothing omitted. */
static void
test_rows_at_cap (void)
{
  GString *json = g_string_new ("{\"model_remains\":[");
  g_autoptr(MqSnapshot) snapshot = NULL;

  for (guint i = 0; i < MQ_SNAPSHOT_MAX_MODELS; i++)
    g_string_append_printf (json, "%s{\"model_name\":\"m%u\",\"current_interval_remaining_percent\":5}",
                            i ? "," : "", i);
  g_string_append (json, "]}");

  snapshot = parse_ok (json->str);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, MQ_SNAPSHOT_MAX_MODELS);
  g_assert_cmpuint (mq_snapshot_get_n_omitted (snapshot), ==, 0);
  g_string_free (json, TRUE);
}

/* Past the cap, which rows stay: the text lane and 5-hour windows (the
 * headline) wherever they are, then the other models in the plan, then
 * unreadable rows, then those not in the plan; rows that are skipped
 * anyway (no name, no numbers) are not counted as omitted. */
static void
test_many_rows_ranked (void)
{
  GString *json = g_string_new ("{\"model_remains\":[");
  g_autoptr(MqSnapshot) snapshot = NULL;
  guint n_in_plan = 0, n_unusable = 0;
  const MqModel *text;
  MqHeadline headline;
  MqThresholds thresholds = { 20, 10 };

  /* 300 not in the plan, 10 skipped rows, 200 in the plan, 100 unreadable,
   * and the text lane last, under a name the lane test does not know but
   * with a 5-hour window. */
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (json, "{\"model_name\":\"video-%u\",\"current_interval_status\":3,"
                            "\"current_weekly_status\":3,\"current_interval_total_count\":0,"
                            "\"current_weekly_total_count\":0},", i);
  for (guint i = 0; i < 10; i++)
    g_string_append (json, "{\"note\":\"no name\"},");
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (json, "{\"model_name\":\"speech-%u\",\"current_interval_total_count\":100,"
                            "\"current_interval_usage_count\":10},", i);
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (json, "{\"model_name\":\"broken-%u\",\"current_interval_total_count\":\"lots\"},", i);
  g_string_append_printf (json, "{\"model_name\":\"house-blend\",\"current_interval_total_count\":1500,"
                          "\"current_interval_usage_count\":945,"
                          "\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT "}]}",
                          NOW_MS - 3600 * 1000, NOW_MS + 4 * 3600 * 1000);

  snapshot = parse_ok (json->str);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, MQ_SNAPSHOT_MAX_MODELS);
  g_assert_cmpuint (mq_snapshot_get_n_omitted (snapshot), ==, 601 - MQ_SNAPSHOT_MAX_MODELS);

  text = mq_snapshot_find_model (snapshot, "house-blend");
  g_assert_nonnull (text);
  g_assert_true (text == mq_snapshot_get_model (snapshot, MQ_SNAPSHOT_MAX_MODELS - 1));
  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, &thresholds, &headline));
  g_assert_true (headline.model == text);
  g_assert_cmpfloat (headline.remaining_percent, ==, 63);

  for (guint i = 0; i < MQ_SNAPSHOT_MAX_MODELS - 1; i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      if (g_str_has_prefix (model->name, "speech-"))
        {
          g_autofree char *name = g_strdup_printf ("speech-%u", n_in_plan);

          /* In the order of the answer. */
          g_assert_cmpstr (model->name, ==, name);
          n_in_plan++;
        }
      else
        {
          g_assert_true (g_str_has_prefix (model->name, "broken-"));
          g_assert_false (model->usable);
          n_unusable++;
        }
    }
  g_assert_cmpuint (n_in_plan, ==, 200);
  g_assert_cmpuint (n_unusable, ==, MQ_SNAPSHOT_MAX_MODELS - 1 - 200);
  g_string_free (json, TRUE);
}

static void
test_lanes (void)
{
  g_assert_cmpint (mq_lane_for_name ("general"), ==, MQ_LANE_TEXT);
  g_assert_cmpint (mq_lane_for_name ("MiniMax-M2.5"), ==, MQ_LANE_TEXT);
  g_assert_cmpint (mq_lane_for_name ("MiniMax-Hailuo-2.3-6s-768p"), ==, MQ_LANE_VIDEO);
  g_assert_cmpint (mq_lane_for_name ("video"), ==, MQ_LANE_VIDEO);
  g_assert_cmpint (mq_lane_for_name ("speech-hd"), ==, MQ_LANE_SPEECH);
  g_assert_cmpint (mq_lane_for_name ("image-01"), ==, MQ_LANE_IMAGE);
  g_assert_cmpint (mq_lane_for_name ("music-cover"), ==, MQ_LANE_MUSIC);
  g_assert_cmpint (mq_lane_for_name ("something-new"), ==, MQ_LANE_OTHER);
  g_assert_cmpint (mq_lane_for_name (NULL), ==, MQ_LANE_OTHER);
}

static void
test_refcount_and_metadata (void)
{
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot = mq_snapshot_parse ("{\"model_remains\":[]}", 20, 1234, MQ_REGION_CN, &error);
  MqSnapshot *copy;

  g_assert_no_error (error);
  g_assert_cmpint (mq_snapshot_get_fetched_at_ms (snapshot), ==, 1234);
  g_assert_cmpint (mq_snapshot_get_region (snapshot), ==, MQ_REGION_CN);
  copy = g_boxed_copy (MQ_TYPE_SNAPSHOT, snapshot);
  g_assert_true (copy == snapshot);
  mq_snapshot_unref (snapshot);
  g_assert_cmpuint (mq_snapshot_get_n_models (copy), ==, 0);
  g_boxed_free (MQ_TYPE_SNAPSHOT, copy);
}


/* ---------------- shapes other monitors read (issue 9) ---------------- */

/* A count-based row without model_name, in the data wrapper, every number
 * a string: kept as the text lane, with its counts and its reset. */
static void
test_nameless_count_row (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("nameless-count-row.json", &error);
  const MqModel *model;
  MqHeadline headline;

  g_assert_no_error (error);
  model = only_model (snapshot);
  g_assert_cmpstr (model->name, ==, MQ_MODEL_NAME_UNNAMED_TEXT);
  g_assert_cmpstr (mq_model_name_unnamed_display (model->name), ==, "Text models");
  g_assert_cmpint (model->lane, ==, MQ_LANE_TEXT);
  g_assert_true (model->usable);
  g_assert_true (model->in_plan);
  g_assert_cmpint (model->interval.total, ==, 1500);
  g_assert_cmpint (model->interval.remaining, ==, 945);
  g_assert_cmpfloat (model->interval.remaining_percent, ==, 63);
  g_assert_cmpint (model->interval.period, ==, MQ_PERIOD_FIVE_HOUR);
  g_assert_true (model->weekly.unlimited);

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_true (headline.model == model);
  g_assert_cmpfloat (headline.remaining_percent, ==, 63);
}

/* A nameless row with a daily window is a daily quota, not the text lane;
 * any other name is not one of the nameless ones. */
static void
test_nameless_daily_row (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok (
      "{\"model_remains\":[{\"start_time\":1780790400000,\"end_time\":1780876800000,"
      "\"current_interval_total_count\":200,\"current_interval_usage_count\":150}],"
      "\"base_resp\":{\"status_code\":0}}");
  const MqModel *model = only_model (snapshot);
  MqHeadline headline;

  g_assert_cmpstr (model->name, ==, MQ_MODEL_NAME_UNNAMED_DAILY);
  g_assert_cmpstr (mq_model_name_unnamed_display (model->name), ==, "Daily quota");
  g_assert_cmpint (model->lane, !=, MQ_LANE_TEXT);
  g_assert_cmpint (model->interval.period, ==, MQ_PERIOD_DAILY);
  g_assert_false (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_null (mq_model_name_unnamed_display ("general"));
  g_assert_null (mq_model_name_unnamed_display (NULL));
}

/* The High-Speed subscription names its text row M2.7-highspeed. */
static void
test_highspeed_row (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("highspeed-plan.json", &error);
  MqHeadline headline;

  g_assert_no_error (error);
  g_assert_cmpint (mq_lane_for_name ("M2.7-highspeed"), ==, MQ_LANE_TEXT);
  g_assert_cmpint (mq_lane_for_name ("MiniMax-M2.7-highspeed"), ==, MQ_LANE_TEXT);
  g_assert_cmpint (mq_lane_for_name ("m2-her"), ==, MQ_LANE_TEXT);
  g_assert_cmpint (mq_lane_for_name ("Text-HighSpeed"), ==, MQ_LANE_TEXT);
  /* Video stays video, high speed or not. */
  g_assert_cmpint (mq_lane_for_name ("MiniMax-Hailuo-highspeed"), ==, MQ_LANE_VIDEO);

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpstr (headline.model->name, ==, "MiniMax-M2.7-highspeed");
  g_assert_cmpfloat (headline.remaining_percent, ==, 41);
  g_assert_cmpint (headline.slot, ==, MQ_SLOT_INTERVAL);
}

/* Whatever the name, the row with a measured 5-hour window is the text
 * lane for the headline; without times a name says nothing. */
static void
test_headline_five_hour_fallback (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_ok (
      "{\"model_remains\":["
      "{\"model_name\":\"image-01\",\"start_time\":1780790400000,\"end_time\":1780876800000,"
      "\"current_interval_remaining_percent\":90},"
      "{\"model_name\":\"Coding-Plan-2027\",\"start_time\":1780848000000,\"end_time\":1780866000000,"
      "\"current_interval_remaining_percent\":37}],"
      "\"base_resp\":{\"status_code\":0}}");
  g_autoptr(MqSnapshot) untimed = parse_ok (
      "{\"model_remains\":[{\"model_name\":\"Coding-Plan-2027\","
      "\"current_interval_remaining_percent\":37}],\"base_resp\":{\"status_code\":0}}");
  MqHeadline headline;

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpstr (headline.model->name, ==, "Coding-Plan-2027");
  g_assert_cmpfloat (headline.remaining_percent, ==, 37);

  g_assert_false (mq_snapshot_get_headline (untimed, NULL, NULL, &headline));
}

/* start_time/end_time in epoch seconds (below 1e11) are read as seconds. */
static void
test_epoch_seconds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("epoch-seconds.json", &error);
  const MqModel *model;

  g_assert_no_error (error);
  model = only_model (snapshot);
  g_assert_cmpint (model->interval.resets_at_ms, ==, G_GINT64_CONSTANT (1780866000000));
  g_assert_cmpint (model->interval.period_seconds, ==, 5 * 3600);
  g_assert_cmpint (model->interval.period, ==, MQ_PERIOD_FIVE_HOUR);
  g_assert_cmpint (model->weekly.resets_at_ms, ==, G_GINT64_CONSTANT (1781452800000));
  g_assert_cmpint (model->weekly.period, ==, MQ_PERIOD_WEEKLY);

  /* Milliseconds still read as milliseconds; a tiny value is no time. */
  {
    g_autoptr(MqSnapshot) ms = parse_row (
        "\"current_interval_remaining_percent\":50,\"start_time\":1780848000000,"
        "\"end_time\":1780866000000");
    g_autoptr(MqSnapshot) tiny = parse_row (
        "\"current_interval_remaining_percent\":50,\"start_time\":1,\"end_time\":18001");

    g_assert_cmpint (only_model (ms)->interval.resets_at_ms, ==, G_GINT64_CONSTANT (1780866000000));
    g_assert_cmpint (only_model (tiny)->interval.resets_at_ms, ==, 0);
  }
}

/* ---------------- server text is never shown raw (issue 9.4) ---------------- */

static void
assert_safe (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (c < 0x20 || (c >= 0x7f && c <= 0x9f));
      g_assert_false (c == 0x200e || c == 0x200f || c == 0x061c ||
                      (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
    }
}

static void
test_hostile_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("hostile-names.json", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_safe (mq_snapshot_get_model (snapshot, i)->name);

  g_assert_cmpstr (mq_snapshot_get_model (snapshot, 0)->name, ==,
                   "general\xef\xbf\xbd]0;pwned\xef\xbf\xbd\xef\xbf\xbd[2J");
  /* A newline cannot forge a second row. */
  g_assert_cmpstr (mq_snapshot_get_model (snapshot, 1)->name, ==, "video Text models 100%");
  g_assert_nonnull (mq_snapshot_find_model (snapshot, "video Text models 100%"));
}

static void
test_long_names_capped (void)
{
  GString *json = g_string_new ("{\"model_remains\":[{\"model_name\":\"");
  g_autoptr(MqSnapshot) snapshot = NULL;
  const char *name;

  for (guint i = 0; i < 5000; i++)
    g_string_append (json, "\xe6\xa8\xa1");   /* U+6A21, three bytes */
  g_string_append (json, "\",\"current_interval_remaining_percent\":10}],\"base_resp\":{\"status_code\":0}}");

  snapshot = parse_ok (json->str);
  name = only_model (snapshot)->name;
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (name, -1), ==, MQ_SAFE_TEXT_NAME_MAX);
  g_assert_true (g_str_has_suffix (name, "\xe2\x80\xa6"));
  g_string_free (json, TRUE);
}

static void
test_safe_text (void)
{
  struct { const char *in; guint max; const char *out; } cases[] = {
    { "general", 0, "general" },
    { "a\r\nb\tc", 0, "a  b c" },
    { "x\x1b[2Jy", 0, "x\xef\xbf\xbd[2Jy" },
    { "del\x7f", 0, "del\xef\xbf\xbd" },
    { "c1\xc2\x9b", 0, "c1\xef\xbf\xbd" },
    { "bad\xff utf8", 0, "bad\xef\xbf\xbd utf8" },
    { "\xe2\x80\xae" "evil", 0, "\xef\xbf\xbd" "evil" },
    { "line\xe2\x80\xa8sep", 0, "line sep" },
    { "abcdef", 4, "abc\xe2\x80\xa6" },
    { "abcd", 4, "abcd" },
    { "\xc3\xa9\xc3\xa9\xc3\xa9", 2, "\xc3\xa9\xe2\x80\xa6" },
    { "", 4, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = mq_safe_text (cases[i].in, -1, cases[i].max);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* ---------------- numbers that should never be shown (issue 9) ---------------- */

static void
test_status_code_not_an_integer (void)
{
  const char *codes[] = { "1e23", "0.5", "-1e300", "2049.5", "\"1e23\"", "4294967296" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *json = g_strdup_printf (
          "{\"model_remains\":[],\"base_resp\":{\"status_code\":%s}}", codes[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MqSnapshot) snapshot = parse_text (json, &error);

      g_assert_null (snapshot);
      g_assert_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE);
      g_assert_null (strstr (error->message, "code -1"));
      g_assert_null (strstr (error->message, "code 0"));
    }

  /* A whole code in range still reads as that code. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MqSnapshot) snapshot = parse_text (
        "{\"model_remains\":[],\"base_resp\":{\"status_code\":4321.0}}", &error);

    g_assert_error (error, MQ_ERROR, MQ_ERROR_SERVER);
    g_assert_nonnull (strstr (error->message, "4321"));
  }
}

static void
test_boost_range (void)
{
  struct { const char *permille; double boost; } cases[] = {
    { "0.4", 1.0 },
    { "999", 1.0 },
    { "1000", 1.0 },
    { "1500", 1.5 },
    { "100000", 100.0 },
    { "100001", 1.0 },
    { "999999", 1.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fields = g_strdup_printf (
          "\"interval_boost_permille\":%s,\"current_interval_remaining_percent\":90",
          cases[i].permille);
      g_autoptr(MqSnapshot) snapshot = parse_row (fields);

      g_assert_cmpfloat (only_model (snapshot)->interval.boost, ==, cases[i].boost);
    }
}

static void
test_plain_decimal_strings (void)
{
  const char *bad[] = { "\"0x32\"", "\"inf\"", "\"nan\"", "\"-inf\"", "\"50abc\"",
                        "\"abc50\"", "\"1e\"", "\".\"", "\"5 0\"", "\"0X1p4\"" };
  const char *good[] = { "\"50\"", "\" 50 \"", "\"+50\"", "\"50.0\"", "\"5e1\"", "\".5e2\"" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *fields = g_strdup_printf ("\"current_interval_remaining_percent\":%s", bad[i]);
      g_autoptr(MqSnapshot) snapshot = parse_row (fields);

      g_assert_false (only_model (snapshot)->usable);
      g_assert_cmpfloat (only_model (snapshot)->interval.remaining_percent, <, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *fields = g_strdup_printf ("\"current_interval_remaining_percent\":%s", good[i]);
      g_autoptr(MqSnapshot) snapshot = parse_row (fields);

      g_assert_true (only_model (snapshot)->usable);
      g_assert_cmpfloat (only_model (snapshot)->interval.remaining_percent, ==, 50);
    }
}

/* ---------------- clock skew (issue 9) ---------------- */

/* The local clock is 2 h fast: end_time says 34 minutes are left, the
 * server's own countdown says 2 h 34 min; the countdown wins. */
static void
test_server_countdown_first (void)
{
  const gint64 remains_ms = (2 * 60 + 34) * 60 * G_GINT64_CONSTANT (1000);
  const gint64 end_ms = G_GINT64_CONSTANT (1780866000000);
  const gint64 skew_ms = 2 * 3600 * G_GINT64_CONSTANT (1000);
  const gint64 now_ms = end_ms - remains_ms + skew_ms;
  g_autofree char *json = g_strdup_printf (
      "{\"model_remains\":[{\"model_name\":\"general\",\"start_time\":%" G_GINT64_FORMAT ","
      "\"end_time\":%" G_GINT64_FORMAT ",\"remains_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_remaining_percent\":50}],\"base_resp\":{\"status_code\":0}}",
      end_ms - 5 * 3600 * G_GINT64_CONSTANT (1000), end_ms, remains_ms);
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = mq_snapshot_parse (json, strlen (json), now_ms,
                                                      MQ_REGION_GLOBAL, &error);
  const MqModel *model;
  MqHeadline headline;

  g_assert_no_error (error);
  model = only_model (snapshot);
  g_assert_cmpint (model->interval.resets_at_ms, ==, now_ms + remains_ms);
  g_assert_cmpint (model->interval.resets_at_ms - now_ms, !=, end_ms - now_ms);
  /* The window is still measured from start and end. */
  g_assert_cmpint (model->interval.period, ==, MQ_PERIOD_FIVE_HOUR);
  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
  g_assert_cmpint (headline.resets_at_ms, ==, now_ms + remains_ms);

  /* A countdown of 0 or less says nothing: end_time then. */
  {
    g_autoptr(MqSnapshot) zero = parse_row (
        "\"current_interval_remaining_percent\":50,\"start_time\":1780848000000,"
        "\"end_time\":1780866000000,\"remains_time\":0");

    g_assert_cmpint (only_model (zero)->interval.resets_at_ms, ==, G_GINT64_CONSTANT (1780866000000));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/snapshot/fixture/current-percent-plan", test_fixture_current_percent_plan);
  g_test_add_func ("/snapshot/fixture/error-codes", test_fixture_error_codes);
  g_test_add_func ("/snapshot/fixture/exhausted-interval", test_fixture_exhausted_interval);
  g_test_add_func ("/snapshot/fixture/legacy-counts", test_fixture_legacy_counts);
  g_test_add_func ("/snapshot/fixture/boost-not-in-plan", test_fixture_boost_not_in_plan);
  g_test_add_func ("/snapshot/fixture/counts-not-in-plan", test_fixture_counts_and_not_in_plan);
  g_test_add_func ("/snapshot/fixture/cloudflare-html", test_fixture_cloudflare_html);
  g_test_add_func ("/snapshot/fixture/every-file-safe", test_every_fixture_is_safe);
  g_test_add_func ("/snapshot/counts/usage-as-used", test_usage_read_as_used);
  g_test_add_func ("/snapshot/counts/usage-as-remaining", test_usage_read_as_remaining);
  g_test_add_func ("/snapshot/counts/disagree", test_usage_disagrees);
  g_test_add_func ("/snapshot/counts/beyond-total", test_usage_beyond_total);
  g_test_add_func ("/snapshot/counts/percent-only", test_percent_only);
  g_test_add_func ("/snapshot/counts/remaining-alias", test_remaining_alias_preferred);
  g_test_add_func ("/snapshot/counts/remains-and-used-aliases", test_remains_and_used_aliases);
  g_test_add_func ("/snapshot/counts/alias-beyond-total", test_alias_beyond_total);
  g_test_add_func ("/snapshot/numbers/strings-and-floats", test_numeric_strings_and_floats);
  g_test_add_func ("/snapshot/numbers/negative", test_negative_number_unusable);
  g_test_add_func ("/snapshot/numbers/huge", test_huge_number_unusable);
  g_test_add_func ("/snapshot/numbers/wrong-types", test_wrong_types_unusable);
  g_test_add_func ("/snapshot/rows/missing-fields", test_missing_fields);
  g_test_add_func ("/snapshot/rows/without-name", test_rows_without_name);
  g_test_add_func ("/snapshot/rows/unknown-status", test_unknown_status_ignored);
  g_test_add_func ("/snapshot/rules/not-in-plan-needs-both", test_not_in_plan_needs_both);
  g_test_add_func ("/snapshot/rules/interval-unlimited", test_interval_unlimited_weekly_limited);
  g_test_add_func ("/snapshot/rules/status-2-exhausted", test_status_2_is_exhausted);
  g_test_add_func ("/snapshot/rules/zero-exhausted", test_zero_percent_is_exhausted);
  g_test_add_func ("/snapshot/rules/legacy-weekly-zero", test_legacy_weekly_zero_is_unlimited_only_beside_interval);
  g_test_add_func ("/snapshot/rules/legacy-weekly-absent", test_legacy_weekly_absent_is_unknown);
  g_test_add_func ("/snapshot/rules/boost-spellings", test_boost_spellings);
  g_test_add_func ("/snapshot/rules/reset-from-remains", test_reset_from_remains_time);
  g_test_add_func ("/snapshot/rules/period-name-fallback", test_period_from_name_fallback);
  g_test_add_func ("/snapshot/rules/negative-times", test_negative_times_ignored);
  g_test_add_func ("/snapshot/headline/weekly-binds", test_headline_weekly_binds);
  g_test_add_func ("/snapshot/headline/thresholds", test_headline_thresholds);
  g_test_add_func ("/snapshot/headline/no-text-lane", test_headline_no_text_lane);
  g_test_add_func ("/snapshot/headline/all-unlimited", test_headline_all_unlimited);
  g_test_add_func ("/snapshot/headline/next-reset", test_next_reset);
  g_test_add_func ("/snapshot/envelope/empty-and-absent", test_empty_and_absent_rows);
  g_test_add_func ("/snapshot/envelope/data-wrapper", test_data_wrapper);
  g_test_add_func ("/snapshot/envelope/api-status-codes", test_api_status_codes);
  g_test_add_func ("/snapshot/envelope/hostile", test_hostile_bodies);
  g_test_add_func ("/snapshot/envelope/nesting-in-strings", test_nesting_inside_strings_is_fine);
  g_test_add_func ("/snapshot/envelope/many-rows", test_many_rows);
  g_test_add_func ("/snapshot/envelope/rows-at-cap", test_rows_at_cap);
  g_test_add_func ("/snapshot/envelope/many-rows-ranked", test_many_rows_ranked);
  g_test_add_func ("/snapshot/lanes", test_lanes);
  g_test_add_func ("/snapshot/shapes/nameless-count-row", test_nameless_count_row);
  g_test_add_func ("/snapshot/shapes/nameless-daily-row", test_nameless_daily_row);
  g_test_add_func ("/snapshot/shapes/highspeed", test_highspeed_row);
  g_test_add_func ("/snapshot/shapes/five-hour-fallback", test_headline_five_hour_fallback);
  g_test_add_func ("/snapshot/shapes/epoch-seconds", test_epoch_seconds);
  g_test_add_func ("/snapshot/safe-text/hostile-names", test_hostile_names);
  g_test_add_func ("/snapshot/safe-text/long-names", test_long_names_capped);
  g_test_add_func ("/snapshot/safe-text/cases", test_safe_text);
  g_test_add_func ("/snapshot/numbers/status-code-not-integer", test_status_code_not_an_integer);
  g_test_add_func ("/snapshot/numbers/boost-range", test_boost_range);
  g_test_add_func ("/snapshot/numbers/plain-decimal", test_plain_decimal_strings);
  g_test_add_func ("/snapshot/rules/server-countdown-first", test_server_countdown_first);
  g_test_add_func ("/snapshot/refcount", test_refcount_and_metadata);

  return g_test_run ();
}
