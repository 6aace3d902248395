/* mq-history-recorder.c: the applet's history, written off the main thread
 *
 * The MqHistory connection is opened and used only by the worker task, and
 * only one task runs at a time, so it is never used by two threads at once
 * (mq-history.h). The main thread reads what a task left behind only in
 * the task's callback, after the worker has finished.
 */
#define G_LOG_DOMAIN "mq-history-recorder"

#include "config.h"

#include "mq-history-recorder.h"

struct _MqHistoryRecorder {
  GObject     parent_instance;

  char       *path;          /* NULL: the default path */
  char       *account;

  /* Touched by the worker only while its task runs. */
  MqHistory  *history;
  GError     *worker_notice;

  gboolean    running;
  MqSnapshot *pending;       /* the newest snapshot waiting for a task */
  gboolean    paused;
  guint       n_tasks;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MqHistoryRecorder, mq_history_recorder, G_TYPE_OBJECT)

enum {
  SIGNAL_RECORDED,
  SIGNAL_PAUSED,
  SIGNAL_RESUMED,
  SIGNAL_NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_task (MqHistoryRecorder *self,
                        MqSnapshot        *snapshot);

/* On the worker: record, then forecast. A locked database still gives a
 * forecast from what is there. */
static void
run_task (GTask        *task,
          gpointer      source_object,
          gpointer      task_data,
          GCancellable *cancellable)
{
  MqHistoryRecorder *self = source_object;
  MqSnapshot *snapshot = task_data;
  gint64 now_ms = mq_snapshot_get_fetched_at_ms (snapshot);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) record_error = NULL;
  GArray *forecasts;

  if (self->history == NULL)
    {
      self->history = mq_history_open (self->path, &error);
      if (self->history == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (!mq_history_record (self->history, self->account, snapshot, now_ms, &record_error) &&
      !g_error_matches (record_error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_BUSY))
    {
      self->worker_notice = mq_history_take_notice (self->history);
      g_task_return_error (task, g_steal_pointer (&record_error));
      return;
    }

  forecasts = mq_history_forecast (self->history, self->account, snapshot, now_ms, &error);
  self->worker_notice = mq_history_take_notice (self->history);
  if (forecasts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The sample was skipped: say so to the main thread beside the forecast. */
  if (record_error != NULL)
    g_debug ("a sample was skipped: %s", record_error->message);

  g_task_return_pointer (task, forecasts, (GDestroyNotify) g_array_unref);
}

static void
on_task_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MqHistoryRecorder *self = MQ_HISTORY_RECORDER (source);
  g_autoptr(MqSnapshot) snapshot = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) notice = g_steal_pointer (&self->worker_notice);
  g_autoptr(GArray) forecasts = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean was_paused = self->paused;

  self->running = FALSE;
  self->n_tasks++;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && !g_error_matches (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_BUSY))
    self->paused = TRUE;
  else if (error == NULL)
    self->paused = FALSE;

  /* The next snapshot starts before anyone hears of this one, so that
   * get_busy() already says whether more is coming. */
  if (self->pending != NULL)
    {
      g_autoptr(MqSnapshot) next = g_steal_pointer (&self->pending);

      start_task (self, next);
    }

  if (notice != NULL)
    g_signal_emit (self, signals[SIGNAL_NOTICE], 0, notice);
  if (self->paused && !was_paused)
    g_signal_emit (self, signals[SIGNAL_PAUSED], 0, error);
  else if (!self->paused && was_paused)
    g_signal_emit (self, signals[SIGNAL_RESUMED], 0);
  else if (error != NULL)
    g_debug ("%s", error->message);

  g_signal_emit (self, signals[SIGNAL_RECORDED], 0, snapshot, forecasts);
}

static void
start_task (MqHistoryRecorder *self,
            MqSnapshot        *snapshot)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_task_done,
                                      mq_snapshot_ref (snapshot));

  g_task_set_source_tag (task, start_task);
  g_task_set_name (task, "[mq-history-recorder] record");
  g_task_set_task_data (task, mq_snapshot_ref (snapshot), (GDestroyNotify) mq_snapshot_unref);
  /* The task's result is read even after a cancellation: its callback
   * always runs, and finds the cancellation there. */
  g_task_set_return_on_cancel (task, FALSE);
  self->running = TRUE;
  g_task_run_in_thread (task, run_task);
}

void
mq_history_recorder_add (MqHistoryRecorder *self,
                         MqSnapshot        *snapshot)
{
  g_return_if_fail (MQ_IS_HISTORY_RECORDER (self));
  g_return_if_fail (snapshot != NULL);

  if (!self->running)
    {
      start_task (self, snapshot);
      return;
    }

  /* Coalesced: only the newest waiting snapshot is recorded; the one it
   * replaces is announced at once, with no forecasts. */
  if (self->pending != NULL)
    {
      g_autoptr(MqSnapshot) dropped = g_steal_pointer (&self->pending);

      self->pending = mq_snapshot_ref (snapshot);
      g_signal_emit (self, signals[SIGNAL_RECORDED], 0, dropped, NULL);
      return;
    }
  self->pending = mq_snapshot_ref (snapshot);
}

gboolean
mq_history_recorder_get_busy (MqHistoryRecorder *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_RECORDER (self), FALSE);
  return self->running || self->pending != NULL;
}

gboolean
mq_history_recorder_get_paused (MqHistoryRecorder *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_RECORDER (self), FALSE);
  return self->paused;
}

guint
mq_history_recorder_get_n_tasks (MqHistoryRecorder *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_RECORDER (self), 0);
  return self->n_tasks;
}

static void
mq_history_recorder_dispose (GObject *object)
{
  MqHistoryRecorder *self = MQ_HISTORY_RECORDER (object);

  /* A running task holds a reference: dispose runs only once it is done. */
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->pending, mq_snapshot_unref);

  G_OBJECT_CLASS (mq_history_recorder_parent_class)->dispose (object);
}

static void
mq_history_recorder_finalize (GObject *object)
{
  MqHistoryRecorder *self = MQ_HISTORY_RECORDER (object);

  g_clear_object (&self->history);
  g_clear_error (&self->worker_notice);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self->account);

  G_OBJECT_CLASS (mq_history_recorder_parent_class)->finalize (object);
}

static void
mq_history_recorder_class_init (MqHistoryRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_history_recorder_dispose;
  object_class->finalize = mq_history_recorder_finalize;

  signals[SIGNAL_RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  MQ_TYPE_SNAPSHOT, G_TYPE_ARRAY);
  signals[SIGNAL_PAUSED] =
    g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_RESUMED] =
    g_signal_new ("resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
mq_history_recorder_init (MqHistoryRecorder *self)
{
  self->cancellable = g_cancellable_new ();
}

MqHistoryRecorder *
mq_history_recorder_new (const char *path,
                         const char *account)
{
  MqHistoryRecorder *self = g_object_new (MQ_TYPE_HISTORY_RECORDER, NULL);

  self->path = g_strdup (path);
  self->account = g_strdup (account != NULL ? account : "default");
  return self;
}

const char *
mq_history_recorder_get_account (MqHistoryRecorder *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_RECORDER (self), NULL);

  return self->account;
}
