/* test-history.c: the SQLite history store on real files */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mq-history-private.h"
#include "mq-snapshot-private.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)
/* 2026-06-08T10:00:00Z, the start of a 5-hour block. */
#define START_MS  G_GINT64_CONSTANT (1780912800000)
#define WEEK_START_MS (START_MS - 3 * DAY_MS - 10 * HOUR_MS)

static const char *self_path;

/* A window that ends at @end_ms after @period_ms, with @percent left and,
 * when @total > 0, counts. */
static void
set_window (MqWindow *w,
            double    percent,
            gint64    total,
            gint64    end_ms,
            gint64    period_ms,
            MqPeriod  period)
{
  memset (w, 0, sizeof *w);
  w->known = TRUE;
  w->remaining_percent = percent;
  w->total = total > 0 ? total : MQ_COUNT_UNKNOWN;
  w->remaining = total > 0 ? (gint64) (percent * (double) total / 100.0) : MQ_COUNT_UNKNOWN;
  w->used = total > 0 ? total - w->remaining : MQ_COUNT_UNKNOWN;
  w->boost = 1.0;
  w->resets_at_ms = end_ms;
  w->period_seconds = period_ms / 1000;
  w->period = period;
  w->exhausted = percent == 0;
}

static void
add_model (GArray     *models,
           const char *name,
           double      interval_percent,
           double      weekly_percent)
{
  MqModel m;

  memset (&m, 0, sizeof m);
  m.name = g_strdup (name);
  m.lane = mq_lane_for_name (name);
  m.in_plan = TRUE;
  m.usable = TRUE;
  set_window (&m.interval, interval_percent, 1500, START_MS + 5 * HOUR_MS, 5 * HOUR_MS,
              MQ_PERIOD_FIVE_HOUR);
  set_window (&m.weekly, weekly_percent, 0, WEEK_START_MS + 7 * DAY_MS, 7 * DAY_MS,
              MQ_PERIOD_WEEKLY);
  g_array_append_val (models, m);
}

/* One text model at @interval_percent (counts of 1,500) and @weekly_percent
 * (percent only). */
static MqSnapshot *
snapshot_one (double interval_percent,
              double weekly_percent,
              gint64 now_ms)
{
  GArray *models = g_array_new (FALSE, FALSE, sizeof (MqModel));

  add_model (models, "MiniMax-M2", interval_percent, weekly_percent);
  return mq_snapshot_new_take (models, now_ms, MQ_REGION_GLOBAL);
}

/* A new folder inside this test's isolated (and removed) cache folder. */
static char *
temp_dir (void)
{
  char *dir = g_build_filename (g_get_user_cache_dir (), "mq-history-XXXXXX", NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_nonnull (g_mkdtemp_full (dir, 0700));
  return dir;
}

static MqHistory *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  MqHistory *history = mq_history_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (history);
  return history;
}

static void
record_ok (MqHistory  *history,
           const char *account,
           MqSnapshot *snapshot,
           gint64      now_ms)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mq_history_record (history, account, snapshot, now_ms, &error));
  g_assert_no_error (error);
}

