/* mq-poller.c: keeps the quota fresh on the main loop
 *
 * One fetch at a time; one timeout source, present only while waiting for
 * the next fetch. The schedule itself (interval, low cadence, window
 * resets, backoff, Retry-After) is decided by mq-schedule.c; this file
 * only gathers its inputs and keeps the timer. Refreshes asked for by the
 * user go through the same schedule's floors (mq_schedule_manual_refresh()).
 * Its place in the one-way flow: docs/DESIGN.md.
 *
 * Times are wall-clock epoch milliseconds (g_get_real_time): window resets
 * are wall-clock times, and after a suspend the monotonic clock has not
 * moved while the quota windows have. GLib timeout sources run on the
 * monotonic clock and therefore fire late after a suspend; logind's
 * PrepareForSleep(false) covers that case with an immediate refresh.
 */
#define G_LOG_DOMAIN "mq-poller"

#include "config.h"

#include "mq-error.h"
#include "mq-heap.h"
#include "mq-poller.h"
#include "mq-schedule.h"

/* How long after an answer of more rows than a snapshot keeps the freed
 * memory is handed back. */
#define TRIM_DELAY_S      2

/* From this length on, timers use whole seconds (mq_poller_add_timeout()). */
#define SECONDS_TIMER_MIN_MS 10000

#define LOGIND_NAME      "org.freedesktop.login1"
#define LOGIND_PATH      "/org/freedesktop/login1"
#define LOGIND_INTERFACE "org.freedesktop.login1.Manager"

struct _MqPoller
{
  GObject           parent_instance;
  guint             trim_id;            /* handing memory back after a big answer */

  MqClient         *client;
  GCancellable     *cancellable;        /* the poller's life: bus lookup; cancelled in dispose */
  GCancellable     *fetch_cancellable;  /* the fetch in flight, NULL when idle */

  MqScheduleConfig  config;
  MqThresholds      thresholds;
  char             *headline_model;

  MqSnapshot       *snapshot;           /* last good, nullable */
  GError           *error;              /* last failure, NULL after a success */
  guint             failures;           /* consecutive */
  guint             retry_after_s;      /* asked by the server on the last failure */
  gint64            retry_until_ms;     /* no automatic fetch before this */
  gint64            last_success_ms;
  gint64            last_finish_ms;     /* the schedule counts from here */
  gint64            last_manual_ms;     /* the last request the user asked for began, 0: none */
  gint64            last_reset_fetch_ms; /* the last fetch the reset rule chose began, 0: none */
  gboolean          timer_by_reset;     /* the pending timer was chosen by the reset rule */
  gint64            timer_reset_ms;     /* the reset the pending timer is for */
  gint64            reset_done_ms;      /* the latest reset a fetch has been sent for */
  double            jitter;             /* drawn once per finished fetch */

  gboolean          started;
  guint             timeout_id;
  gint64            next_delay_ms;      /* of timeout_id; -1 without one */

  GNetworkMonitor  *monitor;
  gulong            network_handler;
  gboolean          network_available;

  GDBusConnection  *system_bus;
  guint             sleep_subscription;

  MqPollerClockFunc clock_func;
  gpointer          clock_data;
  double            time_scale;
};

G_DEFINE_FINAL_TYPE (MqPoller, mq_poller, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Handed to callbacks that may outlive the poller (a fetch, a D-Bus
 * subscription): they find the poller, if it still exists, through a weak
 * reference, and tell a current fetch from one dropped by restart. */
typedef struct {
  GWeakRef      poller;
  GCancellable *cancellable;
} CallbackData;

static CallbackData *
callback_data_new (MqPoller     *self,
                   GCancellable *cancellable)
{
  CallbackData *data = g_new0 (CallbackData, 1);

  g_weak_ref_init (&data->poller, self);
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  return data;
}

static void
callback_data_free (gpointer user_data)
{
  CallbackData *data = user_data;

  g_weak_ref_clear (&data->poller);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallbackData, callback_data_free)

static gint64
now_ms (MqPoller *self)
{
  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data);

  return g_get_real_time () / 1000;
}

static MqState
headline_state (MqPoller *self)
{
  MqHeadline headline;

  if (self->snapshot == NULL)
    return MQ_STATE_UNKNOWN;

  if (!mq_snapshot_get_headline (self->snapshot, self->headline_model,
                                 &self->thresholds, &headline))
    return MQ_STATE_UNKNOWN;

  return headline.state;
}

