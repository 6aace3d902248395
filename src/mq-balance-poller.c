/* mq-balance-poller.c: keeps a pay-as-you-go key's balance fresh
 *
 * The timer logic of mq-poller.c without what only a quota has (window
 * resets, the low cadence): one fetch at a time, one timeout source while
 * waiting, the delay chosen by mq-schedule.c.
 */
#define G_LOG_DOMAIN "mq-balance-poller"

#include "config.h"

#include "mq-balance-poller.h"
#include "mq-error.h"
#include "mq-poller.h"
#include "mq-schedule.h"

struct _MqBalancePoller
{
  GObject           parent_instance;

  MqClient         *client;
  GCancellable     *fetch_cancellable;  /* the fetch in flight, NULL when idle */
  MqScheduleConfig  config;

  MqBalance        *balance;            /* last good, nullable */
  GError           *error;              /* last failure, NULL after a success */
  guint             failures;
  guint             retry_after_s;
  gint64            retry_until_ms;
  gint64            last_success_ms;
  gint64            last_finish_ms;
  gint64            last_manual_ms;
  double            jitter;

  gboolean          started;
  guint             timeout_id;
  gint64            next_delay_ms;

  MqBalancePollerClockFunc clock_func;
  gpointer          clock_data;
  double            time_scale;
};

G_DEFINE_FINAL_TYPE (MqBalancePoller, mq_balance_poller, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A fetch may outlive the poller, or be dropped by restart: the callback
 * finds the poller through a weak reference and compares cancellables. */
typedef struct {
  GWeakRef      poller;
  GCancellable *cancellable;
} CallbackData;

static void
callback_data_free (CallbackData *data)
{
  g_weak_ref_clear (&data->poller);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallbackData, callback_data_free)

static gint64
now_ms (MqBalancePoller *self)
{
  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data);
  return g_get_real_time () / 1000;
}

static void begin_fetch (MqBalancePoller *self);

static gboolean
on_timeout (gpointer user_data)
{
  MqBalancePoller *self = MQ_BALANCE_POLLER (user_data);

  self->timeout_id = 0;
  self->next_delay_ms = -1;
  begin_fetch (self);

  return G_SOURCE_REMOVE;
}

static void
cancel_timer (MqBalancePoller *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->next_delay_ms = -1;
}

/* Arms the timer for the next fetch: not before start, not while a fetch
 * is in flight, not without a key. */
static void
schedule (MqBalancePoller *self)
{
  gint64 delay_ms, remaining_ms, timer_ms;

  cancel_timer (self);

  if (!self->started || self->fetch_cancellable != NULL)
    return;
  if (g_error_matches (self->error, MQ_ERROR, MQ_ERROR_NO_KEY))
    return;

  delay_ms = mq_schedule_next_delay_ms (&self->config, MQ_STATE_OK, self->failures,
                                        self->retry_after_s, self->last_finish_ms,
                                        0, 0, self->jitter, NULL);
  remaining_ms = MIN (self->last_finish_ms + delay_ms - now_ms (self), delay_ms);
  if (remaining_ms <= 0)
    {
      begin_fetch (self);
      return;
    }

  self->next_delay_ms = delay_ms;
  timer_ms = MAX ((gint64) (remaining_ms * self->time_scale), 1);
  self->timeout_id = mq_poller_add_timeout (timer_ms, on_timeout, self,
                                            "[mq-balance-poller] next fetch");
}

static void
finish_fetch (MqBalancePoller *self,
              MqBalance       *balance,
              guint            retry_after_s,
              const GError    *error)
{
  gint64 now = now_ms (self);

  g_clear_object (&self->fetch_cancellable);
  self->last_finish_ms = now;
  self->jitter = g_random_double ();

  g_clear_error (&self->error);
  if (balance != NULL)
    {
      g_clear_pointer (&self->balance, mq_balance_unref);
      self->balance = mq_balance_ref (balance);
      self->failures = 0;
      self->retry_after_s = 0;
      self->retry_until_ms = 0;
      self->last_success_ms = now;
    }
  else
    {
      self->error = g_error_copy (error);
      if (self->failures < G_MAXUINT)
        self->failures++;
      self->retry_after_s = MIN (retry_after_s, MQ_SCHEDULE_RETRY_AFTER_MAX_S);
      self->retry_until_ms = now + (gint64) self->retry_after_s * 1000;
      g_debug ("Balance fetch failed (%s), %u in a row", mq_error_code_nick (error), self->failures);
    }

  if (g_error_matches (error, MQ_ERROR, MQ_ERROR_NO_KEY))
    self->last_manual_ms = 0;

  schedule (self);

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (balance != NULL)
    g_signal_emit (self, signals[SIGNAL_UPDATED], 0, balance);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CallbackData) data = user_data;
  g_autoptr(MqBalancePoller) self = g_weak_ref_get (&data->poller);
  g_autoptr(MqBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  guint retry_after_s = 0;

  balance = mq_client_fetch_balance_finish (MQ_CLIENT (source), result, &retry_after_s, &error);

  if (self == NULL || data->cancellable != self->fetch_cancellable)
    return;

  finish_fetch (self, balance, retry_after_s, error);
}

