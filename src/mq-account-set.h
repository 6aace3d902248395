/* mq-account-set.h: every followed account, fetched side by side
 *
 * Logic only (GIO, no GTK). One member per account resolved by
 * mq_config_resolve_accounts() (the stored accounts, else the
 * environment's key as the account "environment"): a Token Plan key gets
 * its own MqClient and MqPoller, a pay-as-you-go key (sk-api-…) its own
 * MqClient and MqBalancePoller. Each member keeps its own schedule,
 * backoff and Retry-After: one failing account never delays the others.
 *
 * The settings it follows by itself (when the schema has them):
 * "refresh-interval", "low-threshold", "critical-threshold", "icon-model"
 * (the headline model of every Token Plan account) and "icon-account"
 * (which account the icon shows; "" the tightest). It reloads the list
 * when MqAccounts emits "changed"; an account whose name, region and key
 * are unchanged keeps its poller and its data.
 *
 * Wiring (the applet): mq_account_set_new (config, accounts); connect
 * "changed" (rebuild the tray's view from every member, see
 * mq_view_build() and MqViewAccountInput) and "updated" (index: feed
 * that member's fresh snapshot or balance to the alerts, naming the
 * account when there is more than one); mq_account_set_start();
 * "Refresh now" is mq_account_set_refresh().
 *
 * Signals:
 *   "changed" (void): the list was (re)built, or a member's fetch
 *     started or finished.
 *   "updated" (guint index): member @index fetched successfully.
 */
#pragma once

#include <gio/gio.h>

#include "mq-account.h"
#include "mq-accounts.h"
#include "mq-balance-poller.h"
#include "mq-balance.h"
#include "mq-config.h"
#include "mq-poller.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_ACCOUNT_SET (mq_account_set_get_type ())
G_DECLARE_FINAL_TYPE (MqAccountSet, mq_account_set, MQ, ACCOUNT_SET, GObject)

/* @config: where and how to ask (kept). @accounts (nullable): the stored
 * list, loaded by mq_account_set_start() and followed; NULL follows only
 * what mq_account_set_set_accounts() gives (tests). */
MqAccountSet *mq_account_set_new                (MqConfig     *config,
                                                 MqAccounts   *accounts);

/* Loads the accounts (mq_accounts_load_async(), then
 * mq_config_resolve_accounts()) and starts every member. Again: nothing. */
void          mq_account_set_start              (MqAccountSet *self);

/* Follows @accounts (MqAccount, in order; nullable: none) from now on,
 * started. Members whose account is unchanged are kept; the others are
 * made anew (a fresh fetch each). mq_account_set_start() calls it once
 * the list is loaded; tests call it directly. */
void          mq_account_set_set_accounts       (MqAccountSet *self,
                                                 GPtrArray    *accounts);

/* "Refresh now" for every member (each with its own floors). */
void          mq_account_set_refresh            (MqAccountSet *self);
/* Every member's client settings changed (e.g. the base URL): reapplies
 * them and restarts every poller. */
void          mq_account_set_restart            (MqAccountSet *self);

guint         mq_account_set_get_n_accounts     (MqAccountSet *self);
MqAccount    *mq_account_set_get_account        (MqAccountSet *self,
                                                 guint         index);
const char   *mq_account_set_get_name           (MqAccountSet *self,
                                                 guint         index);
MqKeyKind     mq_account_set_get_key_kind       (MqAccountSet *self,
                                                 guint         index);
/* The index of the account named @name, -1 when none. */
gint          mq_account_set_find               (MqAccountSet *self,
                                                 const char   *name);

/* A Token Plan member's last good snapshot (NULL: none yet, or a
 * pay-as-you-go member). */
MqSnapshot   *mq_account_set_get_snapshot       (MqAccountSet *self,
                                                 guint         index);
/* A pay-as-you-go member's last good balance (NULL otherwise). */
MqBalance    *mq_account_set_get_balance        (MqAccountSet *self,
                                                 guint         index);
const GError *mq_account_set_get_error          (MqAccountSet *self,
                                                 guint         index);
gboolean      mq_account_set_get_busy           (MqAccountSet *self,
                                                 guint         index);
gint64        mq_account_set_get_last_success_ms (MqAccountSet *self,
                                                  guint         index);
guint         mq_account_set_get_failures       (MqAccountSet *self,
                                                 guint         index);
gint64        mq_account_set_get_rate_limited_until_ms (MqAccountSet *self,
                                                        guint         index);
gint64        mq_account_set_get_next_delay_ms  (MqAccountSet *self,
                                                 guint         index);
/* The member's poller (Token Plan) or balance poller (pay-as-you-go);
 * the other is NULL. */
MqPoller     *mq_account_set_get_poller         (MqAccountSet *self,
                                                 guint         index);
MqBalancePoller *mq_account_set_get_balance_poller (MqAccountSet *self,
                                                    guint         index);

/* The account the icon shows: the one named by "icon-account" (or
 * mq_account_set_set_icon_account()) when it is followed; else the Token
 * Plan account with the lowest headline percentage (the first on a tie);
 * else the first account. -1 without accounts. */
gint          mq_account_set_get_displayed      (MqAccountSet *self);
/* Overrides "icon-account" (NULL or "": the tightest). */
void          mq_account_set_set_icon_account   (MqAccountSet *self,
                                                 const char   *name);

/* For tests: every poller made from now on (and every current one) uses
 * this time scale (see mq_poller_set_time_scale_for_testing()), and
 * Token Plan pollers this network monitor. */
void          mq_account_set_set_time_scale_for_testing (MqAccountSet    *self,
                                                         double           scale);
void          mq_account_set_set_network_monitor        (MqAccountSet    *self,
                                                         GNetworkMonitor *monitor);

/* The tightest of @snapshots (an array of @n MqSnapshot pointers, NULL
 * entries allowed): the lowest known headline percentage for
 * @headline_model, the first on a tie; -1 when none has one. Pure; the
 * rule mq_account_set_get_displayed() follows. */
gint          mq_account_set_pick_tightest      (MqSnapshot * const *snapshots,
                                                 guint               n,
                                                 const char         *headline_model,
                                                 const MqThresholds *thresholds);

G_END_DECLS