static void begin_fetch (MqPoller *self);

static gboolean
on_timeout (gpointer user_data)
{
  MqPoller *self = MQ_POLLER (user_data);

  self->timeout_id = 0;
  self->next_delay_ms = -1;
  if (self->timer_by_reset)
    {
      self->last_reset_fetch_ms = now_ms (self);
      self->reset_done_ms = MAX (self->reset_done_ms, self->timer_reset_ms);
    }
  begin_fetch (self);

  return G_SOURCE_REMOVE;
}

static void
cancel_timer (MqPoller *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->next_delay_ms = -1;
  self->timer_by_reset = FALSE;
  self->timer_reset_ms = 0;
}

/* The latest reset of an in-plan window of @snapshot that had passed at
 * @at_ms, by less than @within_ms; 0 when none. An answer carrying such a
 * reset is stale (the menu says "Reset due — refreshing"). */
static gint64
recent_past_reset_ms (MqSnapshot *snapshot,
                      gint64      at_ms,
                      gint64      within_ms)
{
  gint64 latest = 0;

  for (guint i = 0; i < mq_snapshot_get_n_models (snapshot); i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      if (!model->usable || !model->in_plan)
        continue;

      for (int slot = MQ_SLOT_INTERVAL; slot <= MQ_SLOT_WEEKLY; slot++)
        {
          const MqWindow *window = mq_model_get_window (model, slot);

          if (!window->known || window->unlimited || window->resets_at_ms <= 0 ||
              window->resets_at_ms > at_ms || at_ms - window->resets_at_ms >= within_ms)
            continue;
          latest = MAX (latest, window->resets_at_ms);
        }
    }

  return latest;
}

/* Arms the timer for the next fetch, or none: before start, while a fetch
 * is in flight (its end schedules), and without a key (nothing to retry
 * until the application sets one and calls refresh). */
static void
schedule (MqPoller *self)
{
  gint64 now;
  gint64 delay_ms;
  gint64 remaining_ms;
  gint64 timer_ms;
  gint64 next_reset_ms = 0;
  gint64 for_reset_ms = 0;
  gboolean by_reset = FALSE;

  cancel_timer (self);

  if (!self->started || self->fetch_cancellable != NULL)
    return;
  if (g_error_matches (self->error, MQ_ERROR, MQ_ERROR_NO_KEY))
    return;

  if (self->snapshot != NULL)
    {
      gint64 past_ms = recent_past_reset_ms (self->snapshot, self->last_finish_ms,
                                             (gint64) self->config.interval_s * 1000);

      next_reset_ms = mq_snapshot_get_next_reset_ms (self->snapshot, self->last_finish_ms);
      for_reset_ms = next_reset_ms;

      /* The answer names a reset that has just passed and no fetch was sent
       * for it yet: ask once more, a minute after the last reset fetch (the
       * schedule's floor). Once only: the next answer with the same past
       * reset finds it done, and does not loop. */
      if (past_ms > self->reset_done_ms && self->failures == 0)
        {
          gint64 again_ms = self->last_finish_ms + MQ_SCHEDULE_RESET_MIN_GAP_MS -
                            MQ_SCHEDULE_RESET_MARGIN_MS;

          if (next_reset_ms == 0 || again_ms < next_reset_ms)
            {
              next_reset_ms = again_ms;
              for_reset_ms = past_ms;
            }
        }
    }

  delay_ms = mq_schedule_next_delay_ms (&self->config, headline_state (self),
                                        self->failures, self->retry_after_s,
                                        self->last_finish_ms, next_reset_ms,
                                        self->last_reset_fetch_ms, self->jitter,
                                        &by_reset);

  /* Counted from the end of the last fetch: a change of settings while
   * waiting keeps the rhythm instead of starting it over. */
  now = now_ms (self);
  remaining_ms = self->last_finish_ms + delay_ms - now;
  /* The wall clock was set back: never wait longer than the delay itself. */
  remaining_ms = MIN (remaining_ms, delay_ms);
  if (remaining_ms <= 0)
    {
      if (by_reset)
        {
          self->last_reset_fetch_ms = now;
          self->reset_done_ms = MAX (self->reset_done_ms, for_reset_ms);
        }
      begin_fetch (self);
      return;
    }

  self->next_delay_ms = delay_ms;
  self->timer_by_reset = by_reset;
  self->timer_reset_ms = by_reset ? for_reset_ms : 0;
  timer_ms = MAX ((gint64) (remaining_ms * self->time_scale), 1);

  g_debug ("Next fetch in %" G_GINT64_FORMAT " s", (remaining_ms + 999) / 1000);

  self->timeout_id = mq_poller_add_timeout (timer_ms, on_timeout, self, "[mq-poller] next fetch");
}

