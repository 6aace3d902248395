/* test-alert-tracker.c: the alert state machine, once per crossing */
#include "config.h"

#include <string.h>

#include "mq-alert-tracker.h"

/* 2026-06-08T13:13:20Z */
#define NOW_MS    G_GINT64_CONSTANT (1780924400000)
#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define POLL_MS   (3 * MINUTE_MS)

/* ---------------- snapshots from small JSON bodies ---------------- */

static MqSnapshot *
parse_at (const char *json,
          gint64      now_ms)
{
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot;

  snapshot = mq_snapshot_parse (json, strlen (json), now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static MqSnapshot *
parse_rows_at (const char *rows,
               gint64      now_ms)
{
  g_autofree char *json = g_strdup_printf (
      "{\"model_remains\":[%s],\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
      rows);

  return parse_at (json, now_ms);
}

/* A row whose 5-hour window ends at @end_ms with @interval left, and whose
 * weekly window is @weekly ("unlimited" for status 3). Percentages are
 * JSON number text ("20.5"). */
static char *
row (const char *name,
     const char *interval,
     gint64      end_ms,
     const char *weekly)
{
  g_autofree char *weekly_fields = NULL;

  if (g_str_equal (weekly, "unlimited"))
    weekly_fields = g_strdup ("\"current_weekly_status\":3,\"current_weekly_remaining_percent\":100");
  else
    weekly_fields = g_strdup_printf ("\"current_weekly_status\":1,"
                                     "\"current_weekly_remaining_percent\":%s", weekly);

  return g_strdup_printf ("{\"model_name\":\"%s\","
                          "\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
                          "\"current_interval_total_count\":0,\"current_weekly_total_count\":0,"
                          "\"current_interval_status\":1,\"current_interval_remaining_percent\":%s,"
                          "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
                          "%s}",
                          name, end_ms - 5 * HOUR_MS, end_ms, interval,
                          end_ms - 72 * HOUR_MS, end_ms + 96 * HOUR_MS, weekly_fields);
}

/* ---------------- a tracker driven poll by poll ---------------- */

typedef struct {
  MqAlertTracker *tracker;
  MqThresholds    thresholds;
  gint64          now_ms;
  gint64          end_ms;      /* reset of the current 5-hour window */
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->tracker = mq_alert_tracker_new ();
  fx->thresholds.low = MQ_THRESHOLD_LOW_DEFAULT;
  fx->thresholds.critical = MQ_THRESHOLD_CRITICAL_DEFAULT;
  fx->now_ms = NOW_MS;
  fx->end_ms = NOW_MS + 4 * HOUR_MS;
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_clear_pointer (&fx->tracker, mq_alert_tracker_free);
}

/* One poll with the raw rows @rows, then the clock moves on. */
static GPtrArray *
poll_rows (Fixture    *fx,
           const char *rows)
{
  g_autoptr(MqSnapshot) snapshot = parse_rows_at (rows, fx->now_ms);
  GPtrArray *alerts;

  alerts = mq_alert_tracker_evaluate (fx->tracker, snapshot, &fx->thresholds, fx->now_ms);
  g_assert_nonnull (alerts);
  fx->now_ms += POLL_MS;
  return alerts;
}

/* One poll of "general" with @interval left in the 5-hour window and an
 * unlimited weekly window. */
static GPtrArray *
poll (Fixture    *fx,
      const char *interval)
{
  g_autofree char *r = row ("general", interval, fx->end_ms, "unlimited");

  return poll_rows (fx, r);
}

static void
assert_quiet (Fixture    *fx,
              const char *interval)
{
  g_autoptr(GPtrArray) alerts = poll (fx, interval);

  if (alerts->len != 0)
    g_error ("%s%% gave a %s alert, expected none", interval,
             mq_alert_kind_to_string (((MqAlert *) g_ptr_array_index (alerts, 0))->kind));
}

/* Exactly one alert, of @kind, for the 5-hour window of "general". */
static void
assert_one (GPtrArray   *alerts,
            MqAlertKind  kind)
{
  const MqAlert *alert;

  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpstr (mq_alert_kind_to_string (alert->kind), ==, mq_alert_kind_to_string (kind));
}

static void
assert_poll_gives (Fixture     *fx,
                   const char  *interval,
                   MqAlertKind  kind)
{
  g_autoptr(GPtrArray) alerts = poll (fx, interval);

  assert_one (alerts, kind);
}

/* The next 5-hour window. */
static void
next_window (Fixture *fx)
{
  fx->now_ms = fx->end_ms + MINUTE_MS;
  fx->end_ms += 5 * HOUR_MS;
}

/* ---------------- the tests ---------------- */

static void
test_first_sight_above (Fixture       *fx,
                        gconstpointer  data)
{
  assert_quiet (fx, "80");
  assert_quiet (fx, "21");
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_NONE);
}

static void
test_first_sight_below (Fixture       *fx,
                        gconstpointer  data)
{
  /* Started while already low: say so once. */
  assert_poll_gives (fx, "15", MQ_ALERT_LOW);
  assert_quiet (fx, "15");
}

static void
test_low_once (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  const MqAlert *alert;

  assert_quiet (fx, "25");
  alerts = poll (fx, "18");
  assert_one (alerts, MQ_ALERT_LOW);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpstr (alert->model_name, ==, "general");
  g_assert_cmpstr (alert->window_key, ==, "general/interval");
  g_assert_cmpint (alert->slot, ==, MQ_SLOT_INTERVAL);
  g_assert_cmpint (alert->period, ==, MQ_PERIOD_FIVE_HOUR);
  g_assert_cmpfloat (alert->percent, ==, 18.0);
  g_assert_cmpint (alert->resets_at_ms, ==, fx->end_ms);

  assert_quiet (fx, "17");
  assert_quiet (fx, "15");
  /* At the threshold still counts as low, and was announced. */
  assert_quiet (fx, "20");
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_LOW);
  g_assert_cmpint (mq_alert_tracker_get_resets_at (fx->tracker, "general/interval"), ==,
                   fx->end_ms);
}

