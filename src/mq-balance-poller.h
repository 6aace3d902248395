/* mq-balance-poller.h: keeps a pay-as-you-go key's balance fresh
 *
 * The balance's counterpart of MqPoller (mq-poller.h): one MqClient, one
 * fetch at a time (mq_client_fetch_balance_async()), the same schedule
 * rules (mq_schedule_next_delay_ms(): the refresh interval, backoff with
 * jitter after failures, the server's Retry-After) and the same floors
 * for refreshes the user asks for (mq_schedule_manual_refresh()). A
 * balance has no windows, so no reset rule and no low cadence apply.
 * Between fetches it holds one timeout source and nothing else. Needs GIO
 * only (no GTK).
 *
 * Signals:
 *   "changed" (void): a fetch started or finished.
 *   "updated" (MqBalance *): a fetch succeeded; the balance is fresh.
 */
#pragma once

#include <gio/gio.h>

#include "mq-balance.h"
#include "mq-client.h"

G_BEGIN_DECLS

#define MQ_TYPE_BALANCE_POLLER (mq_balance_poller_get_type ())
G_DECLARE_FINAL_TYPE (MqBalancePoller, mq_balance_poller, MQ, BALANCE_POLLER, GObject)

typedef gint64 (*MqBalancePollerClockFunc) (gpointer user_data);

MqBalancePoller *mq_balance_poller_new            (MqClient        *client);
MqClient        *mq_balance_poller_get_client     (MqBalancePoller *self);

/* The refresh interval in seconds (clamped to 30..3600). Reschedules a
 * waiting poller, counting from the end of the last fetch. */
void             mq_balance_poller_set_interval   (MqBalancePoller *self,
                                                   guint            seconds);
guint            mq_balance_poller_get_interval   (MqBalancePoller *self);

/* Fetches now, then keeps the schedule. Calling it again does nothing. */
void             mq_balance_poller_start          (MqBalancePoller *self);
/* As mq_poller_refresh(): joins a fetch in flight; sends nothing within
 * 5 s of the last request asked for, nor before the end of a Retry-After. */
void             mq_balance_poller_refresh        (MqBalancePoller *self);
/* The client's settings changed: drops a fetch in flight, forgets the
 * backoff and fetches now. */
void             mq_balance_poller_restart        (MqBalancePoller *self);

MqBalance       *mq_balance_poller_get_balance    (MqBalancePoller *self);
const GError    *mq_balance_poller_get_error      (MqBalancePoller *self);
gboolean         mq_balance_poller_get_busy       (MqBalancePoller *self);
gint64           mq_balance_poller_get_last_success_ms (MqBalancePoller *self);
guint            mq_balance_poller_get_failures   (MqBalancePoller *self);
/* The end of the server's last Retry-After (epoch ms), 0 when none. */
gint64           mq_balance_poller_get_rate_limited_until_ms (MqBalancePoller *self);
/* The delay (ms) of the pending timer; -1 when none is armed. */
gint64           mq_balance_poller_get_next_delay_ms (MqBalancePoller *self);

/* For tests, as MqPoller's. */
void             mq_balance_poller_set_clock_for_testing      (MqBalancePoller          *self,
                                                               MqBalancePollerClockFunc  now_ms,
                                                               gpointer                  user_data);
void             mq_balance_poller_set_time_scale_for_testing (MqBalancePoller          *self,
                                                               double                    scale);

G_END_DECLS