static void
begin_fetch (MqBalancePoller *self)
{
  CallbackData *data;

  if (self->fetch_cancellable != NULL)
    return;

  cancel_timer (self);
  self->fetch_cancellable = g_cancellable_new ();

  data = g_new0 (CallbackData, 1);
  g_weak_ref_init (&data->poller, self);
  data->cancellable = g_object_ref (self->fetch_cancellable);
  mq_client_fetch_balance_async (self->client, self->fetch_cancellable, on_fetched, data);

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
mq_balance_poller_dispose (GObject *object)
{
  MqBalancePoller *self = MQ_BALANCE_POLLER (object);

  cancel_timer (self);
  if (self->fetch_cancellable != NULL)
    {
      g_cancellable_cancel (self->fetch_cancellable);
      g_clear_object (&self->fetch_cancellable);
    }
  g_clear_object (&self->client);

  G_OBJECT_CLASS (mq_balance_poller_parent_class)->dispose (object);
}

static void
mq_balance_poller_finalize (GObject *object)
{
  MqBalancePoller *self = MQ_BALANCE_POLLER (object);

  g_clear_pointer (&self->balance, mq_balance_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (mq_balance_poller_parent_class)->finalize (object);
}

static void
mq_balance_poller_class_init (MqBalancePollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_balance_poller_dispose;
  object_class->finalize = mq_balance_poller_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  signals[SIGNAL_UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, MQ_TYPE_BALANCE);
}

static void
mq_balance_poller_init (MqBalancePoller *self)
{
  mq_schedule_config_init (&self->config, MQ_SCHEDULE_INTERVAL_DEFAULT_S);
  self->next_delay_ms = -1;
  self->time_scale = 1.0;
}

MqBalancePoller *
mq_balance_poller_new (MqClient *client)
{
  MqBalancePoller *self;

  g_return_val_if_fail (MQ_IS_CLIENT (client), NULL);

  self = g_object_new (MQ_TYPE_BALANCE_POLLER, NULL);
  self->client = g_object_ref (client);
  return self;
}

MqClient *
mq_balance_poller_get_client (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), NULL);
  return self->client;
}

void
mq_balance_poller_set_interval (MqBalancePoller *self,
                                guint            seconds)
{
  g_return_if_fail (MQ_IS_BALANCE_POLLER (self));

  mq_schedule_config_init (&self->config, seconds);
  if (self->timeout_id != 0)
    schedule (self);
}

guint
mq_balance_poller_get_interval (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), 0);
  return self->config.interval_s;
}

void
mq_balance_poller_start (MqBalancePoller *self)
{
  g_return_if_fail (MQ_IS_BALANCE_POLLER (self));

  if (self->started)
    return;
  self->started = TRUE;
  begin_fetch (self);
}

void
mq_balance_poller_refresh (MqBalancePoller *self)
{
  gint64 now;

  g_return_if_fail (MQ_IS_BALANCE_POLLER (self));

  if (self->fetch_cancellable != NULL)
    return;

  now = now_ms (self);
  if (mq_schedule_manual_refresh (now, self->last_manual_ms, self->retry_until_ms) !=
      MQ_MANUAL_REFRESH_FETCH)
    return;

  self->last_manual_ms = now;
  begin_fetch (self);
}

void
mq_balance_poller_restart (MqBalancePoller *self)
{
  g_return_if_fail (MQ_IS_BALANCE_POLLER (self));

  if (self->fetch_cancellable != NULL)
    {
      g_cancellable_cancel (self->fetch_cancellable);
      g_clear_object (&self->fetch_cancellable);
    }
  self->failures = 0;
  self->retry_after_s = 0;
  self->retry_until_ms = 0;

  begin_fetch (self);
}

MqBalance *
mq_balance_poller_get_balance (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), NULL);
  return self->balance;
}

const GError *
mq_balance_poller_get_error (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), NULL);
  return self->error;
}

gboolean
mq_balance_poller_get_busy (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), FALSE);
  return self->fetch_cancellable != NULL;
}

gint64
mq_balance_poller_get_last_success_ms (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), 0);
  return self->last_success_ms;
}

guint
mq_balance_poller_get_failures (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), 0);
  return self->failures;
}

gint64
mq_balance_poller_get_rate_limited_until_ms (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), 0);
  return self->retry_until_ms > now_ms (self) ? self->retry_until_ms : 0;
}

gint64
mq_balance_poller_get_next_delay_ms (MqBalancePoller *self)
{
  g_return_val_if_fail (MQ_IS_BALANCE_POLLER (self), -1);
  return self->next_delay_ms;
}

void
mq_balance_poller_set_clock_for_testing (MqBalancePoller          *self,
                                         MqBalancePollerClockFunc  now_func,
                                         gpointer                  user_data)
{
  g_return_if_fail (MQ_IS_BALANCE_POLLER (self));
  self->clock_func = now_func;
  self->clock_data = user_data;
}

void
mq_balance_poller_set_time_scale_for_testing (MqBalancePoller *self,
                                              double           scale)
{
  g_return_if_fail (MQ_IS_BALANCE_POLLER (self));
  self->time_scale = scale > 0 ? scale : 1.0;
}