static void
test_low_then_critical_then_exhausted (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  const MqAlert *alert;

  assert_quiet (fx, "25");
  assert_poll_gives (fx, "18", MQ_ALERT_LOW);
  assert_poll_gives (fx, "4", MQ_ALERT_CRITICAL);
  assert_quiet (fx, "3");
  assert_quiet (fx, "1");

  alerts = poll (fx, "0");
  assert_one (alerts, MQ_ALERT_EXHAUSTED);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpfloat (alert->percent, ==, 0.0);
  g_assert_cmpint (alert->resets_at_ms, ==, fx->end_ms);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_EXHAUSTED);

  assert_quiet (fx, "0");
}

static void
test_status_2_is_exhausted (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *r = NULL;
  g_autofree char *rows = NULL;
  g_auto(GStrv) parts = NULL;

  assert_quiet (fx, "30");
  /* Status 2 with a stale percentage: used up all the same. */
  r = row ("general", "30", fx->end_ms, "unlimited");
  parts = g_strsplit (r, "\"current_interval_status\":1", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  rows = g_strjoinv ("\"current_interval_status\":2", parts);
  alerts = poll_rows (fx, rows);
  assert_one (alerts, MQ_ALERT_EXHAUSTED);
}

static void
test_refilled_after_reset (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  gint64 old_end;
  const MqAlert *alert;

  assert_poll_gives (fx, "18", MQ_ALERT_LOW);
  assert_poll_gives (fx, "0", MQ_ALERT_EXHAUSTED);

  old_end = fx->end_ms;
  next_window (fx);
  alerts = poll (fx, "100");
  assert_one (alerts, MQ_ALERT_REFILLED);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpfloat (alert->percent, ==, 100.0);
  g_assert_cmpint (alert->resets_at_ms, ==, fx->end_ms);
  g_assert_cmpint (alert->resets_at_ms, !=, old_end);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_NONE);

  assert_quiet (fx, "99");
  assert_quiet (fx, "100");
}

static void
test_new_window_rearms (Fixture       *fx,
                        gconstpointer  data)
{
  assert_poll_gives (fx, "15", MQ_ALERT_LOW);
  assert_quiet (fx, "12");

  /* The next window starts low already: a new crossing, and no "refilled". */
  next_window (fx);
  assert_poll_gives (fx, "12", MQ_ALERT_LOW);
  assert_quiet (fx, "11");
}

static void
test_rearm_by_hysteresis (Fixture       *fx,
                          gconstpointer  data)
{
  assert_quiet (fx, "25");
  assert_poll_gives (fx, "18", MQ_ALERT_LOW);
  /* Within MQ_ALERT_HYSTERESIS_POINTS above the threshold: still low. */
  assert_quiet (fx, "21");
  assert_quiet (fx, "22");
  /* Clearly above it: re-armed (and said once), then a new dip alerts. */
  assert_poll_gives (fx, "23", MQ_ALERT_REFILLED);
  assert_quiet (fx, "24");
  assert_poll_gives (fx, "19", MQ_ALERT_LOW);
}

static void
test_flapping (Fixture       *fx,
               gconstpointer  data)
{
  const char *steps[] = { "20.5", "19.5", "20.5", "19.5", "21.9", "19", "20.5", "19.5" };
  guint total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(GPtrArray) alerts = poll (fx, steps[i]);

      total += alerts->len;
      if (i == 1)
        assert_one (alerts, MQ_ALERT_LOW);
    }

  g_assert_cmpuint (total, ==, 1);
}

static void
test_critical_rearm (Fixture       *fx,
                     gconstpointer  data)
{
  assert_poll_gives (fx, "4", MQ_ALERT_CRITICAL);
  assert_quiet (fx, "6");
  assert_quiet (fx, "8");
  /* Back in the low band: re-armed for critical only, still low. */
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_LOW);
  assert_quiet (fx, "15");
  assert_poll_gives (fx, "4", MQ_ALERT_CRITICAL);
}

static void
test_jump_over_thresholds (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(MqAlertTracker) other = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(MqSnapshot) high = NULL;
  g_autoptr(MqSnapshot) empty = NULL;
  g_autofree char *r1 = row ("general", "50", fx->end_ms, "unlimited");
  g_autofree char *r2 = row ("general", "0", fx->end_ms, "unlimited");

  assert_quiet (fx, "50");
  assert_poll_gives (fx, "3", MQ_ALERT_CRITICAL);

  /* 50% -> 0%: one "used up", not low + critical + used up. */
  other = mq_alert_tracker_new ();
  high = parse_rows_at (r1, fx->now_ms);
  empty = parse_rows_at (r2, fx->now_ms);
  g_ptr_array_unref (mq_alert_tracker_evaluate (other, high, NULL, fx->now_ms));
  alerts = mq_alert_tracker_evaluate (other, empty, NULL, fx->now_ms);
  assert_one (alerts, MQ_ALERT_EXHAUSTED);
}

