/* mq-report-accounts.c: the report of several accounts, JSON and text */
#define G_LOG_DOMAIN "mq-report-accounts"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-report-accounts.h"
#include "mq-report.h"
#include "mq-wording.h"

/* ------------------------------------------------------------------ */
/* JSON                                                                 */
/* ------------------------------------------------------------------ */

static void
set_time_or_null (JsonObject *object,
                  const char *member,
                  gint64      epoch_ms)
{
  if (epoch_ms != 0)
    {
      g_autofree char *text = mq_format_iso8601_utc (epoch_ms);

      json_object_set_string_member (object, member, text);
    }
  else
    json_object_set_null_member (object, member);
}

/* A balance as a report: the region that answered, when, and neither a
 * headline nor models. */
static JsonObject *
balance_report (MqBalance *balance)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "region",
                                 mq_region_to_string (mq_balance_get_region (balance)));
  set_time_or_null (object, "fetched_at", mq_balance_get_fetched_at_ms (balance));
  json_object_set_object_member (object, "headline", json_object_new ());
  json_object_set_array_member (object, "models", json_array_new ());
  return object;
}

static GError *
missing_outcome_error (void)
{
  return g_error_new_literal (MQ_ERROR, MQ_ERROR_UNREADABLE,
                              _("The server’s answer could not be read. Try again later."));
}

/* The one-account document of @account: a new object. */
static JsonObject *
account_report (const MqReportAccount *account,
                gint64                 now_ms)
{
  g_autoptr(JsonNode) node = NULL;

  if (account->snapshot != NULL)
    node = mq_report_build_json (account->snapshot, NULL, NULL, account->forecasts,
                                 account->n_forecasts, now_ms);
  else if (account->balance != NULL)
    return balance_report (account->balance);
  else if (account->error != NULL)
    node = mq_report_build_error_json (account->error);
  else
    {
      g_autoptr(GError) error = missing_outcome_error ();

      node = mq_report_build_error_json (error);
    }

  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
plan_node (MqSnapshot *snapshot)
{
  const char *name = NULL;
  gboolean inferred = FALSE;
  JsonObject *plan;
  JsonNode *node;

  if (snapshot == NULL || !mq_snapshot_get_plan (snapshot, &name, &inferred) || name == NULL)
    return json_node_new (JSON_NODE_NULL);

  plan = json_object_new ();
  json_object_set_string_member (plan, "name", name);
  json_object_set_boolean_member (plan, "inferred", inferred);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, plan);
  return node;
}