guint
mq_poller_add_timeout (gint64       timer_ms,
                       GSourceFunc  func,
                       gpointer     user_data,
                       const char  *name)
{
  guint id;

  timer_ms = MAX (timer_ms, 1);
  if (timer_ms >= SECONDS_TIMER_MIN_MS)
    id = g_timeout_add_seconds ((guint) MIN ((timer_ms + 999) / 1000, G_MAXUINT), func, user_data);
  else
    id = g_timeout_add ((guint) timer_ms, func, user_data);
  g_source_set_name_by_id (id, name);
  return id;
}

static gboolean
trim_heap (gpointer user_data)
{
  MqPoller *self = user_data;

  self->trim_id = 0;
  mq_heap_trim ();
  return G_SOURCE_REMOVE;
}

static void
finish_fetch (MqPoller   *self,
              MqSnapshot *snapshot,
              guint       retry_after_s,
              GError     *error)
{
  gint64 now = now_ms (self);

  g_clear_object (&self->fetch_cancellable);
  self->last_finish_ms = now;
  self->jitter = g_random_double ();

  if (snapshot != NULL)
    {
      /* An answer of more rows than a snapshot keeps (thousands, under
       * the caps, hostile or not) leaves the heap full of freed parser
       * nodes, and glibc keeps them: hand them back once it is parsed,
       * and again once the next answer has replaced it. */
      gboolean big = mq_snapshot_get_n_omitted (snapshot) > 0 ||
                     (self->snapshot != NULL && mq_snapshot_get_n_omitted (self->snapshot) > 0);

      g_clear_pointer (&self->snapshot, mq_snapshot_unref);
      self->snapshot = mq_snapshot_ref (snapshot);
      /* Later, once every view has let go of the old answer and the
       * history worker is done with the new one. */
      if (big && self->trim_id == 0)
        self->trim_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, TRIM_DELAY_S,
                                                    trim_heap, self, NULL);
      g_clear_error (&self->error);
      self->failures = 0;
      self->retry_after_s = 0;
      self->retry_until_ms = 0;
      self->last_success_ms = now;
    }
  else
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      if (self->failures < G_MAXUINT)
        self->failures++;
      self->retry_after_s = MIN (retry_after_s, MQ_SCHEDULE_RETRY_AFTER_MAX_S);
      self->retry_until_ms = now + (gint64) self->retry_after_s * 1000;
      g_debug ("Fetch failed (%s), %u in a row", mq_error_code_nick (error), self->failures);
    }

  /* Without a key nothing was sent: a click after one is set asks at once. */
  if (g_error_matches (error, MQ_ERROR, MQ_ERROR_NO_KEY))
    self->last_manual_ms = 0;

  schedule (self);

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (snapshot != NULL)
    g_signal_emit (self, signals[SIGNAL_UPDATED], 0, snapshot);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CallbackData) data = user_data;
  g_autoptr(MqPoller) self = g_weak_ref_get (&data->poller);
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  guint retry_after_s = 0;

  snapshot = mq_client_fetch_finish_full (MQ_CLIENT (source), result, &retry_after_s, &error);

  /* Gone, or dropped by mq_poller_restart(): a newer fetch owns the state. */
  if (self == NULL || data->cancellable != self->fetch_cancellable)
    return;

  finish_fetch (self, snapshot, retry_after_s, error);
}