static void
test_not_in_plan_never (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "plus-boost-not-in-plan.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  const char *not_in_plan =
    "{\"model_name\":\"video\",\"current_interval_total_count\":0,\"current_weekly_total_count\":0,"
    "\"current_interval_status\":3,\"current_weekly_status\":3,"
    "\"current_interval_remaining_percent\":0,\"current_weekly_remaining_percent\":0}";

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  snapshot = parse_at (contents, fx->now_ms);
  g_assert_false (mq_snapshot_find_model (snapshot, "video")->in_plan);

  alerts = mq_alert_tracker_evaluate (fx->tracker, snapshot, &fx->thresholds, fx->now_ms);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Video was low under an older plan; now it is not in the plan (and the
   * server even says 0%): no alert, and its state is forgotten. */
  alerts = poll_rows (fx, "{\"model_name\":\"video\",\"current_interval_status\":1,"
                          "\"current_interval_remaining_percent\":10,\"current_weekly_status\":3}");
  assert_one (alerts, MQ_ALERT_LOW);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = poll_rows (fx, not_in_plan);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "video/interval"), ==,
                   MQ_ALERT_LEVEL_NONE);
}

static void
test_unlimited_never (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;

  /* Weekly status 3 beside a limited interval, even with 0% reported. */
  alerts = poll_rows (fx, "{\"model_name\":\"general\",\"current_interval_status\":1,"
                          "\"current_interval_remaining_percent\":80,"
                          "\"current_weekly_status\":3,\"current_weekly_remaining_percent\":0}");
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* The old count-based format: weekly total 0 beside a real interval. */
  alerts = poll_rows (fx, "{\"model_name\":\"MiniMax-M2\",\"current_interval_total_count\":1500,"
                          "\"current_interval_usage_count\":1200,"
                          "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0}");
  g_assert_cmpuint (alerts->len, ==, 0);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "MiniMax-M2/weekly"), ==,
                   MQ_ALERT_LEVEL_NONE);
}

static void
test_unknown_percent_keeps_state (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;

  assert_poll_gives (fx, "18", MQ_ALERT_LOW);
  /* A row without a percentage says nothing: no alert, state kept. */
  alerts = poll_rows (fx, "{\"model_name\":\"general\",\"current_interval_status\":1,"
                          "\"current_weekly_status\":3}");
  g_assert_cmpuint (alerts->len, ==, 0);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_LOW);
  assert_quiet (fx, "18");
}

static void
test_mute_until (Fixture       *fx,
                 gconstpointer  data)
{
  gint64 until_ms = fx->now_ms + 10 * MINUTE_MS;

  assert_quiet (fx, "25");
  mq_alert_tracker_mute (fx->tracker, "general/interval", until_ms);
  g_assert_true (mq_alert_tracker_is_muted (fx->tracker, "general/interval", fx->now_ms));
  g_assert_false (mq_alert_tracker_is_muted (fx->tracker, "general/weekly", fx->now_ms));

  /* Muted: the crossing is recorded, not announced. */
  assert_quiet (fx, "18");
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_LOW);
  assert_quiet (fx, "17");

  fx->now_ms = until_ms;
  g_assert_false (mq_alert_tracker_is_muted (fx->tracker, "general/interval", fx->now_ms));
  assert_quiet (fx, "16");
  assert_poll_gives (fx, "4", MQ_ALERT_CRITICAL);

  /* Unmuting by hand. */
  mq_alert_tracker_mute (fx->tracker, "general/interval", fx->now_ms + HOUR_MS);
  mq_alert_tracker_mute (fx->tracker, "general/interval", 0);
  assert_poll_gives (fx, "0", MQ_ALERT_EXHAUSTED);
}

static void
test_mute_ends_at_reset (Fixture       *fx,
                         gconstpointer  data)
{
  assert_poll_gives (fx, "15", MQ_ALERT_LOW);
  /* "Mute until reset", with a clock that lags the server's. */
  mq_alert_tracker_mute (fx->tracker, "general/interval", fx->end_ms + HOUR_MS);
  assert_quiet (fx, "4");

  fx->end_ms += 5 * HOUR_MS;
  assert_poll_gives (fx, "10", MQ_ALERT_LOW);
  g_assert_false (mq_alert_tracker_is_muted (fx->tracker, "general/interval", fx->now_ms));
}

static void
test_restart_does_not_repeat (Fixture       *fx,
                              gconstpointer  data)
{
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) muted = NULL;
  g_autoptr(GVariant) state_again = NULL;
  g_autoptr(GVariant) muted_again = NULL;
  guint32 level = 0;
  gint64 resets_at_ms = 0;

  assert_poll_gives (fx, "18", MQ_ALERT_LOW);
  assert_poll_gives (fx, "4", MQ_ALERT_CRITICAL);
  mq_alert_tracker_mute (fx->tracker, "general/weekly", fx->now_ms + HOUR_MS);

  state = g_variant_ref_sink (mq_alert_tracker_save_state (fx->tracker, fx->now_ms));
  muted = g_variant_ref_sink (mq_alert_tracker_save_muted (fx->tracker, fx->now_ms));
  g_assert_true (g_variant_is_of_type (state, G_VARIANT_TYPE ("a{s(ux)}")));
  g_assert_true (g_variant_is_of_type (muted, G_VARIANT_TYPE ("a{sx}")));
  g_assert_cmpuint (g_variant_n_children (state), ==, 1);
  g_assert_true (g_variant_lookup (state, "general/interval", "(ux)", &level, &resets_at_ms));
  g_assert_cmpuint (level, ==, MQ_ALERT_LEVEL_CRITICAL);
  g_assert_cmpint (resets_at_ms, ==, fx->end_ms);

  /* The applet restarts. */
  g_clear_pointer (&fx->tracker, mq_alert_tracker_free);
  fx->tracker = mq_alert_tracker_new ();
  mq_alert_tracker_load_state (fx->tracker, state);
  mq_alert_tracker_load_muted (fx->tracker, muted);

  state_again = g_variant_ref_sink (mq_alert_tracker_save_state (fx->tracker, fx->now_ms));
  muted_again = g_variant_ref_sink (mq_alert_tracker_save_muted (fx->tracker, fx->now_ms));
  g_assert_true (g_variant_equal (state, state_again));
  g_assert_true (g_variant_equal (muted, muted_again));
  g_assert_true (mq_alert_tracker_is_muted (fx->tracker, "general/weekly", fx->now_ms));

  assert_quiet (fx, "4");
  assert_quiet (fx, "3");
  assert_poll_gives (fx, "0", MQ_ALERT_EXHAUSTED);
}

