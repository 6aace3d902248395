/* mq-poller.h: keeps the quota fresh on the main loop
 *
 * Fetches with an MqClient on a schedule (mq-schedule.h), backs off on
 * errors, honours Retry-After, refreshes at once when the network comes
 * back, after resume from suspend and on request, and keeps the last good
 * snapshot. Between fetches it holds one timeout source and nothing else:
 * no periodic wake-ups. Needs GIO only (no GTK).
 *
 * Signals:
 *   "changed" (void): a fetch started or finished (busy, error or snapshot
 *     may have changed).
 *   "updated" (MqSnapshot *): a fetch succeeded; the snapshot is fresh.
 */
#pragma once

#include <gio/gio.h>

#include "mq-client.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_POLLER (mq_poller_get_type ())
G_DECLARE_FINAL_TYPE (MqPoller, mq_poller, MQ, POLLER, GObject)

typedef gint64 (*MqPollerClockFunc) (gpointer user_data);

MqPoller     *mq_poller_new                  (MqClient           *client);

MqClient     *mq_poller_get_client           (MqPoller           *self);

/* The refresh interval in seconds (clamped to 30..3600). Reschedules a
 * waiting poller, counting from the end of the last fetch. */
void          mq_poller_set_interval         (MqPoller           *self,
                                              guint               seconds);
guint         mq_poller_get_interval         (MqPoller           *self);
/* Thresholds and headline model decide the headline state, which sets the
 * cadence (every minute while low). Both reschedule a waiting poller. */
void          mq_poller_set_thresholds       (MqPoller           *self,
                                              const MqThresholds *thresholds);
void          mq_poller_set_headline_model   (MqPoller           *self,
                                              const char         *model);

/* Fetches now, then keeps a schedule and watches the network and logind.
 * Calling it again does nothing. */
void          mq_poller_start                (MqPoller           *self);
/* A refresh the user asked for ("Refresh now", a second launch). While a
 * fetch is in flight, joins it (no second request). Otherwise fetches now,
 * except within 5 s of the last request it sent (the answer just received
 * stands) and before the end of a Retry-After the server asked for
 * (mq_poller_get_rate_limited_until_ms()): then it sends nothing and emits
 * nothing. The floors are mq_schedule_manual_refresh(). */
void          mq_poller_refresh              (MqPoller           *self);
/* The settings of the client changed (key, region, base URL): drops a
 * fetch in flight (its answer is for the old settings), forgets the
 * backoff and fetches now. */
void          mq_poller_restart              (MqPoller           *self);

MqSnapshot   *mq_poller_get_snapshot         (MqPoller           *self);
const GError *mq_poller_get_error            (MqPoller           *self);
gboolean      mq_poller_get_busy             (MqPoller           *self);
gint64        mq_poller_get_last_success_ms  (MqPoller           *self);
guint         mq_poller_get_failures         (MqPoller           *self);

/* When the server's last Retry-After ends (epoch ms, the poller's clock),
 * or 0 when no wait is in force now. Until then no request is sent, not
 * even for "Refresh now"; a view can say "rate limited until 15:40". It
 * only changes when a fetch ends, so "changed" is the signal to re-read it;
 * when the wait is over the scheduled fetch starts (and emits "changed"). */
gint64        mq_poller_get_rate_limited_until_ms (MqPoller           *self);

/* The delay (ms, as the schedule chose it) of the pending timer; -1 when no
 * fetch is scheduled (not started, busy, or waiting for a key). */
gint64        mq_poller_get_next_delay_ms    (MqPoller           *self);

/* For tests. The clock (epoch ms; default g_get_real_time() / 1000) and a
 * scale applied to timer lengths (default 1.0; 0.001 makes a 30 s wait
 * last 30 ms) so that schedule decisions stay realistic while tests run
 * fast. Set the network monitor before mq_poller_start() (default:
 * g_network_monitor_get_default()). */
void          mq_poller_set_clock_for_testing      (MqPoller          *self,
                                                    MqPollerClockFunc  now_ms,
                                                    gpointer           user_data);
void          mq_poller_set_time_scale_for_testing (MqPoller          *self,
                                                    double             scale);
void          mq_poller_set_network_monitor        (MqPoller          *self,
                                                    GNetworkMonitor   *monitor);

/* A main-loop timeout of @timer_ms (at least 1) calling @func, named
 * @name: in whole seconds from 10 s on, so that GLib and the kernel batch
 * wake-ups across processes; shorter ones (a test's scaled timers) keep
 * millisecond precision. Also the balance poller's timer. */
guint         mq_poller_add_timeout                (gint64             timer_ms,
                                                    GSourceFunc        func,
                                                    gpointer           user_data,
                                                    const char        *name);

G_END_DECLS
