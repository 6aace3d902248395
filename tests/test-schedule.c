/* test-schedule.c: when the poller asks next (pure, fixed clock and jitter) */
#include "config.h"

#include <math.h>

#include "mq-schedule.h"

/* Any fixed wall-clock time: the schedule has no clock of its own. */
#define NOW_MS G_GINT64_CONSTANT (1780924400000)
#define S(x)   ((gint64) (x) * 1000)

static gint64
delay (const MqScheduleConfig *config,
       MqState                 state,
       guint                   failures,
       guint                   retry_after_s,
       gint64                  next_reset_ms,
       double                  jitter)
{
  return mq_schedule_next_delay_ms (config, state, failures, retry_after_s,
                                    NOW_MS, next_reset_ms, 0, jitter, NULL);
}

static void
test_config_defaults (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpuint (config.interval_s, ==, 180);
  g_assert_cmpuint (config.low_interval_s, ==, 60);
  g_assert_cmpuint (config.backoff_base_s, ==, 30);
  g_assert_cmpuint (config.backoff_max_s, ==, 900);
}

static void
test_interval_clamped (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 0);
  g_assert_cmpuint (config.interval_s, ==, 30);
  mq_schedule_config_init (&config, 5);
  g_assert_cmpuint (config.interval_s, ==, 30);
  mq_schedule_config_init (&config, 7200);
  g_assert_cmpuint (config.interval_s, ==, 3600);
  mq_schedule_config_init (&config, G_MAXUINT);
  g_assert_cmpuint (config.interval_s, ==, 3600);

  /* The struct is public: the delay clamps too. */
  config.interval_s = 1;
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, 0, 0.5), ==, S (30));
  config.interval_s = 100000;
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, 0, 0.5), ==, S (3600));
}

static void
test_success_interval (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, 0, 0.0), ==, S (180));
  /* No jitter on success: the cadence is what the user chose. */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, 0, 1.0), ==, S (180));
  g_assert_cmpint (delay (&config, MQ_STATE_UNKNOWN, 0, 0, 0, 0.3), ==, S (180));

  mq_schedule_config_init (&config, 600);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, 0, 0.3), ==, S (600));

  /* A Retry-After left over from a failure no longer counts once it worked. */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 3000, 0, 0.3), ==, S (600));
}

static void
test_low_cadence (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_LOW, 0, 0, 0, 0.0), ==, S (60));

  mq_schedule_config_init (&config, 3600);
  g_assert_cmpint (delay (&config, MQ_STATE_LOW, 0, 0, 0, 0.9), ==, S (60));

  /* A user interval shorter than a minute is kept. */
  mq_schedule_config_init (&config, 45);
  g_assert_cmpint (delay (&config, MQ_STATE_LOW, 0, 0, 0, 0.0), ==, S (45));
}

static void
test_critical_cadence (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_CRITICAL, 0, 0, 0, 0.0), ==, S (60));

  mq_schedule_config_init (&config, 30);
  g_assert_cmpint (delay (&config, MQ_STATE_CRITICAL, 0, 0, 0, 0.0), ==, S (30));
}

static void
test_exhausted (void)
{
  MqScheduleConfig config;

  /* Nothing changes before the reset: the normal interval, not the minute. */
  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_EXHAUSTED, 0, 0, 0, 0.0), ==, S (180));

  mq_schedule_config_init (&config, 1800);
  g_assert_cmpint (delay (&config, MQ_STATE_EXHAUSTED, 0, 0, 0, 0.0), ==, S (1800));

  /* ... and just after the reset when it comes first. */
  g_assert_cmpint (delay (&config, MQ_STATE_EXHAUSTED, 0, 0, NOW_MS + S (600), 0.0),
                   ==, S (605));
}

static void
test_reset_before_next_poll (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, NOW_MS + S (40), 0.0), ==, S (45));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, NOW_MS + 1, 0.0), ==, 5001);

  /* Also under the low cadence. */
  g_assert_cmpint (delay (&config, MQ_STATE_LOW, 0, 0, NOW_MS + S (20), 0.0), ==, S (25));
}

static void
test_reset_after_next_poll (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, NOW_MS + S (3600), 0.0), ==, S (180));
  /* A poll at 180 s already comes after a reset at 178 s. */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, NOW_MS + S (178), 0.0), ==, S (180));
  g_assert_cmpint (delay (&config, MQ_STATE_LOW, 0, 0, NOW_MS + S (120), 0.0), ==, S (60));
}

static void
test_reset_in_past_ignored (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, NOW_MS - S (10), 0.0), ==, S (180));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, NOW_MS, 0.0), ==, S (180));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, 1, 0.0), ==, S (180));
}

