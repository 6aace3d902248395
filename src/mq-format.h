/* mq-format.h: short, translated strings for durations, percentages, times
 *
 * Pure functions (no GTK, no network), shared by the command line and the
 * tray menu. Every string shown to people goes through gettext.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "2h 30m", "45m", "3d 4h", "<1m" (negative counts as "<1m"). */
char       *mq_format_duration            (gint64      seconds);

/* The one rounding of a percentage left, for every output (JSON, text,
 * icon): whole numbers rounded down, except that anything above 0 is at
 * least 1 (1 of 4,500 left is 1, not 0). -1 for negative or NaN
 * (MQ_PERCENT_UNKNOWN). */
int         mq_format_percent_whole       (double      pct);

/* "63%" (mq_format_percent_whole()); non-integers floor ("63.9" -> "63%") except values in (0, 1),
 * which show "<1%". Negative or NaN (MQ_PERCENT_UNKNOWN) -> "—". */
char       *mq_format_percent             (double      pct);

/* Local time of @epoch_ms formatted (g_date_time_format()) with
 * @same_day_format on the day of @now_ms, with @week_format within a week
 * either way, else with @later_format; "—" when out of range. */
char       *mq_format_local_time          (gint64      epoch_ms,
                                           gint64      now_ms,
                                           const char *same_day_format,
                                           const char *week_format,
                                           const char *later_format);

/* Local time of @epoch_ms as seen at @now_ms: "16:30" on the same day,
 * "Tue 16:30" within a week either way, else a date ("Nov 30"). */
char       *mq_format_clock               (gint64      epoch_ms,
                                           gint64      now_ms);

/* "resets in 2h 30m (16:30)"; "reset due" when the time has passed (the
 * data is older than its window).
 * NULL when @resets_at_ms is 0 (unknown). */
char       *mq_format_reset               (gint64      resets_at_ms,
                                           gint64      now_ms);

/* "2h 30m (16:30)": the countdown and clock of mq_format_reset() without
 * the verb, for table cells; "reset due" when the time has passed. NULL
 * when @resets_at_ms is 0. */
char       *mq_format_countdown           (gint64      resets_at_ms,
                                           gint64      now_ms);

/* "1,500" with the locale's thousands separator ("," when it has none). */
char       *mq_format_count               (gint64      count);

/* "×2", "×1.5", "×1.25"; NULL for 1.0 (no boost), for values <= 0 and NaN. */
char       *mq_format_boost               (double      boost);

/* A human name for a model of the remains endpoint ("general" ->
 * "Text models"); the raw name when there is none. Never NULL. */
const char *mq_format_model_display_name  (const char *model_name);

/* "2026-11-23T16:30:00Z" (seconds precision, UTC). NULL when out of range. */
char       *mq_format_iso8601_utc         (gint64      epoch_ms);

/* Columns the UTF-8 @text takes in a terminal: 2 for wide (CJK)
 * characters, 0 for combining marks, 1 otherwise. */
gsize       mq_format_display_width       (const char *text);

G_END_DECLS