static void
test_save_drops_old_and_load_rejects_bad (Fixture       *fx,
                                          gconstpointer  data)
{
  g_autoptr(GVariant) bad_type = g_variant_ref_sink (g_variant_new ("a{sx}", NULL));
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) muted = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) saved_muted = NULL;
  gint64 long_ago = fx->now_ms - MQ_ALERT_KEEP_AFTER_RESET_MS - MINUTE_MS;
  gint64 recently = fx->now_ms - HOUR_MS;
  g_autofree char *text = NULL;

  state = g_variant_ref_sink (g_variant_new_parsed (
      "{'general/interval': (uint32 1, int64 %x),"
      " 'general/weekly': (uint32 3, int64 %x),"
      " 'video/interval': (uint32 2, int64 0),"
      " 'video/weekly': (uint32 0, int64 %x),"
      " 'speech-hd/interval': (uint32 9, int64 %x),"
      " 'no-slot': (uint32 1, int64 %x),"
      " 'image-01/monthly': (uint32 1, int64 %x)}",
      long_ago, recently, fx->end_ms, fx->end_ms, fx->end_ms, fx->end_ms));
  muted = g_variant_ref_sink (g_variant_new_parsed (
      "{'general/interval': int64 %x, 'video/interval': int64 %x, 'bad': int64 %x}",
      fx->now_ms - 1, fx->end_ms, fx->end_ms));

  mq_alert_tracker_load_state (fx->tracker, state);
  mq_alert_tracker_load_muted (fx->tracker, muted);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==, MQ_ALERT_LEVEL_LOW);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "video/weekly"), ==, MQ_ALERT_LEVEL_NONE);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "speech-hd/interval"), ==, MQ_ALERT_LEVEL_NONE);

  saved = g_variant_ref_sink (mq_alert_tracker_save_state (fx->tracker, fx->now_ms));
  text = g_variant_print (saved, FALSE);
  /* Sorted; the window reset a day ago is gone, one with no reset known stays. */
  g_assert_true (strstr (text, "general/interval") == NULL);
  g_assert_cmpuint (g_variant_n_children (saved), ==, 2);
  g_assert_true (g_str_has_prefix (text, "{'general/weekly': (3, "));
  g_assert_nonnull (strstr (text, "'video/interval': (2, 0)"));

  saved_muted = g_variant_ref_sink (mq_alert_tracker_save_muted (fx->tracker, fx->now_ms));
  g_assert_cmpuint (g_variant_n_children (saved_muted), ==, 1);
  g_assert_true (mq_alert_tracker_is_muted (fx->tracker, "video/interval", fx->now_ms));

  /* A value of the wrong type (or none) clears instead of crashing. */
  mq_alert_tracker_load_state (fx->tracker, bad_type);
  mq_alert_tracker_load_muted (fx->tracker, NULL);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/weekly"), ==, MQ_ALERT_LEVEL_NONE);
  g_assert_false (mq_alert_tracker_is_muted (fx->tracker, "video/interval", fx->now_ms));
}

static void
test_custom_thresholds (Fixture       *fx,
                        gconstpointer  data)
{
  fx->thresholds.low = 50;
  fx->thresholds.critical = 10;
  assert_quiet (fx, "60");
  assert_poll_gives (fx, "45", MQ_ALERT_LOW);
  assert_quiet (fx, "30");
  assert_poll_gives (fx, "9", MQ_ALERT_CRITICAL);

  /* Critical 0 turns the critical step off: low, then used up. */
  next_window (fx);
  fx->thresholds.low = 20;
  fx->thresholds.critical = 0;
  assert_poll_gives (fx, "100", MQ_ALERT_REFILLED);
  assert_poll_gives (fx, "15", MQ_ALERT_LOW);
  assert_quiet (fx, "1");
  assert_quiet (fx, "0.5");
  assert_poll_gives (fx, "0", MQ_ALERT_EXHAUSTED);
}

static void
test_weekly_window (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *r1 = row ("general", "80", fx->end_ms, "30");
  g_autofree char *r2 = row ("general", "3", fx->end_ms, "15");
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) both = NULL;
  const MqAlert *alert;

  g_ptr_array_unref (poll_rows (fx, r1));
  /* Both windows cross at once: one alert each, interval first. */
  both = poll_rows (fx, r2);
  g_assert_cmpuint (both->len, ==, 2);
  alert = g_ptr_array_index (both, 0);
  g_assert_cmpint (alert->kind, ==, MQ_ALERT_CRITICAL);
  g_assert_cmpstr (alert->window_key, ==, "general/interval");
  alert = g_ptr_array_index (both, 1);
  g_assert_cmpint (alert->kind, ==, MQ_ALERT_LOW);
  g_assert_cmpstr (alert->window_key, ==, "general/weekly");
  g_assert_cmpint (alert->slot, ==, MQ_SLOT_WEEKLY);
  g_assert_cmpint (alert->period, ==, MQ_PERIOD_WEEKLY);
  g_assert_cmpint (alert->resets_at_ms, ==, fx->end_ms + 96 * HOUR_MS);

  alerts = poll_rows (fx, r2);
  g_assert_cmpuint (alerts->len, ==, 0);
}