static GArray *
list_all (MqHistory *history)
{
  g_autoptr(GError) error = NULL;
  GArray *rows = mq_history_list (history, NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static int
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_state_dir (), "leeway",
                                                "history.db", NULL);
  g_autofree char *dir = g_path_get_dirname (expected);
  g_autofree char *path = mq_history_default_path ();
  g_autoptr(MqHistory) history = NULL;
  GStatBuf st;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  history = open_ok (NULL);
  g_assert_cmpstr (mq_history_get_path (history), ==, expected);

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (expected, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The WAL files take the database's mode. */
  {
    g_autoptr(MqSnapshot) s = snapshot_one (90, 80, START_MS);
    g_autofree char *wal = g_strconcat (expected, "-wal", NULL);

    record_ok (history, NULL, s, START_MS);
    g_assert_cmpint (g_stat (wal, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
  g_assert_null (mq_history_take_notice (history));
}

static void
test_record_and_query (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = open_ok (path);
  g_autoptr(MqSnapshot) s = snapshot_one (60, 85, START_MS + HOUR_MS);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const MqHistorySample *r;
  sqlite3 *db;

  record_ok (history, "work", s, START_MS + HOUR_MS);

  rows = mq_history_query (history, "work", "MiniMax-M2", MQ_SLOT_INTERVAL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = &g_array_index (rows, MqHistorySample, 0);
  g_assert_cmpint (r->time_ms, ==, START_MS + HOUR_MS);
  g_assert_cmpint (r->last_seen_ms, ==, START_MS + HOUR_MS);
  g_assert_cmpstr (r->account, ==, "work");
  g_assert_cmpstr (r->model, ==, "MiniMax-M2");
  g_assert_cmpint (r->slot, ==, MQ_SLOT_INTERVAL);
  g_assert_cmpfloat (r->remaining_percent, ==, 60.0);
  g_assert_cmpint (r->remaining_count, ==, 900);
  g_assert_cmpint (r->total_count, ==, 1500);
  g_assert_cmpint (r->window_start_ms, ==, START_MS);
  g_assert_cmpint (r->window_end_ms, ==, START_MS + 5 * HOUR_MS);
  g_array_unref (g_steal_pointer (&rows));

  rows = mq_history_query (history, "work", "MiniMax-M2", MQ_SLOT_WEEKLY, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  r = &g_array_index (rows, MqHistorySample, 0);
  g_assert_cmpint (r->slot, ==, MQ_SLOT_WEEKLY);
  g_assert_cmpfloat (r->remaining_percent, ==, 85.0);
  g_assert_cmpint (r->remaining_count, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (r->total_count, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpint (r->window_start_ms, ==, WEEK_START_MS);
  g_array_unref (g_steal_pointer (&rows));

  /* Another account's samples are its own; since filters. */
  rows = mq_history_query (history, "home", "MiniMax-M2", MQ_SLOT_INTERVAL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_array_unref (g_steal_pointer (&rows));
  rows = mq_history_query (history, "work", "MiniMax-M2", MQ_SLOT_INTERVAL,
                           START_MS + HOUR_MS + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);

  /* The account is stored as given: a label. */
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM series WHERE account = 'work'"), ==, 2);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, MQ_HISTORY_SCHEMA_VERSION);
  sqlite3_close (db);
}

static void
test_collapse_runs (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = open_ok (path);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t = START_MS + 10 * MINUTE_MS;
  int i;

  /* Five identical polls, two changed ones, three identical again. */
  for (i = 0; i < 10; i++, t += 3 * MINUTE_MS)
    {
      double p = i < 5 ? 80 : i < 7 ? 79 - (i - 5) : 78;
      g_autoptr(MqSnapshot) s = snapshot_one (p, 90, t);

      record_ok (history, NULL, s, t);
    }

  rows = mq_history_query (history, NULL, "MiniMax-M2", MQ_SLOT_INTERVAL, 0, &error);
  g_assert_no_error (error);
  /* 80 x5 | 79 | 78 x4 */
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 0).time_ms, ==, START_MS + 10 * MINUTE_MS);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 0).last_seen_ms, ==, START_MS + 22 * MINUTE_MS);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 1).time_ms, ==, START_MS + 25 * MINUTE_MS);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 1).last_seen_ms, ==, START_MS + 25 * MINUTE_MS);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 2).time_ms, ==, START_MS + 28 * MINUTE_MS);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 2).last_seen_ms, ==, START_MS + 37 * MINUTE_MS);

  /* The weekly window never changed: one row from first to last poll. */
  g_array_unref (g_steal_pointer (&rows));
  rows = mq_history_query (history, NULL, "MiniMax-M2", MQ_SLOT_WEEKLY, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 0).last_seen_ms, ==, START_MS + 37 * MINUTE_MS);

  /* A run reads as its polls, evenly spread from its first to last time. */
  g_assert_cmpuint (g_array_index (rows, MqHistorySample, 0).polls, ==, 10);
  samples = mq_history_samples_to_forecast (rows);
  g_assert_cmpuint (samples->len, ==, 10);
  g_assert_cmpint (g_array_index (samples, MqForecastSample, 0).time_ms, ==, START_MS + 10 * MINUTE_MS);
  g_assert_cmpint (g_array_index (samples, MqForecastSample, 4).time_ms, ==, START_MS + 22 * MINUTE_MS);
  g_assert_cmpint (g_array_index (samples, MqForecastSample, 9).time_ms, ==, START_MS + 37 * MINUTE_MS);

  /* A new window with the same percent is a new row, not the old run. */
  {
    GArray *models = g_array_new (FALSE, FALSE, sizeof (MqModel));
    g_autoptr(MqSnapshot) s = NULL;
    g_autoptr(GArray) interval = NULL;

    add_model (models, "MiniMax-M2", 78, 90);
    g_array_index (models, MqModel, 0).interval.resets_at_ms += 5 * HOUR_MS;
    s = mq_snapshot_new_take (models, t, MQ_REGION_GLOBAL);
    record_ok (history, NULL, s, t);
    interval = mq_history_query (history, NULL, "MiniMax-M2", MQ_SLOT_INTERVAL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (interval->len, ==, 4);
  }
}

