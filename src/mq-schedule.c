/* mq-schedule.c: when to ask for the quota next
 *
 * The choices, and why:
 *
 * - After a success, wait the user's interval (default 3 min, clamped to
 *   the setting's range 30 s..1 h). The percentages on the server move in
 *   whole points over minutes; polling faster only costs requests.
 * - While the headline is LOW or CRITICAL, wait at most 60 s: this is when
 *   the user is deciding whether to start a long agent run, and a fresher
 *   number matters. A longer-than-60 s interval becomes 60 s; a shorter one
 *   chosen by the user is kept.
 * - EXHAUSTED keeps the normal interval: nothing changes on the server until
 *   the window resets, and the reset rule below catches that moment.
 * - When a window of the last good snapshot resets before the next poll
 *   would happen, poll 5 s after the reset instead, so the icon recovers
 *   right away rather than up to an interval later. The margin absorbs
 *   clock skew between this machine and the server. Resets in the past are
 *   ignored (the snapshot is older than the reset; the normal cadence
 *   applies).
 *   The reset rule has a floor of its own: a fetch it chose comes at least
 *   a minute after the previous fetch it chose. An answer whose window
 *   seems to reset every second (end_time null, remains_time 1 s, seen in
 *   the wild) otherwise made a request every 6 s forever; with the floor
 *   it makes one a minute. A real reset moves the window hours ahead, so
 *   it is still caught 5 s after it happens (up to a minute later only
 *   when another reset fetch came in the minute before).
 * - After a failure, back off exponentially: 30 s, 60 s, 120 s ... capped
 *   at 15 min, with "equal jitter" (half of the step fixed, half scaled by
 *   the random value): the fixed half keeps retries from hammering a server
 *   that is down, the random half keeps many applets that failed together
 *   (a server outage) from retrying together. Window resets do not shorten
 *   a backoff: the failure is about the server or network, not the quota.
 * - A Retry-After from the server is a floor on the delay, believed up to
 *   1 h (a hostile or broken header must not silence the applet for days).
 *   It may exceed the 15 min backoff cap: the server said so.
 * - Refreshes the user asks for ("Refresh now", a second launch) have
 *   floors too (mq_schedule_manual_refresh()): at most one request per 5 s
 *   (a click within that keeps the answer just received: it is at most 5 s
 *   old), and none before a Retry-After has ended, whoever asks. Held keys,
 *   scripts and launch loops once sent thousands of requests a second.
 *
 * The reasons behind these numbers (the server's own cadence, 429) are in
 * docs/API.md; where this sits among the modules, in docs/DESIGN.md.
 */
#define G_LOG_DOMAIN "mq-schedule"

#include "config.h"

#include "mq-schedule.h"

static guint
clamp_interval (guint interval_s)
{
  return CLAMP (interval_s, MQ_SCHEDULE_INTERVAL_MIN_S, MQ_SCHEDULE_INTERVAL_MAX_S);
}

void
mq_schedule_config_init (MqScheduleConfig *config,
                         guint             interval_s)
{
  g_return_if_fail (config != NULL);

  config->interval_s = clamp_interval (interval_s);
  config->low_interval_s = MQ_SCHEDULE_LOW_INTERVAL_S;
  config->backoff_base_s = MQ_SCHEDULE_BACKOFF_BASE_S;
  config->backoff_max_s = MQ_SCHEDULE_BACKOFF_MAX_S;
}

/* The backoff step for the @failures-th consecutive failure (>= 1), in ms:
 * base * 2^(failures - 1), capped. */
static gint64
backoff_step_ms (guint base_s,
                 guint max_s,
                 guint failures)
{
  gint64 step_ms = (gint64) base_s * 1000;
  gint64 max_ms = (gint64) max_s * 1000;

  for (guint i = 1; i < failures && step_ms < max_ms; i++)
    step_ms *= 2;

  return MIN (step_ms, max_ms);
}

