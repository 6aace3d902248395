/* mq-report.h: a snapshot as JSON or as a text table (`minimax-quota --once`)
 *
 * Renders only: every number and flag comes from the MqSnapshot as parsed.
 */
#pragma once

#include <glib.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

/* A JSON object (pretty-printed, ending in a newline):
 *
 *   {"region", "fetched_at", "headline": {...} or {}, "models": [...]}
 *
 * Unknown numbers and times are null, never guessed; a window that is not
 * known, or belongs to a row that is not in the plan or not usable, is
 * null. "resets_in_seconds" counts from "fetched_at". @thresholds may be
 * NULL (defaults); @headline_model NULL means the text lane. */
char *mq_report_to_json            (MqSnapshot         *snapshot,
                                    const MqThresholds *thresholds,
                                    const char         *headline_model);

/* A header line with the headline, a blank line, and a table with one row
 * per model, aligned by display width (wide CJK characters count twice).
 * ANSI colours only when @color is TRUE. Ends in a newline. */
char *mq_report_to_text            (MqSnapshot         *snapshot,
                                    const MqThresholds *thresholds,
                                    const char         *headline_model,
                                    gint64              now_ms,
                                    gboolean            color);

/* {"error": {"code": "key-rejected", "message": "...", "exit_status": 2}}
 * for @error, pretty-printed, ending in a newline. */
char *mq_report_error_to_json      (const GError       *error);

G_END_DECLS
