/* history.c: the forecast's speed and the history database's size
 *
 * 1. mq_forecast_compute() over 30 days of 3-minute samples (14,400):
 *    all in one window (the worst case: nothing filtered out), and spread
 *    over the real windows (5-hour blocks), sorted and shuffled. Median of
 *    --runs runs after a warm-up, monotonic clock.
 *    Target (issue 11): < 1 ms.
 * 2. A real history database after --days (90) simulated days of 3-minute
 *    polling of six models through mq_history_record(): the text model
 *    used on working hours of weekdays, the others now and then, counts
 *    reported (every use changes a count, so every poll with a use is a new
 *    row), integer percents; identical polls collapse. Prints the file's
 *    size after a checkpoint and the median time of one record.
 *    Target (issue 11): < 4 MiB.
 *
 * Usage: history [--runs N] [--days N] [--dir DIR]
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "mq-forecast.h"
#include "mq-history-private.h"
#include "mq-snapshot-private.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)
/* Monday 2026-03-02T00:00:00Z. */
#define EPOCH_MS  G_GINT64_CONSTANT (1772409600000)

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

static double
time_forecast (const MqForecastSample *samples,
               gsize                   n,
               gint64                  start,
               gint64                  end,
               gint64                  now,
               guint                   runs,
               MqForecast             *out)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint r;

  mq_forecast_compute (samples, n, start, end, 50, now, out);  /* warm-up */
  for (r = 0; r < runs; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      mq_forecast_compute (samples, n, start, end, 50, now, out);
      ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (times, ms);
    }
  return median (times);
}

