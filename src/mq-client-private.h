/* mq-client-private.h: test hooks of MqClient, not for the applet
 *
 * Lets the integration tests point the real regions at loopback servers, so
 * that host fallback and region AUTO run the production code paths, and
 * lets the fuzzers feed answers to the code that reads them.
 */
#pragma once

#include <libsoup/soup.h>

#include "mq-client.h"

G_BEGIN_DECLS

/* Replaces the base URLs of @region (GLOBAL or CN), in the order to try;
 * NULL restores mq_region_get_base_urls(). Not validated. */
void mq_client_override_hosts (MqClient           *self,
                               MqRegion            region,
                               const char * const *base_urls);

/* Whether the client reads the body of an answer with @status (200, and
 * 401/403, which may be a web page rather than a rejected key). */
gboolean    mq_client_response_needs_body (guint status);

/* What one HTTP answer means, exactly as a fetch reads it: a snapshot, or
 * the MQ_ERROR the client reports for it. Pure: no I/O, no clock (@now_ms
 * also dates an HTTP-date Retry-After). @body is NULL when it was not read
 * (see mq_client_response_needs_body()); @host_name names the host in
 * messages. @retry_after_s (nullable) gets the seconds of Retry-After on
 * MQ_ERROR_RATE_LIMITED, 0 otherwise. */
MqSnapshot *mq_client_interpret_response  (guint                status,
                                           SoupMessageHeaders  *headers,
                                           GBytes              *body,
                                           const char          *host_name,
                                           gint64               now_ms,
                                           MqRegion             region,
                                           guint               *retry_after_s,
                                           GError             **error);

G_END_DECLS
