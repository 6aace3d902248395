/* chart.c: how fast the history chart draws 30 days of samples
 *
 * mq_chart_draw() into an 800×400 (and --width × --height) image surface
 * over 30 days of 3-minute polls (14,401 samples) of 5-hour windows that
 * reset every 5 h, with a forecast dash and a cursor readout: the worst a
 * "30 days" chart meets. Median, minimum and maximum of --runs runs after
 * a warm-up, monotonic clock. Target (issue 11): < 16 ms (one frame).
 *
 * Usage: chart [--runs N] [--width W] [--height H]
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <glib.h>

#include "mq-chart.h"
#include "mq-history.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)
/* 2026-06-07T16:00:00Z */
#define NOW_MS    G_GINT64_CONSTANT (1780848000000)

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  int runs = 51, width = 800, height = 400;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs (51)", "N" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Surface width (800)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Surface height (400)", "H" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the history chart");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, TRUE, sizeof (MqHistorySample));
  g_autoptr(MqChart) chart = NULL;
  g_autofree double *times = NULL;
  cairo_surface_t *surface;
  gint64 from = NOW_MS - 30 * DAY_MS;
  MqForecast forecast = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || width < 100 ||
      height < 60)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "bad --runs, --width or --height");
      return 2;
    }

  for (gint64 t = from; t <= NOW_MS; t += 3 * MINUTE_MS)
    {
      MqHistorySample sample = { 0 };
      gint64 start = from + (t - from) / (5 * HOUR_MS) * (5 * HOUR_MS);

      sample.time_ms = sample.last_seen_ms = t;
      sample.polls = 1;
      sample.slot = MQ_SLOT_INTERVAL;
      sample.remaining_percent = floor (MAX (100.0 - 15.0 * (double) (t - start) / HOUR_MS, 0.0));
      sample.remaining_count = sample.total_count = MQ_COUNT_UNKNOWN;
      sample.window_start_ms = start;
      sample.window_end_ms = start + 5 * HOUR_MS;
      g_array_append_val (samples, sample);
    }

  chart = mq_chart_new (samples, from, NOW_MS + DAY_MS);
  forecast.has_forecast = TRUE;
  forecast.runs_out_at_ms = NOW_MS + 2 * HOUR_MS;
  mq_chart_set_forecast (chart, &forecast, NOW_MS, 40);
  mq_chart_set_cursor (chart, (int) samples->len / 2);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  times = g_new (double, runs);
  for (int i = -3; i < runs; i++)
    {
      cairo_t *cr = cairo_create (surface);
      gint64 start = g_get_monotonic_time ();

      mq_chart_draw (chart, cr, width, height);
      cairo_surface_flush (surface);
      if (i >= 0)
        times[i] = (double) (g_get_monotonic_time () - start) / 1000.0;
      cairo_destroy (cr);
    }
  cairo_surface_destroy (surface);

  qsort (times, (size_t) runs, sizeof times[0], compare_double);
  g_print ("chart: 30 days, %u samples, %dx%d: median %.2f ms, min %.2f, max %.2f "
           "(target < 16 ms)\n",
           samples->len, width, height, times[runs / 2], times[0], times[runs - 1]);
  return times[runs / 2] < 16.0 ? 0 : 1;
}
