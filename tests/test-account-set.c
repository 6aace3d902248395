/* test-account-set.c: every account fetched side by side (MqAccountSet)
 *
 * Against a loopback server that answers per key: two Token Plan
 * accounts and a pay-as-you-go one, each with its own poller; one
 * failing account leaves the others as they are and backs off alone;
 * the icon follows the tightest account, or the one chosen.
 */
#include "config.h"

#include "mq-account-set.h"
#include "mq-error.h"
#include "mq-region.h"
#include "mq-schedule.h"
#include "mq-test-server.h"
#include "mq-test-util.h"

#define KEY_TEAM_1 "sk-cp-team-one-0123456789abcdef"
#define KEY_TEAM_2 "sk-cp-team-two-fedcba9876543210"
#define KEY_PAYG   "sk-api-payg-00112233445566778899"

typedef struct {
  MqTestServer *server;
  MqConfig     *config;
  MqAccountSet *set;
  guint         n_updated[4];
  guint         n_changed;
} Fixture;

static void
on_updated (MqAccountSet *set,
            guint         index,
            Fixture      *fixture)
{
  g_assert_cmpuint (index, <, G_N_ELEMENTS (fixture->n_updated));
  fixture->n_updated[index]++;
}

static void
on_changed (MqAccountSet *set,
            Fixture      *fixture)
{
  fixture->n_changed++;
}

static GPtrArray *
three_accounts (void)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);

  g_ptr_array_add (accounts, mq_account_new ("team-1", MQ_REGION_GLOBAL, KEY_TEAM_1));
  g_ptr_array_add (accounts, mq_account_new ("team-2", MQ_REGION_GLOBAL, KEY_TEAM_2));
  g_ptr_array_add (accounts, mq_account_new ("spare", MQ_REGION_GLOBAL, KEY_PAYG));
  return accounts;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  fixture->server = mq_test_server_new ();
  base_url = mq_test_server_get_base_url (fixture->server);
  mq_test_server_set_key_route_fixture (fixture->server, MQ_PATH_CURRENT, KEY_TEAM_1, 200,
                                        "token-plan-plus-video-not-in-plan.json");
  mq_test_server_set_key_route_fixture (fixture->server, MQ_PATH_CURRENT, KEY_TEAM_2, 200,
                                        "e2e-low.json");
  mq_test_server_set_key_route_fixture (fixture->server, MQ_PATH_BALANCE, KEY_PAYG, 200,
                                        "balance-strings.json");

  fixture->config = mq_config_new (NULL, base_url, NULL, &error);
  g_assert_no_error (error);
  fixture->set = mq_account_set_new (fixture->config, NULL);
  g_signal_connect (fixture->set, "updated", G_CALLBACK (on_updated), fixture);
  g_signal_connect (fixture->set, "changed", G_CALLBACK (on_changed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->set);
  g_clear_object (&fixture->config);
  g_clear_pointer (&fixture->server, mq_test_server_free);
}

static double
headline_percent (MqSnapshot *snapshot)
{
  MqThresholds thresholds = { MQ_THRESHOLD_LOW_DEFAULT, MQ_THRESHOLD_CRITICAL_DEFAULT };
  MqHeadline headline;

  g_assert_true (mq_snapshot_get_headline (snapshot, NULL, &thresholds, &headline));
  return headline.remaining_percent;
}