static void
test_backoff_sequence (void)
{
  static const gint64 low_s[] = { 15, 30, 60, 120, 240, 450, 450, 450 };
  static const gint64 high_s[] = { 30, 60, 120, 240, 480, 900, 900, 900 };
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);

  for (guint i = 0; i < G_N_ELEMENTS (low_s); i++)
    {
      guint failures = i + 1;

      g_test_message ("failure %u", failures);
      g_assert_cmpint (delay (&config, MQ_STATE_OK, failures, 0, 0, 0.0), ==, S (low_s[i]));
      g_assert_cmpint (delay (&config, MQ_STATE_OK, failures, 0, 0, 1.0), ==, S (high_s[i]));
      g_assert_cmpint (delay (&config, MQ_STATE_OK, failures, 0, 0, 0.5), ==,
                       S (low_s[i]) + S (high_s[i] - low_s[i]) / 2);
    }
}

static void
test_backoff_cap (void)
{
  MqScheduleConfig config;
  guint failures[] = { 6, 7, 20, 31, 32, 33, 64, 1000, G_MAXUINT };

  mq_schedule_config_init (&config, 180);

  /* No overflow however long the outage: 15 min at most, 7.5 min at least. */
  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      g_assert_cmpint (delay (&config, MQ_STATE_OK, failures[i], 0, 0, 1.0), ==, S (900));
      g_assert_cmpint (delay (&config, MQ_STATE_OK, failures[i], 0, 0, 0.0), ==, S (450));
    }
}

static void
test_backoff_ignores_state_and_reset (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);

  /* A failure is about the server or the network, not the quota: the low
   * cadence and an upcoming reset do not shorten the backoff. */
  g_assert_cmpint (delay (&config, MQ_STATE_LOW, 3, 0, 0, 1.0), ==, S (120));
  g_assert_cmpint (delay (&config, MQ_STATE_CRITICAL, 3, 0, NOW_MS + S (10), 1.0), ==, S (120));

  /* Nor does the user's interval cap it: a 30 s interval still backs off. */
  mq_schedule_config_init (&config, 30);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 5, 0, 0, 1.0), ==, S (480));
}

static void
test_jitter_clamped (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 0, 0, -3.0), ==, S (15));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 0, 0, 7.0), ==, S (30));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 0, 0, NAN), ==, S (15));
}

static void
test_retry_after_honoured (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);

  /* A floor: longer than the backoff wins... */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 120, 0, 1.0), ==, S (120));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 120, 0, 0.0), ==, S (120));
  /* ... even beyond the 15 min backoff cap ... */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 2, 1200, 0, 0.0), ==, S (1200));
  /* ... shorter than the backoff does not shorten it. */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 4, 10, 0, 0.0), ==, S (120));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 4, 10, 0, 1.0), ==, S (240));
  /* Exactly the backoff. */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 30, 0, 0.0), ==, S (30));
}

static void
test_retry_after_capped (void)
{
  MqScheduleConfig config;

  mq_schedule_config_init (&config, 180);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 3600, 0, 0.0), ==, S (3600));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 3601, 0, 0.0), ==, S (3600));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 86400 * 30, 0, 0.0), ==, S (3600));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, G_MAXUINT, 0, 1.0), ==, S (3600));
}

static void
test_insane_config (void)
{
  MqScheduleConfig config = { 0, 0, 0, 0 };

  /* Zeroed fields never give a zero delay (a busy loop). */
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 0, 0, 0, 0.0), ==, S (30));
  g_assert_cmpint (delay (&config, MQ_STATE_LOW, 0, 0, 0, 0.0), ==, S (1));
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 1, 0, 0, 0.0), >=, 500);
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 50, 0, 0, 1.0), ==, S (1));

  /* A cap below the base: the base is the cap. */
  config.backoff_base_s = 60;
  config.backoff_max_s = 10;
  g_assert_cmpint (delay (&config, MQ_STATE_OK, 5, 0, 0, 1.0), ==, S (60));
}

/* ---- Floors against refresh storms (issue 9.6) ---------------------------- */

static gint64
delay_after_reset_fetch (const MqScheduleConfig *config,
                         gint64                  next_reset_ms,
                         gint64                  last_reset_fetch_ms,
                         gboolean               *reset_driven)
{
  return mq_schedule_next_delay_ms (config, MQ_STATE_OK, 0, 0, NOW_MS, next_reset_ms,
                                    last_reset_fetch_ms, 0.5, reset_driven);
}

/* end_time null, remains_time 1 s on every answer: without a floor, a
 * request every 6 s; with it, one a minute. */
