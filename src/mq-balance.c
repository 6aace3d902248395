/* mq-balance.c: the balance of a pay-as-you-go key */
#define G_LOG_DOMAIN "mq-balance"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mq-balance.h"
#include "mq-error.h"
#include "mq-snapshot-private.h"

/* No account holds 10^15 of anything: beyond that the value is not an
 * amount. */
#define MAX_AMOUNT 1e15

struct _MqBalance {
  gatomicrefcount ref_count;
  gboolean  has[MQ_BALANCE_N_AMOUNTS];
  double    amount[MQ_BALANCE_N_AMOUNTS];
  gboolean  alert_known;
  gboolean  alert_enabled;
  MqRegion  region;
  gint64    fetched_at_ms;
};

G_DEFINE_BOXED_TYPE (MqBalance, mq_balance, mq_balance_ref, mq_balance_unref)

static const char * const amount_fields[MQ_BALANCE_N_AMOUNTS] = {
  [MQ_BALANCE_AVAILABLE] = "available_amount",
  [MQ_BALANCE_CASH] = "cash_balance",
  [MQ_BALANCE_VOUCHER] = "voucher_balance",
  [MQ_BALANCE_CREDIT] = "credit_balance",
  [MQ_BALANCE_OWED] = "owed_amount",
  [MQ_BALANCE_ALERT_THRESHOLD] = "balance_alert_threshold",
};

static const char * const amount_names[MQ_BALANCE_N_AMOUNTS] = {
  [MQ_BALANCE_AVAILABLE] = "available",
  [MQ_BALANCE_CASH] = "cash",
  [MQ_BALANCE_VOUCHER] = "voucher",
  [MQ_BALANCE_CREDIT] = "credit",
  [MQ_BALANCE_OWED] = "owed",
  [MQ_BALANCE_ALERT_THRESHOLD] = "alert_threshold",
};

const char *
mq_balance_amount_to_string (MqBalanceAmount which)
{
  g_return_val_if_fail (which < MQ_BALANCE_N_AMOUNTS, NULL);

  return amount_names[which];
}

/* Whether @object carries any balance field (to find the payload). */
static gboolean
has_balance_field (JsonObject *object)
{
  for (guint i = 0; i < MQ_BALANCE_N_AMOUNTS; i++)
    if (json_object_has_member (object, amount_fields[i]))
      return TRUE;
  return json_object_has_member (object, "balance_alert_switch");
}

static void
read_alert_switch (JsonObject *payload,
                   MqBalance  *self)
{
  JsonNode *node = json_object_get_member (payload, "balance_alert_switch");
  double value = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return;

  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      self->alert_known = TRUE;
      self->alert_enabled = json_node_get_boolean (node);
    }
  else if (json_node_get_value_type (node) != G_TYPE_STRING &&
           mq_json_read_number (payload, "balance_alert_switch", &value) == MQ_JSON_FIELD_OK)
    {
      self->alert_known = TRUE;
      self->alert_enabled = value != 0;
    }
}

MqBalance *
mq_balance_parse (const char  *data,
                  gsize        length,
                  gint64       now_ms,
                  MqRegion     region,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(MqBalance) self = NULL;
  JsonObject *top = NULL, *payload;
  JsonNode *wrapped;
  gboolean any = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  parser = mq_json_load_object (data, length, &top, error);
  if (parser == NULL)
    return NULL;

  /* The web variant wraps the payload in {"data": {...}}. */
  payload = top;
  wrapped = json_object_get_member (top, "data");
  if (!has_balance_field (top) && wrapped != NULL && JSON_NODE_HOLDS_OBJECT (wrapped))
    payload = json_node_get_object (wrapped);

  if (!mq_json_check_base_resp (top, payload, TRUE, error))
    return NULL;

  self = g_new0 (MqBalance, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->region = region;
  self->fetched_at_ms = now_ms;

  for (guint i = 0; i < MQ_BALANCE_N_AMOUNTS; i++)
    {
      double value = 0;

      if (mq_json_read_number (payload, amount_fields[i], &value) != MQ_JSON_FIELD_OK ||
          fabs (value) > MAX_AMOUNT)
        continue;

      /* -0.0 would print as "-0.00". */
      self->amount[i] = value == 0 ? 0 : value;
      self->has[i] = TRUE;
      any = any || i != MQ_BALANCE_ALERT_THRESHOLD;
    }

  read_alert_switch (payload, self);

  if (!any)
    {
      g_set_error_literal (error, MQ_ERROR, MQ_ERROR_UNREADABLE,
                           _("MiniMax’s answer holds no balance. Try again later; if it persists, update Leeway."));
      return NULL;
    }

  return g_steal_pointer (&self);
}

MqBalance *
mq_balance_ref (MqBalance *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mq_balance_unref (MqBalance *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

gboolean
mq_balance_get_amount (MqBalance       *self,
                       MqBalanceAmount  which,
                       double          *out_value)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (which < MQ_BALANCE_N_AMOUNTS, FALSE);

  if (out_value != NULL)
    *out_value = self->has[which] ? self->amount[which] : 0;
  return self->has[which];
}

gboolean
mq_balance_get_alert_enabled (MqBalance *self,
                              gboolean  *out_known)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (out_known != NULL)
    *out_known = self->alert_known;
  return self->alert_enabled;
}

const char *
mq_balance_currency_for_region (MqRegion region)
{
  switch (region)
    {
    case MQ_REGION_GLOBAL: return "USD";
    case MQ_REGION_CN: return "CNY";
    case MQ_REGION_AUTO:
    default: return NULL;
    }
}

const char *
mq_balance_get_currency (MqBalance *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return mq_balance_currency_for_region (self->region);
}

MqRegion
mq_balance_get_region (MqBalance *self)
{
  g_return_val_if_fail (self != NULL, MQ_REGION_AUTO);

  return self->region;
}

gint64
mq_balance_get_fetched_at_ms (MqBalance *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->fetched_at_ms;
}

char *
mq_balance_format_amount (double      amount,
                          const char *currency)
{
  g_autofree char *number = NULL;
  const char *sign = "";
  /* Half away from zero on the decimal the server wrote: "1.005" is
   * 1.00499999… in binary, and a cent is owed to nobody. */
  double rounded = round (fabs (amount) * 100 + 1e-6) / 100;

  if (!isfinite (amount))
    return g_strdup ("—");

  if (amount < 0 && rounded > 0)
    sign = "-";

  /* The ' flag: the locale's digit grouping (glibc, POSIX). */
  number = g_strdup_printf ("%'.2f", rounded);

  if (currency == NULL)
    return g_strconcat (sign, number, NULL);
  if (g_str_equal (currency, "USD"))
    /* Translators: an amount in US dollars; %s is the sign ("-" or
     * nothing), %s the number, e.g. "25.40". */
    return g_strdup_printf (_("%s$%s"), sign, number);
  if (g_str_equal (currency, "CNY"))
    /* Translators: an amount in Chinese yuan; %s is the sign ("-" or
     * nothing), %s the number, e.g. "25.40". */
    return g_strdup_printf (_("%s¥%s"), sign, number);

  return g_strdup_printf ("%s%s %s", sign, number, currency);
}