/* Three accounts, one request each, each its own answer. */
static void
test_side_by_side (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = three_accounts ();
  double available = 0;

  mq_account_set_set_accounts (fixture->set, accounts);
  g_assert_cmpuint (mq_account_set_get_n_accounts (fixture->set), ==, 3);

  /* Started side by side: all three in flight at once. */
  g_assert_true (mq_account_set_get_busy (fixture->set, 0));
  g_assert_true (mq_account_set_get_busy (fixture->set, 1));
  g_assert_true (mq_account_set_get_busy (fixture->set, 2));

  mq_test_wait_count (&fixture->n_updated[0], 1, 10, "team-1");
  mq_test_wait_count (&fixture->n_updated[1], 1, 10, "team-2");
  mq_test_wait_count (&fixture->n_updated[2], 1, 10, "spare");

  g_assert_cmpstr (mq_account_set_get_name (fixture->set, 0), ==, "team-1");
  g_assert_cmpstr (mq_account_set_get_name (fixture->set, 2), ==, "spare");
  g_assert_cmpint (mq_account_set_find (fixture->set, "team-2"), ==, 1);
  g_assert_cmpint (mq_account_set_find (fixture->set, "nobody"), ==, -1);
  g_assert_cmpint (mq_account_set_get_key_kind (fixture->set, 2), ==, MQ_KEY_KIND_PAY_AS_YOU_GO);

  g_assert_nonnull (mq_account_set_get_poller (fixture->set, 0));
  g_assert_null (mq_account_set_get_balance_poller (fixture->set, 0));
  g_assert_null (mq_account_set_get_poller (fixture->set, 2));
  g_assert_nonnull (mq_account_set_get_balance_poller (fixture->set, 2));

  g_assert_nonnull (mq_account_set_get_snapshot (fixture->set, 0));
  g_assert_nonnull (mq_account_set_get_snapshot (fixture->set, 1));
  g_assert_null (mq_account_set_get_balance (fixture->set, 0));
  g_assert_null (mq_account_set_get_snapshot (fixture->set, 2));
  g_assert_nonnull (mq_account_set_get_balance (fixture->set, 2));
  g_assert_true (mq_balance_get_amount (mq_account_set_get_balance (fixture->set, 2),
                                        MQ_BALANCE_AVAILABLE, &available));
  g_assert_cmpfloat (available, >, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_no_error ((GError *) mq_account_set_get_error (fixture->set, i));
      g_assert_false (mq_account_set_get_busy (fixture->set, i));
      g_assert_cmpint (mq_account_set_get_last_success_ms (fixture->set, i), >, 0);
    }

  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_CURRENT, KEY_TEAM_1), ==, 1);
  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_CURRENT, KEY_TEAM_2), ==, 1);
  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_BALANCE, KEY_PAYG), ==, 1);
  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_CURRENT, KEY_PAYG), ==, 0);
  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_BALANCE, KEY_TEAM_1), ==, 0);
}

/* The icon follows the tightest Token Plan account, or the one chosen. */
static void
test_displayed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = three_accounts ();
  double p1, p2;

  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, -1);

  mq_account_set_set_accounts (fixture->set, accounts);
  /* Nothing fetched yet: the first account. */
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, 0);

  mq_test_wait_count (&fixture->n_updated[0], 1, 10, "team-1");
  mq_test_wait_count (&fixture->n_updated[1], 1, 10, "team-2");
  mq_test_wait_count (&fixture->n_updated[2], 1, 10, "spare");

  p1 = headline_percent (mq_account_set_get_snapshot (fixture->set, 0));
  p2 = headline_percent (mq_account_set_get_snapshot (fixture->set, 1));
  g_assert_cmpfloat (p2, <, p1);
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, 1);

  mq_account_set_set_icon_account (fixture->set, "spare");
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, 2);
  mq_account_set_set_icon_account (fixture->set, "team-1");
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, 0);
  /* A name no longer followed: back to the tightest. */
  mq_account_set_set_icon_account (fixture->set, "gone");
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, 1);
  mq_account_set_set_icon_account (fixture->set, "");
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, 1);
}