static void
test_skips_unrecordable (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = open_ok (path);
  GArray *models = g_array_new (FALSE, FALSE, sizeof (MqModel));
  g_autoptr(MqSnapshot) s = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) forecasts = NULL;
  g_autoptr(GError) error = NULL;

  add_model (models, "MiniMax-M2", 50, 70);
  add_model (models, "video-01", 100, 100);
  g_array_index (models, MqModel, 1).in_plan = FALSE;
  add_model (models, "speech-hd", 100, 100);
  g_array_index (models, MqModel, 2).weekly.unlimited = TRUE;
  add_model (models, "broken", 100, 100);
  g_array_index (models, MqModel, 3).usable = FALSE;
  add_model (models, "image-01", 100, 100);
  g_array_index (models, MqModel, 4).weekly.remaining_percent = MQ_PERCENT_UNKNOWN;
  s = mq_snapshot_new_take (models, START_MS, MQ_REGION_GLOBAL);

  record_ok (history, NULL, s, START_MS);
  rows = list_all (history);
  /* M2 interval + weekly, speech-hd interval, image-01 interval. */
  g_assert_cmpuint (rows->len, ==, 4);

  forecasts = mq_history_forecast (history, NULL, s, START_MS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forecasts->len, ==, 4);
  g_assert_cmpstr (g_array_index (forecasts, MqHistoryForecast, 0).model, ==, "MiniMax-M2");
  g_assert_cmpint (g_array_index (forecasts, MqHistoryForecast, 1).slot, ==, MQ_SLOT_WEEKLY);
  g_assert_cmpstr (g_array_index (forecasts, MqHistoryForecast, 2).model, ==, "speech-hd");
  g_assert_false (g_array_index (forecasts, MqHistoryForecast, 0).forecast.has_forecast);
}

static void
test_forecast_from_history (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = open_ok (path);
  g_autoptr(GArray) forecasts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) last = NULL;
  const MqForecast *f;
  gint64 t = START_MS;
  int i;

  /* A falling server: 2 points every 6 minutes (20 %/h), polled every 3. */
  for (i = 0; i <= 20; i++, t += 3 * MINUTE_MS)
    {
      g_clear_pointer (&last, mq_snapshot_unref);
      last = snapshot_one (100 - 2 * (i / 2), 60, t);
      record_ok (history, "work", last, t);
    }
  t -= 3 * MINUTE_MS;

  forecasts = mq_history_forecast (history, "work", last, t, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forecasts->len, ==, 2);

  f = &g_array_index (forecasts, MqHistoryForecast, 0).forecast;
  g_assert_true (f->has_forecast);
  g_assert_cmpfloat (f->rate_percent_per_hour, >, 18.0);
  g_assert_cmpfloat (f->rate_percent_per_hour, <, 22.0);
  /* An hour into the 5-hour block. */
  g_assert_true (f->has_pace);
  g_assert_cmpfloat_with_epsilon (f->expected_remaining_percent, 80.0, 1e-9);

  /* The weekly window is flat: one collapsed run of 21 polls. */
  f = &g_array_index (forecasts, MqHistoryForecast, 1).forecast;
  g_assert_true (f->has_forecast);
  g_assert_cmpfloat (f->rate_percent_per_hour, ==, 0.0);
  g_assert_true (f->lasts_until_reset);
}

