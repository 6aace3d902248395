/* mq-client.h: fetches the remains endpoint (or a pay-as-you-go key's balance) with libsoup 3
 *
 * One SoupSession, reused. Walks the region's hosts and the legacy paths
 * (MQ_PATH_*, mq-fetch-plan.h), caps the body size and the total time, and
 * hands back an MqSnapshot or an MQ_ERROR; each answer is read by
 * mq_response_read().
 */
#pragma once

#include <gio/gio.h>

#include "mq-balance.h"
#include "mq-region.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_CLIENT (mq_client_get_type ())
G_DECLARE_FINAL_TYPE (MqClient, mq_client, MQ, CLIENT, GObject)

#define MQ_CLIENT_DEFAULT_CONNECT_TIMEOUT 10   /* seconds */
#define MQ_CLIENT_DEFAULT_TOTAL_TIMEOUT   30   /* seconds */
#define MQ_CLIENT_DEFAULT_MAX_BODY        (4 * 1024 * 1024)

/* Longer keys are refused before sending (real ones are a few hundred
 * bytes at most). */
#define MQ_API_KEY_MAX_LENGTH 4096

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
/* @retry_after_s (nullable) gets the seconds the server asked to wait
 * (Retry-After) when the fetch failed, 0 when it did not say. */
MqSnapshot *mq_client_fetch_finish_full   (MqClient            *self,
                                           GAsyncResult        *result,
                                           guint               *retry_after_s,
                                           GError             **error);
/* mq_client_fetch_finish_full() for callers that do not wait on a server. */
MqSnapshot *mq_client_fetch_finish        (MqClient            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* The balance of a pay-as-you-go key (sk-api-…, see mq_key_kind_for_key()
 * in mq-account.h): GET {base}/account/query_balance instead of the quota
 * endpoint. The same hosts and region walk (AUTO: both regions, the one
 * that answered is remembered), deadline, size cap, Retry-After, key
 * checks and errors as mq_client_fetch_async(); no legacy paths. The
 * caller picks the fetch by the key's kind: a Token Plan key asked for a
 * balance, or a pay-as-you-go key asked for the quota, is refused by
 * MiniMax (MQ_ERROR_KEY_REJECTED). The balance's currency follows the
 * region that answered (USD global, CNY cn). */
void        mq_client_fetch_balance_async (MqClient            *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
MqBalance  *mq_client_fetch_balance_finish (MqClient           *self,
                                            GAsyncResult       *result,
                                            guint              *retry_after_s,
                                            GError            **error);

/* Whether @key can be sent: at most MQ_API_KEY_MAX_LENGTH bytes, no
 * space or control character. MQ_ERROR_KEY_REJECTED, naming the fix,
 * otherwise. Every fetch checks its key so. */
gboolean    mq_api_key_check              (const char          *key,
                                           GError             **error);

G_END_DECLS