/* One account failing: the others keep their data; only it backs off. */
static void
test_one_failing (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = three_accounts ();
  const GError *error;
  gint64 delay_ok, delay_failing;

  mq_test_server_set_key_route (fixture->server, MQ_PATH_CURRENT, KEY_TEAM_2, 500,
                                "application/json", "{}", -1);
  mq_account_set_set_accounts (fixture->set, accounts);

  mq_test_wait_count (&fixture->n_updated[0], 1, 10, "team-1");
  mq_test_wait_count (&fixture->n_updated[2], 1, 10, "spare");
  while (mq_account_set_get_failures (fixture->set, 1) == 0)
    g_main_context_iteration (NULL, TRUE);

  error = mq_account_set_get_error (fixture->set, 1);
  g_assert_nonnull (error);
  g_assert_true (error->domain == MQ_ERROR);
  g_assert_null (mq_account_set_get_snapshot (fixture->set, 1));
  g_assert_cmpuint (fixture->n_updated[1], ==, 0);

  g_assert_nonnull (mq_account_set_get_snapshot (fixture->set, 0));
  g_assert_nonnull (mq_account_set_get_balance (fixture->set, 2));
  g_assert_no_error ((GError *) mq_account_set_get_error (fixture->set, 0));
  g_assert_no_error ((GError *) mq_account_set_get_error (fixture->set, 2));
  g_assert_cmpuint (mq_account_set_get_failures (fixture->set, 0), ==, 0);
  g_assert_cmpuint (mq_account_set_get_failures (fixture->set, 2), ==, 0);

  /* Its own backoff (at most the first retry's 30 s); the others keep
   * the refresh interval. */
  delay_failing = mq_account_set_get_next_delay_ms (fixture->set, 1);
  delay_ok = mq_account_set_get_next_delay_ms (fixture->set, 0);
  g_assert_cmpint (delay_failing, >, 0);
  g_assert_cmpint (delay_failing, <=, MQ_SCHEDULE_BACKOFF_BASE_S * 1000);
  g_assert_cmpint (delay_ok, >, MQ_SCHEDULE_BACKOFF_BASE_S * 1000);
  g_assert_cmpint (mq_account_set_get_next_delay_ms (fixture->set, 2), >,
                   MQ_SCHEDULE_BACKOFF_BASE_S * 1000);

  /* The tightest is taken among the accounts that have data. */
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, 0);
}

/* Each account backs off on its own: with timers scaled down, the failing
 * balance account retries again and again while the Token Plan ones wait
 * for their interval. */
static void
test_own_backoff (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = three_accounts ();

  mq_test_server_set_key_route (fixture->server, MQ_PATH_BALANCE, KEY_PAYG, 503,
                                "application/json", "{}", -1);
  /* 30 s of backoff last 3 ms; a 180 s interval 180 ms. */
  mq_account_set_set_time_scale_for_testing (fixture->set, 0.0001);
  mq_account_set_set_accounts (fixture->set, accounts);

  while (mq_account_set_get_failures (fixture->set, 2) < 3)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_BALANCE, KEY_PAYG), >=, 3);
  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_CURRENT, KEY_TEAM_1), <=, 2);
  g_assert_cmpuint (mq_account_set_get_failures (fixture->set, 0), ==, 0);
  g_assert_null (mq_account_set_get_balance (fixture->set, 2));
  g_assert_nonnull (mq_account_set_get_error (fixture->set, 2));

  /* Healed: its next fetch succeeds and resets its own count. */
  mq_test_server_set_key_route_fixture (fixture->server, MQ_PATH_BALANCE, KEY_PAYG, 200,
                                        "balance-strings.json");
  mq_test_wait_count (&fixture->n_updated[2], 1, 10, "spare healed");
  g_assert_cmpuint (mq_account_set_get_failures (fixture->set, 2), ==, 0);
  g_assert_null (mq_account_set_get_error (fixture->set, 2));
}

/* A new list keeps the members whose account is unchanged (no new
 * request) and makes the others anew. */