static void
test_retention (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = open_ok (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = NULL;
  gint64 now = START_MS;
  gint64 old = now - 499 * DAY_MS;
  guint deleted = 0;
  guint i;
  sqlite3 *db;

  /* 600 changing samples of long ago, one every 4 hours from day -499. */
  db = raw_open (path);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO series (id, account, model, window_kind) VALUES (1, 'default', 'MiniMax-M2', 'interval')",
    NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (i = 0; i < 600; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO samples (series, time_ms, last_seen_ms, remaining_percent)"
        " VALUES (1, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %u)",
        old + i * 4 * HOUR_MS, old + i * 4 * HOUR_MS + MINUTE_MS, i % 100);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* 600 rows from day -499 to day -399: the last 6 are within 400 days. */
  g_assert_true (mq_history_prune (history, now, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (deleted, ==, MQ_HISTORY_PRUNE_BATCH);

  /* Recording prunes a batch too. */
  {
    g_autoptr(MqSnapshot) s = snapshot_one (50, 50, now);
    record_ok (history, NULL, s, now);
  }
  rows = list_all (history);
  g_assert_cmpuint (rows->len, ==, 600 - 2 * MQ_HISTORY_PRUNE_BATCH + 2);

  do
    {
      g_assert_true (mq_history_prune (history, now, &deleted, &error));
      g_assert_no_error (error);
    }
  while (deleted > 0);

  g_array_unref (g_steal_pointer (&rows));
  rows = list_all (history);
  for (i = 0; i < rows->len; i++)
    g_assert_cmpint (g_array_index (rows, MqHistorySample, i).last_seen_ms, >=,
                     now - MQ_HISTORY_RETENTION_MS);
  /* Rows 594.. and the two new ones are left. */
  {
    guint kept = 0;

    for (i = 0; i < 600; i++)
      if (old + i * 4 * HOUR_MS + MINUTE_MS >= now - MQ_HISTORY_RETENTION_MS)
        kept++;
    g_assert_cmpuint (kept, ==, 6);
    g_assert_cmpuint (rows->len, ==, kept + 2);
  }
}

static void
test_migration_from_v1 (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  /* A database as version 1 wrote it: no WAL, one row per poll. */
  db = raw_open (path);
  g_assert_cmpint (sqlite3_exec (db, mq_history_schema_v1_sql (), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO samples VALUES (1780912860000, 'default', 'MiniMax-M2', 'interval', 97, 1455, 1500, 1780912800000, 1780930800000);"
    "INSERT INTO samples VALUES (1780913040000, 'default', 'MiniMax-M2', 'interval', 96, 1440, 1500, 1780912800000, 1780930800000);"
    "INSERT INTO samples VALUES (1780913040000, 'default', 'MiniMax-M2', 'weekly', 40.5, NULL, NULL, NULL, 1781308800000);"
    "INSERT INTO samples VALUES (1780913040000, 'home', 'speech-hd', 'interval', 100, NULL, NULL, NULL, NULL);"
    "PRAGMA user_version = 1;",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = open_ok (path);
  rows = list_all (history);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 0).time_ms, ==, G_GINT64_CONSTANT (1780912860000));
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 0).last_seen_ms, ==, G_GINT64_CONSTANT (1780912860000));
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 0).remaining_count, ==, 1455);
  /* Same time: by account, model, window. */
  g_assert_cmpstr (g_array_index (rows, MqHistorySample, 1).account, ==, "default");
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 1).slot, ==, MQ_SLOT_INTERVAL);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 2).slot, ==, MQ_SLOT_WEEKLY);
  g_assert_cmpfloat (g_array_index (rows, MqHistorySample, 2).remaining_percent, ==, 40.5);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 2).window_start_ms, ==, 0);
  g_assert_cmpint (g_array_index (rows, MqHistorySample, 2).total_count, ==, MQ_COUNT_UNKNOWN);
  g_assert_cmpstr (g_array_index (rows, MqHistorySample, 3).account, ==, "home");

  /* Recording goes on after the migrated rows. */
  {
    g_autoptr(MqSnapshot) s = snapshot_one (96, 40, START_MS + 7 * MINUTE_MS);
    g_autoptr(GArray) interval = NULL;

    record_ok (history, NULL, s, START_MS + 7 * MINUTE_MS);
    interval = mq_history_query (history, NULL, "MiniMax-M2", MQ_SLOT_INTERVAL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (interval->len, ==, 2);
    g_assert_cmpint (g_array_index (interval, MqHistorySample, 1).last_seen_ms, ==, START_MS + 7 * MINUTE_MS);
  }
  g_clear_object (&history);

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, MQ_HISTORY_SCHEMA_VERSION);
  sqlite3_close (db);

  /* Opening again migrates nothing twice: the four old rows (the
   * interval's last one extended by the identical new sample) and the
   * new weekly row. */
  history = open_ok (path);
  g_array_unref (g_steal_pointer (&rows));
  rows = list_all (history);
  g_assert_cmpuint (rows->len, ==, 5);
}

