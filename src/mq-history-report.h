/* mq-history-report.h: the usage history as a table, CSV or JSON
 *
 * Pure: samples (as mq_history_list() returns them) in, text out; no
 * SQLite, no clock of its own (a table's times are shown in the local time
 * zone), no GTK. For `leeway --history[=DURATION]` (issue 11 §3).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The CSV header, stable: scripts read columns by these names. */
#define MQ_HISTORY_CSV_HEADER \
  "time,account,model,window,remaining_percent,remaining,total,window_start,window_end"

/* The longest --history span: the retention of the store (400 days). */
#define MQ_HISTORY_DURATION_MAX_MS (G_GINT64_CONSTANT (400) * 24 * 3600 * 1000)

/* An aligned text table, one line per sample and a header ("No samples in
 * this period" when @samples is empty). A collapsed run of identical polls
 * shows its first and last time. ASCII only (" - ", "-") when @ascii.
 * @samples: an array of MqHistorySample. */
char     *mq_history_report_table     (const GArray *samples,
                                       gboolean      ascii);

/* CSV (RFC 4180, "\n" line ends) with MQ_HISTORY_CSV_HEADER: times in
 * ISO 8601 UTC, percents whole numbers (rounded down; a share in (0, 1)
 * is 1), an empty field for an unknown count or window bound. A collapsed
 * run is two rows, its first and last time. */
char     *mq_history_report_csv       (const GArray *samples);

/* A JSON array of objects with the CSV's fields (null for the unknown),
 * pretty-printed, ending in a newline. */
char     *mq_history_report_json      (const GArray *samples);

/* Parses a --history duration: a positive whole number and a unit, "90m",
 * "24h", "7d", "2w" (minutes, hours, days, weeks), up to
 * MQ_HISTORY_DURATION_MAX_MS. Sets @out_ms; MQ_ERROR_INVALID_ARGUMENT on
 * anything else. */
gboolean  mq_history_parse_duration   (const char   *text,
                                       gint64       *out_ms,
                                       GError      **error);

G_END_DECLS
