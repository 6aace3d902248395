/* mq-account.h: one account (a name, a region, a key) and what a key is
 *
 * Pure, no I/O. An MqAccount is immutable and ref-counted; it holds the
 * key in memory while a fetch needs it (wiped when freed). Accounts are
 * listed, stored and loaded by MqAccounts (mq-accounts.h); the command
 * line and the applet fetch each one with its own MqClient
 * (mq_account_apply_to_client()), the quota or the balance by its key's
 * kind (mq_client_fetch_async() or mq_client_fetch_balance_async()).
 */
#pragma once

#include <glib-object.h>

#include "mq-client.h"
#include "mq-region.h"

G_BEGIN_DECLS

typedef enum {
  MQ_KEY_KIND_TOKEN_PLAN,     /* sk-cp-…, eyJ…, anything else: the quota endpoint */
  MQ_KEY_KIND_PAY_AS_YOU_GO,  /* sk-api-…: the balance endpoint */
} MqKeyKind;

/* A key's kind from its prefix (NULL: a Token Plan key). */
MqKeyKind   mq_key_kind_for_key          (const char  *key);
/* "token-plan" or "pay-as-you-go" (for JSON and --list-accounts). */
const char *mq_key_kind_to_string        (MqKeyKind    kind);

/* The longest account name, in characters. */
#define MQ_ACCOUNT_NAME_MAX 32
/* The account the single key of older versions becomes. */
#define MQ_ACCOUNT_DEFAULT_NAME "default"
/* The name of the one account resolved from the environment when no
 * account is stored (mq_config_resolve_accounts()). */
#define MQ_ACCOUNT_ENVIRONMENT_NAME "environment"

/* Whether @name can name an account: valid UTF-8, 1 to
 * MQ_ACCOUNT_NAME_MAX characters, every one printable (no control,
 * format or bidi character), no space at either end. A translated
 * MQ_ERROR_INVALID_ARGUMENT naming the rule otherwise. Uniqueness is
 * MqAccounts' to check. */
gboolean    mq_account_name_validate     (const char  *name,
                                          GError     **error);

typedef struct _MqAccount MqAccount;

GType       mq_account_get_type          (void) G_GNUC_CONST;
#define MQ_TYPE_ACCOUNT (mq_account_get_type ())

/* @key (nullable: none stored or found) is copied. @name is not checked. */
MqAccount  *mq_account_new               (const char  *name,
                                          MqRegion     region,
                                          const char  *key);
MqAccount  *mq_account_ref               (MqAccount   *self);
void        mq_account_unref             (MqAccount   *self);

const char *mq_account_get_name          (MqAccount   *self);
MqRegion    mq_account_get_region        (MqAccount   *self);
/* NULL when the account has no key (none stored, or the keyring could
 * not be read). Never log or show it. */
const char *mq_account_get_key           (MqAccount   *self);
MqKeyKind   mq_account_get_key_kind      (MqAccount   *self);

/* The account's region and key onto @client (the base URL stays the
 * client's: mq_config_apply_account_to_client() sets it too). */
void        mq_account_apply_to_client   (MqAccount   *self,
                                          MqClient    *client);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqAccount, mq_account_unref)

G_END_DECLS