static void
test_newer_schema (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  db = raw_open (path);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  history = mq_history_open (path, &error);
  g_assert_null (history);
  g_assert_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, path));

  /* Left as it was. */
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'future'"), ==, 1);
  sqlite3_close (db);
}

static void
assert_moved_aside (MqHistory  *history,
                    const char *path,
                    const char *original,
                    gsize       original_length)
{
  g_autoptr(GError) notice = mq_history_take_notice (history);
  g_autoptr(GError) again = mq_history_take_notice (history);
  const char *aside = mq_history_get_moved_aside_path (history);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_error (notice, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_CORRUPT);
  g_assert_null (again);
  g_assert_nonnull (aside);
  g_assert_true (g_str_has_prefix (aside, path));
  g_assert_true (g_str_has_prefix (aside + strlen (path), ".corrupt-"));
  g_assert_nonnull (strstr (notice->message, aside));

  g_assert_true (g_file_get_contents (aside, &contents, &length, NULL));
  g_assert_cmpmem (contents, MIN (length, 4096), original, MIN (original_length, 4096));
}

static void
test_corrupt_at_open (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);
  int i;

  for (i = 0; i < 400; i++)
    g_string_append (junk, "this is not a database. ");
  g_assert_true (g_file_set_contents (path, junk->str, (gssize) junk->len, NULL));

  history = open_ok (path);
  assert_moved_aside (history, path, junk->str, junk->len);

  /* A fresh history that works. */
  {
    g_autoptr(MqSnapshot) s = snapshot_one (70, 70, START_MS);
    g_autoptr(GArray) rows = NULL;

    record_ok (history, NULL, s, START_MS);
    rows = list_all (history);
    g_assert_cmpuint (rows->len, ==, 2);
  }
}

