/* mq-bar.h: one status-bar line from the quota report (Waybar, Polybar, i3blocks)
 *
 * Pure: the input is the document `leeway --once --json` prints
 * (the Report property of io.github.leewayapp.Leeway.Quota1), or its error
 * document {"error": {...}}, plus the Stale and Error properties and
 * `now`. No GTK, no network, no clock of its own.
 *
 * What each format shows:
 *
 *   state      | waybar text/class      | polybar                  | i3blocks full / short / colour
 *   -----------+------------------------+--------------------------+---------------------------------
 *   ok         | "63%"   ["ok"]         | "63%"                    | "63% left · resets in 2h 30m (16:30)" / "63%" / #2EC27E
 *   low        | "12%"   ["low"]        | "%{F#E5A50A}12%%{F-}"    | ... / #E5A50A
 *   critical   | "3%"    ["critical"]   | "%{F#E01B24}3%%{F-}"     | ... / #E01B24
 *   exhausted  | "0%"    ["exhausted"]  | "%{F#C01C28}0%%{F-}"     | ... / #C01C28
 *   stale      | + class "stale"        | "~" before the number    | " (stale)" after / "~" before
 *   no number  | "—"     [state]        | empty line (hidden)      | "—" / "—" / #9A9996
 *   error      | "!"     ["error"]      | empty line (hidden)      | the message / "!" / #E01B24
 *
 * "No number": no text model in the report (not-in-plan-only, unusable
 * rows) or nothing known yet. Polybar prints a line only when there is a
 * number to show: an empty line hides its module, which is what a bar
 * wants when there is no quota to watch; the tray, Waybar's tooltip and
 * i3blocks say why.
 *
 * Waybar's text and tooltip are Pango markup: model names and messages
 * are escaped. Its tooltip has one line per model window with the
 * remaining percent and the reset time, "not in plan" rows, the forecast
 * of a window when the document has one ("forecast": {"runs_out_at":
 * ISO-8601 or null, "lasts_until_reset": bool, ...} or null), and the
 * last error when the data is stale.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MQ_BAR_FORMAT_WAYBAR,    /* one line of compact JSON, Waybar's custom module */
  MQ_BAR_FORMAT_POLYBAR,   /* one line, %{F#…} colour tags; empty hides */
  MQ_BAR_FORMAT_I3BLOCKS,  /* three lines: full text, short text, colour */
  MQ_BAR_FORMAT_JSON,      /* the report (or error) document on one line */
} MqBarFormat;

/* "waybar", "polybar", "i3blocks", "json". FALSE for anything else. */
gboolean    mq_bar_format_from_string (const char   *name,
                                       MqBarFormat  *out_format);
const char *mq_bar_format_to_string   (MqBarFormat   format);

/* The output for @format, every line ending in a newline (a Polybar module
 * hidden is "\n"). Never NULL.
 *
 * @report_json: the report or error document; NULL or "" when there is
 *   none yet (then @error_message, if any, is shown as an error).
 *   A document that does not parse is shown as an error.
 * @stale: the report is old (the applet's Stale property).
 * @error_message: why the last fetch failed, NULL or "" when it did not.
 * @now_ms: the current time, for "resets in" in the tooltip. */
char       *mq_bar_format             (MqBarFormat   format,
                                       const char   *report_json,
                                       gboolean      stale,
                                       const char   *error_message,
                                       gint64        now_ms);

G_END_DECLS