static void
test_model_removed_is_pruned (Fixture       *fx,
                              gconstpointer  data)
{
  g_autofree char *general = row ("general", "50", fx->end_ms, "unlimited");
  g_autofree char *video = row ("video", "10", fx->end_ms, "unlimited");
  g_autofree char *both = g_strconcat (general, ",", video, NULL);
  g_autofree char *general_next = NULL;
  g_autofree char *video_next = NULL;
  g_autofree char *both_next = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GVariant) saved = NULL;

  first = poll_rows (fx, both);
  assert_one (first, MQ_ALERT_LOW);
  g_assert_cmpstr (((MqAlert *) g_ptr_array_index (first, 0))->window_key, ==, "video/interval");
  mq_alert_tracker_mute (fx->tracker, "video/interval", fx->end_ms);

  /* Missing once: the state is kept (see missing-once-keeps-state). Once
   * the reset of its window has passed, it is dropped, mute and all. */
  g_ptr_array_unref (poll_rows (fx, general));
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "video/interval"), ==, MQ_ALERT_LEVEL_LOW);
  next_window (fx);
  general_next = row ("general", "50", fx->end_ms, "unlimited");
  g_ptr_array_unref (poll_rows (fx, general_next));
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "video/interval"), ==, MQ_ALERT_LEVEL_NONE);
  g_assert_false (mq_alert_tracker_is_muted (fx->tracker, "video/interval", fx->now_ms));
  saved = g_variant_ref_sink (mq_alert_tracker_save_state (fx->tracker, fx->now_ms));
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);

  /* It comes back (a new plan): a fresh start for it. */
  video_next = row ("video", "10", fx->end_ms, "unlimited");
  both_next = g_strconcat (general_next, ",", video_next, NULL);
  again = poll_rows (fx, both_next);
  assert_one (again, MQ_ALERT_LOW);
}

/* Issue 9.2: good -> low -> low -> (an answer without the row) -> low
 * alerted twice for one crossing, and the answer without the row ended a
 * "mute until reset". */
static void
test_missing_once_keeps_state (Fixture       *fx,
                               gconstpointer  data)
{
  g_autofree char *speech_15 = row ("speech-hd", "15", fx->end_ms, "unlimited");
  g_autofree char *general_15 = row ("general", "15", fx->end_ms, "unlimited");
  g_autofree char *both_15 = g_strconcat (general_15, ",", speech_15, NULL);
  g_autofree char *general_3 = row ("general", "3", fx->end_ms, "unlimited");
  g_autoptr(GPtrArray) alerts = NULL;

  assert_quiet (fx, "80");
  assert_poll_gives (fx, "15", MQ_ALERT_LOW);
  assert_quiet (fx, "15");

  /* One answer lists another model only, the next lists "general" again. */
  g_ptr_array_unref (poll_rows (fx, speech_15));
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_LOW);
  alerts = poll_rows (fx, both_15);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* A mute until reset survives an answer without the row. */
  mq_alert_tracker_mute (fx->tracker, "general/interval", fx->end_ms);
  g_ptr_array_unref (poll_rows (fx, speech_15));
  g_assert_true (mq_alert_tracker_is_muted (fx->tracker, "general/interval", fx->now_ms));
  alerts = poll_rows (fx, general_3);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Missing for a day (a window whose reset is not known) drops it. */
  fx->end_ms = fx->now_ms + 48 * HOUR_MS;
  {
    const char *no_reset = "{\"model_name\":\"music\",\"current_interval_status\":1,"
                           "\"current_interval_remaining_percent\":10,\"current_weekly_status\":3}";

    alerts = poll_rows (fx, no_reset);
    assert_one (alerts, MQ_ALERT_LOW);
    g_clear_pointer (&alerts, g_ptr_array_unref);
    g_ptr_array_unref (poll_rows (fx, speech_15));
    g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "music/interval"), ==,
                     MQ_ALERT_LEVEL_LOW);
    fx->now_ms += MQ_ALERT_KEEP_ABSENT_MS;
    g_ptr_array_unref (poll_rows (fx, speech_15));
    g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "music/interval"), ==,
                     MQ_ALERT_LEVEL_NONE);
  }
}

static void
test_stale_snapshot_never (Fixture       *fx,
                           gconstpointer  data)
{
  g_autofree char *r = row ("general", "3", fx->end_ms, "unlimited");
  g_autoptr(MqSnapshot) old = parse_rows_at (r, fx->now_ms - MQ_ALERT_STALE_MS - MINUTE_MS);
  g_autoptr(GPtrArray) alerts = NULL;

  alerts = mq_alert_tracker_evaluate (fx->tracker, old, &fx->thresholds, fx->now_ms);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_assert_cmpint (mq_alert_tracker_get_level (fx->tracker, "general/interval"), ==,
                   MQ_ALERT_LEVEL_NONE);

  /* The same data, fresh, alerts. */
  assert_poll_gives (fx, "3", MQ_ALERT_CRITICAL);
}

static void
test_reset_jitter_same_window (Fixture       *fx,
                               gconstpointer  data)
{
  /* No end_time: the reset is now + remains_time, and moves by the
   * latency from poll to poll. It is still the same window. */
  gint64 end_ms = fx->now_ms + 2 * HOUR_MS;
  guint total = 0;

  for (guint i = 0; i < 6; i++)
    {
      gint64 jitter_ms = (i % 2 == 0) ? 2500 : -1800;
      g_autofree char *r = g_strdup_printf (
          "{\"model_name\":\"general\",\"remains_time\":%" G_GINT64_FORMAT ","
          "\"current_interval_status\":1,\"current_interval_remaining_percent\":12,"
          "\"current_weekly_status\":3}",
          end_ms - fx->now_ms + jitter_ms);
      g_autoptr(GPtrArray) alerts = poll_rows (fx, r);

      total += alerts->len;
    }

  g_assert_cmpuint (total, ==, 1);
}

