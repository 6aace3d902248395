/* mq-applet-window.h: the main window's pages of the stored accounts
 *
 * One page per Token Plan account (mq_main_window_set_account()), its
 * header the account's plan ("Plus plan (inferred)"); pages of accounts
 * no longer followed are removed. A pay-as-you-go account has no page
 * (its balance is in the menu).
 */
#pragma once

#include "mq-applet-accounts.h"
#include "mq-main-window.h"

G_BEGIN_DECLS

/* @shown: the names given pages last time (NULL: only the single
 * account's page, "default"); replaced by this time's. */
void mq_applet_window_show_accounts (MqMainWindow       *window,
                                     MqAppletAccounts   *accounts,
                                     const MqThresholds *thresholds,
                                     gint64              now_ms,
                                     gboolean            stale,
                                     GStrv              *shown);

G_END_DECLS