static void
test_reset_floor (void)
{
  MqScheduleConfig config;
  gboolean by_reset = FALSE;

  mq_schedule_config_init (&config, 180);

  /* The first fetch the reset rule chooses: 5 s after the reset. */
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (1), 0, &by_reset), ==, S (6));
  g_assert_true (by_reset);

  /* It came 6 s ago and the window "resets" in 1 s again: a minute after
   * that fetch, not 6 s. */
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (1), NOW_MS - S (6), &by_reset),
                   ==, S (54));
  g_assert_true (by_reset);
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (1), NOW_MS, &by_reset),
                   ==, S (60));

  /* A real reset later than the floor keeps its own time. */
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (100), NOW_MS - S (6), &by_reset),
                   ==, S (105));
  g_assert_true (by_reset);

  /* An interval shorter than the floor wins, and then the reset rule did
   * not choose the delay. */
  config.interval_s = 30;
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (1), NOW_MS, &by_reset), ==, S (30));
  g_assert_false (by_reset);
  config.interval_s = 180;

  /* A reset beyond the interval: the interval, not the reset rule. */
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (500), 0, &by_reset), ==, S (180));
  g_assert_false (by_reset);

  /* A last reset fetch in the future (the clock was set back) sets no floor. */
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (1), NOW_MS + S (3600), &by_reset),
                   ==, S (6));

  /* Failures back off; the reset rule does not choose. */
  by_reset = TRUE;
  g_assert_cmpint (mq_schedule_next_delay_ms (&config, MQ_STATE_OK, 1, 0, NOW_MS, NOW_MS + S (1),
                                              0, 1.0, &by_reset), ==, S (30));
  g_assert_false (by_reset);

  /* The out argument is optional. */
  g_assert_cmpint (delay_after_reset_fetch (&config, NOW_MS + S (1), 0, NULL), ==, S (6));
}

static void
test_manual_floor (void)
{
  /* Nothing asked yet: fetch. */
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, 0, 0), ==, MQ_MANUAL_REFRESH_FETCH);

  /* Within 5 s of the last request asked for: keep its answer. */
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, NOW_MS, 0), ==, MQ_MANUAL_REFRESH_TOO_SOON);
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, NOW_MS - 4999, 0), ==,
                   MQ_MANUAL_REFRESH_TOO_SOON);
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, NOW_MS - S (5), 0), ==,
                   MQ_MANUAL_REFRESH_FETCH);

  /* The clock was set back past the last request: no floor from it. */
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, NOW_MS + S (2), 0), ==,
                   MQ_MANUAL_REFRESH_FETCH);
}

static void
test_manual_retry_after (void)
{
  /* Under a Retry-After nothing goes, however long ago the last click. */
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, 0, NOW_MS + S (3600)), ==,
                   MQ_MANUAL_REFRESH_RATE_LIMITED);
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, NOW_MS - S (600), NOW_MS + 1), ==,
                   MQ_MANUAL_REFRESH_RATE_LIMITED);
  /* It says rate limited rather than too soon: the longer wait. */
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, NOW_MS, NOW_MS + S (60)), ==,
                   MQ_MANUAL_REFRESH_RATE_LIMITED);

  /* At its end, a request. */
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, 0, NOW_MS), ==, MQ_MANUAL_REFRESH_FETCH);
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, 0, NOW_MS - S (1)), ==,
                   MQ_MANUAL_REFRESH_FETCH);

  /* An end further away than any Retry-After believed (1 h): the clock
   * was set back; it does not block. */
  g_assert_cmpint (mq_schedule_manual_refresh (NOW_MS, 0, NOW_MS + S (3601)), ==,
                   MQ_MANUAL_REFRESH_FETCH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schedule/config/defaults", test_config_defaults);
  g_test_add_func ("/schedule/config/interval-clamped", test_interval_clamped);
  g_test_add_func ("/schedule/config/insane", test_insane_config);
  g_test_add_func ("/schedule/success/interval", test_success_interval);
  g_test_add_func ("/schedule/success/low-cadence", test_low_cadence);
  g_test_add_func ("/schedule/success/critical-cadence", test_critical_cadence);
  g_test_add_func ("/schedule/success/exhausted", test_exhausted);
  g_test_add_func ("/schedule/reset/before-next-poll", test_reset_before_next_poll);
  g_test_add_func ("/schedule/reset/after-next-poll", test_reset_after_next_poll);
  g_test_add_func ("/schedule/reset/past-ignored", test_reset_in_past_ignored);
  g_test_add_func ("/schedule/backoff/sequence", test_backoff_sequence);
  g_test_add_func ("/schedule/backoff/cap", test_backoff_cap);
  g_test_add_func ("/schedule/backoff/ignores-state-and-reset", test_backoff_ignores_state_and_reset);
  g_test_add_func ("/schedule/backoff/jitter-clamped", test_jitter_clamped);
  g_test_add_func ("/schedule/retry-after/honoured", test_retry_after_honoured);
  g_test_add_func ("/schedule/retry-after/capped", test_retry_after_capped);
  g_test_add_func ("/schedule/storm/reset-floor", test_reset_floor);
  g_test_add_func ("/schedule/storm/manual-floor", test_manual_floor);
  g_test_add_func ("/schedule/storm/manual-retry-after", test_manual_retry_after);

  return g_test_run ();
}