static void
test_duplicate_rows (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *a = row ("general", "50", fx->end_ms, "unlimited");
  g_autofree char *b = row ("general", "3", fx->end_ms, "unlimited");
  g_autofree char *rows = g_strconcat (a, ",", b, NULL);
  g_autoptr(GPtrArray) alerts = NULL;

  /* The first row of a name is the one shown, so the one alerted on. */
  alerts = poll_rows (fx, rows);
  g_assert_cmpuint (alerts->len, ==, 0);
}

static void
test_window_keys (void)
{
  g_autofree char *key = mq_alert_window_key ("MiniMax-M*", MQ_SLOT_WEEKLY);
  g_autofree char *name = NULL;
  MqSlot slot = MQ_SLOT_INTERVAL;

  g_assert_cmpstr (key, ==, "MiniMax-M*/weekly");
  g_assert_true (mq_alert_window_key_parse (key, &name, &slot));
  g_assert_cmpstr (name, ==, "MiniMax-M*");
  g_assert_cmpint (slot, ==, MQ_SLOT_WEEKLY);

  g_clear_pointer (&name, g_free);
  g_assert_true (mq_alert_window_key_parse ("a/b/interval", &name, &slot));
  g_assert_cmpstr (name, ==, "a/b");
  g_assert_cmpint (slot, ==, MQ_SLOT_INTERVAL);

  g_assert_false (mq_alert_window_key_parse ("general", NULL, NULL));
  g_assert_false (mq_alert_window_key_parse ("/interval", NULL, NULL));
  g_assert_false (mq_alert_window_key_parse ("general/daily", NULL, NULL));
  g_assert_false (mq_alert_window_key_parse (NULL, NULL, NULL));
}

/* ---------------- predictive alerts (issue 11) ---------------- */

#define LEAD_MS (30 * MINUTE_MS)

/* One poll of "general" (@interval left) with a forecast of its 5-hour
 * window that runs out @runs_out_in_ms from now (0: lasts). */
static GPtrArray *
poll_forecast (Fixture    *fx,
               const char *interval,
               gint64      runs_out_in_ms)
{
  g_autofree char *text = row ("general", interval, fx->end_ms, "unlimited");
  g_autoptr(MqSnapshot) snapshot = parse_rows_at (text, fx->now_ms);
  MqHistoryForecast forecast = { (char *) "general", MQ_SLOT_INTERVAL, { 0 } };
  GPtrArray *alerts;

  forecast.forecast.has_forecast = TRUE;
  forecast.forecast.samples_used = 5;
  forecast.forecast.rate_percent_per_hour = 20.0;
  if (runs_out_in_ms > 0)
    forecast.forecast.runs_out_at_ms = fx->now_ms + runs_out_in_ms;
  else
    forecast.forecast.lasts_until_reset = TRUE;

  alerts = mq_alert_tracker_evaluate_forecasts (fx->tracker, snapshot, &forecast, 1,
                                                LEAD_MS, fx->now_ms);
  g_assert_nonnull (alerts);
  fx->now_ms += POLL_MS;
  return alerts;
}

static void
assert_no_alerts (GPtrArray *alerts)
{
  g_assert_cmpuint (alerts->len, ==, 0);
  g_ptr_array_unref (alerts);
}

static void
test_forecast_once_per_window (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  const MqAlert *alert;

  /* Lasts, then runs out beyond the lead time: nothing. */
  assert_no_alerts (poll_forecast (fx, "60", 0));
  assert_no_alerts (poll_forecast (fx, "50", 2 * HOUR_MS));
  g_assert_false (mq_alert_tracker_forecast_announced (fx->tracker, "general/interval"));

  /* Within the lead time and before the reset: one alert. */
  alerts = poll_forecast (fx, "30", 25 * MINUTE_MS);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpint (alert->kind, ==, MQ_ALERT_FORECAST);
  g_assert_cmpstr (mq_alert_kind_to_string (alert->kind), ==, "forecast");
  g_assert_cmpstr (alert->window_key, ==, "general/interval");
  g_assert_cmpint (alert->runs_out_at_ms, ==, fx->now_ms - POLL_MS + 25 * MINUTE_MS);
  g_assert_cmpint (alert->resets_at_ms, ==, fx->end_ms);
  g_assert_cmpfloat (alert->percent, ==, 30.0);
  g_assert_true (mq_alert_tracker_forecast_announced (fx->tracker, "general/interval"));

  /* Once per window, however the forecast moves. */
  assert_no_alerts (poll_forecast (fx, "28", 20 * MINUTE_MS));
  assert_no_alerts (poll_forecast (fx, "28", 0));
  assert_no_alerts (poll_forecast (fx, "25", 10 * MINUTE_MS));

  /* The next window re-arms it. */
  fx->end_ms += 5 * HOUR_MS;
  assert_no_alerts (poll_forecast (fx, "100", 0));
  g_clear_pointer (&alerts, g_ptr_array_unref);
  alerts = poll_forecast (fx, "20", 15 * MINUTE_MS);
  g_assert_cmpuint (alerts->len, ==, 1);
}

