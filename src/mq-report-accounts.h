/* mq-report-accounts.h: the report of several accounts (`leeway --once`)
 *
 * Renders only, like mq-report.h: each account's outcome (a snapshot, a
 * pay-as-you-go balance, or an error) as gathered by the caller. The JSON
 * document keeps the one-account fields of mq_report_to_json() at the top
 * (they describe the first account) and adds an "accounts" array; the text
 * gives each account a title ("work — Plus plan (inferred)"), then its
 * balance or its table.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mq-account.h"
#include "mq-balance.h"
#include "mq-history.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* One account's outcome. Exactly one of @snapshot, @balance and @error
 * is set (an account with none is reported as unreadable). */
typedef struct {
  const char              *name;
  MqRegion                 region;       /* as configured: AUTO, GLOBAL or CN */
  MqKeyKind                key_kind;
  MqSnapshot              *snapshot;
  MqBalance               *balance;
  const GError            *error;
  const MqHistoryForecast *forecasts;    /* nullable */
  gsize                    n_forecasts;
} MqReportAccount;

/* The --once --json document of @accounts (at least one):
 *
 *  - the top level is the first account's as it always was: the report
 *    of mq_report_to_json_with_forecasts(), {"region", "fetched_at",
 *    "headline": {}, "models": []} for a balance, or {"error": {...}};
 *  - with @with_array, "accounts": one object per account:
 *      {"name", "region", "key_kind": "token-plan" | "pay-as-you-go",
 *       "fetched_at", "plan": {"name", "inferred"} or null, "headline",
 *       "models", "balance": {"available", "cash", "voucher", "credit",
 *       "owed", "alert_threshold", "currency"} or null,
 *       "error": {"code", "message", "exit_status"} or null}
 *    ("headline" {} and "models" [] for a balance or an error; amounts
 *    the answer did not carry are null). */
char     *mq_report_accounts_to_json   (const MqReportAccount *accounts,
                                        gsize                  n_accounts,
                                        gboolean               with_array,
                                        gint64                 now_ms);

/* The text report: with @with_titles a title line per account and a
 * blank line between accounts; then the balance (pay-as-you-go), the
 * error's message, or the table of mq_report_to_text_with_forecasts().
 * Ends in a newline. */
char     *mq_report_accounts_to_text   (const MqReportAccount *accounts,
                                        gsize                  n_accounts,
                                        gboolean               with_titles,
                                        gint64                 now_ms,
                                        gboolean               color);

/* "work — Plus plan (inferred)", "work — Max plan", "work — pay-as-you-go",
 * or the bare name when the plan is not known. */
char     *mq_report_account_title      (const MqReportAccount *account);

/* "Plus plan (inferred)", "Max plan", or NULL when @snapshot names none. */
char     *mq_report_plan_label         (MqSnapshot            *snapshot);

/* "Balance: $25.40 available (cash $20.00, voucher $5.40, credit $0.00)",
 * then "Owed: -$3.50" when something is owed and "Alert below $10.00"
 * when the account's own alert is on, one per line. */
char     *mq_report_balance_to_text    (MqBalance             *balance);

/* The exit status of the worst outcome of @accounts: 0 when every one
 * succeeded, else the highest mq_error_exit_code(). */
int       mq_report_accounts_exit_status (const MqReportAccount *accounts,
                                          gsize                  n_accounts);

G_END_DECLS
