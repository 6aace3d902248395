/* mq-snapshot.h: the immutable quota snapshot and every interpretation rule
 *
 * Pure: no GTK, no libsoup, no clock of its own (callers pass now_ms).
 * A snapshot is parsed once from a response body and then only read.
 */
#pragma once

#include <glib-object.h>

#include "mq-region.h"

G_BEGIN_DECLS

typedef enum {
  MQ_SLOT_INTERVAL,
  MQ_SLOT_WEEKLY,
} MqSlot;

typedef enum {
  MQ_PERIOD_UNKNOWN,
  MQ_PERIOD_FIVE_HOUR,   /* the rolling text window (last block of a day: 4 h) */
  MQ_PERIOD_DAILY,
  MQ_PERIOD_WEEKLY,
} MqPeriod;

typedef enum {
  MQ_STATE_UNKNOWN,
  MQ_STATE_OK,
  MQ_STATE_LOW,
  MQ_STATE_CRITICAL,
  MQ_STATE_EXHAUSTED,
} MqState;

typedef enum {
  MQ_LANE_TEXT,
  MQ_LANE_VIDEO,
  MQ_LANE_SPEECH,
  MQ_LANE_IMAGE,
  MQ_LANE_MUSIC,
  MQ_LANE_OTHER,
} MqLane;

#define MQ_COUNT_UNKNOWN   ((gint64) -1)
#define MQ_PERCENT_UNKNOWN (-1.0)

typedef struct {
  gboolean known;             /* the row carried usable data for this window */
  gboolean unlimited;         /* no limit applies (status 3, legacy weekly 0) */
  gboolean exhausted;         /* status 2, or nothing left */
  gboolean counts_unreliable; /* counts disagree with the percent: percent only */
  double   remaining_percent; /* 0..100, MQ_PERCENT_UNKNOWN when unknown */
  gint64   total;             /* MQ_COUNT_UNKNOWN when unknown */
  gint64   remaining;
  gint64   used;
  double   boost;             /* allowance multiplier, 1.0 without boost */
  gint64   resets_at_ms;      /* epoch ms, 0 when unknown or unlimited */
  gint64   period_seconds;    /* window length, 0 when unknown */
  MqPeriod period;
} MqWindow;

/* The stable names (for JSON and alert state) of a row the server sent
 * without a model_name (docs/API.md, rule 9), by its window. */
#define MQ_MODEL_NAME_UNNAMED_TEXT  "text-models"
#define MQ_MODEL_NAME_UNNAMED_DAILY "daily-models"

typedef struct {
  char    *name;              /* safe to show: see mq-safe-text.h */
  MqLane   lane;
  gboolean in_plan;           /* FALSE: the plan does not include the model */
  gboolean usable;            /* FALSE: malformed row, nothing to show */
  MqWindow interval;
  MqWindow weekly;
} MqModel;

typedef struct {
  double low;                 /* percent at or below which a window is low */
  double critical;            /* ... critical */
} MqThresholds;

#define MQ_THRESHOLD_LOW_DEFAULT      20.0
#define MQ_THRESHOLD_CRITICAL_DEFAULT  5.0

typedef struct {
  const MqModel *model;       /* NULL: no such lane in the snapshot */
  MqSlot         slot;        /* the window that binds */
  double         remaining_percent;   /* MQ_PERCENT_UNKNOWN when unknown */
  MqState        state;
  gint64         resets_at_ms;        /* of the binding window; 0 unknown */
  gboolean       unlimited;           /* every window of the model is unlimited */
} MqHeadline;

typedef struct _MqSnapshot MqSnapshot;

GType           mq_snapshot_get_type          (void) G_GNUC_CONST;
#define MQ_TYPE_SNAPSHOT (mq_snapshot_get_type ())

/* Parses a response body (the remains endpoint, bare or wrapped in
 * {"data": ...}). Checks base_resp.status_code and maps it to MQ_ERROR.
 * Never trusts the input: malformed JSON, wrong shapes, invalid UTF-8 and
 * absurd nesting give a GError; a malformed row is kept, marked unusable. */
MqSnapshot     *mq_snapshot_parse             (const char  *data,
                                               gsize        length,
                                               gint64       now_ms,
                                               MqRegion     region,
                                               GError     **error);

MqSnapshot     *mq_snapshot_ref               (MqSnapshot  *self);
void            mq_snapshot_unref             (MqSnapshot  *self);

/* At most this many models are kept from one answer: no plan has a
 * tenth as many, and a hostile answer of 20,000 rows is not carried into
 * every report, menu and alert. Which are kept: mq-snapshot-parse.c. */
#define MQ_SNAPSHOT_MAX_MODELS 256

guint           mq_snapshot_get_n_models      (MqSnapshot  *self);
/* Readable rows the answer listed beyond the MQ_SNAPSHOT_MAX_MODELS kept;
 * 0 for any real plan. */
guint           mq_snapshot_get_n_omitted     (MqSnapshot  *self);
const MqModel  *mq_snapshot_get_model         (MqSnapshot  *self,
                                               guint        index);
const MqModel  *mq_snapshot_find_model        (MqSnapshot  *self,
                                               const char  *name);
gint64          mq_snapshot_get_fetched_at_ms (MqSnapshot  *self);
MqRegion        mq_snapshot_get_region        (MqSnapshot  *self);

/* The earliest future reset (> now_ms) of any limited, in-plan window;
 * 0 when there is none. */
gint64          mq_snapshot_get_next_reset_ms (MqSnapshot  *self,
                                               gint64       now_ms);

/* The headline: for @model_name, or the text lane when NULL or absent
 * (by name, else the first row with a measured 5-hour window); the
 * tighter of its interval and weekly windows. Returns FALSE (and an
 * UNKNOWN headline with model NULL) when there is no such model. */
gboolean        mq_snapshot_get_headline      (MqSnapshot         *self,
                                               const char         *model_name,
                                               const MqThresholds *thresholds,
                                               MqHeadline         *out_headline);

/* The plan's name: the title the answer reported (@out_inferred FALSE),
 * else the tier inferred from the text lane's 5-hour allowance by the
 * region's known tiers, on an exact match only (@out_inferred TRUE; see
 * mq-plan.h). FALSE, and NULL in @out_name, when neither is known. The
 * name is owned by the snapshot (or static), safe to show, not
 * translated; say "(inferred)" beside a guess. */
gboolean        mq_snapshot_get_plan          (MqSnapshot    *self,
                                               const char   **out_name,
                                               gboolean      *out_inferred);

const MqWindow *mq_model_get_window           (const MqModel *model,
                                               MqSlot         slot);

MqLane          mq_lane_for_name              (const char    *model_name);

/* The translated name to show for MQ_MODEL_NAME_UNNAMED_*, NULL for any
 * other name. */
const char     *mq_model_name_unnamed_display (const char    *model_name);

MqState         mq_state_for_window           (const MqWindow     *window,
                                               const MqThresholds *thresholds);

const char     *mq_state_to_string            (MqState        state);
const char     *mq_slot_to_string             (MqSlot         slot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqSnapshot, mq_snapshot_unref)

G_END_DECLS