/* Starts a fetch, or joins the one in flight. */
static void
begin_fetch (MqPoller *self)
{
  if (self->fetch_cancellable != NULL)
    return;

  cancel_timer (self);
  self->fetch_cancellable = g_cancellable_new ();

  mq_client_fetch_async (self->client, self->fetch_cancellable, on_fetched,
                         callback_data_new (self, self->fetch_cancellable));

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* A refresh that nobody asked for (network back, resume): skipped without
 * a key, and within a Retry-After the server asked for (the timer already
 * waits for its end). */
static void
auto_refresh (MqPoller   *self,
              const char *reason)
{
  if (!self->started)
    return;
  if (g_error_matches (self->error, MQ_ERROR, MQ_ERROR_NO_KEY))
    return;
  if (self->retry_until_ms > now_ms (self))
    {
      g_debug ("%s, but the server asked to wait: not refreshing", reason);
      return;
    }

  g_debug ("%s: refreshing", reason);
  begin_fetch (self);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  MqPoller *self = MQ_POLLER (user_data);
  gboolean was_available = self->network_available;
  gboolean stale;

  self->network_available = available;

  /* Only the way back matters; GNetworkMonitor also signals route changes
   * that leave the network available, and those must not add requests. */
  if (!available || was_available)
    return;

  stale = self->last_success_ms == 0 ||
          now_ms (self) - self->last_success_ms >= (gint64) self->config.interval_s * 1000;

  if (self->error != NULL || stale)
    auto_refresh (self, "The network is back");
}

static void
watch_network (MqPoller *self)
{
  if (self->monitor == NULL)
    self->monitor = g_object_ref (g_network_monitor_get_default ());

  self->network_available = g_network_monitor_get_network_available (self->monitor);
  self->network_handler = g_signal_connect_object (self->monitor, "network-changed",
                                                   G_CALLBACK (on_network_changed),
                                                   self, G_CONNECT_DEFAULT);
}

static void
unwatch_network (MqPoller *self)
{
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  CallbackData *data = user_data;
  g_autoptr(MqPoller) self = g_weak_ref_get (&data->poller);
  gboolean going_to_sleep;

  if (self == NULL || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;

  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    auto_refresh (self, "Resumed from suspend");
}

static void
on_system_bus (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CallbackData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);
  g_autoptr(MqPoller) self = NULL;

  if (bus == NULL)
    {
      /* No system bus (a container, a minimal session): no resume hint; the
       * timer still fires, late by the time spent suspended. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, not watching for resume: %s", error->message);
      return;
    }

  self = g_weak_ref_get (&data->poller);
  if (self == NULL || g_cancellable_is_cancelled (data->cancellable))
    return;

  self->system_bus = g_steal_pointer (&bus);
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (self->system_bus, LOGIND_NAME, LOGIND_INTERFACE,
                                        "PrepareForSleep", LOGIND_PATH, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        on_prepare_for_sleep,
                                        callback_data_new (self, NULL),
                                        callback_data_free);
}

static void
mq_poller_dispose (GObject *object)
{
  MqPoller *self = MQ_POLLER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->fetch_cancellable != NULL)
    g_cancellable_cancel (self->fetch_cancellable);
  g_clear_object (&self->fetch_cancellable);

  cancel_timer (self);
  g_clear_handle_id (&self->trim_id, g_source_remove);
  unwatch_network (self);
  g_clear_object (&self->monitor);

  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (mq_poller_parent_class)->dispose (object);
}

static void
mq_poller_finalize (GObject *object)
{
  MqPoller *self = MQ_POLLER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->snapshot, mq_snapshot_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->headline_model, g_free);

  G_OBJECT_CLASS (mq_poller_parent_class)->finalize (object);
}

static void
mq_poller_class_init (MqPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_poller_dispose;
  object_class->finalize = mq_poller_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  signals[SIGNAL_UPDATED] =
    g_signal_new ("updated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  MQ_TYPE_SNAPSHOT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mq_poller_init (MqPoller *self)
{
  self->cancellable = g_cancellable_new ();
  mq_schedule_config_init (&self->config, MQ_SCHEDULE_INTERVAL_DEFAULT_S);
  self->thresholds.low = MQ_THRESHOLD_LOW_DEFAULT;
  self->thresholds.critical = MQ_THRESHOLD_CRITICAL_DEFAULT;
  self->next_delay_ms = -1;
  self->time_scale = 1.0;
  self->network_available = TRUE;
}

MqPoller *
mq_poller_new (MqClient *client)
{
  MqPoller *self;

  g_return_val_if_fail (MQ_IS_CLIENT (client), NULL);

  self = g_object_new (MQ_TYPE_POLLER, NULL);
  self->client = g_object_ref (client);

  return self;
}

MqClient *
mq_poller_get_client (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), NULL);

  return self->client;
}

/* Settings that change the schedule re-arm a waiting timer; while a fetch
 * is in flight its end schedules with the new values. */
static void
reschedule_if_waiting (MqPoller *self)
{
  if (self->timeout_id != 0)
    schedule (self);
}

void
mq_poller_set_interval (MqPoller *self,
                        guint     seconds)
{
  g_return_if_fail (MQ_IS_POLLER (self));

  seconds = CLAMP (seconds, MQ_SCHEDULE_INTERVAL_MIN_S, MQ_SCHEDULE_INTERVAL_MAX_S);
  if (self->config.interval_s == seconds)
    return;

  self->config.interval_s = seconds;
  reschedule_if_waiting (self);
}

guint
mq_poller_get_interval (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), 0);

  return self->config.interval_s;
}

void
mq_poller_set_thresholds (MqPoller           *self,
                          const MqThresholds *thresholds)
{
  g_return_if_fail (MQ_IS_POLLER (self));
  g_return_if_fail (thresholds != NULL);

  self->thresholds = *thresholds;
  reschedule_if_waiting (self);
}

void
mq_poller_set_headline_model (MqPoller   *self,
                              const char *model)
{
  g_return_if_fail (MQ_IS_POLLER (self));

  if (model != NULL && *model == '\0')
    model = NULL;
  if (g_strcmp0 (self->headline_model, model) == 0)
    return;

  g_free (self->headline_model);
  self->headline_model = g_strdup (model);
  reschedule_if_waiting (self);
}

void
mq_poller_start (MqPoller *self)
{
  g_return_if_fail (MQ_IS_POLLER (self));

  if (self->started)
    return;

  self->started = TRUE;
  watch_network (self);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus,
             callback_data_new (self, self->cancellable));

  begin_fetch (self);
}

