/* mq-accounts.h: the list of accounts (GSettings) and their keys (keyring)
 *
 * The names and regions live in the "accounts" setting (a(ss), in order);
 * each key lives in the keyring, one item per account (mq-secret.h), and
 * never in GSettings. The list is read from the settings on every call,
 * so every MqAccounts of the process sees a change at once ("changed").
 *
 * For the wiring (main.c, the applet, Preferences):
 *
 *  1. at start, mq_accounts_migrate_async(): the single key of older
 *     versions becomes the account "default" (once; never lost);
 *  2. mq_accounts_load_async() (the CLI: _sync) gives every account with
 *     its key; mq_config_resolve_accounts() adds the environment's key
 *     when none is stored; each account is then fetched with its own
 *     MqClient (mq_config_apply_account_to_client());
 *  3. Preferences and the CLI: mq_accounts_add_async() (name checked,
 *     key stored first, then listed), _rename_async(), _remove_async(),
 *     mq_accounts_set_region(); mq_accounts_check_name() to validate as
 *     the user types.
 *
 * Without the schema (or its "accounts" key) the list is empty and every
 * change fails with MQ_ERROR_INVALID_ARGUMENT.
 */
#pragma once

#include <gio/gio.h>

#include "mq-account.h"
#include "mq-region.h"

G_BEGIN_DECLS

#define MQ_TYPE_ACCOUNTS (mq_accounts_get_type ())
G_DECLARE_FINAL_TYPE (MqAccounts, mq_accounts, MQ, ACCOUNTS, GObject)

/* @settings: the applet's settings, or NULL to look the schema up. */
MqAccounts *mq_accounts_new             (GSettings           *settings);

/* The list as stored (no keys). ::changed is emitted when it changes. */
guint       mq_accounts_get_n_accounts  (MqAccounts          *self);
/* The name of the @index-th account, a new string. */
char       *mq_accounts_dup_name        (MqAccounts          *self,
                                         guint                index);
MqRegion    mq_accounts_get_region      (MqAccounts          *self,
                                         guint                index);
/* The index of the account named exactly @name, -1 when none. */
gint        mq_accounts_find            (MqAccounts          *self,
                                         const char          *name);

/* Whether @name can name a new account (or @renaming's new name; NULL
 * for an addition): mq_account_name_validate(), and no other account of
 * that name, case aside. */
gboolean    mq_accounts_check_name      (MqAccounts          *self,
                                         const char          *name,
                                         const char          *renaming,
                                         GError             **error);

/* Sets the region of the account @name. */
gboolean    mq_accounts_set_region      (MqAccounts          *self,
                                         const char          *name,
                                         MqRegion             region,
                                         GError             **error);

/* Checks @name and @key (mq_api_key_check()), stores the key in the
 * keyring, then appends the account to the list. Nothing is listed when
 * the keyring fails. (Checking the key with a real fetch first is the
 * caller's: it has the client.) */
void        mq_accounts_add_async       (MqAccounts          *self,
                                         const char          *name,
                                         MqRegion             region,
                                         const char          *key,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    mq_accounts_add_finish      (MqAccounts          *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Moves the key to the new name in the keyring, then renames the
 * account. Fails, changing nothing, when the keyring could not be read. */
void        mq_accounts_rename_async    (MqAccounts          *self,
                                         const char          *name,
                                         const char          *new_name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    mq_accounts_rename_finish   (MqAccounts          *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Removes the account's key from the keyring, then the account from the
 * list. MQ_ERROR_INVALID_ARGUMENT for an unknown name. */
void        mq_accounts_remove_async    (MqAccounts          *self,
                                         const char          *name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    mq_accounts_remove_finish   (MqAccounts          *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* Once per installation ("accounts-migrated"): when no account is listed
 * and the keyring holds the single key of older versions, stores it as
 * the account "default" (its region as it was stored), lists it, and
 * removes the old item. @out_migrated: whether an account was made. A
 * keyring that cannot be read is an error and leaves everything for the
 * next start; no old key at all just marks it done. */
void        mq_accounts_migrate_async   (MqAccounts          *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    mq_accounts_migrate_finish  (MqAccounts          *self,
                                         GAsyncResult        *result,
                                         gboolean            *out_migrated,
                                         GError             **error);

/* Every listed account with its key looked up (one bounded lookup each;
 * an account whose key is missing or unreadable has none, and its fetch
 * says MQ_ERROR_NO_KEY). Finish: a GPtrArray of MqAccount, in order. */
void        mq_accounts_load_async      (MqAccounts          *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray  *mq_accounts_load_finish     (MqAccounts          *self,
                                         GAsyncResult        *result,
                                         GError             **error);
/* The same, blocking; for the command line only. */
GPtrArray  *mq_accounts_load_sync       (MqAccounts          *self,
                                         GCancellable        *cancellable,
                                         GError             **error);

G_END_DECLS