static void
test_forecast_not_due (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *text = row ("general", "10", fx->end_ms, "unlimited");
  g_autoptr(MqSnapshot) snapshot = parse_rows_at (text, fx->now_ms);
  g_autoptr(MqSnapshot) stale = parse_rows_at (text, fx->now_ms - 20 * MINUTE_MS);
  MqHistoryForecast forecast = { (char *) "general", MQ_SLOT_INTERVAL, { 0 } };

  forecast.forecast.has_forecast = TRUE;
  forecast.forecast.runs_out_at_ms = fx->now_ms + 10 * MINUTE_MS;

  /* No forecast. */
  assert_no_alerts (mq_alert_tracker_evaluate_forecasts (fx->tracker, snapshot, NULL, 0,
                                                         LEAD_MS, fx->now_ms));
  forecast.forecast.has_forecast = FALSE;
  assert_no_alerts (mq_alert_tracker_evaluate_forecasts (fx->tracker, snapshot, &forecast, 1,
                                                         LEAD_MS, fx->now_ms));
  forecast.forecast.has_forecast = TRUE;

  /* A stale snapshot never alerts. */
  assert_no_alerts (mq_alert_tracker_evaluate_forecasts (fx->tracker, stale, &forecast, 1,
                                                         LEAD_MS, fx->now_ms));

  /* A shorter lead time: not yet. */
  assert_no_alerts (mq_alert_tracker_evaluate_forecasts (fx->tracker, snapshot, &forecast, 1,
                                                         5 * MINUTE_MS, fx->now_ms));

  /* Runs out after the reset: it lasts. */
  forecast.forecast.runs_out_at_ms = fx->end_ms + MINUTE_MS;
  assert_no_alerts (mq_alert_tracker_evaluate_forecasts (fx->tracker, snapshot, &forecast, 1,
                                                         5 * HOUR_MS, fx->now_ms));

  /* A model that is not in the answer, or a window that is unlimited. */
  forecast.forecast.runs_out_at_ms = fx->now_ms + 10 * MINUTE_MS;
  forecast.model = (char *) "speech-hd";
  assert_no_alerts (mq_alert_tracker_evaluate_forecasts (fx->tracker, snapshot, &forecast, 1,
                                                         LEAD_MS, fx->now_ms));
  forecast.model = (char *) "general";
  forecast.slot = MQ_SLOT_WEEKLY;
  assert_no_alerts (mq_alert_tracker_evaluate_forecasts (fx->tracker, snapshot, &forecast, 1,
                                                         LEAD_MS, fx->now_ms));
  g_assert_false (mq_alert_tracker_forecast_announced (fx->tracker, "general/interval"));
}

static void
test_forecast_used_up_and_muted (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autofree char *key = mq_alert_window_key ("general", MQ_SLOT_INTERVAL);

  /* Already used up: the "used up" alert says so, not a forecast. */
  assert_no_alerts (poll_forecast (fx, "0", 10 * MINUTE_MS));
  g_assert_false (mq_alert_tracker_forecast_announced (fx->tracker, key));

  /* Muted: silent, but announced (no backlog after the mute). */
  fx->end_ms += 5 * HOUR_MS;
  mq_alert_tracker_mute (fx->tracker, key, fx->end_ms);
  assert_no_alerts (poll_forecast (fx, "15", 10 * MINUTE_MS));
  g_assert_true (mq_alert_tracker_forecast_announced (fx->tracker, key));
  mq_alert_tracker_mute (fx->tracker, key, 0);
  assert_no_alerts (poll_forecast (fx, "12", 8 * MINUTE_MS));
}

static void
test_forecast_state_survives_restart (Fixture       *fx,
                                      gconstpointer  data)
{
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) bad = NULL;
  g_autoptr(GVariant) later = NULL;
  g_autoptr(GPtrArray) alerts = poll_forecast (fx, "30", 20 * MINUTE_MS);
  gint64 resets_at_ms = 0, announced_ms = 0;

  g_assert_cmpuint (alerts->len, ==, 1);
  saved = g_variant_ref_sink (mq_alert_tracker_save_forecast_state (fx->tracker, fx->now_ms));
  g_assert_true (g_variant_is_of_type (saved, G_VARIANT_TYPE ("a{s(xx)}")));
  g_assert_true (g_variant_lookup (saved, "general/interval", "(xx)", &resets_at_ms, &announced_ms));
  g_assert_cmpint (resets_at_ms, ==, fx->end_ms);
  g_assert_cmpint (announced_ms, ==, fx->now_ms - POLL_MS);

  /* A new tracker loads it and does not repeat the alert. */
  mq_alert_tracker_free (fx->tracker);
  fx->tracker = mq_alert_tracker_new ();
  mq_alert_tracker_load_forecast_state (fx->tracker, saved);
  assert_no_alerts (poll_forecast (fx, "28", 15 * MINUTE_MS));

  /* Saved long after the reset: dropped. Bad entries are not loaded. */
  later = g_variant_ref_sink (mq_alert_tracker_save_forecast_state (
                               fx->tracker, fx->end_ms + MQ_ALERT_KEEP_AFTER_RESET_MS + HOUR_MS));
  g_assert_cmpuint (g_variant_n_children (later), ==, 0);
  bad = g_variant_ref_sink (g_variant_new_parsed ("{'nokey': (@x 1, @x 2), 'general/interval': (@x -1, @x 2)}"));
  mq_alert_tracker_load_forecast_state (fx->tracker, bad);
  g_assert_false (mq_alert_tracker_forecast_announced (fx->tracker, "general/interval"));
  mq_alert_tracker_load_forecast_state (fx->tracker, NULL);
}

/* ---- Several accounts (issue 12) ---- */

static MqSnapshot *
account_snapshot (const char *interval)
{
  g_autofree char *r = row ("general", interval, NOW_MS + 2 * HOUR_MS, "90");

  return parse_rows_at (r, NOW_MS);
}

