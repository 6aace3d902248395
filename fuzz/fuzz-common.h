/* fuzz-common.h: one input of each fuzz target, and what is checked
 *
 * The targets feed hostile bytes to the code that reads MiniMax's answers.
 * Beyond "no crash, no leak, no undefined behaviour" (the sanitizers), an
 * answer must come out as either a snapshot that keeps the promises of
 * mq-snapshot.h, or an MQ_ERROR a user can read; and whatever comes out
 * must render to valid JSON and text, as `leeway --once` would.
 *
 * Plain GLib code: tests/test-fuzz-regressions.c replays every crash the
 * fuzzers found through these same functions.
 */
#pragma once

#include <glib.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

/* 2026-11-23T14:00:00Z: a fixed clock, so that every run is reproducible. */
#define FUZZ_NOW_MS G_GINT64_CONSTANT (1795442400000)

/* Makes criticals and warnings fatal: on hostile input our code must fail
 * with a GError, never with a g_return_if_fail() or a g_warning(). */
void fuzz_init           (void);

/* Checks the invariants of @snapshot, then renders its headline, the JSON
 * report (which must parse back) and the text report. */
void fuzz_check_snapshot (MqSnapshot   *snapshot,
                          gint64        now_ms);

/* Checks that @error is a readable MQ_ERROR and renders it as JSON. */
void fuzz_check_error    (const GError *error);

/* fuzz-parse: @data is a response body for mq_snapshot_parse(). */
void fuzz_parse_input    (const guint8 *data,
                          gsize         size);

/* fuzz-response: @data is what a server sends back. When it starts with
 * "HTTP/" it is a whole HTTP/1.x answer whose status line and headers
 * libsoup's own parser reads (as for a fetch), the rest being the body;
 * any other input is the body of a "200 OK" with Content-Type:
 * application/json. Either way it goes through
 * mq_response_read(), the code every fetch runs. */
void fuzz_response_input (const guint8 *data,
                          gsize         size);

G_END_DECLS