static void
test_list_changes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = three_accounts ();
  g_autoptr(GPtrArray) fewer = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);
  MqPoller *kept;

  mq_account_set_set_accounts (fixture->set, accounts);
  mq_test_wait_count (&fixture->n_updated[0], 1, 10, "team-1");
  mq_test_wait_count (&fixture->n_updated[1], 1, 10, "team-2");
  mq_test_wait_count (&fixture->n_updated[2], 1, 10, "spare");
  kept = mq_account_set_get_poller (fixture->set, 1);

  /* team-1 removed, team-2 kept (now first), spare's key replaced. */
  g_ptr_array_add (fewer, mq_account_new ("team-2", MQ_REGION_GLOBAL, KEY_TEAM_2));
  g_ptr_array_add (fewer, mq_account_new ("spare", MQ_REGION_GLOBAL, KEY_TEAM_1));
  fixture->n_changed = 0;
  mq_account_set_set_accounts (fixture->set, fewer);
  g_assert_cmpuint (fixture->n_changed, >=, 1);

  g_assert_cmpuint (mq_account_set_get_n_accounts (fixture->set), ==, 2);
  g_assert_true (mq_account_set_get_poller (fixture->set, 0) == kept);
  g_assert_nonnull (mq_account_set_get_snapshot (fixture->set, 0));
  g_assert_false (mq_account_set_get_busy (fixture->set, 0));
  g_assert_true (mq_account_set_get_busy (fixture->set, 1));
  g_assert_cmpint (mq_account_set_get_key_kind (fixture->set, 1), ==, MQ_KEY_KIND_TOKEN_PLAN);

  fixture->n_updated[1] = 0;
  mq_test_wait_count (&fixture->n_updated[1], 1, 10, "spare as a Token Plan key");
  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_CURRENT, KEY_TEAM_2), ==, 1);

  mq_account_set_set_accounts (fixture->set, NULL);
  g_assert_cmpuint (mq_account_set_get_n_accounts (fixture->set), ==, 0);
  g_assert_cmpint (mq_account_set_get_displayed (fixture->set), ==, -1);
}

/* "Refresh now" asks every account once more. */
static void
test_refresh_all (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = three_accounts ();

  mq_account_set_set_accounts (fixture->set, accounts);
  mq_test_wait_count (&fixture->n_updated[0], 1, 10, "team-1");
  mq_test_wait_count (&fixture->n_updated[1], 1, 10, "team-2");
  mq_test_wait_count (&fixture->n_updated[2], 1, 10, "spare");

  /* Within 5 s of the first fetch? The first fetches were not asked for,
   * so the manual floor allows this one. */
  mq_account_set_refresh (fixture->set);
  mq_test_wait_count (&fixture->n_updated[0], 2, 10, "team-1 again");
  mq_test_wait_count (&fixture->n_updated[1], 2, 10, "team-2 again");
  mq_test_wait_count (&fixture->n_updated[2], 2, 10, "spare again");
  g_assert_cmpuint (mq_test_server_get_key_hits (fixture->server, MQ_PATH_BALANCE, KEY_PAYG), ==, 2);

  /* A second click at once: the floor holds, nothing is sent. */
  mq_account_set_refresh (fixture->set);
  g_assert_false (mq_account_set_get_busy (fixture->set, 0));
  g_assert_false (mq_account_set_get_busy (fixture->set, 2));
}

/* The rule itself, without a server. */
static void
test_pick_tightest (void)
{
  MqSnapshot *none[3] = { NULL, NULL, NULL };

  g_assert_cmpint (mq_account_set_pick_tightest (none, 3, NULL, NULL), ==, -1);
  g_assert_cmpint (mq_account_set_pick_tightest (none, 0, NULL, NULL), ==, -1);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  mq_test_unset_proxies ();
  g_test_init (&argc, &argv, NULL);

  /* The pollers' "system bus" is a private one, never the machine's. */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);

#define ADD(path, func) \
  g_test_add ("/account-set/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("side-by-side", test_side_by_side);
  ADD ("displayed", test_displayed);
  ADD ("one-failing", test_one_failing);
  ADD ("own-backoff", test_own_backoff);
  ADD ("list-changes", test_list_changes);
  ADD ("refresh-all", test_refresh_all);
#undef ADD
  g_test_add_func ("/account-set/pick-tightest/none", test_pick_tightest);

  status = g_test_run ();
  g_test_dbus_down (bus);
  return status;
}