static void
test_account_keys (void)
{
  g_autoptr(MqAlertTracker) team = mq_alert_tracker_new_for_account ("team-2");
  g_autoptr(MqAlertTracker) personal = mq_alert_tracker_new_for_account ("personal");
  g_autoptr(MqAlertTracker) reloaded = mq_alert_tracker_new_for_account ("team-2");
  g_autoptr(MqAlertTracker) single = mq_alert_tracker_new ();
  g_autoptr(MqSnapshot) low = account_snapshot ("15");
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *account = NULL;
  g_autofree char *model = NULL;
  const MqAlert *alert;
  MqSlot slot;

  g_assert_cmpstr (mq_alert_tracker_get_account (team), ==, "team-2");
  g_assert_null (mq_alert_tracker_get_account (single));

  alerts = mq_alert_tracker_evaluate (team, low, NULL, NOW_MS);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpstr (alert->account_name, ==, "team-2");
  g_assert_cmpstr (alert->window_key, ==, "team-2" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval");
  g_assert_cmpstr (alert->model_name, ==, "general");

  account = mq_alert_window_key_dup_account (alert->window_key);
  g_assert_cmpstr (account, ==, "team-2");
  g_assert_null (mq_alert_window_key_dup_account ("general/interval"));
  g_assert_true (mq_alert_window_key_parse (alert->window_key, &model, &slot));
  g_assert_cmpstr (model, ==, "general");
  g_assert_cmpint (slot, ==, MQ_SLOT_INTERVAL);

  /* Each account's crossings are its own. */
  again = mq_alert_tracker_evaluate (personal, low, NULL, NOW_MS);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((MqAlert *) g_ptr_array_index (again, 0))->account_name, ==, "personal");

  /* Saved and loaded: an account's tracker keeps only its own entries. */
  saved = g_variant_ref_sink (mq_alert_tracker_save_state (team, NOW_MS));
  mq_alert_tracker_load_state (reloaded, saved);
  mq_alert_tracker_load_state (single, saved);
  g_assert_cmpint (mq_alert_tracker_get_level (reloaded, "team-2" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval"),
                   ==, MQ_ALERT_LEVEL_LOW);
  g_assert_cmpint (mq_alert_tracker_get_level (single, "team-2" MQ_ALERT_ACCOUNT_SEPARATOR "general/interval"),
                   ==, MQ_ALERT_LEVEL_NONE);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = mq_alert_tracker_evaluate (reloaded, low, NULL, NOW_MS + POLL_MS);
  g_assert_cmpuint (again->len, ==, 0);
}

static void
test_balance_crossing (void)
{
  g_autoptr(MqAlertTracker) tracker = mq_alert_tracker_new_for_account ("spare");
  g_autoptr(MqAlert) alert = NULL;
  g_autoptr(MqAlert) second = NULL;

  /* No threshold, or above it: nothing. */
  g_assert_null (mq_alert_tracker_evaluate_balance (tracker, 4, 0));
  g_assert_null (mq_alert_tracker_evaluate_balance (tracker, 12, 10));

  alert = mq_alert_tracker_evaluate_balance (tracker, 9.5, 10);
  g_assert_nonnull (alert);
  g_assert_cmpint (alert->kind, ==, MQ_ALERT_BALANCE_LOW);
  g_assert_cmpstr (alert->account_name, ==, "spare");
  g_assert_cmpstr (mq_alert_kind_to_string (alert->kind), ==, "balance-low");

  /* Once per crossing. */
  g_assert_null (mq_alert_tracker_evaluate_balance (tracker, 8, 10));
  g_assert_null (mq_alert_tracker_evaluate_balance (tracker, 2, 10));
  /* Back up re-arms; down again alerts again. */
  g_assert_null (mq_alert_tracker_evaluate_balance (tracker, 30, 10));
  second = mq_alert_tracker_evaluate_balance (tracker, 3, 10);
  g_assert_nonnull (second);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/alert-tracker/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("first-sight-above", test_first_sight_above);
  ADD ("first-sight-below", test_first_sight_below);
  ADD ("low-once", test_low_once);
  ADD ("low-critical-exhausted", test_low_then_critical_then_exhausted);
  ADD ("status-2-exhausted", test_status_2_is_exhausted);
  ADD ("refilled-after-reset", test_refilled_after_reset);
  ADD ("new-window-rearms", test_new_window_rearms);
  ADD ("rearm-by-hysteresis", test_rearm_by_hysteresis);
  ADD ("flapping", test_flapping);
  ADD ("critical-rearm", test_critical_rearm);
  ADD ("jump-over-thresholds", test_jump_over_thresholds);
  ADD ("not-in-plan-never", test_not_in_plan_never);
  ADD ("unlimited-never", test_unlimited_never);
  ADD ("unknown-percent-keeps-state", test_unknown_percent_keeps_state);
  ADD ("mute-until", test_mute_until);
  ADD ("mute-ends-at-reset", test_mute_ends_at_reset);
  ADD ("restart-does-not-repeat", test_restart_does_not_repeat);
  ADD ("save-drops-old-load-rejects-bad", test_save_drops_old_and_load_rejects_bad);
  ADD ("custom-thresholds", test_custom_thresholds);
  ADD ("weekly-window", test_weekly_window);
  ADD ("model-removed-pruned", test_model_removed_is_pruned);
  ADD ("missing-once-keeps-state", test_missing_once_keeps_state);
  ADD ("stale-snapshot-never", test_stale_snapshot_never);
  ADD ("reset-jitter-same-window", test_reset_jitter_same_window);
  ADD ("duplicate-rows", test_duplicate_rows);
  ADD ("forecast-once-per-window", test_forecast_once_per_window);
  ADD ("forecast-not-due", test_forecast_not_due);
  ADD ("forecast-used-up-and-muted", test_forecast_used_up_and_muted);
  ADD ("forecast-state-survives-restart", test_forecast_state_survives_restart);

#undef ADD

  g_test_add_func ("/alert-tracker/window-keys", test_window_keys);
  g_test_add_func ("/alert-tracker/accounts/keys", test_account_keys);
  g_test_add_func ("/alert-tracker/accounts/balance-crossing", test_balance_crossing);

  return g_test_run ();
}
