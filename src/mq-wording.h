/* mq-wording.h: the words for quota facts, one vocabulary for every output
 *
 * Pure: no GTK, no clock of its own (callers pass now_ms). The tray (view),
 * the command line (report) and the notifications (alerts) word the same
 * facts here, so that a translator sees each phrase once and every output
 * names the windows alike: the "5-hour window", the "daily quota", the
 * "weekly cap" (and the "current window" when the period is not known).
 */
#pragma once

#include <glib.h>

#include "mq-forecast.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* " · " between the parts of a line, translated; " - " when @ascii (a
 * terminal whose locale cannot show "·"). */
const char *mq_wording_separator         (gboolean        ascii);

/* @text with ASCII stand-ins for the punctuation of this vocabulary
 * ("·", "—", "×", "…"), for a terminal whose locale is not UTF-8. Other
 * characters (a model's own name) are left as they are. */
char       *mq_wording_to_ascii          (const char     *text);

/* The period a window of @slot counts: a weekly slot is the weekly cap
 * whatever the row says. */
MqPeriod    mq_wording_period            (MqSlot          slot,
                                          MqPeriod        period);

/* "5-hour window", "Daily quota", "Weekly cap", "Current window": the name
 * of a window on its own (a heading, the start of a line). */
const char *mq_wording_window_name       (MqPeriod        period);

/* "5-hour", "daily", "weekly": a window's short name in a model row
 * ("Text models (5-hour): 63% left"); NULL when the period is unknown. */
const char *mq_wording_period_short_name (MqPeriod        period);

/* "of the 5-hour window", completing "Text models: 18% left". */
const char *mq_wording_of_window         (MqPeriod        period);

/* "63% of the 5-hour window left"; @percent as mq_format_percent() gives. */
char       *mq_wording_percent_left      (MqPeriod        period,
                                          const char     *percent);

/* "The 5-hour window is used up", "The daily quota is used up". */
const char *mq_wording_used_up           (MqPeriod        period);

/* "Video — not in your plan". */
char       *mq_wording_not_in_plan       (const char     *model_name);

/* "Video: no usable data". */
char       *mq_wording_unusable          (const char     *model_name);

/* "37 more models…": the models of @snapshot's answer beyond the first
 * @shown, those the snapshot left out included; NULL when there are none. */
char       *mq_wording_more_models       (MqSnapshot     *snapshot,
                                          guint           shown);

/* The line under a full list that says how many models of the answer
 * the snapshot left out (MQ_SNAPSHOT_MAX_MODELS); NULL when none. */
char       *mq_wording_models_omitted    (MqSnapshot     *snapshot);

/* "resets at 16:30" (the clock of @resets_at_ms seen at @now_ms); NULL when
 * the reset is not known (0). */
char       *mq_wording_resets_at         (gint64          resets_at_ms,
                                          gint64          now_ms);

/* A window in a menu row: "63% left (945/1,500) · ×2 boost · resets in
 * 2h 30m (16:30)", "unlimited", "no data". */
char       *mq_wording_window_summary    (const MqWindow *window,
                                          gint64          now_ms);

/* A window in a table cell: "945/1,500 · 63% · ×2", "unlimited", "—".
 * ASCII only (" - ", "-", "x2") when @ascii. */
char       *mq_wording_window_cell       (const MqWindow *window,
                                          gboolean        ascii);

/* What the headline says, decided once for every output. */
typedef enum {
  MQ_HEADLINE_NONE,         /* no such model in the answer */
  MQ_HEADLINE_UNUSABLE,     /* its row was broken */
  MQ_HEADLINE_NOT_IN_PLAN,
  MQ_HEADLINE_UNLIMITED,
  MQ_HEADLINE_UNKNOWN,      /* limited, but the share left is not known */
  MQ_HEADLINE_PERCENT,      /* a share left (state EXHAUSTED: used up) */
} MqHeadlineKind;

typedef struct {
  MqHeadline      headline;  /* as mq_snapshot_get_headline() gives it */
  MqHeadlineKind  kind;
  MqPeriod        period;    /* of the window that binds; PERCENT only */
  char           *percent;   /* "63%"; PERCENT only, else NULL */
  /* "63% of the 5-hour window left", "Video: 100% of the daily quota
   * left", "Text models: unlimited", "No text model quota in the
   * response". Never NULL. */
  char           *sentence;
} MqWordedHeadline;

/* Fills @out for the headline of @model_name (NULL: the text lane). Clear
 * it with mq_worded_headline_clear(). */
void        mq_wording_headline          (MqSnapshot         *snapshot,
                                          const char         *model_name,
                                          const MqThresholds *thresholds,
                                          MqWordedHeadline   *out);
void        mq_worded_headline_clear     (MqWordedHeadline   *headline);

/* "Resets in 2h 30m (16:30)", or "The weekly cap is the tighter limit ·
 * resets in 2d 4h (Mon 08:00)" when the weekly cap binds; NULL without a
 * share left or a reset. */
char       *mq_wording_headline_detail   (const MqWordedHeadline *headline,
                                          gint64                  now_ms);

/* The sentence and the reset clock: "63% of the 5-hour window left ·
 * resets 16:30"; the sentence alone without a reset. */
char       *mq_wording_headline_title    (const MqWordedHeadline *headline,
                                          gint64                  now_ms);

/* ---- Sentences: notifications and forecasts (issues 10 and 11) ---- */

/* A time inside a sentence, as seen at @now_ms: "at 03:00" today, "on Tue
 * at 03:00" within a week, else "on Nov 30 at 03:00". */
char       *mq_wording_when              (gint64          epoch_ms,
                                          gint64          now_ms);

/* "19% of the 5-hour window is left." (@percent as mq_format_percent()). */
char       *mq_wording_left_sentence     (MqPeriod        period,
                                          const char     *percent);

/* "The 5-hour window is used up." */
const char *mq_wording_used_up_sentence  (MqPeriod        period);

/* "It resets at 03:00.", "It resets on Tue at 03:00."; "Its reset is
 * due." when @resets_at_ms has passed; NULL when it is not known (0). */
char       *mq_wording_reset_sentence    (gint64          resets_at_ms,
                                          gint64          now_ms);

/* "At this rate the 5-hour window runs out at 14:20, 2h before it
 * resets."; without the margin when the reset is not known (0). */
char       *mq_wording_forecast_alert    (MqPeriod        period,
                                          gint64          runs_out_at_ms,
                                          gint64          resets_at_ms,
                                          gint64          now_ms);

/* A forecast in a table cell: "runs out ~14:20", "lasts" (until the
 * reset), "ran out"; NULL without a forecast. */
char       *mq_wording_forecast_cell     (const MqForecast *forecast,
                                          gint64            now_ms);


/* ------------------------------------------------------------------ */
/* Forecast, pace and stale resets (the menu, issues 10 and 11)         */
/* ------------------------------------------------------------------ */

/* "Reset due — refreshing" (@sentence) or "reset due — refreshing" (within
 * a line): a window whose reset time is past (stale data; never "resets in
 * now"). */
const char *mq_wording_reset_due         (gboolean          sentence);

/* "runs out ~14:20" or "lasts until reset"; NULL without a forecast
 * (@forecast NULL or has_forecast FALSE). */
char       *mq_wording_forecast          (const MqForecast *forecast,
                                          gint64            now_ms);

/* "5% ahead of pace", "5% behind pace", "on pace" (less than a point);
 * NULL when the pace is not known. */
char       *mq_wording_pace              (const MqForecast *forecast);

G_END_DECLS
