/* mq-forecast.h: burn rate, run-out time and pace of one quota window
 *
 * Pure: no SQLite, no clock of its own (callers pass now_ms), no GTK.
 * Samples of one model's window in, numbers out (issue 11 §2).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One observation of a window's remaining percent. A run of identical
 * observations kept as its first and last time is two samples. */
typedef struct {
  gint64 time_ms;            /* when it was observed, epoch ms */
  double remaining_percent;  /* 0..100 as reported (boosted or not); < 0 unknown */
  gint64 window_start_ms;    /* the window it belongs to; 0 when unknown */
  gint64 window_end_ms;      /* its reset; 0 when unknown */
} MqForecastSample;

typedef struct {
  gboolean has_forecast;          /* enough recent samples of this window */
  double   rate_percent_per_hour; /* >= 0: percent points used per hour */
  gint64   runs_out_at_ms;        /* 0 when it lasts until the reset */
  gboolean lasts_until_reset;
  guint    samples_used;          /* samples the rate was fitted on */

  gboolean has_pace;              /* the window's start and end are known */
  double   expected_remaining_percent; /* what even use would leave now */
  double   delta_percent;         /* remaining - expected: > 0 ahead of pace */
} MqForecast;

/* The rate is fitted on the samples of the last hour... */
#define MQ_FORECAST_FIT_SPAN_MS        (G_GINT64_CONSTANT (60) * 60 * 1000)
/* ...needing at least this many samples, spanning at least a minute. */
#define MQ_FORECAST_MIN_SAMPLES        3
#define MQ_FORECAST_MIN_SPAN_MS        (G_GINT64_CONSTANT (60) * 1000)
/* Two windows are the same when their start and end agree this closely
 * (an end computed as now + remains_time moves with the request's latency). */
#define MQ_FORECAST_WINDOW_TOLERANCE_MS (G_GINT64_CONSTANT (60) * 1000)
/* A rise of more than this many points within a window is a refill. */
#define MQ_FORECAST_REFILL_POINTS      0.5

/* Forecasts the window [window_start_ms, window_end_ms) (0 when unknown)
 * whose remaining percent is @remaining_percent at @now_ms.
 *
 * - Only samples of this window count: same start and end (within
 *   MQ_FORECAST_WINDOW_TOLERANCE_MS; unknown matches only unknown). A
 *   reset starts afresh. Samples after @now_ms (clock skew) and samples
 *   with an unknown percent are ignored. @samples need not be sorted.
 * - Refill: the fit uses only the samples since the last rise of more
 *   than MQ_FORECAST_REFILL_POINTS; a fitted rise (rate < 0) is a rate
 *   of 0. The forecast never runs out sooner because of a refill.
 * - The rate is the least-squares slope over the samples of the last
 *   hour; when the last hour holds fewer than MQ_FORECAST_MIN_SAMPLES,
 *   over the most recent MQ_FORECAST_MIN_SAMPLES of the window (sparse
 *   polling). Fewer samples, or a span under a minute: no forecast.
 * - runs_out_at = now + remaining / rate when the rate is positive and
 *   that is before the reset; else it lasts until the reset. A window
 *   with nothing left runs out "now".
 * - Pace, for a window with a known start and end around @now_ms:
 *   expected = 100 × (end − now) / (end − start), delta = remaining −
 *   expected (positive: ahead of pace, saving).
 *
 * @out is always fully written. */
void mq_forecast_compute (const MqForecastSample *samples,
                          gsize                   n_samples,
                          gint64                  window_start_ms,
                          gint64                  window_end_ms,
                          double                  remaining_percent,
                          gint64                  now_ms,
                          MqForecast             *out);

/* TRUE when a sample of [start_a, end_a) belongs to [start_b, end_b). */
gboolean mq_forecast_same_window (gint64 start_a,
                                  gint64 end_a,
                                  gint64 start_b,
                                  gint64 end_b);

G_END_DECLS
