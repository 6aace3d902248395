/* mq-forecast.c: burn rate, run-out time and pace of one quota window */
#define G_LOG_DOMAIN "mq-forecast"

#include "config.h"

#include <math.h>
#include <string.h>

#include "mq-forecast.h"

#define HOUR_MS ((double) (G_GINT64_CONSTANT (3600) * 1000))

/* Slopes this close to zero (points per hour) are a flat series. */
#define FLAT_RATE 1e-6

static gboolean
same_time (gint64 a,
           gint64 b)
{
  if (a <= 0 || b <= 0)
    return a <= 0 && b <= 0;
  return ABS (a - b) <= MQ_FORECAST_WINDOW_TOLERANCE_MS;
}

gboolean
mq_forecast_same_window (gint64 start_a,
                         gint64 end_a,
                         gint64 start_b,
                         gint64 end_b)
{
  return same_time (start_a, start_b) && same_time (end_a, end_b);
}

static int
compare_time (gconstpointer a,
              gconstpointer b)
{
  const MqForecastSample *sa = a;
  const MqForecastSample *sb = b;

  return (sa->time_ms > sb->time_ms) - (sa->time_ms < sb->time_ms);
}

static void
compute_pace (gint64      start_ms,
              gint64      end_ms,
              double      remaining_percent,
              gint64      now_ms,
              MqForecast *out)
{
  if (start_ms <= 0 || end_ms <= start_ms || remaining_percent < 0 ||
      now_ms < start_ms || now_ms > end_ms)
    return;

  out->has_pace = TRUE;
  out->expected_remaining_percent =
    100.0 * (double) (end_ms - now_ms) / (double) (end_ms - start_ms);
  out->delta_percent = remaining_percent - out->expected_remaining_percent;
}

/* Least-squares slope of percent over time, in points per hour. Times are
 * taken relative to the last sample so that epoch ms lose no precision. */
static double
fit_slope (const MqForecastSample *s,
           gsize                   n)
{
  double origin = (double) s[n - 1].time_ms;
  double mean_x = 0, mean_y = 0, sxy = 0, sxx = 0;
  gsize i;

  for (i = 0; i < n; i++)
    {
      mean_x += ((double) s[i].time_ms - origin) / HOUR_MS;
      mean_y += s[i].remaining_percent;
    }
  mean_x /= (double) n;
  mean_y /= (double) n;

  for (i = 0; i < n; i++)
    {
      double dx = ((double) s[i].time_ms - origin) / HOUR_MS - mean_x;

      sxy += dx * (s[i].remaining_percent - mean_y);
      sxx += dx * dx;
    }

  return sxx > 0 ? sxy / sxx : 0.0;
}

void
mq_forecast_compute (const MqForecastSample *samples,
                     gsize                   n_samples,
                     gint64                  window_start_ms,
                     gint64                  window_end_ms,
                     double                  remaining_percent,
                     gint64                  now_ms,
                     MqForecast             *out)
{
  g_autofree MqForecastSample *kept = NULL;
  gsize n_kept = 0, n_recent = 0, n_fit, fit, i;
  double rate;

  memset (out, 0, sizeof *out);

  compute_pace (window_start_ms, window_end_ms, remaining_percent, now_ms, out);

  if (remaining_percent < 0 || n_samples == 0)
    return;

  /* One pass: the samples of this window up to now, those of the last
   * hour moved to the front. */
  kept = g_new (MqForecastSample, n_samples);
  for (i = 0; i < n_samples; i++)
    {
      const MqForecastSample *s = &samples[i];

      if (s->time_ms > now_ms || s->remaining_percent < 0 ||
          isnan (s->remaining_percent) ||
          !mq_forecast_same_window (s->window_start_ms, s->window_end_ms,
                                    window_start_ms, window_end_ms))
        continue;
      kept[n_kept] = *s;
      if (s->time_ms >= now_ms - MQ_FORECAST_FIT_SPAN_MS)
        {
          MqForecastSample tmp = kept[n_recent];

          kept[n_recent++] = kept[n_kept];
          kept[n_kept] = tmp;
        }
      n_kept++;
    }

  /* Sparse polling: the most recent few of the window instead. */
  n_fit = n_recent;
  if (n_recent < MQ_FORECAST_MIN_SAMPLES && n_kept >= MQ_FORECAST_MIN_SAMPLES)
    {
      for (n_fit = 0; n_fit < MQ_FORECAST_MIN_SAMPLES; n_fit++)
        {
          gsize latest = n_fit;
          MqForecastSample tmp;

          for (i = n_fit + 1; i < n_kept; i++)
            if (kept[i].time_ms > kept[latest].time_ms)
              latest = i;
          tmp = kept[n_fit];
          kept[n_fit] = kept[latest];
          kept[latest] = tmp;
        }
    }

  /* Sort what is fitted (history samples come sorted already). */
  for (i = 1; i < n_fit; i++)
    if (kept[i].time_ms < kept[i - 1].time_ms)
      {
        qsort (kept, n_fit, sizeof *kept, compare_time);
        break;
      }

  /* Only what follows the last refill. Looking within the fitted samples
   * is enough: an earlier refill is outside the fit anyway. */
  fit = 0;
  for (i = 1; i < n_fit; i++)
    if (kept[i].remaining_percent > kept[i - 1].remaining_percent + MQ_FORECAST_REFILL_POINTS)
      fit = i;

  if (n_fit - fit < MQ_FORECAST_MIN_SAMPLES ||
      kept[n_fit - 1].time_ms - kept[fit].time_ms < MQ_FORECAST_MIN_SPAN_MS)
    return;

  rate = -fit_slope (&kept[fit], n_fit - fit);
  if (!(rate > FLAT_RATE))
    rate = 0.0;

  out->has_forecast = TRUE;
  out->samples_used = (guint) (n_fit - fit);
  out->rate_percent_per_hour = rate;

  if (remaining_percent <= 0)
    {
      out->runs_out_at_ms = now_ms;
      out->lasts_until_reset = FALSE;
      return;
    }

  if (rate > 0)
    {
      double hours = remaining_percent / rate;
      double at = (double) now_ms + hours * HOUR_MS;

      if ((window_end_ms <= 0 || at < (double) window_end_ms) && at < (double) G_MAXINT64 / 2)
        {
          out->runs_out_at_ms = (gint64) llround (at);
          out->lasts_until_reset = FALSE;
          return;
        }
    }

  out->runs_out_at_ms = 0;
  out->lasts_until_reset = TRUE;
}
