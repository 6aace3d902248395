/* mq-history.h: the local usage history (SQLite) and its forecasts
 *
 * One sample per model and window of every successful fetch, kept in
 * $XDG_STATE_HOME/leeway/history.db (issue 11 §1): file 0600, folder
 * 0700, WAL mode and a short busy timeout so that the applet and any number
 * of `leeway --once` runs write side by side. Runs of identical
 * samples are one row with the first and last time of the run. Samples
 * older than MQ_HISTORY_RETENTION_MS are pruned a bounded batch at a time.
 *
 * Threads: an MqHistory is one SQLite connection. It may be created on one
 * thread and used on another (the applet records from a GTask worker), but
 * never by two threads at once; open one MqHistory per thread for that.
 * No GTK here.
 */
#pragma once

#include <glib-object.h>

#include "mq-forecast.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_HISTORY_ERROR (mq_history_error_quark ())

typedef enum {
  MQ_HISTORY_ERROR_UNWRITABLE,   /* read-only folder or file, no permission */
  MQ_HISTORY_ERROR_FULL,         /* the disk is full */
  MQ_HISTORY_ERROR_BUSY,         /* locked by another program past the timeout */
  MQ_HISTORY_ERROR_CORRUPT,      /* damaged (and moved aside, see below) */
  MQ_HISTORY_ERROR_NEWER_SCHEMA, /* written by a newer version of this program */
  MQ_HISTORY_ERROR_FAILED,       /* any other failure of the database */
} MqHistoryError;

GQuark mq_history_error_quark (void);

#define MQ_HISTORY_SCHEMA_VERSION   2
#define MQ_HISTORY_RETENTION_MS     (G_GINT64_CONSTANT (400) * 24 * 3600 * 1000)
#define MQ_HISTORY_BUSY_TIMEOUT_MS  1000
/* Rows a prune looks at, oldest first: keeps every prune cheap. */
#define MQ_HISTORY_PRUNE_BATCH      256
/* A plan lists a handful of models: each fetch records (and forecasts) at
 * most this many, in the answer's order, so that a hostile answer of
 * thousands of rows cannot fill the database or stall the applet. */
#define MQ_HISTORY_MAX_MODELS       64
/* A collapsed run gives the forecast at most this many samples. */
#define MQ_HISTORY_MAX_RUN_SAMPLES  64

/* One row: a sample, or a run of identical samples from time_ms to
 * last_seen_ms. */
typedef struct {
  gint64  time_ms;           /* first time of the run, epoch ms */
  gint64  last_seen_ms;      /* last time of the run (== time_ms: one poll) */
  guint   polls;             /* how many polls the run collapses (>= 1) */
  char   *account;           /* a label, never a key */
  char   *model;
  MqSlot  slot;              /* stored as mq_slot_to_string(): interval|weekly */
  double  remaining_percent;
  gint64  remaining_count;   /* MQ_COUNT_UNKNOWN when not known */
  gint64  total_count;       /* MQ_COUNT_UNKNOWN when not known */
  gint64  window_start_ms;   /* 0 when unknown */
  gint64  window_end_ms;     /* 0 when unknown */
} MqHistorySample;

/* The forecast of one window of a snapshot. */
typedef struct {
  char       *model;
  MqSlot      slot;
  MqForecast  forecast;
} MqHistoryForecast;

#define MQ_TYPE_HISTORY (mq_history_get_type ())
G_DECLARE_FINAL_TYPE (MqHistory, mq_history, MQ, HISTORY, GObject)

/* $XDG_STATE_HOME/leeway/history.db (~/.local/state when unset). */
char       *mq_history_default_path (void);

/* Opens (creating the folder 0700 and the file 0600 when missing) and
 * migrates the schema forward. @path NULL: the default path.
 *
 * A damaged file is moved aside to "<path>.corrupt-<UTC time>" and a fresh
 * one started: the open succeeds and mq_history_take_notice() returns the
 * news once. A folder or file that cannot be written fails with
 * MQ_HISTORY_ERROR_UNWRITABLE (the caller pauses history); a database of a
 * newer schema with MQ_HISTORY_ERROR_NEWER_SCHEMA. */
