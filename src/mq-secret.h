/* mq-secret.h: the API key in the keyring (libsecret), and where keys come from
 *
 * One item per user, schema io.github.minimaxquota.MiniMaxQuota with the
 * string attribute "region" ("global", "cn", or "any" for region auto),
 * label "MiniMax Quota API key". Inside Flatpak libsecret talks to the
 * Secret portal by itself. A missing secret service is not fatal: lookups
 * fail with an error the caller may ignore and fall back to the environment.
 */
#pragma once

#include <gio/gio.h>

#include "mq-region.h"

G_BEGIN_DECLS

/* Stores @api_key for @region (AUTO is stored as "any"), replacing any key
 * stored before, whatever its region. */
void      mq_secret_store_async    (const char          *api_key,
                                    MqRegion             region,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mq_secret_store_finish   (GAsyncResult        *result,
                                    GError             **error);

/* Looks up the stored key, whatever its region. Finish returns a new
 * string (free it with mq_secret_free_key()); NULL without an error when no
 * key is stored (or only in a locked collection: the lookup never triggers
 * an unlock prompt), NULL with an error when the keyring could not be asked,
 * G_IO_ERROR_TIMED_OUT when it did not answer within 1.5 s. */
void      mq_secret_lookup_async   (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
char     *mq_secret_lookup_finish  (GAsyncResult        *result,
                                    GError             **error);

/* The same, blocking (at most 1.5 s, on a private main context); for the
 * command line only (never on a main loop that shows anything). */
char     *mq_secret_lookup_sync    (GCancellable        *cancellable,
                                    GError             **error);

/* Removes every stored key of the application. TRUE also when there was
 * none. */
void      mq_secret_clear_async    (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mq_secret_clear_finish   (GAsyncResult        *result,
                                    GError             **error);

/* The key to use, highest source first: @keyring_key (when not NULL or
 * empty), then mq_region_key_from_environment(@region). @out_key_region
 * (nullable) receives the region the key is for: @region for the keyring
 * key, as mq_region_key_from_environment() says otherwise. Returns a new
 * string (wipe it with mq_secret_free_key()) or NULL. */
char     *mq_secret_resolve_key    (const char          *keyring_key,
                                    MqRegion             region,
                                    MqRegion            *out_key_region);

/* Overwrites @key with zeros (explicit_bzero(), which the compiler keeps),
 * up to its terminating zero. NULL is fine. The one key-wipe helper. */
void      mq_key_wipe              (char                *key);

/* mq_key_wipe(), then frees it. NULL is fine. */
void      mq_secret_free_key       (char                *key);

G_END_DECLS
