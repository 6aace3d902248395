/* test-history-recorder.c: the applet's history writer on real SQLite files
 *
 * Snapshots recorded by a worker task and forecast; a burst of snapshots
 * coalesced (one task at a time, the newest waiting one kept); a history
 * that cannot be written paused with one "paused" and resumed when it can
 * again; a damaged file announced once.
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mq-history-recorder.h"
#include "mq-snapshot-private.h"
#include "mq-test-util.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
/* 2026-06-08T10:00:00Z, the start of a 5-hour block. */
#define START_MS  G_GINT64_CONSTANT (1780912800000)

static MqSnapshot *
snapshot_at (double percent,
             gint64 now_ms)
{
  GArray *models = g_array_new (FALSE, FALSE, sizeof (MqModel));
  MqModel m;

  memset (&m, 0, sizeof m);
  m.name = g_strdup ("MiniMax-M2");
  m.lane = mq_lane_for_name (m.name);
  m.in_plan = TRUE;
  m.usable = TRUE;
  m.interval.known = TRUE;
  m.interval.remaining_percent = percent;
  m.interval.total = 1500;
  m.interval.remaining = (gint64) (percent * 15);
  m.interval.used = 1500 - m.interval.remaining;
  m.interval.boost = 1.0;
  m.interval.resets_at_ms = START_MS + 5 * HOUR_MS;
  m.interval.period_seconds = 5 * 3600;
  m.interval.period = MQ_PERIOD_FIVE_HOUR;
  g_array_append_val (models, m);
  return mq_snapshot_new_take (models, now_ms, MQ_REGION_GLOBAL);
}

typedef struct {
  char              *dir;
  char              *path;
  MqHistoryRecorder *recorder;
  guint              n_recorded;
  guint              n_with_forecasts;
  guint              n_paused;
  guint              n_resumed;
  guint              n_notices;
  GError            *last_problem;
  MqForecast         last_interval;
  gboolean           last_has_interval;
} Fixture;

static void
on_recorded (MqHistoryRecorder *recorder,
             MqSnapshot        *snapshot,
             GArray            *forecasts,
             Fixture           *f)
{
  g_assert_nonnull (snapshot);
  f->n_recorded++;
  f->last_has_interval = FALSE;
  if (forecasts == NULL)
    return;
  f->n_with_forecasts++;
  for (guint i = 0; i < forecasts->len; i++)
    {
      const MqHistoryForecast *item = &g_array_index (forecasts, MqHistoryForecast, i);

      if (item->slot == MQ_SLOT_INTERVAL && g_strcmp0 (item->model, "MiniMax-M2") == 0)
        {
          f->last_interval = item->forecast;
          f->last_has_interval = TRUE;
        }
    }
}

static void
on_paused (MqHistoryRecorder *recorder,
           GError            *reason,
           Fixture           *f)
{
  f->n_paused++;
  g_clear_error (&f->last_problem);
  f->last_problem = g_error_copy (reason);
}

static void
on_resumed (MqHistoryRecorder *recorder,
            Fixture           *f)
{
  f->n_resumed++;
}