static JsonNode *
balance_node (MqBalance *balance)
{
  JsonObject *object;
  JsonNode *node;
  const char *currency;

  if (balance == NULL)
    return json_node_new (JSON_NODE_NULL);

  object = json_object_new ();
  for (MqBalanceAmount which = 0; which < MQ_BALANCE_N_AMOUNTS; which++)
    {
      double value;

      if (mq_balance_get_amount (balance, which, &value))
        json_object_set_double_member (object, mq_balance_amount_to_string (which), value);
      else
        json_object_set_null_member (object, mq_balance_amount_to_string (which));
    }
  currency = mq_balance_get_currency (balance);
  if (currency != NULL)
    json_object_set_string_member (object, "currency", currency);
  else
    json_object_set_null_member (object, "currency");

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static JsonObject *
account_entry (const MqReportAccount *account,
               gint64                 now_ms)
{
  JsonObject *entry = json_object_new ();
  g_autoptr(JsonObject) report = NULL;
  MqRegion region = account->region;
  gint64 fetched_at_ms = 0;

  if (account->snapshot != NULL)
    {
      region = mq_snapshot_get_region (account->snapshot);
      fetched_at_ms = mq_snapshot_get_fetched_at_ms (account->snapshot);
    }
  else if (account->balance != NULL)
    {
      region = mq_balance_get_region (account->balance);
      fetched_at_ms = mq_balance_get_fetched_at_ms (account->balance);
    }

  json_object_set_string_member (entry, "name", account->name);
  json_object_set_string_member (entry, "region", mq_region_to_string (region));
  json_object_set_string_member (entry, "key_kind", mq_key_kind_to_string (account->key_kind));
  set_time_or_null (entry, "fetched_at", fetched_at_ms);
  json_object_set_member (entry, "plan", plan_node (account->snapshot));

  if (account->snapshot != NULL)
    {
      report = account_report (account, now_ms);
      json_object_set_member (entry, "headline",
                              json_node_copy (json_object_get_member (report, "headline")));
      json_object_set_member (entry, "models",
                              json_node_copy (json_object_get_member (report, "models")));
    }
  else
    {
      json_object_set_object_member (entry, "headline", json_object_new ());
      json_object_set_array_member (entry, "models", json_array_new ());
    }

  json_object_set_member (entry, "balance", balance_node (account->balance));

  if (account->snapshot == NULL && account->balance == NULL)
    {
      g_autoptr(GError) missing = NULL;
      g_autoptr(JsonNode) error_doc = NULL;
      const GError *error = account->error;

      if (error == NULL)
        error = missing = missing_outcome_error ();
      error_doc = mq_report_build_error_json (error);
      json_object_set_member (entry, "error",
                              json_node_copy (json_object_get_member (json_node_get_object (error_doc),
                                                                      "error")));
    }
  else
    json_object_set_null_member (entry, "error");

  return entry;
}

char *
mq_report_accounts_to_json (const MqReportAccount *accounts,
                            gsize                  n_accounts,
                            gboolean               with_array,
                            gint64                 now_ms)
{
  g_autoptr(JsonObject) top = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (accounts != NULL && n_accounts > 0, NULL);

  top = account_report (&accounts[0], now_ms);

  if (with_array)
    {
      JsonArray *array = json_array_new ();

      for (gsize i = 0; i < n_accounts; i++)
        json_array_add_object_element (array, account_entry (&accounts[i], now_ms));
      json_object_set_array_member (top, "accounts", array);
    }

  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, top);
  return mq_report_node_to_string (root);
}

int
mq_report_accounts_exit_status (const MqReportAccount *accounts,
                                gsize                  n_accounts)
{
  int worst = 0;

  for (gsize i = 0; i < n_accounts; i++)
    {
      int status = 0;

      if (accounts[i].error != NULL)
        status = mq_error_exit_code (accounts[i].error);
      else if (accounts[i].snapshot == NULL && accounts[i].balance == NULL)
        {
          g_autoptr(GError) missing = missing_outcome_error ();

          status = mq_error_exit_code (missing);
        }
      worst = MAX (worst, status);
    }

  return worst;
}

/* ------------------------------------------------------------------ */
/* Text                                                                 */
/* ------------------------------------------------------------------ */

char *
mq_report_plan_label (MqSnapshot *snapshot)
{
  const char *name = NULL;
  gboolean inferred = FALSE;

  if (snapshot == NULL || !mq_snapshot_get_plan (snapshot, &name, &inferred) || name == NULL)
    return NULL;

  if (inferred)
    /* Translators: %s is a plan's name ("Plus"), guessed from its allowance */
    return g_strdup_printf (_("%s plan (inferred)"), name);
  /* Translators: %s is a plan's name ("Max"), as the server reported it */
  return g_strdup_printf (_("%s plan"), name);
}

char *
mq_report_account_title (const MqReportAccount *account)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (account != NULL, NULL);

  if (account->key_kind == MQ_KEY_KIND_PAY_AS_YOU_GO)
    /* Translators: beside an account's name: its key pays as it goes */
    label = g_strdup (_("pay-as-you-go"));
  else
    label = mq_report_plan_label (account->snapshot);

  if (label == NULL)
    return g_strdup (account->name);
  /* Translators: an account's title: its name — its plan */
  return g_strdup_printf (_("%s — %s"), account->name, label);
}

/* @value as money in @currency, kept in *@slot (its old text freed)
 * until the next call. */
static const char *
money_text (char       **slot,
            double       value,
            const char  *currency)
{
  g_free (*slot);
  *slot = mq_balance_format_amount (value, currency);
  return *slot;
}

