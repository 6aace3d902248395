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
 * @jitter01: a random value in [0, 1] (clamped), spreads retries. */
gint64 mq_schedule_next_delay_ms (const MqScheduleConfig *config,
                                  MqState                 headline_state,
                                  guint                   consecutive_failures,
                                  guint                   retry_after_s,
                                  gint64                  now_ms,
                                  gint64                  next_reset_ms,
                                  double                  jitter01);

G_END_DECLS
