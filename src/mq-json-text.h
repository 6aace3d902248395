/* mq-json-text.h: is a body one JSON text, exactly as RFC 8259 has it?
 *
 * json-glib 1.6 reads more than JSON (single quotes, comments, several
 * top-level values, broken surrogate pairs) and leaks memory on some of
 * it: "{...}{...}" keeps the first value and leaks the second, a high
 * surrogate escape followed by another \u escape leaks a string. So the
 * parser checks a body here first and hands json-glib JSON only.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper nesting is refused. */
#define MQ_JSON_TEXT_MAX_DEPTH 64

/* TRUE when @data is one JSON value with only whitespace around it (a
 * leading UTF-8 byte order mark is allowed), strings escaped as RFC 8259
 * says, UTF-16 surrogate escapes only in pairs (alone they are no
 * character), nested at most MQ_JSON_TEXT_MAX_DEPTH deep. Checks the
 * syntax only; UTF-8 validity is the caller's. */
gboolean mq_json_text_is_valid (const char *data,
                                gsize       length);

G_END_DECLS