static void
bench_forecast (guint runs)
{
  const gsize n = 30 * 24 * 20;
  g_autofree MqForecastSample *one = g_new (MqForecastSample, n);
  g_autofree MqForecastSample *blocks = g_new (MqForecastSample, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  gint64 now = EPOCH_MS + 30 * DAY_MS;
  gint64 block_start = now - now % (5 * HOUR_MS);
  MqForecast f;
  double ms;
  gsize i;

  for (i = 0; i < n; i++)
    {
      gint64 t = EPOCH_MS + (gint64) i * 3 * MINUTE_MS;
      gint64 bs = t - t % (5 * HOUR_MS);
      double p = 100.0 - floor ((double) i * 100.0 / (double) n);
      MqForecastSample a = { t, p, EPOCH_MS, EPOCH_MS + 31 * DAY_MS };
      MqForecastSample b = { t, 100.0 - (double) ((t - bs) / (3 * MINUTE_MS)) / 2.0, bs, bs + 5 * HOUR_MS };

      one[i] = a;
      blocks[i] = b;
    }

  g_print ("forecast over 30 days of 3-minute samples (%" G_GSIZE_FORMAT "), median of %u runs:\n", n, runs);
  ms = time_forecast (one, n, EPOCH_MS, EPOCH_MS + 31 * DAY_MS, now, runs, &f);
  g_print ("  one window, sorted:      %.3f ms  (rate %.2f %%/h, %u samples fitted)\n",
           ms, f.rate_percent_per_hour, f.samples_used);
  ms = time_forecast (blocks, n, block_start, block_start + 5 * HOUR_MS, now, runs, &f);
  g_print ("  5-hour blocks, sorted:   %.3f ms  (rate %.2f %%/h, %u samples fitted)\n",
           ms, f.rate_percent_per_hour, f.samples_used);

  for (i = n - 1; i > 0; i--)
    {
      gsize j = (gsize) g_rand_int_range (rand, 0, (gint32) i + 1);
      MqForecastSample tmp = one[i];

      one[i] = one[j];
      one[j] = tmp;
    }
  ms = time_forecast (one, n, EPOCH_MS, EPOCH_MS + 31 * DAY_MS, now, runs, &f);
  g_print ("  one window, shuffled:    %.3f ms  (rate %.2f %%/h, %u samples fitted)\n",
           ms, f.rate_percent_per_hour, f.samples_used);
}

typedef struct {
  const char *name;
  double      use_chance;   /* per poll in working hours */
  double      use_max;      /* interval points per use, at most */
  gboolean    five_hour;    /* 5-hour blocks, else daily windows */
  double      interval_percent;
  double      weekly_percent;
} SimModel;

static void
sim_window (MqWindow *w,
            double    percent,
            gint64    total,
            gint64    start,
            gint64    end)
{
  memset (w, 0, sizeof *w);
  w->known = TRUE;
  w->boost = 1.0;
  w->remaining_percent = round (percent);
  w->total = total;
  w->remaining = (gint64) floor (percent * (double) total / 100.0);
  w->used = total - w->remaining;
  w->resets_at_ms = end;
  w->period_seconds = (end - start) / 1000;
}

static void
five_hour_block (gint64  t,
                 gint64 *start,
                 gint64 *end)
{
  gint64 day = t - t % DAY_MS;
  gint64 block = (t - day) / (5 * HOUR_MS);

  *start = day + block * 5 * HOUR_MS;
  *end = MIN (*start + 5 * HOUR_MS, day + DAY_MS);
}

static void
bench_database (guint days,
                const char *dir)
{
  SimModel models[] = {
    { "MiniMax-M2",  0.6,  3.0, TRUE,  100, 100 },
    { "MiniMax-M1",  0.1,  2.0, TRUE,  100, 100 },
    { "speech-hd",   0.05, 4.0, FALSE, 100, 100 },
    { "image-01",    0.02, 5.0, FALSE, 100, 100 },
    { "video-01",    0.01, 34.0, FALSE, 100, 100 },
    { "music-1.5",   0.0,  0.0, FALSE, 100, 100 },
  };
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 prev_block[G_N_ELEMENTS (models)] = { 0 };
  gint64 prev_day = 0, prev_week = 0, t, end = EPOCH_MS + days * DAY_MS;
  GStatBuf st;
  guint rows, polls = 0;

  tmp = g_build_filename (dir, "mq-bench-history-XXXXXX", NULL);
  g_assert (g_mkdtemp (tmp) != NULL);
  path = g_build_filename (tmp, "history.db", NULL);
  history = mq_history_open (path, &error);
  g_assert_no_error (error);

  for (t = EPOCH_MS; t < end; t += 3 * MINUTE_MS, polls++)
    {
      GArray *array = g_array_new (FALSE, FALSE, sizeof (MqModel));
      g_autoptr(MqSnapshot) snapshot = NULL;
      gint64 day = t - t % DAY_MS;
      gint64 week = t - (t - EPOCH_MS) % (7 * DAY_MS);
      int hour = (int) ((t - day) / HOUR_MS);
      gboolean workday = ((t - EPOCH_MS) / DAY_MS) % 7 < 5;
      gboolean working = workday && hour >= 9 && hour < 18;
      gint64 t0;
      double ms;
      guint m;

      for (m = 0; m < G_N_ELEMENTS (models); m++)
        {
          SimModel *sm = &models[m];
          gint64 bs, be;
          MqModel model;

          if (sm->five_hour)
            five_hour_block (t, &bs, &be);
          else
            {
              bs = day;
              be = day + DAY_MS;
            }
          if (bs != prev_block[m])
            sm->interval_percent = 100;
          if (week != prev_week)
            sm->weekly_percent = 100;
          prev_block[m] = bs;

          if (working && g_rand_double (rand) < sm->use_chance)
            {
              double used = MIN (g_rand_double_range (rand, 0.1, sm->use_max), sm->interval_percent);

              sm->interval_percent -= used;
              sm->weekly_percent = MAX (sm->weekly_percent - used / 10.0, 0);
            }

          memset (&model, 0, sizeof model);
          model.name = g_strdup (sm->name);
          model.lane = mq_lane_for_name (sm->name);
          model.in_plan = TRUE;
          model.usable = TRUE;
          sim_window (&model.interval, sm->interval_percent, 1500, bs, be);
          sim_window (&model.weekly, sm->weekly_percent, 15000, week, week + 7 * DAY_MS);
          g_array_append_val (array, model);
        }
      prev_day = day;
      prev_week = week;

      snapshot = mq_snapshot_new_take (array, t, MQ_REGION_GLOBAL);
      t0 = g_get_monotonic_time ();
      if (!mq_history_record (history, "default", snapshot, t, &error))
        g_error ("record: %s", error->message);
      ms = (double) (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (times, ms);
    }
  (void) prev_day;

  sqlite3_exec (mq_history_get_db (history), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (mq_history_get_db (history), "SELECT count(*) FROM samples", -1, &stmt, NULL);
    sqlite3_step (stmt);
    rows = (guint) sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
  }
  g_clear_object (&history);
  g_assert (g_stat (path, &st) == 0);

  g_print ("database after %u days of 3-minute polls of %u models (%u polls, %u windows each):\n",
           days, (guint) G_N_ELEMENTS (models), polls, (guint) (2 * G_N_ELEMENTS (models)));
  g_print ("  rows: %u (of %u window samples: %.1f%% kept after collapsing runs)\n",
           rows, polls * 2 * (guint) G_N_ELEMENTS (models),
           100.0 * rows / (polls * 2.0 * G_N_ELEMENTS (models)));
  g_print ("  size: %.2f MiB (%" G_GINT64_FORMAT " bytes, %.1f bytes a row)\n",
           (double) st.st_size / (1024.0 * 1024.0), (gint64) st.st_size,
           (double) st.st_size / MAX (rows, 1));
  g_print ("  record (6 models, one transaction): median %.3f ms\n", median (times));

  g_unlink (path);
  g_rmdir (tmp);
}

int
main (int    argc,
      char **argv)
{
  guint runs = 101, days = 90;
  const char *dir = g_get_tmp_dir ();
  int i;

  for (i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--runs"))
        runs = (guint) g_ascii_strtoull (argv[i + 1], NULL, 10);
      else if (g_str_equal (argv[i], "--days"))
        days = (guint) g_ascii_strtoull (argv[i + 1], NULL, 10);
      else if (g_str_equal (argv[i], "--dir"))
        dir = argv[i + 1];
    }

  bench_forecast (MAX (runs, 1));
  bench_database (MAX (days, 1), dir);
  return 0;
}
