/* mq-history-recorder.h: the applet's history, written off the main thread
 *
 * GIO only. Every successful fetch is handed to mq_history_recorder_add();
 * a GTask worker with its own MqHistory (opened on the worker, the first
 * time one is needed) records the snapshot and computes its forecasts,
 * then the main thread hears "recorded". One task at a time: a snapshot
 * that arrives while one runs waits, and a newer one replaces it (the
 * replaced one is still announced by "recorded", with no forecasts).
 *
 * A history that cannot be opened or written pauses history: "paused" is
 * emitted once with the reason, "resumed" once a later write succeeds. A
 * locked database (another program writing past the busy timeout) skips
 * that one sample without pausing. A damaged file moved aside is
 * announced once by "notice". The quota itself never waits for any of it.
 *
 * Signals (all on the thread-default main context of the creator):
 *   "recorded" (MqSnapshot *snapshot, GArray *forecasts): the snapshot is
 *     recorded (or could not be); @forecasts is an array of
 *     MqHistoryForecast, or NULL when there are none to give.
 *   "paused" (GError *reason), "resumed" (void), "notice" (GError *news).
 */
#pragma once

#include <gio/gio.h>

#include "mq-history.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_HISTORY_RECORDER (mq_history_recorder_get_type ())
G_DECLARE_FINAL_TYPE (MqHistoryRecorder, mq_history_recorder, MQ, HISTORY_RECORDER, GObject)

/* @path NULL: mq_history_default_path(); @account NULL: "default". Opens
 * nothing until the first snapshot. */
MqHistoryRecorder *mq_history_recorder_new       (const char        *path,
                                                  const char        *account);

/* Records @snapshot as seen at its fetch time, then forecasts its windows. */
void               mq_history_recorder_add       (MqHistoryRecorder *self,
                                                  MqSnapshot        *snapshot);

/* TRUE while a task runs or a snapshot waits for one. */
gboolean           mq_history_recorder_get_busy  (MqHistoryRecorder *self);
/* The account its samples are recorded under ("default" when made with NULL). */
const char        *mq_history_recorder_get_account (MqHistoryRecorder *self);
/* TRUE between "paused" and "resumed". */
gboolean           mq_history_recorder_get_paused (MqHistoryRecorder *self);
/* How many worker tasks ran to their end (for tests). */
guint              mq_history_recorder_get_n_tasks (MqHistoryRecorder *self);

G_END_DECLS