static void
test_corrupt_later (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gint64 t = START_MS;
  int i;

  /* A history of a few pages... */
  history = open_ok (path);
  for (i = 0; i < 300; i++, t += 3 * MINUTE_MS)
    {
      g_autoptr(MqSnapshot) s = snapshot_one (100 - (i % 100), 100 - (i % 50), t);
      record_ok (history, NULL, s, t);
    }
  g_clear_object (&history);

  /* ...whose pages after the first (the schema) are overwritten. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 3 * 4096);
  memset (contents + 4096, 0xa5, length - 4096);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));

  /* The header and schema read fine; recording finds the damage, moves
   * it aside and keeps the sample in a fresh history. */
  history = open_ok (path);
  {
    g_autoptr(MqSnapshot) s = snapshot_one (42, 42, t);
    g_autoptr(GArray) rows = NULL;

    record_ok (history, NULL, s, t);
    assert_moved_aside (history, path, contents, length);
    rows = list_all (history);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpfloat (g_array_index (rows, MqHistorySample, 0).remaining_percent, ==, 42.0);
  }
}

static void
test_unwritable (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "leeway", "history.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GError) error = NULL;

  /* The folder cannot be created (a file stands in its way): works as
   * root too. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  history = mq_history_open (path, &error);
  g_assert_null (history);
  g_assert_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE);
  g_assert_nonnull (strstr (error->message, blocker));
  g_clear_error (&error);

  /* A read-only filesystem. */
  if (g_file_test ("/proc/self", G_FILE_TEST_IS_DIR))
    {
      history = mq_history_open ("/proc/self/leeway-history.db", &error);
      g_assert_null (history);
      g_assert_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE);
      g_clear_error (&error);
    }

  if (geteuid () == 0)
    {
      g_test_message ("running as root: permission bits do not bind, read-only folder not tested");
      return;
    }

  /* A read-only folder, without and with an existing database. */
  {
    g_autofree char *ro = g_build_filename (dir, "ro", NULL);
    g_autofree char *ro_path = g_build_filename (ro, "history.db", NULL);

    g_assert_cmpint (g_mkdir (ro, 0500), ==, 0);
    history = mq_history_open (ro_path, &error);
    g_assert_null (history);
    g_assert_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE);
    g_clear_error (&error);

    g_assert_cmpint (g_chmod (ro, 0700), ==, 0);
    history = open_ok (ro_path);
    g_clear_object (&history);
    g_assert_cmpint (g_chmod (ro_path, 0400), ==, 0);
    g_assert_cmpint (g_chmod (ro, 0500), ==, 0);
    history = mq_history_open (ro_path, &error);
    g_assert_null (history);
    g_assert_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE);
    g_assert_cmpint (g_chmod (ro, 0700), ==, 0);
  }
}

static void
test_locked (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = open_ok (path);
  g_autoptr(MqSnapshot) s = snapshot_one (50, 50, START_MS);
  g_autoptr(GError) error = NULL;
  gint64 before, took;
  sqlite3 *db = raw_open (path);

  record_ok (history, NULL, s, START_MS);

  /* Another program holds the write lock. */
  g_assert_cmpint (sqlite3_exec (db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  before = g_get_monotonic_time ();
  g_assert_false (mq_history_record (history, NULL, s, START_MS + MINUTE_MS, &error));
  took = (g_get_monotonic_time () - before) / 1000;
  g_assert_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_BUSY);
  g_clear_error (&error);
  g_test_message ("record against a lock returned after %" G_GINT64_FORMAT " ms", took);
  g_assert_cmpint (took, >=, MQ_HISTORY_BUSY_TIMEOUT_MS / 2);
  g_assert_cmpint (took, <, 5 * MQ_HISTORY_BUSY_TIMEOUT_MS);

  /* Reading still works under the writer's lock (WAL). */
  {
    g_autoptr(GArray) rows = list_all (history);
    g_assert_cmpuint (rows->len, ==, 2);
  }

  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Released: the next sample goes in. */
  record_ok (history, NULL, s, START_MS + 2 * MINUTE_MS);
  {
    g_autoptr(GArray) rows = list_all (history);
    g_assert_cmpint (g_array_index (rows, MqHistorySample, 0).last_seen_ms, ==, START_MS + 2 * MINUTE_MS);
  }
}

#define WRITER_SAMPLES 150

/* The helper process: records WRITER_SAMPLES changing samples. */
static int
run_writer (const char *path,
            const char *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqHistory) history = mq_history_open (path, &error);
  int i;

  if (history == NULL)
    {
      g_printerr ("writer %s: %s\n", account, error->message);
      return 1;
    }
  for (i = 0; i < WRITER_SAMPLES; i++)
    {
      gint64 t = START_MS + i * 1000;
      g_autoptr(MqSnapshot) s = snapshot_one (100 - i * 0.5, 100 - i * 0.25, t);

      if (!mq_history_record (history, account, s, t, &error))
        {
          g_printerr ("writer %s sample %d: %s\n", account, i, error->message);
          return 1;
        }
    }
  return 0;
}

