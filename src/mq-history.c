/* mq-history.c: the local usage history (SQLite) and its forecasts */
#define G_LOG_DOMAIN "mq-history"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mq-history-private.h"

#define DEFAULT_ACCOUNT MQ_HISTORY_DEFAULT_ACCOUNT

struct _MqHistory
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *series_ids;     /* "account\x1fmodel\x1fkind" -> id */
  char       *moved_aside;    /* where the last damaged file went */
  GError     *notice;         /* told once */
};

G_DEFINE_TYPE (MqHistory, mq_history, G_TYPE_OBJECT)

G_DEFINE_QUARK (mq-history-error-quark, mq_history_error)

static void
close_db (MqHistory *self)
{
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_hash_table_remove_all (self->series_ids);
}

static void
mq_history_finalize (GObject *object)
{
  MqHistory *self = MQ_HISTORY (object);

  close_db (self);
  g_hash_table_unref (self->series_ids);
  g_free (self->path);
  g_free (self->moved_aside);
  g_clear_error (&self->notice);

  G_OBJECT_CLASS (mq_history_parent_class)->finalize (object);
}

static void
mq_history_class_init (MqHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mq_history_finalize;
}

static void
mq_history_init (MqHistory *self)
{
  self->series_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

char *
mq_history_default_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "leeway", "history.db", NULL);
}

sqlite3 *
mq_history_get_db (MqHistory *self)
{
  return self->db;
}

const char *
mq_history_get_path (MqHistory *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY (self), NULL);
  return self->path;
}

const char *
mq_history_get_moved_aside_path (MqHistory *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY (self), NULL);
  return self->moved_aside;
}

GError *
mq_history_take_notice (MqHistory *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY (self), NULL);
  return g_steal_pointer (&self->notice);
}

static gboolean
is_corruption (int rc)
{
  rc &= 0xff;
  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* Maps a failed SQLite call to an MQ_HISTORY_ERROR with a message that
 * names the cause and what happens next. */
void
mq_history_set_sqlite_error (GError     **error,
                             MqHistory   *self,
                             int          rc)
{
  const char *detail = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_BUSY,
                   _("The usage history at %s is locked by another program; "
                     "this sample was not recorded."), self->path);
      break;
    case SQLITE_FULL:
      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_FULL,
                   _("The disk holding the usage history at %s is full; "
                     "history is paused until there is space again."), self->path);
      break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE,
                   _("The usage history at %s cannot be written (%s); "
                     "history is paused."), self->path, detail);
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_CORRUPT,
                   _("The usage history at %s is damaged (%s)."), self->path, detail);
      break;
    default:
      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_FAILED,
                   _("The usage history at %s failed: %s"), self->path, detail);
      break;
    }
}

/* Creates the file 0600 before SQLite does (SQLite's -wal and -shm files
 * then take the same mode), or tightens an existing one. */
static gboolean
prepare_file (MqHistory  *self,
              GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int fd;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE,
                   _("Could not create the usage history folder %s (%s); "
                     "history is paused."), dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_UNWRITABLE,
                   _("The usage history at %s cannot be written (%s); "
                     "history is paused."), self->path, g_strerror (saved));
      return FALSE;
    }
  /* Best effort: a file we cannot chmod is still usable. */
  if (fchmod (fd, 0600) != 0)
    g_debug ("cannot chmod %s: %s", self->path, g_strerror (errno));
  g_close (fd, NULL);
  return TRUE;
}

/* Opens the connection and brings the schema up to date. On a failure
 * of SQLite, returns its code in @out_rc and sets no @error; other
 * failures set @error. */