char *
mq_report_balance_to_text (MqBalance *balance)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *money = NULL;
  const char *currency;
  double value;
  gboolean alert_known;

  g_return_val_if_fail (balance != NULL, NULL);

  currency = mq_balance_get_currency (balance);

  if (mq_balance_get_amount (balance, MQ_BALANCE_AVAILABLE, &value))
    /* Translators: %s is an amount of money ("$25.40") */
    g_string_append_printf (out, _("Balance: %s available"), money_text (&money, value, currency));
  else
    g_string_append (out, _("Balance: the available amount is not known"));

  if (mq_balance_get_amount (balance, MQ_BALANCE_CASH, &value))
    {
      /* Translators: part of the balance: %s is an amount of money */
      g_ptr_array_add (parts, g_strdup_printf (_("cash %s"), money_text (&money, value, currency)));
    }
  if (mq_balance_get_amount (balance, MQ_BALANCE_VOUCHER, &value))
    {
      /* Translators: part of the balance: %s is an amount of money */
      g_ptr_array_add (parts, g_strdup_printf (_("voucher %s"), money_text (&money, value, currency)));
    }
  if (mq_balance_get_amount (balance, MQ_BALANCE_CREDIT, &value))
    {
      /* Translators: part of the balance: %s is an amount of money */
      g_ptr_array_add (parts, g_strdup_printf (_("credit %s"), money_text (&money, value, currency)));
    }
  if (parts->len > 0)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (parts, NULL);
      joined = g_strjoinv (", ", (char **) parts->pdata);
      g_string_append_printf (out, " (%s)", joined);
    }
  g_string_append_c (out, '\n');

  if (mq_balance_get_amount (balance, MQ_BALANCE_OWED, &value) && value != 0.0)
    {
      /* Translators: %s is an amount of money owed to MiniMax */
      g_string_append_printf (out, _("Owed: %s"), money_text (&money, value, currency));
      g_string_append_c (out, '\n');
    }

  if (mq_balance_get_alert_enabled (balance, &alert_known) &&
      mq_balance_get_amount (balance, MQ_BALANCE_ALERT_THRESHOLD, &value))
    {
      /* Translators: the account's own low-balance alert; %s is an amount */
      g_string_append_printf (out, _("Alert below %s"), money_text (&money, value, currency));
      g_string_append_c (out, '\n');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_account (GString               *out,
                const MqReportAccount *account,
                gint64                 now_ms,
                gboolean               color)
{
  if (account->snapshot != NULL)
    {
      g_autofree char *table =
        mq_report_to_text_with_forecasts (account->snapshot, NULL, NULL, account->forecasts,
                                          account->n_forecasts, now_ms, color);

      g_string_append (out, table);
    }
  else if (account->balance != NULL)
    {
      g_autofree char *text = mq_report_balance_to_text (account->balance);

      g_string_append (out, text);
    }
  else
    {
      g_autoptr(GError) missing = NULL;
      const GError *error = account->error;

      if (error == NULL)
        error = missing = missing_outcome_error ();
      g_string_append (out, error->message);
      g_string_append_c (out, '\n');
    }
}

char *
mq_report_accounts_to_text (const MqReportAccount *accounts,
                            gsize                  n_accounts,
                            gboolean               with_titles,
                            gint64                 now_ms,
                            gboolean               color)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean ascii = !g_get_charset (NULL);

  g_return_val_if_fail (accounts != NULL || n_accounts == 0, NULL);

  for (gsize i = 0; i < n_accounts; i++)
    {
      if (with_titles)
        {
          g_autofree char *title = mq_report_account_title (&accounts[i]);

          if (i > 0)
            g_string_append_c (out, '\n');
          if (ascii)
            {
              g_autofree char *plain = mq_wording_to_ascii (title);

              g_string_append (out, plain);
            }
          else
            g_string_append (out, title);
          g_string_append_c (out, '\n');
        }
      append_account (out, &accounts[i], now_ms, color);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