static void
test_two_processes (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GSubprocess) a = NULL;
  g_autoptr(GSubprocess) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GArray) rows = NULL;
  const char *accounts[] = { "a", "b" };
  guint i, counts[2] = { 0, 0 };

  /* Both start at once on a database that does not exist yet. */
  a = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_path, "--writer", path, "a", NULL);
  g_assert_no_error (error);
  b = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_path, "--writer", path, "b", NULL);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_wait (a, NULL, &error));
  g_assert_true (g_subprocess_wait (b, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (a));
  g_assert_cmpint (g_subprocess_get_exit_status (a), ==, 0);
  g_assert_true (g_subprocess_get_if_exited (b));
  g_assert_cmpint (g_subprocess_get_exit_status (b), ==, 0);

  history = open_ok (path);
  rows = list_all (history);
  for (i = 0; i < rows->len; i++)
    {
      const MqHistorySample *r = &g_array_index (rows, MqHistorySample, i);

      if (g_strcmp0 (r->account, accounts[0]) == 0)
        counts[0]++;
      else if (g_strcmp0 (r->account, accounts[1]) == 0)
        counts[1]++;
    }
  /* Every sample of both, interval and weekly: nothing lost. */
  g_assert_cmpuint (counts[0], ==, 2 * WRITER_SAMPLES);
  g_assert_cmpuint (counts[1], ==, 2 * WRITER_SAMPLES);
}

/* Two connections used from two threads at once, one each. */
static gpointer
thread_writer (gpointer data)
{
  const char **args = data;

  return GINT_TO_POINTER (run_writer (args[0], args[1]));
}

static void
test_two_threads (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(MqHistory) history = open_ok (path);
  const char *args_a[] = { path, "a" };
  const char *args_b[] = { path, "b" };
  GThread *ta = g_thread_new ("writer-a", thread_writer, args_a);
  GThread *tb = g_thread_new ("writer-b", thread_writer, args_b);
  g_autoptr(GArray) rows = NULL;

  g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (ta)), ==, 0);
  g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (tb)), ==, 0);
  rows = list_all (history);
  g_assert_cmpuint (rows->len, ==, 4 * WRITER_SAMPLES);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && g_strcmp0 (argv[1], "--writer") == 0)
    return run_writer (argv[2], argv[3]);

  self_path = argv[0];
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/history/default-path", test_default_path);
  g_test_add_func ("/history/record-and-query", test_record_and_query);
  g_test_add_func ("/history/collapse-runs", test_collapse_runs);
  g_test_add_func ("/history/skips-unrecordable", test_skips_unrecordable);
  g_test_add_func ("/history/forecast", test_forecast_from_history);
  g_test_add_func ("/history/retention", test_retention);
  g_test_add_func ("/history/migration-from-v1", test_migration_from_v1);
  g_test_add_func ("/history/newer-schema", test_newer_schema);
  g_test_add_func ("/history/corrupt-at-open", test_corrupt_at_open);
  g_test_add_func ("/history/corrupt-later", test_corrupt_later);
  g_test_add_func ("/history/unwritable", test_unwritable);
  g_test_add_func ("/history/locked", test_locked);
  g_test_add_func ("/history/two-processes", test_two_processes);
  g_test_add_func ("/history/two-threads", test_two_threads);

  return g_test_run ();
}
