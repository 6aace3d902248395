/* mq-chart.c: the history chart, drawn with cairo alone */
#define G_LOG_DOMAIN "mq-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mq-chart.h"
#include "mq-format.h"
#include "mq-history.h"
#include "mq-wording.h"

#define MARGIN_LEFT    44.0
#define MARGIN_RIGHT   14.0
#define MARGIN_TOP     12.0
#define MARGIN_BOTTOM  26.0
#define FONT_SIZE      11.0

struct _MqChart {
  GArray       *points;      /* MqChartPoint, by time */
  GArray       *resets;      /* gint64, by time */
  gint64        from_ms;
  gint64        to_ms;
  MqChartColors colors;

  gboolean      has_forecast;
  gint64        forecast_from_ms;
  double        forecast_from_percent;
  gint64        runs_out_at_ms;
  gboolean      lasts_until_reset;

  gint64        pace_start_ms;
  gint64        pace_end_ms;

  int           cursor;
};

static void
add_point (MqChart *chart,
           gint64   time_ms,
           double   percent,
           gint64   window_end_ms)
{
  MqChartPoint point = { time_ms, CLAMP (percent, 0.0, 100.0), window_end_ms };

  g_array_append_val (chart->points, point);
}

MqChart *
mq_chart_new (const GArray *samples,
              gint64        from_ms,
              gint64        to_ms)
{
  MqChart *chart = g_new0 (MqChart, 1);
  gint64 last_end = 0;
  gboolean first = TRUE;

  chart->points = g_array_new (FALSE, FALSE, sizeof (MqChartPoint));
  chart->resets = g_array_new (FALSE, FALSE, sizeof (gint64));
  chart->from_ms = from_ms;
  chart->to_ms = MAX (to_ms, from_ms + 60000);
  chart->cursor = -1;
  chart->colors.fg = (MqChartRgb) { 0.2, 0.2, 0.2 };
  chart->colors.bg = (MqChartRgb) { 1.0, 1.0, 1.0 };
  chart->colors.accent = (MqChartRgb) { 0.21, 0.52, 0.89 };

  for (guint i = 0; samples != NULL && i < samples->len; i++)
    {
      const MqHistorySample *sample = &g_array_index (samples, MqHistorySample, i);

      if (!(sample->remaining_percent >= 0.0))
        continue;
      if (sample->last_seen_ms < from_ms || sample->time_ms > chart->to_ms)
        continue;

      /* A new window: its start is the reset. */
      if (!first && sample->window_end_ms != last_end &&
          !mq_forecast_same_window (0, sample->window_end_ms, 0, last_end))
        {
          gint64 at = sample->window_start_ms > 0 ? sample->window_start_ms : sample->time_ms;

          /* Between the last sample of the old window and the first of the
           * new, whatever the window's own times say. */
          if (chart->points->len > 0)
            at = MAX (at, g_array_index (chart->points, MqChartPoint, chart->points->len - 1).time_ms);
          at = MIN (at, sample->time_ms);
          if (at >= from_ms && at <= chart->to_ms)
            g_array_append_val (chart->resets, at);
        }

      add_point (chart, sample->time_ms, sample->remaining_percent, sample->window_end_ms);
      if (sample->last_seen_ms > sample->time_ms)
        add_point (chart, sample->last_seen_ms, sample->remaining_percent, sample->window_end_ms);
      last_end = sample->window_end_ms;
      first = FALSE;
    }

  return chart;
}

void
mq_chart_free (MqChart *chart)
{
  if (chart == NULL)
    return;
  g_array_unref (chart->points);
  g_array_unref (chart->resets);
  g_free (chart);
}

void
mq_chart_set_colors (MqChart             *chart,
                     const MqChartColors *colors)
{
  g_return_if_fail (chart != NULL && colors != NULL);
  chart->colors = *colors;
}

void
mq_chart_set_forecast (MqChart          *chart,
                       const MqForecast *forecast,
                       gint64            now_ms,
                       double            remaining_percent)
{
  g_return_if_fail (chart != NULL);

  chart->has_forecast = forecast != NULL && forecast->has_forecast;
  if (!chart->has_forecast)
    return;
  chart->forecast_from_ms = now_ms;
  chart->forecast_from_percent = CLAMP (remaining_percent, 0.0, 100.0);
  chart->lasts_until_reset = forecast->lasts_until_reset || forecast->runs_out_at_ms <= 0;
  chart->runs_out_at_ms = chart->lasts_until_reset ? 0 : MAX (forecast->runs_out_at_ms, now_ms);
}

