/* mq-client-private.h: test hooks of MqClient, not for the applet
 *
 * Lets the integration tests point the real regions at loopback servers, so
 * that host fallback and region AUTO run the production code paths. (The
 * code that reads an answer is public: mq-response.h.)
 */
#pragma once

#include "mq-client.h"

G_BEGIN_DECLS

/* Replaces the base URLs of @region (GLOBAL or CN), in the order to try;
 * NULL restores mq_region_get_base_urls(). Not validated. */
void mq_client_override_hosts (MqClient           *self,
                               MqRegion            region,
                               const char * const *base_urls);

G_END_DECLS
