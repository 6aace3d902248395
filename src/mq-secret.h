/* mq-secret.h: API keys in the keyring (libsecret), and where keys come from
 *
 * Schema io.github.leewayapp.Leeway, two kinds of items:
 *
 *  - one item per account (mq-accounts.h): the string attribute "account"
 *    (the account's name) and no "region" (the account's region lives in
 *    GSettings), label "Leeway API key (NAME)";
 *  - the single key of versions before accounts (the "legacy" item): the
 *    string attribute "region" ("global", "cn", or "any" for region auto)
 *    and no "account", label "Leeway API key". mq_accounts_migrate()
 *    turns it into the account "default".
 *
 * The functions without "account" in their name handle the legacy item
 * only, and never touch an account's key. Inside Flatpak libsecret talks
 * to the Secret portal by itself. A missing secret service is not fatal:
 * lookups fail with an error the caller may ignore and fall back to the
 * environment. Lookups are bounded (1.5 s) and never unlock a collection.
 */
#pragma once

#include <gio/gio.h>

#include "mq-region.h"

G_BEGIN_DECLS

/* Stores @api_key as the legacy item for @region (AUTO is stored as
 * "any"), replacing the legacy item stored before, whatever its region. */
void      mq_secret_store_async    (const char          *api_key,
                                    MqRegion             region,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mq_secret_store_finish   (GAsyncResult        *result,
                                    GError             **error);

/* Looks up the legacy item, whatever its region. Finish returns a new
 * string (free it with mq_secret_free_key()); NULL without an error when no
 * key is stored (or only in a locked collection: the lookup never triggers
 * an unlock prompt), NULL with an error when the keyring could not be asked,
 * G_IO_ERROR_TIMED_OUT when it did not answer within 1.5 s. */
void      mq_secret_lookup_async   (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
char     *mq_secret_lookup_finish  (GAsyncResult        *result,
                                    GError             **error);
/* The same, and the region the legacy item was stored for (AUTO for
 * "any", and when no key was found). */
char     *mq_secret_lookup_finish_full (GAsyncResult    *result,
                                        MqRegion        *out_region,
                                        GError         **error);

/* The same, blocking (at most 1.5 s, on a private main context); for the
 * command line only (never on a main loop that shows anything). */
char     *mq_secret_lookup_sync    (GCancellable        *cancellable,
                                    GError             **error);

/* Removes the legacy item (never an account's key). TRUE also when there
 * was none. */
void      mq_secret_clear_async    (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  mq_secret_clear_finish   (GAsyncResult        *result,
                                    GError             **error);

/* Stores @api_key for the account @account (not validated here: see
 * mq_account_name_validate()), replacing the key it had. */
void      mq_secret_store_account_async   (const char          *account,
                                           const char          *api_key,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  mq_secret_store_account_finish  (GAsyncResult        *result,
                                           GError             **error);

/* Looks up the key of @account, as mq_secret_lookup_async() does the
 * legacy item's: bounded, never unlocking, NULL without an error when
 * there is none (or only in a locked collection). */
void      mq_secret_lookup_account_async  (const char          *account,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char     *mq_secret_lookup_account_finish (GAsyncResult        *result,
                                           GError             **error);
/* The same, blocking (at most 1.5 s); for the command line only. */
char     *mq_secret_lookup_account_sync   (const char          *account,
                                           GCancellable        *cancellable,
                                           GError             **error);

/* Removes the key of @account. TRUE also when there was none. */
void      mq_secret_clear_account_async   (const char          *account,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  mq_secret_clear_account_finish  (GAsyncResult        *result,
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
