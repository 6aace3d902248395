/* test-balance.c: a pay-as-you-go key's balance, parsed and printed as money */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "mq-balance.h"
#include "mq-error.h"

#define NOW_MS G_GINT64_CONSTANT (1780924400000)
#define OK_RESP "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}"

static MqBalance *
parse (const char  *json,
       MqRegion     region,
       GError     **error)
{
  return mq_balance_parse (json, strlen (json), NOW_MS, region, error);
}

static MqBalance *
parse_ok (const char *json,
          MqRegion    region)
{
  g_autoptr(GError) error = NULL;
  MqBalance *balance = parse (json, region, &error);

  g_assert_no_error (error);
  g_assert_nonnull (balance);
  return balance;
}

static MqBalance *
parse_fixture (const char *name,
               MqRegion    region)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return parse_ok (contents, region);
}

static void
assert_amount (MqBalance       *balance,
               MqBalanceAmount  which,
               double           expected)
{
  double value = -12345;

  g_assert_true (mq_balance_get_amount (balance, which, &value));
  g_assert_cmpfloat_with_epsilon (value, expected, 1e-9);
}

static void
assert_missing (MqBalance       *balance,
                MqBalanceAmount  which)
{
  double value = -12345;

  g_assert_false (mq_balance_get_amount (balance, which, &value));
  g_assert_cmpfloat (value, ==, 0);
}

static void
test_strings (void)
{
  g_autoptr(MqBalance) balance = parse_fixture ("balance-strings.json", MQ_REGION_GLOBAL);
  gboolean known = FALSE;

  assert_amount (balance, MQ_BALANCE_AVAILABLE, 25.4);
  assert_amount (balance, MQ_BALANCE_CASH, 20.0);
  assert_amount (balance, MQ_BALANCE_VOUCHER, 5.4);
  assert_amount (balance, MQ_BALANCE_CREDIT, 0);
  assert_amount (balance, MQ_BALANCE_OWED, 0);
  assert_amount (balance, MQ_BALANCE_ALERT_THRESHOLD, 10);
  g_assert_true (mq_balance_get_alert_enabled (balance, &known));
  g_assert_true (known);
  g_assert_cmpstr (mq_balance_get_currency (balance), ==, "USD");
  g_assert_cmpint (mq_balance_get_region (balance), ==, MQ_REGION_GLOBAL);
  g_assert_cmpint (mq_balance_get_fetched_at_ms (balance), ==, NOW_MS);
}

static void
test_numbers_negative_owed (void)
{
  g_autoptr(MqBalance) balance = parse_fixture ("balance-numbers-owed.json", MQ_REGION_CN);
  gboolean known = FALSE;

  assert_amount (balance, MQ_BALANCE_AVAILABLE, 0);
  assert_amount (balance, MQ_BALANCE_CASH, -3.5);
  assert_amount (balance, MQ_BALANCE_OWED, -3.5);
  assert_amount (balance, MQ_BALANCE_CREDIT, 1200.25);
  assert_amount (balance, MQ_BALANCE_ALERT_THRESHOLD, 5);
  g_assert_false (mq_balance_get_alert_enabled (balance, &known));
  g_assert_true (known);
  g_assert_cmpstr (mq_balance_get_currency (balance), ==, "CNY");
}

/* Missing fields, and fields of the wrong kind, are unknown. */
static void
test_missing_and_bad_fields (void)
{
  g_autoptr(MqBalance) balance = NULL;
  g_autoptr(MqBalance) wrapped = NULL;
  g_autoptr(MqBalance) auto_region = NULL;
  gboolean known = TRUE;

  balance = parse_ok ("{\"available_amount\":\"7.5\",\"cash_balance\":\"0x10\",\"voucher_balance\":{},"
                      "\"credit_balance\":\"inf\",\"owed_amount\":null,\"balance_alert_switch\":\"yes\","
                      "\"balance_alert_threshold\":\"\"," OK_RESP "}", MQ_REGION_GLOBAL);
  assert_amount (balance, MQ_BALANCE_AVAILABLE, 7.5);
  assert_missing (balance, MQ_BALANCE_CASH);
  assert_missing (balance, MQ_BALANCE_VOUCHER);
  assert_missing (balance, MQ_BALANCE_CREDIT);
  assert_missing (balance, MQ_BALANCE_OWED);
  assert_missing (balance, MQ_BALANCE_ALERT_THRESHOLD);
  g_assert_false (mq_balance_get_alert_enabled (balance, &known));
  g_assert_false (known);

  /* The web variant, inside "data"; a switch given as 1; no base_resp. */
  wrapped = parse_ok ("{\"data\":{\"cash_balance\":1e3,\"balance_alert_switch\":1}}", MQ_REGION_GLOBAL);
  assert_amount (wrapped, MQ_BALANCE_CASH, 1000);
  assert_missing (wrapped, MQ_BALANCE_AVAILABLE);
  g_assert_true (mq_balance_get_alert_enabled (wrapped, &known));
  g_assert_true (known);

  /* No region that answered: no currency. */
  auto_region = parse_ok ("{\"available_amount\":1," OK_RESP "}", MQ_REGION_AUTO);
  g_assert_null (mq_balance_get_currency (auto_region));
}