void
mq_poller_refresh (MqPoller *self)
{
  gint64 now;

  g_return_if_fail (MQ_IS_POLLER (self));

  /* A fetch in flight: the click joins it. */
  if (self->fetch_cancellable != NULL)
    return;

  now = now_ms (self);
  switch (mq_schedule_manual_refresh (now, self->last_manual_ms, self->retry_until_ms))
    {
    case MQ_MANUAL_REFRESH_RATE_LIMITED:
      g_debug ("Refresh asked for, but the server asked to wait %" G_GINT64_FORMAT " s more",
               (self->retry_until_ms - now + 999) / 1000);
      return;
    case MQ_MANUAL_REFRESH_TOO_SOON:
      g_debug ("Refresh asked for within %d s of the last one: keeping its answer",
               MQ_SCHEDULE_MANUAL_MIN_GAP_MS / 1000);
      return;
    case MQ_MANUAL_REFRESH_FETCH:
    default:
      break;
    }

  self->last_manual_ms = now;
  begin_fetch (self);
}

void
mq_poller_restart (MqPoller *self)
{
  g_return_if_fail (MQ_IS_POLLER (self));

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

MqSnapshot *
mq_poller_get_snapshot (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), NULL);

  return self->snapshot;
}

const GError *
mq_poller_get_error (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), NULL);

  return self->error;
}

gboolean
mq_poller_get_busy (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), FALSE);

  return self->fetch_cancellable != NULL;
}

gint64
mq_poller_get_last_success_ms (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), 0);

  return self->last_success_ms;
}

guint
mq_poller_get_failures (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), 0);

  return self->failures;
}

gint64
mq_poller_get_rate_limited_until_ms (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), 0);

  return self->retry_until_ms > now_ms (self) ? self->retry_until_ms : 0;
}

gint64
mq_poller_get_next_delay_ms (MqPoller *self)
{
  g_return_val_if_fail (MQ_IS_POLLER (self), -1);

  return self->next_delay_ms;
}

void
mq_poller_set_clock_for_testing (MqPoller          *self,
                                 MqPollerClockFunc  now_ms_func,
                                 gpointer           user_data)
{
  g_return_if_fail (MQ_IS_POLLER (self));

  self->clock_func = now_ms_func;
  self->clock_data = user_data;
}

void
mq_poller_set_time_scale_for_testing (MqPoller *self,
                                      double    scale)
{
  g_return_if_fail (MQ_IS_POLLER (self));
  g_return_if_fail (scale > 0.0);

  self->time_scale = scale;
}

void
mq_poller_set_network_monitor (MqPoller        *self,
                               GNetworkMonitor *monitor)
{
  g_return_if_fail (MQ_IS_POLLER (self));
  g_return_if_fail (G_IS_NETWORK_MONITOR (monitor));

  unwatch_network (self);
  g_set_object (&self->monitor, monitor);
  if (self->started)
    watch_network (self);
}
