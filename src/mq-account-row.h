/* mq-account-row.h: one account in the preferences window's list
 *
 * Its name, its key's kind and whether the keyring holds the key, its
 * region (a combo: changed at once with mq_accounts_set_region()), Rename
 * (inline: the new name is checked with mq_accounts_check_name() as it
 * is typed, then mq_accounts_rename_async()) and Remove (asks first, then
 * mq_accounts_remove_async()). Failures show inline in the row; the list
 * itself follows MqAccounts::changed (the window's job).
 *
 * Its parts are named (gtk_widget_get_name()) for tests:
 * "account_name_label", "account_detail_label", "account_region_combo",
 * "rename_button", "rename_entry", "rename_apply_button",
 * "remove_button", "account_error_label".
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-accounts.h"

G_BEGIN_DECLS

#define MQ_TYPE_ACCOUNT_ROW (mq_account_row_get_type ())
G_DECLARE_FINAL_TYPE (MqAccountRow, mq_account_row, MQ, ACCOUNT_ROW, GtkListBoxRow)

/* @cancellable (nullable): cancels what the row started (the window's,
 * cancelled when it goes). */
GtkWidget  *mq_account_row_new      (MqAccounts   *accounts,
                                     const char   *name,
                                     MqRegion      region,
                                     GCancellable *cancellable);

const char *mq_account_row_get_name (MqAccountRow *self);

/* What the keyring said: @key_found (FALSE: no key, or it could not be
 * read) and, with a key, its @kind. Until then the row says that it is
 * looking. */
void        mq_account_row_set_key  (MqAccountRow *self,
                                     gboolean      key_found,
                                     MqKeyKind     kind);

/* The region as stored (the combo follows, without storing again). */
void        mq_account_row_set_region (MqAccountRow *self,
                                       MqRegion      region);

G_END_DECLS