static void
assert_error (const char *json,
              MqError     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqBalance) balance = parse (json, MQ_REGION_GLOBAL, &error);

  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, (gint) code);
}

static void
test_errors (void)
{
  /* No amount at all (a threshold alone is no balance). */
  assert_error ("{" OK_RESP "}", MQ_ERROR_UNREADABLE);
  assert_error ("{\"balance_alert_threshold\":3," OK_RESP "}", MQ_ERROR_UNREADABLE);
  assert_error ("{\"available_amount\":\"1e400\"," OK_RESP "}", MQ_ERROR_UNREADABLE);
  assert_error ("[]", MQ_ERROR_UNREADABLE);
  assert_error ("{\"available_amount\":", MQ_ERROR_UNREADABLE);
  assert_error ("", MQ_ERROR_UNREADABLE);
  /* base_resp as elsewhere. */
  assert_error ("{\"available_amount\":1,\"base_resp\":{\"status_code\":1004}}", MQ_ERROR_KEY_REJECTED);
  assert_error ("{\"base_resp\":{\"status_code\":2049,\"status_msg\":\"invalid api key\"}}", MQ_ERROR_KEY_REJECTED);
  assert_error ("{\"base_resp\":{\"status_code\":1002}}", MQ_ERROR_RATE_LIMITED);
  assert_error ("{\"base_resp\":{\"status_code\":1000}}", MQ_ERROR_SERVER);

  /* A rejected key is said to be a pay-as-you-go key here. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MqBalance) balance = parse ("{\"base_resp\":{\"status_code\":1004}}", MQ_REGION_GLOBAL, &error);

    g_assert_null (balance);
    g_assert_nonnull (strstr (error->message, "sk-api-"));
  }
}

static void
assert_money (double      amount,
              const char *currency,
              const char *expected)
{
  g_autofree char *text = mq_balance_format_amount (amount, currency);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format (void)
{
  assert_money (25.4, "USD", "$25.40");
  assert_money (0, "USD", "$0.00");
  assert_money (-0.0, "USD", "$0.00");
  assert_money (-3.5, "USD", "-$3.50");
  assert_money (-0.001, "USD", "$0.00");
  assert_money (1.005, "CNY", "¥1.01");
  assert_money (1200.25, "CNY", "¥1200.25");
  assert_money (7, NULL, "7.00");
  assert_money (7, "EUR", "7.00 EUR");
  assert_money (0.1 + 0.2, "USD", "$0.30");

  g_assert_cmpstr (mq_balance_amount_to_string (MQ_BALANCE_AVAILABLE), ==, "available");
  g_assert_cmpstr (mq_balance_amount_to_string (MQ_BALANCE_ALERT_THRESHOLD), ==, "alert_threshold");
  g_assert_cmpstr (mq_balance_currency_for_region (MQ_REGION_CN), ==, "CNY");
}

/* The locale's decimal point and digit grouping, when a locale other than
 * C is installed. */
static void
test_format_locale (void)
{
  const char *locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "zh_CN.UTF-8", "zh_CN.utf8", NULL };
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  const char *used = NULL;
  struct lconv *conv;
  g_autofree char *text = NULL;
  g_autofree char *decimals = NULL;

  for (guint i = 0; locales[i] != NULL && used == NULL; i++)
    used = setlocale (LC_NUMERIC, locales[i]);

  if (used == NULL)
    {
      g_test_skip ("no de_DE, fr_FR or zh_CN locale installed");
      return;
    }

  conv = localeconv ();
  text = mq_balance_format_amount (1234567.5, "USD");
  decimals = g_strconcat (conv->decimal_point, "50", NULL);
  g_test_message ("%s: %s", used, text);
  g_assert_true (g_str_has_suffix (text, decimals));
  if (conv->thousands_sep != NULL && *conv->thousands_sep != '\0' &&
      conv->grouping != NULL && conv->grouping[0] == 3)
    {
      g_autofree char *grouped = g_strconcat ("1", conv->thousands_sep, "234",
                                              conv->thousands_sep, "567", NULL);

      g_assert_nonnull (strstr (text, grouped));
    }

  setlocale (LC_NUMERIC, saved);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/balance/strings", test_strings);
  g_test_add_func ("/balance/numbers-negative-owed", test_numbers_negative_owed);
  g_test_add_func ("/balance/missing-and-bad-fields", test_missing_and_bad_fields);
  g_test_add_func ("/balance/errors", test_errors);
  g_test_add_func ("/balance/format", test_format);
  g_test_add_func ("/balance/format-locale", test_format_locale);

  return g_test_run ();
}
