/* mq-applet-accounts.h: the applet's stored accounts, side by side (issue 12)
 *
 * GIO only (no GTK): between MqApplication and MqAccountSet. Once the old
 * single key is migrated (mq_accounts_migrate_async()), it says "ready"
 * with whether any account is stored; with none the applet keeps its one
 * connection (the environment's key) exactly as before. With accounts it
 * follows every one (MqAccountSet), records each one's history under its
 * name (one MqHistoryRecorder per Token Plan account), keeps each one's
 * forecasts, and feeds the alerts: per account (named) when there are
 * several, as the single account's when there is one; a pay-as-you-go
 * account's balance alert once per crossing. It also gathers what the
 * view, the main window and the D-Bus Report need.
 *
 * Signals:
 *   "ready" (gboolean has_accounts): the migration and first look at the
 *     list are done (once).
 *   "changed" (void): something shown changed (a fetch started or ended,
 *     the list changed, forecasts arrived).
 */
#pragma once

#include <gio/gio.h>

#include "mq-account-set.h"
#include "mq-alerts.h"
#include "mq-config.h"
#include "mq-view.h"

G_BEGIN_DECLS

#define MQ_TYPE_APPLET_ACCOUNTS (mq_applet_accounts_get_type ())
G_DECLARE_FINAL_TYPE (MqAppletAccounts, mq_applet_accounts, MQ, APPLET_ACCOUNTS, GObject)

/* @app: for the history notices; @alerts: fed (kept). */
MqAppletAccounts *mq_applet_accounts_new          (GApplication     *app,
                                                   MqConfig         *config,
                                                   GSettings        *settings,
                                                   MqAlerts         *alerts);

/* Migrates the old key, then says "ready"; with accounts, starts them. */
void              mq_applet_accounts_start        (MqAppletAccounts *self,
                                                   GCancellable     *cancellable);

/* TRUE once "ready" said accounts are stored (the set is followed). */
gboolean          mq_applet_accounts_get_active   (MqAppletAccounts *self);
MqAccountSet     *mq_applet_accounts_get_set      (MqAppletAccounts *self);

/* Preferences changed the list: read it again. */
void              mq_applet_accounts_reload       (MqAppletAccounts *self);

/* A fetch or a history task is in flight. */
gboolean          mq_applet_accounts_get_busy     (MqAppletAccounts *self);

/* Fills @input's accounts, n_accounts and displayed, and its single
 * fields (snapshot, error, has_key, busy, last_success_ms,
 * rate_limited_until_ms, forecasts) from the displayed account when it
 * is a Token Plan one. Returns the array @input points to (g_free()). */
MqViewAccountInput *mq_applet_accounts_fill_view  (MqAppletAccounts *self,
                                                   MqViewInput      *input);

/* The forecasts of account @index's current snapshot, NULL when none. */
const GArray     *mq_applet_accounts_get_forecasts (MqAppletAccounts *self,
                                                    guint             index);

/* The names of the Token Plan accounts, in order (a NULL-terminated
 * array; g_strfreev()). */
char            **mq_applet_accounts_dup_token_plan_names (MqAppletAccounts *self);

/* The `leeway --once --json` document of every account, with its
 * "accounts" array (mq_report_accounts_to_json()). NULL without accounts. */
char             *mq_applet_accounts_report_json  (MqAppletAccounts *self,
                                                   gint64            now_ms);

G_END_DECLS
