/* mq-chart.h: the history chart, drawn with cairo alone
 *
 * Remaining percent over time of one model's window (issue 11 §4): the
 * samples as a line, window resets as vertical rules, the forecast as a
 * dashed line to the run-out point, the even-use pace line of the weekly
 * cap, a cursor with a readout. No GTK: the window gives it a cairo_t and
 * the theme's colours; tests draw it into an image surface.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "mq-forecast.h"

G_BEGIN_DECLS

typedef struct {
  double red, green, blue;
} MqChartRgb;

typedef struct {
  MqChartRgb fg;      /* text, axes, rules (drawn translucent) */
  MqChartRgb bg;      /* the background */
  MqChartRgb accent;  /* the series and its forecast */
} MqChartColors;

typedef struct _MqChart MqChart;

/* One point of the series. */
typedef struct {
  gint64 time_ms;
  double percent;
  gint64 window_end_ms;   /* the window it belongs to; 0 unknown */
} MqChartPoint;

/* A chart of @samples (an array of MqHistorySample of one model and
 * window, by time) over [@from_ms, @to_ms]. A run of identical polls is
 * two points, its first and last time; a change of window (its end moves)
 * is a reset: a vertical rule at the new window's start, and the line
 * does not join the two windows. */
MqChart     *mq_chart_new            (const GArray        *samples,
                                      gint64               from_ms,
                                      gint64               to_ms);
void         mq_chart_free           (MqChart             *chart);

void         mq_chart_set_colors     (MqChart             *chart,
                                      const MqChartColors *colors);
/* The forecast as of @now_ms with @remaining_percent left: a dashed line
 * from (now, remaining) to (runs out, 0) when it runs out; nothing when
 * it lasts or is not known. @forecast NULL: none. */
void         mq_chart_set_forecast   (MqChart             *chart,
                                      const MqForecast    *forecast,
                                      gint64               now_ms,
                                      double               remaining_percent);
/* The even-use line of a window [@start_ms, @end_ms): 100 % at the start
 * to 0 at the end. 0, 0: none. */
void         mq_chart_set_pace       (MqChart             *chart,
                                      gint64               start_ms,
                                      gint64               end_ms);
/* The point the readout shows, -1 for none. */
void         mq_chart_set_cursor     (MqChart             *chart,
                                      int                  index);
int          mq_chart_get_cursor     (const MqChart       *chart);

guint               mq_chart_get_n_points (const MqChart *chart);
const MqChartPoint *mq_chart_get_point    (const MqChart *chart,
                                           guint          index);
guint               mq_chart_get_n_resets (const MqChart *chart);
gint64              mq_chart_get_reset    (const MqChart *chart,
                                           guint          index);

/* Where the plot lies in a @width × @height drawing (inside the axes). */
void         mq_chart_get_plot_area  (const MqChart       *chart,
                                      int                  width,
                                      int                  height,
                                      cairo_rectangle_t   *out);
double       mq_chart_x_for_time     (const MqChart       *chart,
                                      int                  width,
                                      int                  height,
                                      gint64               time_ms);
double       mq_chart_y_for_percent  (const MqChart       *chart,
                                      int                  width,
                                      int                  height,
                                      double               percent);
/* The point nearest to @x (a hover), -1 without points. */
int          mq_chart_point_at       (const MqChart       *chart,
                                      int                  width,
                                      int                  height,
                                      double               x);

/* Draws the whole chart into (0, 0, @width, @height) of @cr. */
void         mq_chart_draw           (MqChart             *chart,
                                      cairo_t             *cr,
                                      int                  width,
                                      int                  height);

/* The readout of a point: "Tue 14:02 · 63% left" (the clock as seen at
 * @now_ms). */
char        *mq_chart_readout        (const MqChart       *chart,
                                      guint                index,
                                      gint64               now_ms);

/* A sentence for screen readers: "63% left now; lowest 12% (Tue 14:02);
 * 2 resets; runs out ~20:36." or "No samples in this period." */
char        *mq_chart_describe       (const MqChart       *chart,
                                      gint64               now_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqChart, mq_chart_free)

G_END_DECLS
