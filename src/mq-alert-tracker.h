/* mq-alert-tracker.h: which quota alerts are due, once per crossing
 *
 * Pure: no GTK, no GSettings, no clock of its own (callers pass now_ms).
 *
 * For every limited window of every in-plan model, keyed
 * "<model>/<interval|weekly>", the tracker remembers the most severe level
 * already announced (low, critical, exhausted) and the reset time of the
 * window that level belongs to. A window alerts when it gets worse than the
 * level already announced; it is re-armed when its percentage rises back
 * above the threshold by more than MQ_ALERT_HYSTERESIS_POINTS, or when its
 * reset time changes (a new window). A window that had been announced and
 * comes back above the low threshold gives one "refilled" alert.
 */
#pragma once

#include <glib.h>

#include "mq-history.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* A window is re-armed for a level only once its percentage is more than
 * this many points above that level's threshold, so that a window hovering
 * around a threshold (20.5, 19.5, 20.5, 19.5...) alerts once. */
#define MQ_ALERT_HYSTERESIS_POINTS 2.0

/* Reset times that differ by at most this much belong to the same window
 * (reset times derived from remains_time move by the network latency). */
#define MQ_ALERT_RESET_TOLERANCE_MS (G_GINT64_CONSTANT (10) * 60 * 1000)

/* A snapshot fetched longer ago than this is stale: it never alerts. */
#define MQ_ALERT_STALE_MS (G_GINT64_CONSTANT (15) * 60 * 1000)

/* Saved state of a window whose reset lies further in the past than this is
 * dropped: that window is over and its next one re-arms anyway. */
#define MQ_ALERT_KEEP_AFTER_RESET_MS (G_GINT64_CONSTANT (24) * 60 * 60 * 1000)

/* State of a window whose model is missing from the answers is kept until
 * that window's reset has passed, or for this long when its reset is not
 * known: one answer that lists fewer models must not re-arm its alerts. */
#define MQ_ALERT_KEEP_ABSENT_MS (G_GINT64_CONSTANT (24) * 60 * 60 * 1000)

typedef enum {
  MQ_ALERT_LEVEL_NONE,
  MQ_ALERT_LEVEL_LOW,
  MQ_ALERT_LEVEL_CRITICAL,
  MQ_ALERT_LEVEL_EXHAUSTED,
} MqAlertLevel;

typedef enum {
  MQ_ALERT_LOW,
  MQ_ALERT_CRITICAL,
  MQ_ALERT_EXHAUSTED,
  MQ_ALERT_REFILLED,
  MQ_ALERT_FORECAST,          /* at this rate it runs out soon (issue 11) */
  MQ_ALERT_BALANCE_LOW,       /* a pay-as-you-go balance below its threshold (issue 12) */
} MqAlertKind;

typedef struct {
  MqAlertKind kind;
  char       *model_name;
  MqSlot      slot;
  MqPeriod    period;
  double      percent;        /* remaining, 0..100 */
  gint64      resets_at_ms;   /* 0 when unknown */
  char       *window_key;     /* "<model>/<interval|weekly>" */
  gint64      runs_out_at_ms; /* MQ_ALERT_FORECAST only, else 0 */
  char       *account_name;   /* the tracker's account (several accounts), else NULL */
} MqAlert;

void            mq_alert_free                  (MqAlert *alert);

const char     *mq_alert_kind_to_string        (MqAlertKind kind);

/* "general/interval". Free with g_free(). */
char           *mq_alert_window_key            (const char *model_name,
                                                MqSlot      slot);

/* Splits a window key; FALSE when it is not one. */
gboolean        mq_alert_window_key_parse      (const char  *window_key,
                                                char       **out_model_name,
                                                MqSlot      *out_slot);

typedef struct _MqAlertTracker MqAlertTracker;

MqAlertTracker *mq_alert_tracker_new           (void);

/* ---- Several accounts (issue 12) ----
 *
 * A tracker for one account of several: its window keys are
 * "<account>" MQ_ALERT_ACCOUNT_SEPARATOR "<model>/<interval|weekly>", its
 * alerts carry the account's name, and loading keeps only its own
 * account's entries (so every account's tracker can load the same saved
 * dictionaries; the caller merges what each saves). Account names never
 * hold the separator (a control character, refused by
 * mq_account_name_validate()). */
#define MQ_ALERT_ACCOUNT_SEPARATOR "\x1f"
MqAlertTracker *mq_alert_tracker_new_for_account (const char *account_name);
/* NULL for a tracker of mq_alert_tracker_new(). */
const char     *mq_alert_tracker_get_account   (MqAlertTracker *self);
/* The account part of @window_key, a new string; NULL without one. */
char           *mq_alert_window_key_dup_account (const char    *window_key);

