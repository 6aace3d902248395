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

G_END_DECLS
