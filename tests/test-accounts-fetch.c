/* test-accounts-fetch.c: several keys against one loopback server that answers per key
 *
 * Two Token Plan keys and a pay-as-you-go key, each fetched by its own
 * MqClient as the accounts are: each gets its own answer (quota or
 * balance), an unknown key is rejected, and no key reaches an error
 * message or a log line.
 */
#include "config.h"

#include <string.h>

#include "mq-account.h"
#include "mq-client.h"
#include "mq-client-private.h"
#include "mq-error.h"
#include "mq-test-server.h"
#include "mq-test-util.h"

#define KEY_TEAM_A   "sk-cp-team-a-0123456789abcdef"
#define KEY_TEAM_B   "sk-cp-team-b-fedcba9876543210"
#define KEY_PAYG     "sk-api-payg-00112233445566778899"
#define KEY_UNKNOWN  "sk-cp-nobody-knows-this-key-000"

static const char * const all_keys[] = { KEY_TEAM_A, KEY_TEAM_B, KEY_PAYG, KEY_UNKNOWN, NULL };

static GString  *captured_logs;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      {
        g_string_append (captured_logs, fields[i].value);
        g_string_append_c (captured_logs, '\n');
      }
  if (log_level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
assert_no_key_in (const char *text)
{
  for (guint i = 0; all_keys[i] != NULL; i++)
    g_assert_null (strstr (text, all_keys[i]));
}

static MqClient *
client_for (const char *key,
            const char *base_url,
            MqRegion    region)
{
  g_autoptr(GError) error = NULL;
  MqClient *client = mq_client_new ();

  mq_client_set_api_key (client, key);
  mq_client_set_region (client, region);
  mq_client_set_timeouts (client, 5, 10);
  if (base_url != NULL)
    {
      g_assert_true (mq_client_set_base_url (client, base_url, &error));
      g_assert_no_error (error);
    }
  return client;
}

static MqSnapshot *
fetch_quota (MqClient  *client,
             GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_client_fetch_async (client, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_client_fetch_finish (client, result, error);
}

static MqBalance *
fetch_balance (MqClient  *client,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  guint retry_after = G_MAXUINT;
  MqBalance *balance;

  mq_client_fetch_balance_async (client, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  balance = mq_client_fetch_balance_finish (client, result, &retry_after, error);
  g_assert_cmpuint (retry_after, ==, 0);
  return balance;
}

/* The fetch an account's key kind calls for. */
static gboolean
fetch_account (MqClient    *client,
               const char  *key,
               MqSnapshot **out_snapshot,
               MqBalance  **out_balance,
               GError     **error)
{
  *out_snapshot = NULL;
  *out_balance = NULL;
  if (mq_key_kind_for_key (key) == MQ_KEY_KIND_PAY_AS_YOU_GO)
    *out_balance = fetch_balance (client, error);
  else
    *out_snapshot = fetch_quota (client, error);
  return *out_snapshot != NULL || *out_balance != NULL;
}

static void
serve_accounts (MqTestServer *server)
{
  mq_test_server_set_key_route_fixture (server, MQ_PATH_CURRENT, KEY_TEAM_A, 200,
                                        "current-percent-plan.json");
  mq_test_server_set_key_route_fixture (server, MQ_PATH_CURRENT, KEY_TEAM_B, 200,
                                        "legacy-counts-cn.json");
  mq_test_server_set_key_route_fixture (server, MQ_PATH_BALANCE, KEY_PAYG, 200,
                                        "balance-strings.json");
}

/* Two Token Plan accounts and a pay-as-you-go one, side by side. */
static void
test_three_accounts (void)
{
  g_autoptr(MqTestServer) server = mq_test_server_new ();
  g_autofree char *base_url = mq_test_server_get_base_url (server);
  const char * const keys[] = { KEY_TEAM_A, KEY_TEAM_B, KEY_PAYG };
  MqSnapshot *snapshots[3] = { NULL };
  MqBalance *balances[3] = { NULL };
  const char *plan = NULL;
  gboolean inferred = FALSE;
  double available = 0;

  serve_accounts (server);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(MqClient) client = client_for (keys[i], base_url,
                                               i == 1 ? MQ_REGION_CN : MQ_REGION_GLOBAL);
      g_autoptr(GError) error = NULL;

      g_assert_true (fetch_account (client, keys[i], &snapshots[i], &balances[i], &error));
      g_assert_no_error (error);
    }

  /* Each key got its own answer. */
  g_assert_nonnull (snapshots[0]);
  g_assert_nonnull (mq_snapshot_find_model (snapshots[0], "general"));
  g_assert_nonnull (snapshots[1]);
  g_assert_nonnull (mq_snapshot_find_model (snapshots[1], "MiniMax-M*"));
  g_assert_null (mq_snapshot_find_model (snapshots[1], "general"));
  /* The old count-based China answer: 4,500 model calls, Max (a guess). */
  g_assert_true (mq_snapshot_get_plan (snapshots[1], &plan, &inferred));
  g_assert_cmpstr (plan, ==, "Max");
  g_assert_true (inferred);

  g_assert_null (snapshots[2]);
  g_assert_nonnull (balances[2]);
  g_assert_true (mq_balance_get_amount (balances[2], MQ_BALANCE_AVAILABLE, &available));
  g_assert_cmpfloat_with_epsilon (available, 25.4, 1e-9);
  g_assert_cmpstr (mq_balance_get_currency (balances[2]), ==, "USD");

  /* One request each, on the path its kind calls for. */
  g_assert_cmpuint (mq_test_server_get_key_hits (server, MQ_PATH_CURRENT, KEY_TEAM_A), ==, 1);
  g_assert_cmpuint (mq_test_server_get_key_hits (server, MQ_PATH_CURRENT, KEY_TEAM_B), ==, 1);
  g_assert_cmpuint (mq_test_server_get_key_hits (server, MQ_PATH_CURRENT, KEY_PAYG), ==, 0);
  g_assert_cmpuint (mq_test_server_get_key_hits (server, MQ_PATH_BALANCE, KEY_PAYG), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_clear_pointer (&snapshots[i], mq_snapshot_unref);
      g_clear_pointer (&balances[i], mq_balance_unref);
    }
}

/* A failing account beside good ones: an unknown key and a key asked on
 * the wrong endpoint are rejected, the others still answer. */
static void
test_failing_account (void)
{
  g_autoptr(MqTestServer) server = mq_test_server_new ();
  g_autofree char *base_url = mq_test_server_get_base_url (server);
  g_autoptr(MqClient) unknown = client_for (KEY_UNKNOWN, base_url, MQ_REGION_GLOBAL);
  g_autoptr(MqClient) good = client_for (KEY_TEAM_A, base_url, MQ_REGION_GLOBAL);
  g_autoptr(MqClient) token_as_balance = client_for (KEY_TEAM_B, base_url, MQ_REGION_GLOBAL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(MqBalance) balance = NULL;

  serve_accounts (server);

  snapshot = fetch_quota (unknown, &error);
  g_assert_null (snapshot);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  assert_no_key_in (error->message);
  g_clear_error (&error);

  snapshot = fetch_quota (good, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);

  /* The balance endpoint does not know a Token Plan key. */
  balance = fetch_balance (token_as_balance, &error);
  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  assert_no_key_in (error->message);
}

/* The balance endpoint's errors are read as the quota endpoint's:
 * HTTP 429 with Retry-After, a web page, a 1004. */
static void
test_balance_errors (void)
{
  g_autoptr(MqTestServer) server = mq_test_server_new ();
  g_autofree char *base_url = mq_test_server_get_base_url (server);
  g_autoptr(MqClient) client = client_for (KEY_PAYG, base_url, MQ_REGION_GLOBAL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  guint retry_after = 0;
  MqBalance *balance;

  mq_test_server_set_route (server, MQ_PATH_BALANCE, 429, "application/json", "{}", -1);
  mq_test_server_set_header (server, MQ_PATH_BALANCE, "Retry-After", "90");
  mq_client_fetch_balance_async (client, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  balance = mq_client_fetch_balance_finish (client, result, &retry_after, &error);
  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (retry_after, ==, 90);
  g_clear_error (&error);

  mq_test_server_set_header (server, MQ_PATH_BALANCE, "Retry-After", NULL);
  mq_test_server_set_route_fixture (server, MQ_PATH_BALANCE, 403, "cloudflare-403.html");
  balance = fetch_balance (client, &error);
  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE);
  g_clear_error (&error);

  mq_test_server_set_route_fixture (server, MQ_PATH_BALANCE, 200, "error-1004-no-key.json");
  balance = fetch_balance (client, &error);
  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  g_assert_nonnull (strstr (error->message, "sk-api-"));
  g_clear_error (&error);

  /* The size cap holds for balances too. */
  mq_client_set_max_body_size (client, 64);
  mq_test_server_set_route_fixture (server, MQ_PATH_BALANCE, 200, "balance-strings.json");
  balance = fetch_balance (client, &error);
  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE);
  g_clear_error (&error);
  mq_client_set_max_body_size (client, 0);

  /* No legacy path is tried for a balance. */
  g_assert_cmpuint (mq_test_server_get_hits (server, MQ_PATH_LEGACY_1), ==, 0);
  g_assert_cmpuint (mq_test_server_get_hits (server, MQ_PATH_LEGACY_2), ==, 0);
}

/* Region auto: the global hosts reject the key, the China host answers;
 * the balance is then in CNY and the region remembered. */
static void
test_balance_auto_region (void)
{
  g_autoptr(MqTestServer) global = mq_test_server_new ();
  g_autoptr(MqTestServer) cn = mq_test_server_new ();
  g_autofree char *global_url = mq_test_server_get_base_url (global);
  g_autofree char *cn_url = mq_test_server_get_base_url (cn);
  const char *global_hosts[] = { global_url, NULL };
  const char *cn_hosts[] = { cn_url, NULL };
  g_autoptr(MqClient) client = client_for (KEY_PAYG, NULL, MQ_REGION_AUTO);
  g_autoptr(GError) error = NULL;
  g_autoptr(MqBalance) balance = NULL;
  double owed = 0;

  mq_client_override_hosts (client, MQ_REGION_GLOBAL, global_hosts);
  mq_client_override_hosts (client, MQ_REGION_CN, cn_hosts);
  /* Global knows other keys only: 2049 for this one. */
  mq_test_server_set_key_route_fixture (global, MQ_PATH_BALANCE, KEY_TEAM_A, 200, "balance-strings.json");
  mq_test_server_set_key_route_fixture (cn, MQ_PATH_BALANCE, KEY_PAYG, 200, "balance-numbers-owed.json");

  balance = fetch_balance (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (balance);
  g_assert_cmpstr (mq_balance_get_currency (balance), ==, "CNY");
  g_assert_true (mq_balance_get_amount (balance, MQ_BALANCE_OWED, &owed));
  g_assert_cmpfloat (owed, ==, -3.5);
  g_assert_cmpint (mq_client_get_resolved_region (client), ==, MQ_REGION_CN);
  g_assert_cmpuint (mq_test_server_get_key_hits (global, MQ_PATH_BALANCE, KEY_PAYG), ==, 1);
  g_assert_cmpuint (mq_test_server_get_key_hits (cn, MQ_PATH_BALANCE, KEY_PAYG), ==, 1);
}

/* Every fetch above ran with debug logging on: no key in any line. */
static void
test_no_key_in_logs (void)
{
  g_assert_cmpuint (captured_logs->len, >, 0);
  assert_no_key_in (captured_logs->str);
}

int
main (int    argc,
      char **argv)
{
  int status;

  mq_test_unset_proxies ();
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, NULL);
  captured_logs = g_string_new (NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

  g_test_add_func ("/accounts-fetch/three-accounts", test_three_accounts);
  g_test_add_func ("/accounts-fetch/failing-account", test_failing_account);
  g_test_add_func ("/accounts-fetch/balance-errors", test_balance_errors);
  g_test_add_func ("/accounts-fetch/balance-auto-region", test_balance_auto_region);
  g_test_add_func ("/accounts-fetch/no-key-in-logs", test_no_key_in_logs);

  status = g_test_run ();
  g_string_free (captured_logs, TRUE);
  return status;
}
