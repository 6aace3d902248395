/* test-format.c: durations, percentages, clock times, counts, names */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "mq-format.h"
#include "mq-wording.h"
#include "mq-snapshot.h"

/* 2026-11-23 (a Monday) 14:00:00 UTC */
#define NOW_MS G_GINT64_CONSTANT (1795442400000)
#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

static void
assert_duration (gint64      seconds,
                 const char *expected)
{
  g_autofree char *text = mq_format_duration (seconds);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_duration (void)
{
  assert_duration (G_MININT64, "<1m");
  assert_duration (-5, "<1m");
  assert_duration (0, "<1m");
  assert_duration (59, "<1m");
  assert_duration (60, "1m");
  assert_duration (119, "1m");
  assert_duration (45 * 60, "45m");
  assert_duration (3599, "59m");
  assert_duration (3600, "1h");
  assert_duration (3600 + 59, "1h");
  assert_duration (2 * 3600 + 30 * 60, "2h 30m");
  assert_duration (2 * 3600 + 30 * 60 + 59, "2h 30m");
  assert_duration (86399, "23h 59m");
  assert_duration (86400, "1d");
  assert_duration (3 * 86400 + 4 * 3600, "3d 4h");
  assert_duration (3 * 86400 + 4 * 3600 + 59 * 60, "3d 4h");
  assert_duration (7 * 86400 - 1, "6d 23h");
}

static void
assert_percent (double      pct,
                const char *expected)
{
  g_autofree char *text = mq_format_percent (pct);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_percent (void)
{
  assert_percent (63, "63%");
  assert_percent (63.9, "63%");
  assert_percent (99.99, "99%");
  assert_percent (100, "100%");
  assert_percent (0, "0%");
  assert_percent (1e-9, "<1%");
  assert_percent (0.4, "<1%");
  assert_percent (0.999, "<1%");
  assert_percent (1.0, "1%");
  assert_percent (1.5, "1%");
  assert_percent (MQ_PERCENT_UNKNOWN, "—");
  assert_percent (-0.5, "—");
  assert_percent (NAN, "—");
}

static void
assert_clock (gint64      epoch_ms,
              gint64      now_ms,
              const char *expected)
{
  g_autofree char *text = mq_format_clock (epoch_ms, now_ms);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_clock_utc (void)
{
  g_setenv ("TZ", "UTC", TRUE);

  assert_clock (NOW_MS, NOW_MS, "14:00");
  assert_clock (NOW_MS + 2 * HOUR_MS + 30 * MINUTE_MS, NOW_MS, "16:30");
  assert_clock (NOW_MS - 14 * HOUR_MS, NOW_MS, "00:00");
  assert_clock (NOW_MS + 9 * HOUR_MS + 59 * MINUTE_MS, NOW_MS, "23:59");
  /* Tomorrow, and the day after a week starts: weekday and time. */
  assert_clock (NOW_MS + 10 * HOUR_MS, NOW_MS, "Tue 00:00");
  assert_clock (NOW_MS + 6 * DAY_MS + 2 * HOUR_MS, NOW_MS, "Sun 16:00");
  assert_clock (NOW_MS - 2 * DAY_MS, NOW_MS, "Sat 14:00");
  /* A week or more away: a date. */
  assert_clock (NOW_MS + 7 * DAY_MS, NOW_MS, "Nov 30");
  assert_clock (NOW_MS + 8 * DAY_MS, NOW_MS, "Dec 1");
}

static void
test_clock_local (void)
{
  g_setenv ("TZ", "Asia/Shanghai", TRUE);

  /* 16:30 UTC is 00:30 the next day in Shanghai. */
  assert_clock (NOW_MS + 2 * HOUR_MS + 30 * MINUTE_MS, NOW_MS, "Tue 00:30");
  /* 14:00 UTC is 22:00 in Shanghai, the same day. */
  assert_clock (NOW_MS, NOW_MS, "22:00");
  assert_clock (NOW_MS + HOUR_MS + 59 * MINUTE_MS, NOW_MS, "23:59");

  g_setenv ("TZ", "UTC", TRUE);
}

static void
test_reset (void)
{
  g_autofree char *in_two = NULL;
  g_autofree char *past = NULL;
  g_autofree char *soon = NULL;
  g_autofree char *countdown = NULL;

  g_setenv ("TZ", "UTC", TRUE);

  in_two = mq_format_reset (NOW_MS + 2 * HOUR_MS + 30 * MINUTE_MS, NOW_MS);
  g_assert_cmpstr (in_two, ==, "resets in 2h 30m (16:30)");

  soon = mq_format_reset (NOW_MS + 30 * 1000, NOW_MS);
  g_assert_cmpstr (soon, ==, "resets in <1m (14:00)");

  past = mq_format_reset (NOW_MS - MINUTE_MS, NOW_MS);
  /* A reset time in the past is stale data: never "in now" (issue 10.7). */
  g_assert_cmpstr (past, ==, "reset due");
  g_assert_null (strstr (past, "now"));

  g_assert_null (mq_format_reset (0, NOW_MS));
  g_assert_null (mq_format_countdown (0, NOW_MS));

  countdown = mq_format_countdown (NOW_MS + 3 * DAY_MS + 4 * HOUR_MS, NOW_MS);
  g_assert_cmpstr (countdown, ==, "3d 4h (Thu 18:00)");
}

static void
assert_count (gint64      count,
              const char *expected)
{
  g_autofree char *text = mq_format_count (count);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_count (void)
{
  assert_count (0, "0");
  assert_count (7, "7");
  assert_count (999, "999");
  assert_count (1000, "1,000");
  assert_count (1500, "1,500");
  assert_count (15000, "15,000");
  assert_count (133000, "133,000");
  assert_count (1234567, "1,234,567");
  assert_count (-1500, "-1,500");
  assert_count (-999, "-999");
  assert_count (G_MAXINT64, "9,223,372,036,854,775,807");
  assert_count (G_MININT64, "-9,223,372,036,854,775,808");
}

static void
assert_boost (double      boost,
              const char *expected)
{
  g_autofree char *text = mq_format_boost (boost);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_boost (void)
{
  assert_boost (1.0, NULL);
  assert_boost (1.0001, NULL);
  assert_boost (0.0, NULL);
  assert_boost (-2.0, NULL);
  assert_boost (NAN, NULL);
  assert_boost (2.0, "×2");
  assert_boost (3.0, "×3");
  assert_boost (1.5, "×1.5");
  assert_boost (1.25, "×1.25");
  assert_boost (0.5, "×0.5");
  assert_boost (2000 / 1000.0, "×2");
}

static void
test_model_display_name (void)
{
  const char *raw = "MiniMax-Hailuo-2.3-Fast-6s-768p";

  g_assert_cmpstr (mq_format_model_display_name ("general"), ==, "Text models");
  g_assert_cmpstr (mq_format_model_display_name ("video"), ==, "Video");
  g_assert_cmpstr (mq_format_model_display_name ("MiniMax-M*"), ==, "Text (MiniMax-M)");
  g_assert_cmpstr (mq_format_model_display_name ("speech-hd"), ==, "Speech");
  g_assert_cmpstr (mq_format_model_display_name ("speech-02-turbo"), ==, "Speech");
  g_assert_cmpstr (mq_format_model_display_name ("image-01"), ==, "Image");
  g_assert_cmpstr (mq_format_model_display_name ("music-2.5"), ==, "Music");
  g_assert_cmpstr (mq_format_model_display_name ("music-cover"), ==, "Music cover");
  /* Anything else keeps its own name (the same pointer). */
  g_assert_true (mq_format_model_display_name (raw) == raw);
  g_assert_cmpstr (mq_format_model_display_name (""), ==, "Unnamed model");
  g_assert_cmpstr (mq_format_model_display_name (NULL), ==, "Unnamed model");
}

static void
assert_iso (gint64      epoch_ms,
            const char *expected)
{
  g_autofree char *text = mq_format_iso8601_utc (epoch_ms);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_iso8601 (void)
{
  /* Independent of the local time zone. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);

  assert_iso (NOW_MS, "2026-11-23T14:00:00Z");
  assert_iso (NOW_MS + 2 * HOUR_MS + 30 * MINUTE_MS + 999, "2026-11-23T16:30:00Z");
  assert_iso (1780866000000, "2026-06-07T21:00:00Z");
  assert_iso (0, "1970-01-01T00:00:00Z");
  assert_iso (-1, "1969-12-31T23:59:59Z");
  assert_iso (G_MAXINT64, NULL);

  g_setenv ("TZ", "UTC", TRUE);
}

static void
test_display_width (void)
{
  g_assert_cmpuint (mq_format_display_width (""), ==, 0);
  g_assert_cmpuint (mq_format_display_width (NULL), ==, 0);
  g_assert_cmpuint (mq_format_display_width ("Text models"), ==, 11);
  g_assert_cmpuint (mq_format_display_width ("945/1,500 · 63%"), ==, 15);
  g_assert_cmpuint (mq_format_display_width ("文本模型"), ==, 8);
  g_assert_cmpuint (mq_format_display_width ("2小时30分"), ==, 9);
  g_assert_cmpuint (mq_format_display_width ("ｆｕｌｌ"), ==, 8);
  /* e + COMBINING ACUTE ACCENT: one column. */
  g_assert_cmpuint (mq_format_display_width ("e\xcc\x81"), ==, 1);
  /* Not UTF-8: a column per byte rather than a crash. */
  g_assert_cmpuint (mq_format_display_width ("a\xff\xfe" "b"), ==, 4);
}

/* One vocabulary: every phrase about a period names it the same way. */
static void
test_wording_vocabulary (void)
{
  static const struct {
    MqPeriod    period;
    const char *name;
  } periods[] = {
    { MQ_PERIOD_FIVE_HOUR, "5-hour window" },
    { MQ_PERIOD_DAILY, "daily quota" },
    { MQ_PERIOD_WEEKLY, "weekly cap" },
    { MQ_PERIOD_UNKNOWN, "current window" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      g_autofree char *left = mq_wording_percent_left (periods[i].period, "63%");
      g_autofree char *expected_left = g_strdup_printf ("63%% of the %s left", periods[i].name);
      g_autofree char *expected_of = g_strdup_printf ("of the %s", periods[i].name);
      g_autofree char *expected_used_up = g_strdup_printf ("The %s is used up", periods[i].name);
      g_autofree char *name = g_ascii_strdown (mq_wording_window_name (periods[i].period), -1);

      g_assert_cmpstr (left, ==, expected_left);
      g_assert_cmpstr (mq_wording_of_window (periods[i].period), ==, expected_of);
      g_assert_cmpstr (mq_wording_used_up (periods[i].period), ==, expected_used_up);
      g_assert_cmpstr (name, ==, periods[i].name);
    }

  /* A weekly slot is the weekly cap whatever its row says. */
  g_assert_cmpint (mq_wording_period (MQ_SLOT_WEEKLY, MQ_PERIOD_FIVE_HOUR), ==, MQ_PERIOD_WEEKLY);
  g_assert_cmpint (mq_wording_period (MQ_SLOT_INTERVAL, MQ_PERIOD_DAILY), ==, MQ_PERIOD_DAILY);
}

static void
test_wording_ascii (void)
{
  g_autofree char *ascii = mq_wording_to_ascii ("945/1,500 · 63% · ×2 — not in plan…");

  g_assert_cmpstr (ascii, ==, "945/1,500 - 63% - x2 - not in plan...");
  g_assert_cmpstr (mq_wording_separator (TRUE), ==, " - ");
  g_assert_cmpstr (mq_wording_separator (FALSE), ==, " · ");
}

/* Issue 10: sentences for notifications, with the clock time rather than
 * a countdown that goes stale on screen. */
static void
test_wording_sentences (void)
{
  g_autofree char *today = NULL;
  g_autofree char *tuesday = NULL;
  g_autofree char *later = NULL;
  g_autofree char *left = NULL;
  g_autofree char *resets = NULL;
  g_autofree char *resets_tuesday = NULL;
  g_autofree char *due = NULL;

  g_setenv ("TZ", "UTC", TRUE);

  /* Monday 14:00. */
  today = mq_wording_when (NOW_MS + 2 * HOUR_MS, NOW_MS);
  g_assert_cmpstr (today, ==, "at 16:00");
  tuesday = mq_wording_when (NOW_MS + 13 * HOUR_MS, NOW_MS);
  g_assert_cmpstr (tuesday, ==, "on Tue at 03:00");
  later = mq_wording_when (NOW_MS + 9 * DAY_MS, NOW_MS);
  g_assert_cmpstr (later, ==, "on Dec 2 at 14:00");

  left = mq_wording_left_sentence (MQ_PERIOD_FIVE_HOUR, "19%");
  g_assert_cmpstr (left, ==, "19% of the 5-hour window is left.");
  g_assert_cmpstr (mq_wording_used_up_sentence (MQ_PERIOD_DAILY), ==, "The daily quota is used up.");

  resets = mq_wording_reset_sentence (NOW_MS + 2 * HOUR_MS, NOW_MS);
  g_assert_cmpstr (resets, ==, "It resets at 16:00.");
  resets_tuesday = mq_wording_reset_sentence (NOW_MS + 13 * HOUR_MS, NOW_MS);
  g_assert_cmpstr (resets_tuesday, ==, "It resets on Tue at 03:00.");
  due = mq_wording_reset_sentence (NOW_MS - MINUTE_MS, NOW_MS);
  g_assert_cmpstr (due, ==, "Its reset is due.");
  g_assert_null (mq_wording_reset_sentence (0, NOW_MS));
}

/* Issue 11: the predictive alert and the forecast cell. */
static void
test_wording_forecast (void)
{
  g_autofree char *alert = NULL;
  g_autofree char *no_reset = NULL;
  g_autofree char *runs_out = NULL;
  g_autofree char *lasts = NULL;
  g_autofree char *ran_out = NULL;
  MqForecast forecast = { 0 };

  g_setenv ("TZ", "UTC", TRUE);

  alert = mq_wording_forecast_alert (MQ_PERIOD_FIVE_HOUR, NOW_MS + 20 * MINUTE_MS,
                                     NOW_MS + 2 * HOUR_MS + 20 * MINUTE_MS, NOW_MS);
  g_assert_cmpstr (alert, ==, "At this rate the 5-hour window runs out at 14:20, 2h before it resets.");
  no_reset = mq_wording_forecast_alert (MQ_PERIOD_WEEKLY, NOW_MS + 20 * MINUTE_MS, 0, NOW_MS);
  g_assert_cmpstr (no_reset, ==, "At this rate the weekly cap runs out at 14:20.");

  g_assert_null (mq_wording_forecast_cell (NULL, NOW_MS));
  g_assert_null (mq_wording_forecast_cell (&forecast, NOW_MS));
  forecast.has_forecast = TRUE;
  forecast.runs_out_at_ms = NOW_MS + 20 * MINUTE_MS;
  runs_out = mq_wording_forecast_cell (&forecast, NOW_MS);
  g_assert_cmpstr (runs_out, ==, "runs out ~14:20");
  forecast.runs_out_at_ms = NOW_MS;
  ran_out = mq_wording_forecast_cell (&forecast, NOW_MS);
  g_assert_cmpstr (ran_out, ==, "ran out");
  forecast.runs_out_at_ms = 0;
  forecast.lasts_until_reset = TRUE;
  lasts = mq_wording_forecast_cell (&forecast, NOW_MS);
  g_assert_cmpstr (lasts, ==, "lasts");
}

/* Issue 10.7: a headline whose reset time has passed says "reset due",
 * never "Resets in now". */
static void
test_wording_headline_reset_due (void)
{
  static const char body[] =
    "{\"model_remains\":[{\"model_name\":\"general\",\"start_time\":1795417200000,"
    "\"end_time\":1795435200000,\"current_interval_status\":1,"
    "\"current_interval_remaining_percent\":63,\"current_weekly_status\":3}],"
    "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *title = NULL;
  MqWordedHeadline worded;

  g_setenv ("TZ", "UTC", TRUE);
  /* The window ended at 12:00; the answer is from 14:00. */
  snapshot = mq_snapshot_parse (body, strlen (body), NOW_MS, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  mq_wording_headline (snapshot, NULL, NULL, &worded);
  g_assert_cmpint (worded.kind, ==, MQ_HEADLINE_PERCENT);

  detail = mq_wording_headline_detail (&worded, NOW_MS);
  g_assert_cmpstr (detail, ==, "Reset due — refreshing");
  title = mq_wording_headline_title (&worded, NOW_MS);
  g_assert_cmpstr (title, ==, "63% of the 5-hour window left · reset due");
  g_assert_null (strstr (detail, "now"));

  mq_worded_headline_clear (&worded);
}

/* Issue 10.5: one rounding for every output. */
static void
test_percent_whole (void)
{
  g_assert_cmpint (mq_format_percent_whole (3000.0 / 4500.0 * 100.0), ==, 66);
  g_assert_cmpint (mq_format_percent_whole (1.0 / 4500.0 * 100.0), ==, 1);
  g_assert_cmpint (mq_format_percent_whole (0.0), ==, 0);
  g_assert_cmpint (mq_format_percent_whole (99.999), ==, 99);
  g_assert_cmpint (mq_format_percent_whole (100.0), ==, 100);
  g_assert_cmpint (mq_format_percent_whole (-1.0), ==, -1);
  g_assert_cmpint (mq_format_percent_whole (NAN), ==, -1);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/percent", test_percent);
  g_test_add_func ("/format/clock/utc", test_clock_utc);
  g_test_add_func ("/format/clock/local", test_clock_local);
  g_test_add_func ("/format/reset", test_reset);
  g_test_add_func ("/format/count", test_count);
  g_test_add_func ("/format/boost", test_boost);
  g_test_add_func ("/format/model-display-name", test_model_display_name);
  g_test_add_func ("/format/iso8601", test_iso8601);
  g_test_add_func ("/format/display-width", test_display_width);
  g_test_add_func ("/wording/vocabulary", test_wording_vocabulary);
  g_test_add_func ("/wording/ascii", test_wording_ascii);
  g_test_add_func ("/wording/sentences", test_wording_sentences);
  g_test_add_func ("/wording/forecast", test_wording_forecast);
  g_test_add_func ("/wording/headline-reset-due", test_wording_headline_reset_due);
  g_test_add_func ("/format/percent-whole", test_percent_whole);

  return g_test_run ();
}