static gboolean
connect_db (MqHistory  *self,
            int        *out_rc,
            GError    **error)
{
  int rc;

  *out_rc = SQLITE_OK;

  if (!prepare_file (self, error))
    return FALSE;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    goto fail;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, MQ_HISTORY_BUSY_TIMEOUT_MS);

  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      rc = SQLITE_READONLY;
      goto fail;
    }

  /* The first statement reads the header: a damaged file shows here. */
  rc = sqlite3_exec (self->db,
                     "PRAGMA journal_mode = WAL;"
                     "PRAGMA synchronous = NORMAL;"
                     "PRAGMA journal_size_limit = 1048576;",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto fail;

  if (!mq_history_schema_migrate (self->db, self->path, &rc, error))
    {
      if (rc == SQLITE_OK)
        return FALSE;
      goto fail;
    }

  return TRUE;

fail:
  *out_rc = rc;
  return FALSE;
}

static void
move_aside (const char *from,
            const char *to)
{
  if (g_rename (from, to) != 0 && errno != ENOENT)
    {
      g_warning ("cannot move %s aside: %s", from, g_strerror (errno));
      g_unlink (from);
    }
}

/* Moves a damaged database (and its -wal and -shm) aside and starts a
 * fresh one; the caller is told once through the notice. */
static gboolean
recover (MqHistory  *self,
         int         cause,
         GError    **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);
  g_autofree char *detail = g_strdup (self->db != NULL ? sqlite3_errmsg (self->db)
                                                       : sqlite3_errstr (cause));
  static const char * const suffixes[] = { "-wal", "-shm" };
  int rc;
  guint i;

  close_db (self);

  /* Never overwrite an earlier copy moved aside within the same second. */
  for (i = 1; g_file_test (aside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, i);
    }

  move_aside (self->path, aside);
  for (i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      move_aside (from, to);
    }

  g_free (self->moved_aside);
  self->moved_aside = g_strdup (aside);
  g_clear_error (&self->notice);
  g_set_error (&self->notice, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_CORRUPT,
               _("The usage history was damaged (%s). It was moved aside to %s "
                 "and a new history started."), detail, aside);

  if (!connect_db (self, &rc, error))
    {
      if (rc != SQLITE_OK)
        mq_history_set_sqlite_error (error, self, rc);
      close_db (self);
      return FALSE;
    }
  return TRUE;
}

MqHistory *
mq_history_open (const char  *path,
                 GError     **error)
{
  g_autoptr(MqHistory) self = g_object_new (MQ_TYPE_HISTORY, NULL);
  int rc;

  self->path = path != NULL ? g_strdup (path) : mq_history_default_path ();

  if (connect_db (self, &rc, error))
    return g_steal_pointer (&self);

  if (is_corruption (rc))
    {
      if (!recover (self, rc, error))
        return NULL;
      return g_steal_pointer (&self);
    }

  if (rc != SQLITE_OK)
    mq_history_set_sqlite_error (error, self, rc);
  return NULL;
}

gboolean
mq_history_ensure_open (MqHistory  *self,
                        GError    **error)
{
  int rc;

  if (self->db != NULL)
    return TRUE;
  /* A recovery that failed earlier left no connection: try again. */
  if (connect_db (self, &rc, error))
    return TRUE;
  if (rc != SQLITE_OK)
    mq_history_set_sqlite_error (error, self, rc);
  close_db (self);
  return FALSE;
}

/* ---- Windows of a snapshot ---- */

gboolean
mq_history_window_recordable (const MqModel  *model,
                              const MqWindow *window)
{
  return model->usable && model->in_plan && window->known && !window->unlimited &&
         window->remaining_percent >= 0;
}

void
mq_history_window_bounds (const MqWindow *window,
                          gint64         *out_start_ms,
                          gint64         *out_end_ms)
{
  gint64 end = window->resets_at_ms > 0 ? window->resets_at_ms : 0;

  *out_end_ms = end;
  *out_start_ms = end > 0 && window->period_seconds > 0 ? end - window->period_seconds * 1000 : 0;
}

/* ---- Recording ---- */

