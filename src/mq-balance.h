/* mq-balance.h: the balance of a pay-as-you-go key
 *
 * Pure, like mq-snapshot: an immutable, ref-counted MqBalance parsed once
 * from the answer of GET {base}/account/query_balance (docs/API.md,
 * "Pay-as-you-go balance"), which pay-as-you-go keys (sk-api-…) are asked
 * instead of the quota endpoint (mq_client_fetch_balance_async()).
 * Amounts come as numbers or plain decimal strings; a field that is
 * missing or of another kind is unknown, never guessed. The currency is
 * not stated: USD for the global platform, CNY for China.
 */
#pragma once

#include <glib-object.h>

#include "mq-region.h"

G_BEGIN_DECLS

/* The endpoint, after the base URL (same hosts as the quota endpoint). */
#define MQ_PATH_BALANCE "/account/query_balance"

typedef enum {
  MQ_BALANCE_AVAILABLE,       /* available_amount: what can be spent */
  MQ_BALANCE_CASH,            /* cash_balance */
  MQ_BALANCE_VOUCHER,         /* voucher_balance */
  MQ_BALANCE_CREDIT,          /* credit_balance */
  MQ_BALANCE_OWED,            /* owed_amount (kept as sent, sign included) */
  MQ_BALANCE_ALERT_THRESHOLD, /* balance_alert_threshold */
  MQ_BALANCE_N_AMOUNTS,
} MqBalanceAmount;

typedef struct _MqBalance MqBalance;

GType       mq_balance_get_type           (void) G_GNUC_CONST;
#define MQ_TYPE_BALANCE (mq_balance_get_type ())

/* Parses an answer of the balance endpoint (bare, or wrapped in
 * {"data": ...}). base_resp is checked as for the quota endpoint. An
 * answer with none of the amounts is MQ_ERROR_UNREADABLE; so is anything
 * that is not one JSON object of sane depth. @region (GLOBAL or CN: the
 * region that answered) gives the currency; AUTO leaves it unknown. */
MqBalance  *mq_balance_parse              (const char      *data,
                                           gsize            length,
                                           gint64           now_ms,
                                           MqRegion         region,
                                           GError         **error);

MqBalance  *mq_balance_ref                (MqBalance       *self);
void        mq_balance_unref              (MqBalance       *self);

/* TRUE and the amount in @out_value (nullable) when the answer carried
 * it; FALSE (and 0) when not. */
gboolean    mq_balance_get_amount         (MqBalance       *self,
                                           MqBalanceAmount  which,
                                           double          *out_value);

/* balance_alert_switch: TRUE when the answer said the account's own
 * low-balance alert is on (true, or a number other than 0). @out_known
 * (nullable): whether the answer said anything. */
gboolean    mq_balance_get_alert_enabled  (MqBalance       *self,
                                           gboolean        *out_known);

/* "USD" (global), "CNY" (cn), NULL when the region is not known. */
const char *mq_balance_get_currency       (MqBalance       *self);
MqRegion    mq_balance_get_region         (MqBalance       *self);
gint64      mq_balance_get_fetched_at_ms  (MqBalance       *self);

/* The ISO 4217 code of @region's platform: "USD", "CNY", or NULL for
 * AUTO. */
const char *mq_balance_currency_for_region (MqRegion       region);

/* @amount as money: two decimals, the locale's decimal point and digit
 * grouping (LC_NUMERIC), and the currency: "$25.40" (USD), "¥25.40"
 * (CNY), the bare number when @currency is NULL, "25.40 EUR" for any
 * other code. A negative amount keeps its sign ("-$3.00"). */
char       *mq_balance_format_amount      (double           amount,
                                           const char      *currency);

/* A stable name for JSON: "available", "cash", "voucher", "credit",
 * "owed", "alert_threshold". */
const char *mq_balance_amount_to_string   (MqBalanceAmount  which);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqBalance, mq_balance_unref)

G_END_DECLS
