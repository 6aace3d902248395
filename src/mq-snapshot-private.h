/* mq-snapshot-private.h: what the parser hands to the interpretation rules */
#pragma once

#include <json-glib/json-glib.h>

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

/* Applies every rule of docs/API.md to one row. @out is overwritten; its name
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

/* How many readable rows the answer listed beyond those kept (see
 * MQ_SNAPSHOT_MAX_MODELS). Only while the snapshot is being built. */
void        mq_snapshot_set_n_omitted (MqSnapshot *self,
                                       guint       n_omitted);

/* The JSON readers of mq-snapshot-parse.c, shared with mq-balance.c. */

typedef enum {
  MQ_JSON_FIELD_ABSENT,       /* missing, null or "" */
  MQ_JSON_FIELD_OK,
  MQ_JSON_FIELD_BAD,          /* present with a value of the wrong kind */
} MqJsonField;

/* A number given as an integer, a float or a plain decimal string (no
 * hex, inf or nan); finite. */
MqJsonField mq_json_read_number     (JsonObject  *object,
                                     const char  *member,
                                     double      *out);

/* Checks a body before json-glib sees it (not empty, UTF-8, one JSON text
 * of sane depth) and parses it. Returns the parser holding the tree, with
 * @out_top its root object; NULL and MQ_ERROR_UNREADABLE otherwise. */
JsonParser *mq_json_load_object     (const char  *data,
                                     gsize        length,
                                     JsonObject **out_top,
                                     GError     **error);

/* base_resp (in @top, else in @payload) mapped to MQ_ERROR; TRUE when it
 * says success or is absent. @balance: the answer of the balance endpoint
 * (a rejected key is then said to be a pay-as-you-go key). */
gboolean    mq_json_check_base_resp (JsonObject  *top,
                                     JsonObject  *payload,
                                     gboolean     balance,
                                     GError     **error);

G_END_DECLS
