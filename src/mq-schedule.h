/* mq-schedule.h: when to ask for the quota next
 *
 * Pure: no clock, no randomness, no GLib main loop. The caller passes the
 * current time and a jitter value in [0, 1], so every choice can be tested
 * with fixed numbers.
 */
#pragma once

#include <glib.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_SCHEDULE_INTERVAL_MIN_S     30u    /* the refresh-interval setting's range */
#define MQ_SCHEDULE_INTERVAL_MAX_S     3600u
#define MQ_SCHEDULE_INTERVAL_DEFAULT_S 180u
#define MQ_SCHEDULE_LOW_INTERVAL_S     60u    /* cadence while the headline is low */
#define MQ_SCHEDULE_BACKOFF_BASE_S     30u    /* first retry after a failure (at most) */
#define MQ_SCHEDULE_BACKOFF_MAX_S      900u   /* retries never wait longer (15 min) */
#define MQ_SCHEDULE_RETRY_AFTER_MAX_S  3600u  /* a server's Retry-After is believed up to 1 h */
#define MQ_SCHEDULE_RESET_MARGIN_MS    5000   /* poll this long after a window resets */
#define MQ_SCHEDULE_RESET_MIN_GAP_MS   60000  /* fetches chosen by the reset rule: at most one a minute */
#define MQ_SCHEDULE_MANUAL_MIN_GAP_MS  5000   /* requests asked for by the user: at most one per 5 s */

typedef struct {
  guint interval_s;      /* the user's refresh interval */
  guint low_interval_s;  /* 60: cadence while the headline is low or critical */
  guint backoff_base_s;  /* 30 */
  guint backoff_max_s;   /* 900 */
} MqScheduleConfig;

/* Fills @config with the defaults and @interval_s (clamped to 30..3600). */
void   mq_schedule_config_init   (MqScheduleConfig *config,
                                  guint             interval_s);

/* Milliseconds from @now_ms until the next fetch.
 *
 * @headline_state: the state of the headline after the last success
 *   (ignored while @consecutive_failures > 0).
 * @consecutive_failures: failed fetches since the last success; 0 after a
 *   success.
 * @retry_after_s: what the server asked for on the last failure (0: nothing).
 * @next_reset_ms: the earliest future window reset of the last good snapshot
 *   (mq_snapshot_get_next_reset_ms()), 0 when unknown.
 * @last_reset_fetch_ms: when the last fetch chosen by the reset rule began,
 *   0 for never; the next one comes at least MQ_SCHEDULE_RESET_MIN_GAP_MS
 *   after it.
 * @jitter01: a random value in [0, 1] (clamped), spreads retries.
 * @reset_driven: (out) (optional): TRUE when the reset rule chose the delay
 *   (the caller passes the fetch's start as @last_reset_fetch_ms next
 *   time), FALSE when the interval, the low cadence or a backoff did. */
gint64 mq_schedule_next_delay_ms (const MqScheduleConfig *config,
                                  MqState                 headline_state,
                                  guint                   consecutive_failures,
                                  guint                   retry_after_s,
                                  gint64                  now_ms,
                                  gint64                  next_reset_ms,
                                  gint64                  last_reset_fetch_ms,
                                  double                  jitter01,
                                  gboolean               *reset_driven);

typedef enum {
  MQ_MANUAL_REFRESH_FETCH,         /* send a request now */
  MQ_MANUAL_REFRESH_TOO_SOON,      /* the last asked-for request began under 5 s ago: keep its answer */
  MQ_MANUAL_REFRESH_RATE_LIMITED,  /* the server's Retry-After has not ended: send nothing */
} MqManualRefresh;

/* Whether a refresh the user asked for ("Refresh now", a second launch)
 * may send a request at @now_ms. The caller joins a fetch in flight before
 * asking.
 *
 * @last_manual_ms: when the last request the user asked for began (0:
 *   never; one that sent nothing, e.g. without a key, does not count).
 * @rate_limited_until_ms: the end of the server's Retry-After, 0 for none.
 *
 * A time in the future beyond any window (the wall clock was set back)
 * does not block: only a wait the rule could have produced does. */
MqManualRefresh mq_schedule_manual_refresh (gint64 now_ms,
                                            gint64 last_manual_ms,
                                            gint64 rate_limited_until_ms);

G_END_DECLS