void
mq_chart_set_pace (MqChart *chart,
                   gint64   start_ms,
                   gint64   end_ms)
{
  g_return_if_fail (chart != NULL);
  chart->pace_start_ms = end_ms > start_ms ? start_ms : 0;
  chart->pace_end_ms = end_ms > start_ms ? end_ms : 0;
}

void
mq_chart_set_cursor (MqChart *chart,
                     int      index)
{
  g_return_if_fail (chart != NULL);
  chart->cursor = index >= 0 && (guint) index < chart->points->len ? index : -1;
}

int
mq_chart_get_cursor (const MqChart *chart)
{
  g_return_val_if_fail (chart != NULL, -1);
  return chart->cursor;
}

guint
mq_chart_get_n_points (const MqChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->points->len;
}

const MqChartPoint *
mq_chart_get_point (const MqChart *chart,
                    guint          index)
{
  g_return_val_if_fail (chart != NULL && index < chart->points->len, NULL);
  return &g_array_index (chart->points, MqChartPoint, index);
}

guint
mq_chart_get_n_resets (const MqChart *chart)
{
  g_return_val_if_fail (chart != NULL, 0);
  return chart->resets->len;
}

gint64
mq_chart_get_reset (const MqChart *chart,
                    guint          index)
{
  g_return_val_if_fail (chart != NULL && index < chart->resets->len, 0);
  return g_array_index (chart->resets, gint64, index);
}

/* ------------------------------------------------------------------ */
/* Geometry                                                             */
/* ------------------------------------------------------------------ */

void
mq_chart_get_plot_area (const MqChart     *chart,
                        int                width,
                        int                height,
                        cairo_rectangle_t *out)
{
  out->x = MARGIN_LEFT;
  out->y = MARGIN_TOP;
  out->width = MAX (width - MARGIN_LEFT - MARGIN_RIGHT, 1.0);
  out->height = MAX (height - MARGIN_TOP - MARGIN_BOTTOM, 1.0);
}

double
mq_chart_x_for_time (const MqChart *chart,
                     int            width,
                     int            height,
                     gint64         time_ms)
{
  cairo_rectangle_t area;

  mq_chart_get_plot_area (chart, width, height, &area);
  return area.x + area.width * (double) (time_ms - chart->from_ms) /
                  (double) (chart->to_ms - chart->from_ms);
}

double
mq_chart_y_for_percent (const MqChart *chart,
                        int            width,
                        int            height,
                        double         percent)
{
  cairo_rectangle_t area;

  mq_chart_get_plot_area (chart, width, height, &area);
  return area.y + area.height * (1.0 - CLAMP (percent, 0.0, 100.0) / 100.0);
}

int
mq_chart_point_at (const MqChart *chart,
                   int            width,
                   int            height,
                   double         x)
{
  guint lo = 0, hi;
  double span;
  gint64 t;

  if (chart->points->len == 0)
    return -1;

  {
    cairo_rectangle_t area;

    mq_chart_get_plot_area (chart, width, height, &area);
    span = (double) (chart->to_ms - chart->from_ms);
    t = chart->from_ms + (gint64) ((x - area.x) / area.width * span);
  }

  /* The first point at or after t, then the nearer of it and the one before. */
  hi = chart->points->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (chart->points, MqChartPoint, mid).time_ms < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == chart->points->len)
    return (int) lo - 1;
  if (lo > 0 &&
      t - g_array_index (chart->points, MqChartPoint, lo - 1).time_ms <
      g_array_index (chart->points, MqChartPoint, lo).time_ms - t)
    return (int) lo - 1;
  return (int) lo;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */
/* ------------------------------------------------------------------ */

static void
set_color (cairo_t          *cr,
           const MqChartRgb *rgb,
           double            alpha)
{
  cairo_set_source_rgba (cr, rgb->red, rgb->green, rgb->blue, alpha);
}

/* Ticks at round local times: an hour to a week apart, at least 90 px. */
static gint64
tick_step_ms (const MqChart *chart,
              double         plot_width)
{
  static const gint64 steps_h[] = { 1, 2, 3, 6, 12, 24, 48, 120, 168 };
  double span_h = (double) (chart->to_ms - chart->from_ms) / 3600000.0;
  guint max_ticks = (guint) MAX (plot_width / 90.0, 2.0);

  for (gsize i = 0; i < G_N_ELEMENTS (steps_h); i++)
    if (span_h / (double) steps_h[i] <= max_ticks)
      return steps_h[i] * 3600000;
  return steps_h[G_N_ELEMENTS (steps_h) - 1] * 3600000;
}

