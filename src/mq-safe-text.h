/* mq-safe-text.h: server text made safe to show anywhere
 *
 * Whatever a server sends (a model name, a plan name, a status message)
 * reaches terminals, menus and notifications. A name with ESC]0;…BEL sets
 * a terminal's title, a newline forges a row, a bidi override reorders
 * what follows it. Every server string a snapshot keeps goes through here
 * once, at parse time, so that every output is safe by construction.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How many characters of a server-given name are kept. */
#define MQ_SAFE_TEXT_NAME_MAX 64

/* A copy of @text (@length bytes, or NUL-terminated when -1) that is valid
 * UTF-8, where line breaks and tabs are spaces, and every other C0 or C1
 * control, DEL and bidi control (U+200E, U+200F, U+061C, U+202A–U+202E,
 * U+2066–U+2069) is U+FFFD. With @max_chars > 0, a longer text is cut on
 * a character boundary to @max_chars characters, the last being "…". */
char *mq_safe_text (const char *text,
                    gssize      length,
                    guint       max_chars);

G_END_DECLS
