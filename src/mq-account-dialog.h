/* mq-account-dialog.h: "Add Account" of the preferences window
 *
 * A name (checked with mq_accounts_check_name() as it is typed), a region
 * and a key. Add checks the key with a real fetch where that account
 * would be asked (mq_config_apply_account_to_client(): the quota for a
 * Token Plan key, the balance for a pay-as-you-go key), then stores it
 * with mq_accounts_add_async(). A rejected key stores nothing and says
 * why, inline; the key never reaches a label or a log.
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-accounts.h"
#include "mq-config.h"

G_BEGIN_DECLS

#define MQ_ACCOUNT_DIALOG_RESOURCE \
  "/io/github/leewayapp/Leeway/ui/account-dialog.ui"

#define MQ_TYPE_ACCOUNT_DIALOG (mq_account_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MqAccountDialog, mq_account_dialog, MQ, ACCOUNT_DIALOG, GtkDialog)

MqAccountDialog *mq_account_dialog_new            (GtkWindow           *parent,
                                                   MqAccounts          *accounts,
                                                   MqConfig            *config);

/* A fresh form: the suggested name ("default" for the first account,
 * else "team-2", "team-3"…), region automatic, no key, no message. */
void             mq_account_dialog_reset          (MqAccountDialog     *self);

/* Shows the dialog, the key field focused (the name is suggested). */
void             mq_account_dialog_present        (MqAccountDialog     *self);

/* Checks and adds what the form holds (the Add button, Enter in the key
 * field); nothing while busy or when the name is not valid. */
void             mq_account_dialog_add            (MqAccountDialog     *self);

/* Whether a key is being checked or stored. */
gboolean         mq_account_dialog_get_busy       (MqAccountDialog     *self);

/* "Get a key" for the chosen region (automatic: the application's). */
void             mq_account_dialog_update_link    (MqAccountDialog     *self);

/* Tests: the base URLs of @region (GLOBAL or CN) for later checks, NULL
 * for the region's own (mq_client_override_hosts()). */
void             mq_account_dialog_override_hosts (MqAccountDialog     *self,
                                                   MqRegion             region,
                                                   const char * const  *base_urls);

/* Signal "added" (const char *name, const char *message): the account
 * was checked, stored and listed; @message says so ("Key saved — 63%
 * left"). The dialog has hidden itself.
 *
 * Signal "unsaved" (const char *key, gboolean no_keyring, const char
 * *message): the key passed the check but the keyring did not take it
 * (@no_keyring: nothing provides the Secret Service); it works for this
 * session only. @key is only valid during the emission and must never be
 * logged. The dialog has hidden itself. */

G_END_DECLS