/* A pay-as-you-go balance below @threshold (0 or less: no alert): one
 * MqAlert of kind MQ_ALERT_BALANCE_LOW (percent 0, window key
 * "<account>\x1fbalance", model_name NULL) when the available amount
 * falls below it, once per crossing; re-armed when it is back at or
 * above the threshold (or the threshold changes to at most it). NULL
 * when nothing is due. In memory only. */
MqAlert        *mq_alert_tracker_evaluate_balance (MqAlertTracker *self,
                                                   double          available,
                                                   double          threshold);
void            mq_alert_tracker_free          (MqAlertTracker *self);

/* Compares @snapshot with what was already announced and returns the
 * alerts now due (a GPtrArray of MqAlert, owning them; empty when none),
 * updating the state. Not-in-plan models, unusable rows, windows without a
 * percentage and unlimited windows never alert; a stale snapshot (fetched
 * more than MQ_ALERT_STALE_MS before @now_ms) changes nothing. State of
 * windows now listed as not in the plan or unlimited is dropped; state of
 * windows whose model is missing from the snapshot is kept until their
 * reset has passed (MQ_ALERT_KEEP_ABSENT_MS when it is not known), and
 * their mutes until they end. Windows muted until after @now_ms update
 * their state silently. */
GPtrArray      *mq_alert_tracker_evaluate      (MqAlertTracker     *self,
                                                MqSnapshot         *snapshot,
                                                const MqThresholds *thresholds,
                                                gint64              now_ms);

/* The level already announced for @window_key (NONE when unknown). */
MqAlertLevel    mq_alert_tracker_get_level     (MqAlertTracker *self,
                                                const char     *window_key);

/* The reset time stored with that level; 0 when none. */
gint64          mq_alert_tracker_get_resets_at (MqAlertTracker *self,
                                                const char     *window_key);

/* Mutes @window_key until @until_ms (a mute also ends when its window
 * resets). An @until_ms of 0 unmutes. */
void            mq_alert_tracker_mute          (MqAlertTracker *self,
                                                const char     *window_key,
                                                gint64          until_ms);

gboolean        mq_alert_tracker_is_muted      (MqAlertTracker *self,
                                                const char     *window_key,
                                                gint64          now_ms);

/* Persistence, in the types of the GSettings keys "alert-state" (a{s(ux)}:
 * level, reset time) and "muted-until" (a{sx}). Loading replaces the
 * current state; entries of the wrong type or with an unknown level are
 * ignored, and NULL loads nothing. Saving drops windows whose reset is
 * more than MQ_ALERT_KEEP_AFTER_RESET_MS before @now_ms, and expired
 * mutes. Saved variants are floating, with sorted keys. */
void            mq_alert_tracker_load_state    (MqAlertTracker *self,
                                                GVariant       *alert_state);
void            mq_alert_tracker_load_muted    (MqAlertTracker *self,
                                                GVariant       *muted_until);
GVariant       *mq_alert_tracker_save_state    (MqAlertTracker *self,
                                                gint64          now_ms);
GVariant       *mq_alert_tracker_save_muted    (MqAlertTracker *self,
                                                gint64          now_ms);

/* ---- Predictive alerts (issue 11) ----
 *
 * A window whose forecast runs out within @lead_ms of @now_ms, and before
 * its reset, gives one MQ_ALERT_FORECAST alert per window: the tracker
 * remembers, per window key, the reset time of the window it announced
 * (and when), and re-arms when that reset changes by more than
 * MQ_ALERT_RESET_TOLERANCE_MS or has passed (a window of unknown reset:
 * MQ_ALERT_KEEP_ABSENT_MS after the announcement). Only in-plan, limited,
 * not used-up windows of a fresh snapshot count; a muted window updates
 * its state silently. @forecasts: @n_forecasts entries as
 * mq_history_forecast() gives them. Returns a GPtrArray of MqAlert. */
GPtrArray      *mq_alert_tracker_evaluate_forecasts (MqAlertTracker          *self,
                                                     MqSnapshot              *snapshot,
                                                     const MqHistoryForecast *forecasts,
                                                     gsize                    n_forecasts,
                                                     gint64                   lead_ms,
                                                     gint64                   now_ms);

/* Whether the predictive alert of @window_key's current window was shown. */
gboolean        mq_alert_tracker_forecast_announced (MqAlertTracker *self,
                                                     const char     *window_key);

/* Persistence of the predictive alerts, in the type of the GSettings key
 * "forecast-alert-state" (a{s(xx)}: reset time, time announced). Saving
 * drops windows whose reset is more than MQ_ALERT_KEEP_AFTER_RESET_MS
 * before @now_ms. */
void            mq_alert_tracker_load_forecast_state (MqAlertTracker *self,
                                                      GVariant       *state);
GVariant       *mq_alert_tracker_save_forecast_state (MqAlertTracker *self,
                                                      gint64          now_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqAlert, mq_alert_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqAlertTracker, mq_alert_tracker_free)

G_END_DECLS