static void
draw_axes (MqChart                 *chart,
           cairo_t                 *cr,
           int                      width,
           int                      height,
           const cairo_rectangle_t *area)
{
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_local (chart->from_ms / 1000);
  gint64 offset_ms = from != NULL ? g_date_time_get_utc_offset (from) / 1000 : 0;
  gint64 step = tick_step_ms (chart, area->width);
  gboolean by_day = step >= G_GINT64_CONSTANT (24) * 3600000;
  cairo_text_extents_t extents;

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, FONT_SIZE);
  cairo_set_line_width (cr, 1.0);

  /* Percent grid: 0, 25, 50, 75, 100; labels on 0, 50, 100. */
  for (int p = 0; p <= 100; p += 25)
    {
      double y = round (mq_chart_y_for_percent (chart, width, height, p)) + 0.5;

      set_color (cr, &chart->colors.fg, p == 0 ? 0.35 : 0.10);
      cairo_move_to (cr, area->x, y);
      cairo_line_to (cr, area->x + area->width, y);
      cairo_stroke (cr);

      if (p % 50 == 0)
        {
          char label[8];

          g_snprintf (label, sizeof label, "%d%%", p);
          cairo_text_extents (cr, label, &extents);
          set_color (cr, &chart->colors.fg, 0.7);
          cairo_move_to (cr, area->x - 6 - extents.x_advance, y + extents.height / 2);
          cairo_show_text (cr, label);
        }
    }

  /* Time ticks at round local times. */
  for (gint64 t = ((chart->from_ms + offset_ms) / step + 1) * step - offset_ms;
       t <= chart->to_ms; t += step)
    {
      double x = round (mq_chart_x_for_time (chart, width, height, t)) + 0.5;
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (t / 1000);
      g_autofree char *label = NULL;

      if (when == NULL)
        continue;
      /* Translators: a day on the history chart's time axis (strftime) */
      label = g_date_time_format (when, by_day ? _("%b %e") : "%H:%M");
      if (label == NULL)
        continue;

      set_color (cr, &chart->colors.fg, 0.10);
      cairo_move_to (cr, x, area->y);
      cairo_line_to (cr, x, area->y + area->height);
      cairo_stroke (cr);

      cairo_text_extents (cr, label, &extents);
      if (x - extents.x_advance / 2 < area->x - 4 ||
          x + extents.x_advance / 2 > width - 2)
        continue;
      set_color (cr, &chart->colors.fg, 0.7);
      cairo_move_to (cr, x - extents.x_advance / 2, area->y + area->height + 6 + FONT_SIZE);
      cairo_show_text (cr, label);
    }
}

