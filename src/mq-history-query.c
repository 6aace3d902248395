/* mq-history-query.c: reading the usage history, and its forecasts */
#define G_LOG_DOMAIN "mq-history-query"

#include "config.h"

#include <string.h>

#include "mq-history-private.h"

#define DEFAULT_ACCOUNT MQ_HISTORY_DEFAULT_ACCOUNT
/* How far back a window of unknown start is looked for. */
#define UNKNOWN_START_LOOKBACK_MS (G_GINT64_CONSTANT (8) * 24 * 3600 * 1000)

/* ---- Reading ---- */

static void
clear_sample (gpointer data)
{
  MqHistorySample *sample = data;

  g_free (sample->account);
  g_free (sample->model);
}

static GArray *
new_sample_array (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (MqHistorySample));

  g_array_set_clear_func (array, clear_sample);
  return array;
}

#define SELECT_SAMPLES \
  "SELECT samples.time_ms, samples.last_seen_ms, series.account, series.model," \
  " series.window_kind, samples.remaining_percent, samples.remaining_count," \
  " samples.total_count, samples.window_start_ms, samples.window_end_ms, samples.polls" \
  " FROM series JOIN samples ON samples.series = series.id"

static GArray *
run_select (MqHistory     *self,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  g_autoptr(GArray) array = new_sample_array ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MqHistorySample sample;

      sample.time_ms = sqlite3_column_int64 (stmt, 0);
      sample.last_seen_ms = sqlite3_column_int64 (stmt, 1);
      sample.account = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      sample.model = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      sample.slot = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), "weekly") == 0
        ? MQ_SLOT_WEEKLY : MQ_SLOT_INTERVAL;
      sample.remaining_percent = sqlite3_column_double (stmt, 5);
      sample.remaining_count = mq_history_column_count (stmt, 6);
      sample.total_count = mq_history_column_count (stmt, 7);
      sample.window_start_ms = mq_history_column_time (stmt, 8);
      sample.window_end_ms = mq_history_column_time (stmt, 9);
      sample.polls = (guint) MAX (sqlite3_column_int (stmt, 10), 1);
      g_array_append_val (array, sample);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      mq_history_set_sqlite_error (error, self, rc);
      return NULL;
    }
  return g_steal_pointer (&array);
}

GArray *
mq_history_query (MqHistory   *self,
                  const char  *account,
                  const char  *model,
                  MqSlot       slot,
                  gint64       since_ms,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (MQ_IS_HISTORY (self), NULL);
  g_return_val_if_fail (model != NULL, NULL);

  if (!mq_history_ensure_open (self, error))
    return NULL;

  rc = sqlite3_prepare_v2 (mq_history_get_db (self),
                           SELECT_SAMPLES
                           " WHERE series.account = ?1 AND series.model = ?2"
                           " AND series.window_kind = ?3 AND samples.last_seen_ms >= ?4"
                           " ORDER BY samples.time_ms, samples.id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      mq_history_set_sqlite_error (error, self, rc);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, account != NULL ? account : DEFAULT_ACCOUNT, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, model, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, mq_slot_to_string (slot), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, since_ms);
  return run_select (self, stmt, error);
}

GArray *
mq_history_list (MqHistory   *self,
                 const char  *account,
                 gint64       since_ms,
                 GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (MQ_IS_HISTORY (self), NULL);

  if (!mq_history_ensure_open (self, error))
    return NULL;

  rc = sqlite3_prepare_v2 (mq_history_get_db (self),
                           SELECT_SAMPLES
                           " WHERE (?1 IS NULL OR series.account = ?1)"
                           " AND samples.last_seen_ms >= ?2"
                           " ORDER BY samples.time_ms, series.account, series.model,"
                           " series.window_kind, samples.id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      mq_history_set_sqlite_error (error, self, rc);
      return NULL;
    }
  if (account != NULL)
    sqlite3_bind_text (stmt, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, since_ms);
  return run_select (self, stmt, error);
}

/* ---- Forecasts ---- */

GArray *
mq_history_samples_to_forecast (const GArray *samples)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (MqForecastSample), samples->len * 2);
  guint i;

  for (i = 0; i < samples->len; i++)
    {
      const MqHistorySample *h = &g_array_index (samples, MqHistorySample, i);
      MqForecastSample s = { h->time_ms, h->remaining_percent, h->window_start_ms, h->window_end_ms };
      guint n = h->last_seen_ms > h->time_ms ? CLAMP (h->polls, 2, MQ_HISTORY_MAX_RUN_SAMPLES) : 1;
      guint k;

      /* The polls of a run were (about) evenly spaced: put them back. */
      for (k = 0; k < n; k++)
        {
          s.time_ms = n == 1 ? h->time_ms
            : h->time_ms + (h->last_seen_ms - h->time_ms) * (gint64) k / (gint64) (n - 1);
          g_array_append_val (out, s);
        }
    }
  return out;
}

gboolean
mq_history_forecast_window (MqHistory     *self,
                            const char    *account,
                            const MqModel *model,
                            MqSlot         slot,
                            gint64         now_ms,
                            MqForecast    *out,
                            GError       **error)
{
  const MqWindow *window = mq_model_get_window (model, slot);
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) samples = NULL;
  gint64 start, end, since;

  g_return_val_if_fail (MQ_IS_HISTORY (self), FALSE);

  memset (out, 0, sizeof *out);
  mq_history_window_bounds (window, &start, &end);
  since = start > 0 ? start - MQ_FORECAST_WINDOW_TOLERANCE_MS : now_ms - UNKNOWN_START_LOOKBACK_MS;

  rows = mq_history_query (self, account, model->name, slot, since, error);
  if (rows == NULL)
    return FALSE;
  samples = mq_history_samples_to_forecast (rows);
  mq_forecast_compute ((const MqForecastSample *) (gconstpointer) samples->data, samples->len,
                       start, end, window->remaining_percent, now_ms, out);
  return TRUE;
}

static void
clear_forecast (gpointer data)
{
  g_free (((MqHistoryForecast *) data)->model);
}

GArray *
mq_history_forecast (MqHistory   *self,
                     const char  *account,
                     MqSnapshot  *snapshot,
                     gint64       now_ms,
                     GError     **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (MqHistoryForecast));
  guint n = MIN (mq_snapshot_get_n_models (snapshot), MQ_HISTORY_MAX_MODELS);
  guint i;

  g_return_val_if_fail (MQ_IS_HISTORY (self), NULL);

  g_array_set_clear_func (out, clear_forecast);

  for (i = 0; i < n; i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);
      MqSlot slot;

      for (slot = MQ_SLOT_INTERVAL; slot <= MQ_SLOT_WEEKLY; slot++)
        {
          MqHistoryForecast item = { NULL, slot, { 0 } };

          if (!mq_history_window_recordable (model, mq_model_get_window (model, slot)))
            continue;
          if (!mq_history_forecast_window (self, account, model, slot, now_ms,
                                           &item.forecast, error))
            return NULL;
          item.model = g_strdup (model->name);
          g_array_append_val (out, item);
        }
    }
  return g_steal_pointer (&out);
}