static gint64
failure_delay_ms (const MqScheduleConfig *config,
                  guint                   failures,
                  guint                   retry_after_s,
                  double                  jitter01)
{
  /* The struct is public: never trust it to be sane. */
  guint base_s = MAX (config->backoff_base_s, 1);
  guint max_s = MAX (config->backoff_max_s, base_s);
  gint64 step_ms = backoff_step_ms (base_s, max_s, failures);
  gint64 half_ms = step_ms / 2;
  gint64 delay_ms = (step_ms - half_ms) + (gint64) (half_ms * jitter01);
  gint64 floor_ms = (gint64) MIN (retry_after_s, MQ_SCHEDULE_RETRY_AFTER_MAX_S) * 1000;

  return MAX (delay_ms, floor_ms);
}

static gint64
success_delay_ms (const MqScheduleConfig *config,
                  MqState                 headline_state,
                  gint64                  now_ms,
                  gint64                  next_reset_ms,
                  gint64                  last_reset_fetch_ms,
                  gboolean               *reset_driven)
{
  guint interval_s = clamp_interval (config->interval_s);
  gint64 delay_ms;

  switch (headline_state)
    {
    case MQ_STATE_LOW:
    case MQ_STATE_CRITICAL:
      interval_s = MIN (interval_s, MAX (config->low_interval_s, 1));
      break;
    case MQ_STATE_EXHAUSTED:
    case MQ_STATE_OK:
    case MQ_STATE_UNKNOWN:
    default:
      break;
    }

  delay_ms = (gint64) interval_s * 1000;

  if (next_reset_ms > now_ms)
    {
      gint64 due_ms = next_reset_ms + MQ_SCHEDULE_RESET_MARGIN_MS;

      /* A previous reset fetch in the future means the clock was set back:
       * no floor from it. */
      if (last_reset_fetch_ms > 0 && last_reset_fetch_ms <= now_ms)
        due_ms = MAX (due_ms, last_reset_fetch_ms + MQ_SCHEDULE_RESET_MIN_GAP_MS);

      if (due_ms - now_ms < delay_ms)
        {
          delay_ms = due_ms - now_ms;
          *reset_driven = TRUE;
        }
    }

  return delay_ms;
}

gint64
mq_schedule_next_delay_ms (const MqScheduleConfig *config,
                           MqState                 headline_state,
                           guint                   consecutive_failures,
                           guint                   retry_after_s,
                           gint64                  now_ms,
                           gint64                  next_reset_ms,
                           gint64                  last_reset_fetch_ms,
                           double                  jitter01,
                           gboolean               *reset_driven)
{
  gboolean by_reset = FALSE;
  gint64 delay_ms;

  if (reset_driven != NULL)
    *reset_driven = FALSE;

  g_return_val_if_fail (config != NULL, (gint64) MQ_SCHEDULE_INTERVAL_DEFAULT_S * 1000);

  /* NaN fails both comparisons: treat it as 0. */
  if (!(jitter01 >= 0.0))
    jitter01 = 0.0;
  else if (jitter01 > 1.0)
    jitter01 = 1.0;

  if (consecutive_failures > 0)
    return failure_delay_ms (config, consecutive_failures, retry_after_s, jitter01);

  delay_ms = success_delay_ms (config, headline_state, now_ms, next_reset_ms,
                               last_reset_fetch_ms, &by_reset);
  if (reset_driven != NULL)
    *reset_driven = by_reset;

  return delay_ms;
}

MqManualRefresh
mq_schedule_manual_refresh (gint64 now_ms,
                            gint64 last_manual_ms,
                            gint64 rate_limited_until_ms)
{
  gint64 limit_left_ms = rate_limited_until_ms - now_ms;
  gint64 since_manual_ms = now_ms - last_manual_ms;

  /* Retry-After first: it is the longer wait, and the one to tell. */
  if (rate_limited_until_ms > 0 && limit_left_ms > 0 &&
      limit_left_ms <= (gint64) MQ_SCHEDULE_RETRY_AFTER_MAX_S * 1000)
    return MQ_MANUAL_REFRESH_RATE_LIMITED;

  if (last_manual_ms > 0 && since_manual_ms >= 0 &&
      since_manual_ms < MQ_SCHEDULE_MANUAL_MIN_GAP_MS)
    return MQ_MANUAL_REFRESH_TOO_SOON;

  return MQ_MANUAL_REFRESH_FETCH;
}
