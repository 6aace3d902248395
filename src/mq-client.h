/* mq-client.h: fetches the remains endpoint with libsoup 3
 *
 * One SoupSession, reused. Tries the region's hosts and the legacy paths in
 * the order of API.md, checks HTTP status and base_resp.status_code, caps the
 * body size and the total time, and hands back an MqSnapshot or an MQ_ERROR.
 */
#pragma once

#include <gio/gio.h>

#include "mq-region.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_CLIENT (mq_client_get_type ())
G_DECLARE_FINAL_TYPE (MqClient, mq_client, MQ, CLIENT, GObject)

#define MQ_CLIENT_DEFAULT_CONNECT_TIMEOUT 10   /* seconds */
#define MQ_CLIENT_DEFAULT_TOTAL_TIMEOUT   30   /* seconds */
#define MQ_CLIENT_DEFAULT_MAX_BODY        (4 * 1024 * 1024)

#define MQ_PATH_CURRENT  "/v1/token_plan/remains"
#define MQ_PATH_LEGACY_1 "/v1/api/openplatform/coding_plan/remains"
#define MQ_PATH_LEGACY_2 "/v1/coding_plan/remains"

MqClient   *mq_client_new                 (void);

void        mq_client_set_region          (MqClient     *self,
                                           MqRegion      region);
MqRegion    mq_client_get_region          (MqClient     *self);
/* The region that answered last (GLOBAL or CN; AUTO before any success). */
MqRegion    mq_client_get_resolved_region (MqClient     *self);
/* With region AUTO: the region to try first (remembered from last time). */
void        mq_client_set_preferred_region (MqClient    *self,
                                            MqRegion     region);

/* Replaces the host list with one base URL (validated with
 * mq_base_url_validate()); NULL restores the region's hosts. */
gboolean    mq_client_set_base_url        (MqClient     *self,
                                           const char   *base_url,
                                           GError      **error);
const char *mq_client_get_base_url        (MqClient     *self);

/* The key is copied; the old copy is wiped. NULL or "" means no key. */
void        mq_client_set_api_key         (MqClient     *self,
                                           const char   *api_key);
gboolean    mq_client_has_api_key         (MqClient     *self);

void        mq_client_set_timeouts        (MqClient     *self,
                                           guint         connect_seconds,
                                           guint         total_seconds);
void        mq_client_set_max_body_size   (MqClient     *self,
                                           gsize         max_bytes);

void        mq_client_fetch_async         (MqClient            *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
MqSnapshot *mq_client_fetch_finish        (MqClient            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Seconds the server asked to wait (Retry-After) on the last failed fetch,
 * 0 when it did not say. */
guint       mq_client_get_retry_after     (MqClient     *self);

G_END_DECLS
