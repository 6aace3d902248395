/* mq-report.h: a snapshot as JSON or as a text table (`leeway --once`)
 *
 * Renders only: every number and flag comes from the MqSnapshot as parsed.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mq-history.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* A JSON object (pretty-printed, ending in a newline):
 *
 *   {"region", "fetched_at", "headline": {...} or {}, "models": [...]}
 *
 * Unknown numbers and times are null, never guessed; a window that is not
 * known, or belongs to a row that is not in the plan or not usable, is
 * null. Percents are whole numbers (mq_format_percent_whole()); "period" is
 * the window's own length when known ("4h", "5h", "daily", "weekly");
 * "usable" is FALSE for a model not in the plan. "resets_in_seconds"
 * counts from "fetched_at"; a reset time in the past gives 0 and
 * "reset_due": true. "forecast" and "pace" are null (see below). @thresholds may be
 * NULL (defaults); @headline_model NULL means the text lane. */
char *mq_report_to_json            (MqSnapshot         *snapshot,
                                    const MqThresholds *thresholds,
                                    const char         *headline_model);

/* As mq_report_to_json(), with the forecasts of the snapshot's windows
 * (@forecasts: @n_forecasts entries as mq_history_forecast() gives them;
 * NULL: none) and the time of the report: every window object gains
 *
 *   "forecast": {"rate_percent_per_hour", "runs_out_at" (or null),
 *                "lasts_until_reset", "samples"} or null,
 *   "pace": {"expected_remaining_percent", "delta_percent"} or null,
 *
 * and "reset_due" is TRUE for a reset time at or before @now_ms. */
char *mq_report_to_json_with_forecasts (MqSnapshot              *snapshot,
                                        const MqThresholds      *thresholds,
                                        const char              *headline_model,
                                        const MqHistoryForecast *forecasts,
                                        gsize                    n_forecasts,
                                        gint64                   now_ms);

/* A header line with the headline, a blank line, and a table with one row
 * per model, aligned by display width (wide CJK characters count twice).
 * ANSI colours only when @color is TRUE. Ends in a newline. */
char *mq_report_to_text            (MqSnapshot         *snapshot,
                                    const MqThresholds *thresholds,
                                    const char         *headline_model,
                                    gint64              now_ms,
                                    gboolean            color);

/* As mq_report_to_text(), with a "Forecast" column ("runs out ~14:20",
 * "lasts") when @forecasts is not NULL: the window of the row that runs
 * out first. */
char *mq_report_to_text_with_forecasts (MqSnapshot              *snapshot,
                                        const MqThresholds      *thresholds,
                                        const char              *headline_model,
                                        const MqHistoryForecast *forecasts,
                                        gsize                    n_forecasts,
                                        gint64                   now_ms,
                                        gboolean                 color);

/* {"error": {"code": "key-rejected", "message": "...", "exit_status": 2}}
 * for @error, pretty-printed, ending in a newline. */
char *mq_report_error_to_json      (const GError       *error);

/* The same documents as nodes, for a report that gathers several
 * (mq-report-accounts.h); free with json_node_unref(). */
JsonNode *mq_report_build_json         (MqSnapshot              *snapshot,
                                        const MqThresholds      *thresholds,
                                        const char              *headline_model,
                                        const MqHistoryForecast *forecasts,
                                        gsize                    n_forecasts,
                                        gint64                   now_ms);
JsonNode *mq_report_build_error_json   (const GError            *error);

/* Sets @member to @value, or to null when @value is NULL. */
void      mq_report_add_string_or_null (JsonBuilder             *builder,
                                        const char              *member,
                                        const char              *value);
/* Sets @member to @value, or to null when @value is negative (unknown). */
void      mq_report_add_count_or_null  (JsonBuilder             *builder,
                                        const char              *member,
                                        gint64                   value);

/* @root pretty-printed (two spaces), ending in a newline. */
char     *mq_report_node_to_string     (JsonNode                *root);

G_END_DECLS