static void
on_notice (MqHistoryRecorder *recorder,
           GError            *news,
           Fixture           *f)
{
  f->n_notices++;
  g_clear_error (&f->last_problem);
  f->last_problem = g_error_copy (news);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("mq-test-recorder-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "state", "history.db", NULL);
  f->recorder = mq_history_recorder_new (f->path, NULL);
  g_signal_connect (f->recorder, "recorded", G_CALLBACK (on_recorded), f);
  g_signal_connect (f->recorder, "paused", G_CALLBACK (on_paused), f);
  g_signal_connect (f->recorder, "resumed", G_CALLBACK (on_resumed), f);
  g_signal_connect (f->recorder, "notice", G_CALLBACK (on_notice), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->recorder);
  g_clear_error (&f->last_problem);
  mq_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until the recorder has nothing left to do (at most 10 s). */
static void
wait_idle (Fixture *f)
{
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (10, on_deadline, &late);

  while (!late && mq_history_recorder_get_busy (f->recorder))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (id);
}

static void
add_and_wait (Fixture *f,
              double   percent,
              gint64   at_ms)
{
  g_autoptr(MqSnapshot) snapshot = snapshot_at (percent, at_ms);

  mq_history_recorder_add (f->recorder, snapshot);
  g_assert_true (mq_history_recorder_get_busy (f->recorder));
  wait_idle (f);
}

/* 80, 78, 76, 74 % a minute apart: 2 points a minute, 120 an hour; the
 * 74 % left run out 37 minutes after the last sample. */
static void
test_records_and_forecasts (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GArray) rows = NULL;
  gint64 t = START_MS + HOUR_MS;

  add_and_wait (f, 80, t);
  g_assert_cmpuint (f->n_recorded, ==, 1);
  g_assert_true (f->last_has_interval);
  g_assert_false (f->last_interval.has_forecast);

  add_and_wait (f, 78, t + MINUTE_MS);
  add_and_wait (f, 76, t + 2 * MINUTE_MS);
  add_and_wait (f, 74, t + 3 * MINUTE_MS);

  g_assert_cmpuint (f->n_recorded, ==, 4);
  g_assert_cmpuint (f->n_with_forecasts, ==, 4);
  g_assert_cmpuint (mq_history_recorder_get_n_tasks (f->recorder), ==, 4);
  g_assert_true (f->last_has_interval);
  g_assert_true (f->last_interval.has_forecast);
  g_assert_cmpfloat_with_epsilon (f->last_interval.rate_percent_per_hour, 120.0, 0.5);
  g_assert_cmpint (f->last_interval.runs_out_at_ms, ==, t + 3 * MINUTE_MS + 37 * MINUTE_MS);
  g_assert_cmpuint (f->n_paused, ==, 0);
  g_assert_cmpuint (f->n_notices, ==, 0);

  /* The samples are in the file, for the CLI and the window to read. */
  history = mq_history_open (f->path, &error);
  g_assert_no_error (error);
  rows = mq_history_list (history, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (g_array_index (rows, MqHistorySample, 0).account, ==, "default");
}

/* Five snapshots at once: the first runs, the rest wait, and only the
 * newest waiting one gets a task; every one is announced. */
static void
test_coalesced (Fixture       *f,
                gconstpointer  data)
{
  gint64 t = START_MS + HOUR_MS;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(MqSnapshot) snapshot = snapshot_at (80 - i, t + i * MINUTE_MS);

      mq_history_recorder_add (f->recorder, snapshot);
    }
  /* The three replaced ones are announced at once, without forecasts. */
  g_assert_cmpuint (f->n_recorded, ==, 3);
  g_assert_cmpuint (f->n_with_forecasts, ==, 0);

  wait_idle (f);
  g_assert_cmpuint (mq_history_recorder_get_n_tasks (f->recorder), ==, 2);
  g_assert_cmpuint (f->n_recorded, ==, 5);
  g_assert_cmpuint (f->n_with_forecasts, ==, 2);
}

/* The history's folder cannot be made (a file is in its place): one
 * "paused" over several fetches, each still announced; "resumed" once the
 * folder can be made. */
static void
test_unwritable_pauses_once (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (f->dir, "state", NULL);
  gint64 t = START_MS + HOUR_MS;

  g_assert_true (g_file_set_contents (blocker, "not a folder", -1, NULL));

  add_and_wait (f, 80, t);
  add_and_wait (f, 79, t + MINUTE_MS);
  add_and_wait (f, 78, t + 2 * MINUTE_MS);

  g_assert_cmpuint (f->n_paused, ==, 1);
  g_assert_true (mq_history_recorder_get_paused (f->recorder));
  g_assert_error (f->last_problem, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE);
  g_assert_cmpuint (f->n_recorded, ==, 3);
  g_assert_cmpuint (f->n_with_forecasts, ==, 0);
  g_assert_cmpuint (f->n_resumed, ==, 0);

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  add_and_wait (f, 77, t + 3 * MINUTE_MS);
  g_assert_cmpuint (f->n_resumed, ==, 1);
  g_assert_false (mq_history_recorder_get_paused (f->recorder));
  g_assert_cmpuint (f->n_with_forecasts, ==, 1);
  g_assert_cmpuint (f->n_paused, ==, 1);
}

/* A damaged file: moved aside, one "notice", and the history goes on. */
static void
test_corrupt_notice_once (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autoptr(GString) junk = g_string_new (NULL);
  gint64 t = START_MS + HOUR_MS;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  for (guint i = 0; i < 400; i++)
    g_string_append (junk, "this is not a database. ");
  g_assert_true (g_file_set_contents (f->path, junk->str, (gssize) junk->len, NULL));

  add_and_wait (f, 80, t);
  add_and_wait (f, 79, t + MINUTE_MS);

  g_assert_cmpuint (f->n_notices, ==, 1);
  g_assert_error (f->last_problem, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_CORRUPT);
  g_assert_cmpuint (f->n_paused, ==, 0);
  g_assert_cmpuint (f->n_with_forecasts, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/history-recorder/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("records-and-forecasts", test_records_and_forecasts);
  ADD ("coalesced", test_coalesced);
  ADD ("unwritable-pauses-once", test_unwritable_pauses_once);
  ADD ("corrupt-notice-once", test_corrupt_notice_once);

#undef ADD

  return g_test_run ();
}
