/* mq-history-window.h: the "Usage history…" window (GTK 3)
 *
 * A chart of the remaining percent over time of one model's window, chosen
 * in a combo, over the last 24 hours, 7 days or 30 days (issue 11 §4).
 * Nothing is read until the window is created: the history is read then,
 * on a worker thread (GTask), never at the applet's start. The window is
 * an MqChartView (mq-chart-view.h) with a title; Escape closes it.
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-chart-view.h"

G_BEGIN_DECLS

#define MQ_TYPE_HISTORY_WINDOW (mq_history_window_get_type ())
G_DECLARE_FINAL_TYPE (MqHistoryWindow, mq_history_window, MQ, HISTORY_WINDOW, GtkWindow)


/* A window over the history at @history_path (NULL: the default path) of
 * @account (NULL: every account). Starts reading it at once. */
MqHistoryWindow *mq_history_window_new        (GtkApplication  *application,
                                               const char      *history_path,
                                               const char      *account);

/* TRUE once the history was read (or failed to be). */
gboolean         mq_history_window_is_loaded  (MqHistoryWindow *self);
/* "chart", "empty" or "error" once loaded, "loading" before. */
const char      *mq_history_window_get_page   (MqHistoryWindow *self);
/* The series shown: "MODEL:interval" or "MODEL:weekly"; NULL for none. */
const char      *mq_history_window_get_series (MqHistoryWindow *self);
gboolean         mq_history_window_set_series (MqHistoryWindow *self,
                                               const char      *series_id);
void             mq_history_window_set_range  (MqHistoryWindow *self,
                                               MqHistoryRange   range);
GtkWidget       *mq_history_window_get_chart_area (MqHistoryWindow *self);

G_END_DECLS