MqHistory  *mq_history_open         (const char  *path,
                                     GError     **error);

const char *mq_history_get_path     (MqHistory   *self);

/* Once after a damaged database was moved aside (at open or later), a
 * MQ_HISTORY_ERROR_CORRUPT error saying so and where it went; else NULL. */
GError     *mq_history_take_notice  (MqHistory   *self);

/* Where the last damaged database went, or NULL. */
const char *mq_history_get_moved_aside_path (MqHistory *self);

/* Records every limited, known window of every usable in-plan model of
 * @snapshot, seen at @now_ms, for @account (NULL: "default"), in one
 * transaction, then prunes one batch of expired rows. A locked database
 * returns MQ_HISTORY_ERROR_BUSY within about MQ_HISTORY_BUSY_TIMEOUT_MS;
 * nothing is then written. */
gboolean    mq_history_record       (MqHistory   *self,
                                     const char  *account,
                                     MqSnapshot  *snapshot,
                                     gint64       now_ms,
                                     GError     **error);

/* Deletes at most MQ_HISTORY_PRUNE_BATCH rows whose run ended before
 * @now_ms - MQ_HISTORY_RETENTION_MS, looking only at the oldest rows.
 * @out_deleted (optional): how many went. */
gboolean    mq_history_prune        (MqHistory   *self,
                                     gint64       now_ms,
                                     guint       *out_deleted,
                                     GError     **error);

/* The samples of one series whose run reaches @since_ms or later, by
 * time. An array of MqHistorySample that frees its elements; NULL on error. */
GArray     *mq_history_query        (MqHistory   *self,
                                     const char  *account,
                                     const char  *model,
                                     MqSlot       slot,
                                     gint64       since_ms,
                                     GError     **error);

/* Every sample whose run reaches @since_ms or later, of @account (NULL:
 * every account), by time, then account, model and window. */
GArray     *mq_history_list         (MqHistory   *self,
                                     const char  *account,
                                     gint64       since_ms,
                                     GError     **error);

/* The forecast of one window of @model as it is at @now_ms. */
gboolean    mq_history_forecast_window (MqHistory     *self,
                                        const char    *account,
                                        const MqModel *model,
                                        MqSlot         slot,
                                        gint64         now_ms,
                                        MqForecast    *out,
                                        GError       **error);

/* The forecasts of every window mq_history_record() records of
 * @snapshot, in the snapshot's order (interval before weekly): an array
 * of MqHistoryForecast that frees its elements; NULL on error. */
GArray     *mq_history_forecast     (MqHistory   *self,
                                     const char  *account,
                                     MqSnapshot  *snapshot,
                                     gint64       now_ms,
                                     GError     **error);

/* Turns history rows into forecast samples: a run of n polls is n samples
 * evenly spread from its first to its last time (at most
 * MQ_HISTORY_MAX_RUN_SAMPLES). Returns an array of MqForecastSample. */
GArray     *mq_history_samples_to_forecast (const GArray *samples);

/* The rows mq_history_record() would write for a window: FALSE for an
 * unusable, not-in-plan, unknown or unlimited window. */
gboolean    mq_history_window_recordable (const MqModel  *model,
                                          const MqWindow *window);

/* The window's start (reset - period) and end; 0 when unknown. */
void        mq_history_window_bounds (const MqWindow *window,
                                      gint64         *out_start_ms,
                                      gint64         *out_end_ms);

/* For a short-lived process that writes once (the command line): leave
 * the WAL in place on close instead of checkpointing, syncing and deleting
 * it each time. Commits then cost no fdatasync(); SQLite's automatic
 * checkpoint folds the WAL back. A power cut may lose the last samples,
 * never the database. */
void        mq_history_keep_wal     (MqHistory   *self);

G_END_DECLS