static void
draw_resets (MqChart                 *chart,
             cairo_t                 *cr,
             int                      width,
             int                      height,
             const cairo_rectangle_t *area)
{
  static const double dash[] = { 4.0, 3.0 };

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  set_color (cr, &chart->colors.fg, 0.45);
  for (guint i = 0; i < chart->resets->len; i++)
    {
      double x = round (mq_chart_x_for_time (chart, width, height,
                                             g_array_index (chart->resets, gint64, i))) + 0.5;

      cairo_move_to (cr, x, area->y);
      cairo_line_to (cr, x, area->y + area->height);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_pace (MqChart *chart,
           cairo_t *cr,
           int      width,
           int      height)
{
  static const double dash[] = { 1.5, 3.0 };

  if (chart->pace_end_ms <= chart->pace_start_ms)
    return;

  cairo_save (cr);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  set_color (cr, &chart->colors.fg, 0.55);
  cairo_move_to (cr, mq_chart_x_for_time (chart, width, height, chart->pace_start_ms),
                 mq_chart_y_for_percent (chart, width, height, 100.0));
  cairo_line_to (cr, mq_chart_x_for_time (chart, width, height, chart->pace_end_ms),
                 mq_chart_y_for_percent (chart, width, height, 0.0));
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Per pixel column: the first, lowest, highest and last value, so 30 days
 * of samples cost a few thousand segments, not tens of thousands. */
typedef struct {
  double column;
  double first, low, high, last;
  gboolean open;
} Column;

static void
column_flush (cairo_t *cr,
              Column  *c)
{
  if (!c->open)
    return;
  cairo_line_to (cr, c->column, c->first);
  if (c->low != c->first)
    cairo_line_to (cr, c->column, c->low);
  if (c->high != c->low)
    cairo_line_to (cr, c->column, c->high);
  if (c->last != c->high)
    cairo_line_to (cr, c->column, c->last);
  c->open = FALSE;
}

/* Adds the path of points [start, end) (one window) and returns the x of
 * its first and last point. */
static void
series_path (MqChart *chart,
             cairo_t *cr,
             int      width,
             int      height,
             guint    start,
             guint    end,
             double  *out_x0,
             double  *out_x1)
{
  Column c = { 0 };

  for (guint i = start; i < end; i++)
    {
      const MqChartPoint *p = &g_array_index (chart->points, MqChartPoint, i);
      double x = mq_chart_x_for_time (chart, width, height, p->time_ms);
      double y = mq_chart_y_for_percent (chart, width, height, p->percent);
      double column = floor (x);

      if (i == start)
        {
          *out_x0 = x;
          cairo_move_to (cr, x, y);
        }
      if (!c.open || column != floor (c.column))
        {
          column_flush (cr, &c);
          c.column = x;
          c.first = c.low = c.high = c.last = y;
          c.open = TRUE;
        }
      else
        {
          c.low = MIN (c.low, y);
          c.high = MAX (c.high, y);
          c.last = y;
        }
      *out_x1 = x;
    }
  column_flush (cr, &c);
}

static void
draw_series (MqChart                 *chart,
             cairo_t                 *cr,
             int                      width,
             int                      height,
             const cairo_rectangle_t *area)
{
  double base = area->y + area->height;
  guint start = 0;

  cairo_save (cr);
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  while (start < chart->points->len)
    {
      gint64 end_ms = g_array_index (chart->points, MqChartPoint, start).window_end_ms;
      guint end = start + 1;
      double x0 = 0, x1 = 0;
      cairo_path_t *path;

      while (end < chart->points->len &&
             g_array_index (chart->points, MqChartPoint, end).window_end_ms == end_ms)
        end++;

      series_path (chart, cr, width, height, start, end, &x0, &x1);
      path = cairo_copy_path (cr);
      set_color (cr, &chart->colors.accent, 1.0);
      cairo_stroke (cr);

      cairo_append_path (cr, path);
      cairo_line_to (cr, x1, base);
      cairo_line_to (cr, x0, base);
      cairo_close_path (cr);
      set_color (cr, &chart->colors.accent, 0.14);
      cairo_fill (cr);
      cairo_path_destroy (path);

      if (end - start == 1)
        {
          /* A lone sample: a dot, not an invisible zero-length line. */
          const MqChartPoint *p = &g_array_index (chart->points, MqChartPoint, start);

          cairo_arc (cr, x0, mq_chart_y_for_percent (chart, width, height, p->percent),
                     2.5, 0, 2 * G_PI);
          set_color (cr, &chart->colors.accent, 1.0);
          cairo_fill (cr);
        }
      start = end;
    }
  cairo_restore (cr);
}

static void
draw_forecast (MqChart *chart,
               cairo_t *cr,
               int      width,
               int      height)
{
  static const double dash[] = { 6.0, 4.0 };
  double x0, y0, x1, y1;

  if (!chart->has_forecast || chart->lasts_until_reset)
    return;

  x0 = mq_chart_x_for_time (chart, width, height, chart->forecast_from_ms);
  y0 = mq_chart_y_for_percent (chart, width, height, chart->forecast_from_percent);
  x1 = mq_chart_x_for_time (chart, width, height, chart->runs_out_at_ms);
  y1 = mq_chart_y_for_percent (chart, width, height, 0.0);

  cairo_save (cr);
  cairo_set_line_width (cr, 2.0);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  set_color (cr, &chart->colors.accent, 0.9);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_arc (cr, x1, y1, 3.5, 0, 2 * G_PI);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_cursor (MqChart                 *chart,
             cairo_t                 *cr,
             int                      width,
             int                      height,
             const cairo_rectangle_t *area)
{
  const MqChartPoint *p;
  g_autofree char *text = NULL;
  cairo_text_extents_t extents;
  double x, y, box_x, box_w, box_h = FONT_SIZE + 10;

  if (chart->cursor < 0)
    return;

  p = &g_array_index (chart->points, MqChartPoint, chart->cursor);
  x = round (mq_chart_x_for_time (chart, width, height, p->time_ms)) + 0.5;
  y = mq_chart_y_for_percent (chart, width, height, p->percent);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  set_color (cr, &chart->colors.fg, 0.6);
  cairo_move_to (cr, x, area->y);
  cairo_line_to (cr, x, area->y + area->height);
  cairo_stroke (cr);

  cairo_arc (cr, x, y, 4.5, 0, 2 * G_PI);
  set_color (cr, &chart->colors.bg, 1.0);
  cairo_fill_preserve (cr);
  set_color (cr, &chart->colors.accent, 1.0);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);

  text = mq_chart_readout (chart, (guint) chart->cursor, chart->to_ms);
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, FONT_SIZE);
  cairo_text_extents (cr, text, &extents);
  box_w = extents.x_advance + 12;
  box_x = x + 8;
  if (box_x + box_w > area->x + area->width)
    box_x = x - 8 - box_w;
  box_x = MAX (box_x, area->x);

  cairo_rectangle (cr, box_x, area->y + 2, box_w, box_h);
  set_color (cr, &chart->colors.bg, 0.95);
  cairo_fill_preserve (cr);
  set_color (cr, &chart->colors.fg, 0.35);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  set_color (cr, &chart->colors.fg, 1.0);
  cairo_move_to (cr, box_x + 6, area->y + 2 + box_h / 2 + extents.height / 2 - 1);
  cairo_show_text (cr, text);
  cairo_restore (cr);
}

void
mq_chart_draw (MqChart *chart,
               cairo_t *cr,
               int      width,
               int      height)
{
  cairo_rectangle_t area;

  g_return_if_fail (chart != NULL && cr != NULL);

  mq_chart_get_plot_area (chart, width, height, &area);

  cairo_save (cr);
  set_color (cr, &chart->colors.bg, 1.0);
  cairo_paint (cr);

  draw_axes (chart, cr, width, height, &area);

  cairo_rectangle (cr, area.x, area.y - 6, area.width + 6, area.height + 6);
  cairo_clip (cr);
  draw_resets (chart, cr, width, height, &area);
  draw_pace (chart, cr, width, height);
  draw_series (chart, cr, width, height, &area);
  draw_forecast (chart, cr, width, height);
  cairo_reset_clip (cr);

  draw_cursor (chart, cr, width, height, &area);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* Words                                                                */
/* ------------------------------------------------------------------ */

char *
mq_chart_readout (const MqChart *chart,
                  guint          index,
                  gint64         now_ms)
{
  const MqChartPoint *p;
  g_autofree char *clock = NULL;
  g_autofree char *percent = NULL;

  g_return_val_if_fail (chart != NULL && index < chart->points->len, NULL);

  p = &g_array_index (chart->points, MqChartPoint, index);
  clock = mq_format_clock (p->time_ms, now_ms);
  percent = mq_format_percent (p->percent);
  /* Translators: the history chart's readout, "Tue 14:02 · 63% left" */
  return g_strdup_printf (_("%s · %s left"), clock, percent);
}

char *
mq_chart_describe (const MqChart *chart,
                   gint64         now_ms)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const MqChartPoint *last, *lowest;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (chart != NULL, NULL);

  if (chart->points->len == 0)
    /* Translators: the history chart, described for screen readers */
    return g_strdup (_("No samples in this period."));

  last = &g_array_index (chart->points, MqChartPoint, chart->points->len - 1);
  lowest = last;
  for (guint i = 0; i < chart->points->len; i++)
    if (g_array_index (chart->points, MqChartPoint, i).percent < lowest->percent)
      lowest = &g_array_index (chart->points, MqChartPoint, i);

  {
    g_autofree char *percent = mq_format_percent (last->percent);
    g_autofree char *clock = mq_format_clock (last->time_ms, now_ms);

    /* Translators: the history chart for screen readers: the last sample,
     * "63% left at 14:02" */
    g_ptr_array_add (parts, g_strdup_printf (_("%s left at %s"), percent, clock));
  }
  {
    g_autofree char *percent = mq_format_percent (lowest->percent);
    g_autofree char *clock = mq_format_clock (lowest->time_ms, now_ms);

    /* Translators: the history chart for screen readers: "lowest 12% (Tue 09:30)" */
    g_ptr_array_add (parts, g_strdup_printf (_("lowest %s (%s)"), percent, clock));
  }
  g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "%u reset", "%u resets",
                                                        chart->resets->len),
                                           chart->resets->len));
  if (chart->has_forecast)
    {
      MqForecast forecast = { 0 };

      forecast.has_forecast = TRUE;
      forecast.lasts_until_reset = chart->lasts_until_reset;
      forecast.runs_out_at_ms = chart->runs_out_at_ms;
      g_ptr_array_add (parts, mq_wording_forecast (&forecast, now_ms));
    }
  if (chart->pace_end_ms > chart->pace_start_ms)
    /* Translators: the history chart for screen readers */
    g_ptr_array_add (parts, g_strdup (_("a dotted line shows even use until the reset")));

  g_ptr_array_add (parts, NULL);
  /* Translators: joins the parts of the chart's description */
  joined = g_strjoinv (_("; "), (char **) parts->pdata);
  return g_strconcat (joined, ".", NULL);
}