static int
series_id (MqHistory  *self,
           const char *account,
           const char *model,
           const char *kind,
           gint64     *out_id)
{
  g_autofree char *key = g_strjoin ("\x1f", account, model, kind, NULL);
  sqlite3_stmt *stmt = NULL;
  gpointer cached;
  int rc;

  if (g_hash_table_lookup_extended (self->series_ids, key, NULL, &cached))
    {
      *out_id = GPOINTER_TO_SIZE (cached);
      return SQLITE_OK;
    }

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO series (account, model, window_kind) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT DO UPDATE SET account = account RETURNING id",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, account, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, model, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_id = sqlite3_column_int64 (stmt, 0);
          rc = sqlite3_step (stmt);
        }
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  /* Cached only once committed rows are sure to exist: the caller drops
   * the cache when its transaction fails. */
  if (rc == SQLITE_OK)
    g_hash_table_insert (self->series_ids, g_steal_pointer (&key), GSIZE_TO_POINTER ((gsize) *out_id));
  return rc;
}

static void
bind_count (sqlite3_stmt *stmt,
            int           index,
            gint64        value)
{
  if (value >= 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

gint64
mq_history_column_count (sqlite3_stmt *stmt,
                         int           index)
{
  return sqlite3_column_type (stmt, index) == SQLITE_NULL
    ? MQ_COUNT_UNKNOWN : sqlite3_column_int64 (stmt, index);
}

gint64
mq_history_column_time (sqlite3_stmt *stmt,
                        int           index)
{
  return sqlite3_column_type (stmt, index) == SQLITE_NULL ? 0 : sqlite3_column_int64 (stmt, index);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           gint64        value)
{
  if (value > 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

/* Extends the series' latest run when the sample repeats it, else adds a
 * row. */
static int
record_window (MqHistory      *self,
               const char     *account,
               const MqModel  *model,
               MqSlot          slot,
               const MqWindow *window,
               gint64          now_ms)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0, start, end, remaining, total;
  int rc;

  mq_history_window_bounds (window, &start, &end);
  total = window->total > 0 && window->remaining >= 0 ? window->total : MQ_COUNT_UNKNOWN;
  remaining = total > 0 ? window->remaining : MQ_COUNT_UNKNOWN;

  rc = series_id (self, account, model->name, mq_slot_to_string (slot), &id);
  if (rc != SQLITE_OK)
    return rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT id, time_ms, remaining_percent, remaining_count, total_count,"
                           " window_start_ms, window_end_ms FROM samples"
                           " WHERE series = ?1 ORDER BY last_seen_ms DESC LIMIT 1",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 row = sqlite3_column_int64 (stmt, 0);
      gboolean same =
        sqlite3_column_int64 (stmt, 1) <= now_ms &&
        sqlite3_column_double (stmt, 2) == window->remaining_percent &&
        mq_history_column_count (stmt, 3) == remaining &&
        mq_history_column_count (stmt, 4) == total &&
        mq_forecast_same_window (mq_history_column_time (stmt, 5),
                                 mq_history_column_time (stmt, 6), start, end);

      sqlite3_finalize (stmt);
      stmt = NULL;
      if (same)
        {
          rc = sqlite3_prepare_v2 (self->db,
                                   "UPDATE samples SET last_seen_ms = MAX (last_seen_ms, ?2),"
                                   " polls = polls + 1 WHERE id = ?1", -1, &stmt, NULL);
          if (rc == SQLITE_OK)
            {
              sqlite3_bind_int64 (stmt, 1, row);
              sqlite3_bind_int64 (stmt, 2, now_ms);
              rc = sqlite3_step (stmt);
            }
          sqlite3_finalize (stmt);
          return rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
  else
    {
      sqlite3_finalize (stmt);
      stmt = NULL;
      if (rc != SQLITE_DONE)
        return rc;
    }

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO samples (series, time_ms, last_seen_ms, remaining_percent,"
                           " remaining_count, total_count, window_start_ms, window_end_ms)"
                           " VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, now_ms);
      sqlite3_bind_double (stmt, 3, window->remaining_percent);
      bind_count (stmt, 4, remaining);
      bind_count (stmt, 5, total);
      bind_time (stmt, 6, start);
      bind_time (stmt, 7, end);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
prune_batch (MqHistory *self,
             gint64     now_ms,
             guint     *out_deleted)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Rows come in time order, so the oldest ids are the oldest runs: look
   * at those only, never scan the table. */
  rc = sqlite3_prepare_v2 (self->db,
                           "DELETE FROM samples WHERE id IN"
                           " (SELECT id FROM samples ORDER BY id LIMIT ?2)"
                           " AND last_seen_ms < ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, now_ms - MQ_HISTORY_RETENTION_MS);
      sqlite3_bind_int (stmt, 2, MQ_HISTORY_PRUNE_BATCH);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return rc;
  if (out_deleted != NULL)
    *out_deleted = (guint) sqlite3_changes (self->db);
  return SQLITE_OK;
}

static int
record_snapshot (MqHistory  *self,
                 const char *account,
                 MqSnapshot *snapshot,
                 gint64      now_ms)
{
  guint n = MIN (mq_snapshot_get_n_models (snapshot), MQ_HISTORY_MAX_MODELS);
  guint i;
  int rc;

  rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;

  for (i = 0; i < n && rc == SQLITE_OK; i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);
      MqSlot slot;

      for (slot = MQ_SLOT_INTERVAL; slot <= MQ_SLOT_WEEKLY && rc == SQLITE_OK; slot++)
        {
          const MqWindow *window = mq_model_get_window (model, slot);

          if (mq_history_window_recordable (model, window))
            rc = record_window (self, account, model, slot, window, now_ms);
        }
    }

  if (rc == SQLITE_OK)
    rc = prune_batch (self, now_ms, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->series_ids);
    }
  return rc;
}

gboolean
mq_history_record (MqHistory   *self,
                   const char  *account,
                   MqSnapshot  *snapshot,
                   gint64       now_ms,
                   GError     **error)
{
  int rc;

  g_return_val_if_fail (MQ_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (account == NULL)
    account = DEFAULT_ACCOUNT;

  if (!mq_history_ensure_open (self, error))
    return FALSE;

  rc = record_snapshot (self, account, snapshot, now_ms);
  if (is_corruption (rc))
    {
      /* Damaged since it was opened: start afresh and keep this sample. */
      if (!recover (self, rc, error))
        return FALSE;
      rc = record_snapshot (self, account, snapshot, now_ms);
    }
  if (rc != SQLITE_OK)
    {
      mq_history_set_sqlite_error (error, self, rc);
      return FALSE;
    }
  return TRUE;
}

gboolean
mq_history_prune (MqHistory  *self,
                  gint64      now_ms,
                  guint      *out_deleted,
                  GError    **error)
{
  int rc;

  g_return_val_if_fail (MQ_IS_HISTORY (self), FALSE);

  if (out_deleted != NULL)
    *out_deleted = 0;
  if (!mq_history_ensure_open (self, error))
    return FALSE;
  rc = prune_batch (self, now_ms, out_deleted);
  if (rc != SQLITE_OK)
    {
      mq_history_set_sqlite_error (error, self, rc);
      return FALSE;
    }
  return TRUE;
}

/* A run of the command line is the only connection most of the time, so
 * SQLite would checkpoint the WAL into the database, sync it and delete
 * the WAL and its index on every close, and recreate and sync them on the
 * next run: four fdatasync()s, most of the cost of recording. Leave the WAL
 * in place instead: commits append to it without a sync (synchronous is
 * NORMAL: a power cut may lose the last samples, never the database), and
 * SQLite's automatic checkpoint (every 1000 pages) folds it back. */
void
mq_history_keep_wal (MqHistory *history)
{
  sqlite3 *db = mq_history_get_db (history);
  int on = 1;

  if (db == NULL)
    return;
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_file_control (db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
}
