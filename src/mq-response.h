/* mq-response.h: what one answer of the remains (or balance) endpoint means
 *
 * Pure: status, headers and body in; an MqSnapshot, or the MQ_ERROR a user
 * reads, out, with the seconds Retry-After asks for. No I/O and no clock of
 * its own (callers pass now_ms). MqClient reads every answer through here;
 * the tests and the fuzzers call it directly.
 */
#pragma once

#include <libsoup/soup.h>

#include "mq-balance.h"
#include "mq-region.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* A Retry-After longer than a day is not believed: it is capped there. */
#define MQ_RESPONSE_RETRY_AFTER_MAX (24 * 60 * 60)

/* Whether the body of an answer with @status is read: 200, and 401/403
 * (which may be a web page rather than a rejected key). */
gboolean    mq_response_needs_body     (guint                status);

/* What one HTTP answer means. @body is NULL when it was not read (see
 * mq_response_needs_body()); @host_name names the host in messages;
 * @now_ms dates the snapshot and an HTTP-date Retry-After. A web page
 * (by Content-Type or by a body starting with '<') is MQ_ERROR_UNREADABLE.
 * @retry_after_s (nullable) gets the seconds of Retry-After on
 * MQ_ERROR_RATE_LIMITED (HTTP 429 or MiniMax code 1002), 0 otherwise. */
MqSnapshot *mq_response_read           (guint                status,
                                        SoupMessageHeaders  *headers,
                                        GBytes              *body,
                                        const char          *host_name,
                                        gint64               now_ms,
                                        MqRegion             region,
                                        guint               *retry_after_s,
                                        GError             **error);

/* The same for an answer of the balance endpoint (MQ_PATH_BALANCE): the
 * same HTTP reading, the body read by mq_balance_parse(). */
MqBalance  *mq_response_read_balance   (guint                status,
                                        SoupMessageHeaders  *headers,
                                        GBytes              *body,
                                        const char          *host_name,
                                        gint64               now_ms,
                                        MqRegion             region,
                                        guint               *retry_after_s,
                                        GError             **error);

/* Seconds from Retry-After (delta-seconds or an HTTP date), capped at
 * MQ_RESPONSE_RETRY_AFTER_MAX; 0 when absent, unreadable or past. */
guint       mq_response_retry_after    (SoupMessageHeaders  *headers,
                                        gint64               now_ms);

/* The MQ_ERROR for a transport failure (@error from libsoup or GIO, not
 * a cancellation) while talking to @host_name: a connect timeout, an
 * answer that is not HTTP, or an unreachable host. */
GError     *mq_response_transport_error (const GError       *error,
                                         const char         *host_name,
                                         guint               connect_timeout_s);

/* The MQ_ERROR for a body over @max_body bytes. */
GError     *mq_response_too_large_error (const char         *host_name,
                                         gsize               max_body);

G_END_DECLS
