/* mq-history-schema.c: the history database's schema and its migrations
 *
 * PRAGMA user_version holds the schema version. Each step migrates one
 * version forward inside the caller's transaction; a database of a newer
 * version than MQ_HISTORY_SCHEMA_VERSION is left alone.
 *
 * Version 1: one row per poll, names in every row.
 * Version 2: names in a small series table; runs of identical samples
 *            collapsed into one row (time_ms .. last_seen_ms, polls).
 */
#define G_LOG_DOMAIN "mq-history-schema"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-history-private.h"

static const char schema_v1[] =
  "CREATE TABLE samples ("
  "  time_ms INTEGER NOT NULL,"
  "  account TEXT NOT NULL,"
  "  model TEXT NOT NULL,"
  "  window_kind TEXT NOT NULL,"
  "  remaining_percent REAL NOT NULL,"
  "  remaining_count INTEGER,"
  "  total_count INTEGER,"
  "  window_start_ms INTEGER,"
  "  window_end_ms INTEGER);"
  "CREATE INDEX samples_time ON samples (time_ms);";

/* v1 -> v2: the names move to series; each old row is a run of one. */
static const char migrate_v2[] =
  "CREATE TABLE series ("
  "  id INTEGER PRIMARY KEY,"
  "  account TEXT NOT NULL,"
  "  model TEXT NOT NULL,"
  "  window_kind TEXT NOT NULL,"
  "  UNIQUE (account, model, window_kind));"
  "INSERT INTO series (account, model, window_kind)"
  "  SELECT DISTINCT account, model, window_kind FROM samples ORDER BY 1, 2, 3;"
  "CREATE TABLE samples_v2 ("
  "  id INTEGER PRIMARY KEY,"
  "  series INTEGER NOT NULL REFERENCES series (id),"
  "  time_ms INTEGER NOT NULL,"
  "  last_seen_ms INTEGER NOT NULL,"
  "  polls INTEGER NOT NULL DEFAULT 1,"
  "  remaining_percent REAL NOT NULL,"
  "  remaining_count INTEGER,"
  "  total_count INTEGER,"
  "  window_start_ms INTEGER,"
  "  window_end_ms INTEGER);"
  "INSERT INTO samples_v2 (series, time_ms, last_seen_ms, remaining_percent,"
  "                        remaining_count, total_count, window_start_ms, window_end_ms)"
  "  SELECT series.id, s.time_ms, s.time_ms, s.remaining_percent,"
  "         s.remaining_count, s.total_count, s.window_start_ms, s.window_end_ms"
  "  FROM samples AS s JOIN series USING (account, model, window_kind)"
  "  ORDER BY s.time_ms;"
  "DROP TABLE samples;"
  "ALTER TABLE samples_v2 RENAME TO samples;"
  "CREATE INDEX samples_series ON samples (series, last_seen_ms);";

static const char * const steps[] = {
  schema_v1,   /* 0 -> 1 */
  migrate_v2,  /* 1 -> 2 */
};

G_STATIC_ASSERT (G_N_ELEMENTS (steps) == MQ_HISTORY_SCHEMA_VERSION);

const char *
mq_history_schema_v1_sql (void)
{
  return schema_v1;
}

static gboolean
get_version (sqlite3  *db,
             int      *out_version,
             int      *out_rc)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_version = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  *out_rc = rc;
  return rc == SQLITE_OK;
}

/* Brings the schema to MQ_HISTORY_SCHEMA_VERSION. On failure returns the
 * SQLite code in @out_rc (SQLITE_OK with a NEWER_SCHEMA @error). */
gboolean
mq_history_schema_migrate (sqlite3     *db,
                           const char  *path,
                           int         *out_rc,
                           GError     **error)
{
  int version = 0;
  int rc;

  *out_rc = SQLITE_OK;

  /* Cheap when current: a read, no write lock. */
  if (!get_version (db, &version, &rc))
    {
      *out_rc = rc;
      return FALSE;
    }
  if (version == MQ_HISTORY_SCHEMA_VERSION)
    return TRUE;

  rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      *out_rc = rc;
      return FALSE;
    }

  /* Another program may have migrated while we waited for the lock. */
  if (!get_version (db, &version, &rc))
    goto fail;

  if (version > MQ_HISTORY_SCHEMA_VERSION)
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      g_set_error (error, MQ_HISTORY_ERROR, MQ_HISTORY_ERROR_NEWER_SCHEMA,
                   _("The usage history at %s was written by a newer version of "
                     "Leeway (schema %d, this version knows %d); history "
                     "is paused. Update Leeway or move the file away."),
                   path, version, MQ_HISTORY_SCHEMA_VERSION);
      return FALSE;
    }

  for (; version < MQ_HISTORY_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = NULL;

      rc = sqlite3_exec (db, steps[version], NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        goto fail;
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      rc = sqlite3_exec (db, set_version, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        goto fail;
    }

  rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  *out_rc = rc;
  return FALSE;
}
