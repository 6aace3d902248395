/* mq-snapshot-private.h: what the parser hands to the interpretation rules */
#pragma once

#include "mq-snapshot.h"

G_BEGIN_DECLS

/* One window of a row as the server sent it, before any interpretation.
 * has_* says whether the field was present with a usable value. */
typedef struct {
  gboolean has_total, has_usage, has_remaining_alias, has_used_alias;
  gboolean has_percent, has_status, has_boost;
  gboolean has_start, has_end, has_remains;
  gint64   total;
  gint64   usage;
  gint64   remaining_alias;
  gint64   used_alias;
  double   percent;
  gint64   status;
  double   boost_permille;
  gint64   start_ms;
  gint64   end_ms;
  gint64   remains_ms;
} MqRawWindow;

typedef struct {
  const char *name;
  gboolean    malformed;      /* a known field held a value of the wrong kind */
  MqRawWindow interval;
  MqRawWindow weekly;
} MqRawRow;

/* Applies every rule of API.md to one row. @out is overwritten; its name
 * is a new copy owned by @out. */
void        mq_model_interpret     (const MqRawRow *raw,
                                    gint64          now_ms,
                                    MqModel        *out);

/* Takes ownership of @models (an array of MqModel). */
MqSnapshot *mq_snapshot_new_take   (GArray         *models,
                                    gint64          fetched_at_ms,
                                    MqRegion        region);

/* Sets the plan title the answer reported (taken; NULL: none). Only while
 * the snapshot is being built, before anyone else holds it. */
void        mq_snapshot_set_plan_title_take (MqSnapshot *self,
                                             char       *title);

G_END_DECLS
