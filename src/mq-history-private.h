/* mq-history-private.h: shared by the history store's files and its tests */
#pragma once

#include <sqlite3.h>

#include "mq-history.h"

G_BEGIN_DECLS

/* The schema of version 1, as a version-1 program created it (tests build
 * old databases with it). */
const char *mq_history_schema_v1_sql  (void);

gboolean    mq_history_schema_migrate (sqlite3     *db,
                                       const char  *path,
                                       int         *out_rc,
                                       GError     **error);

#define MQ_HISTORY_DEFAULT_ACCOUNT "default"

/* The connection (NULL while closed after a failed recovery). */
sqlite3    *mq_history_get_db           (MqHistory    *self);

/* Reconnects when a failed recovery left no connection. */
gboolean    mq_history_ensure_open      (MqHistory    *self,
                                         GError      **error);

/* Maps a failed SQLite call to an MQ_HISTORY_ERROR. */
void        mq_history_set_sqlite_error (GError      **error,
                                         MqHistory    *self,
                                         int           rc);

/* A nullable count column (MQ_COUNT_UNKNOWN for NULL), a nullable time
 * column (0 for NULL). */
gint64      mq_history_column_count     (sqlite3_stmt *stmt,
                                         int           index);
gint64      mq_history_column_time      (sqlite3_stmt *stmt,
                                         int           index);

G_END_DECLS
