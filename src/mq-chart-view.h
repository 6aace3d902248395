/* mq-chart-view.h: the history chart as a widget (GTK 3)
 *
 * A chart of the remaining percent over time of one model's window, chosen
 * in a combo, over the last 24 hours, 7 days or 30 days (issue 11 §4), with
 * a readout and a legend below it. Used by the "Usage history" window and
 * by each account page of the main window. The history is read when the
 * widget is created (and on mq_chart_view_reload()), on a worker thread
 * (GTask), never at the applet's start.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MQ_TYPE_CHART_VIEW (mq_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (MqChartView, mq_chart_view, MQ, CHART_VIEW, GtkBox)

typedef enum {
  MQ_HISTORY_RANGE_DAY,    /* 24 h */
  MQ_HISTORY_RANGE_WEEK,   /* 7 d */
  MQ_HISTORY_RANGE_MONTH,  /* 30 d */
} MqHistoryRange;

/* A chart over the history at @history_path (NULL: the default path) of
 * @account (NULL: the account of the latest sample). Starts reading it at
 * once. */
GtkWidget  *mq_chart_view_new            (const char     *history_path,
                                          const char     *account);
/* Reads the history again (after a refresh recorded new samples). */
void        mq_chart_view_reload         (MqChartView    *self);

/* TRUE once the history was read (or failed to be). */
gboolean    mq_chart_view_is_loaded      (MqChartView    *self);
/* "chart", "empty" or "error" once loaded, "loading" before. */
const char *mq_chart_view_get_page       (MqChartView    *self);
/* The series shown: "MODEL:interval" or "MODEL:weekly"; NULL for none. */
const char *mq_chart_view_get_series     (MqChartView    *self);
gboolean    mq_chart_view_set_series     (MqChartView    *self,
                                          const char     *series_id);
void        mq_chart_view_set_range      (MqChartView    *self,
                                          MqHistoryRange  range);
GtkWidget  *mq_chart_view_get_chart_area (MqChartView    *self);

G_END_DECLS
