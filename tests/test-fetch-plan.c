/* test-fetch-plan.c: the host × path plan of one fetch, without a network */
#include "config.h"

#include "mq-error.h"
#include "mq-fetch-plan.h"

static const char * const paths[] = { "/current", "/legacy-1", "/legacy-2", NULL };

/* "host/path" of the current attempt. */
static char *
attempt (MqFetchPlan *plan)
{
  return g_strconcat (mq_fetch_plan_get_host_name (plan), mq_fetch_plan_get_path (plan), NULL);
}

static void
assert_next (MqFetchPlan *plan,
             const char  *expected)
{
  g_autofree char *here = NULL;

  g_assert_true (mq_fetch_plan_next (plan));
  here = attempt (plan);
  g_assert_cmpstr (here, ==, expected);
}

static gboolean
fail (MqFetchPlan *plan,
      MqError      code,
      guint        status)
{
  return mq_fetch_plan_fail (plan, g_error_new_literal (MQ_ERROR, code, "x"), status);
}

/* 404 and unreadable answers earn the host a try on the next path; a
 * dead host does not get one; a 5xx moves on to the next host only. */
static void
test_walk (void)
{
  g_autoptr(MqFetchPlan) plan = mq_fetch_plan_new (paths, FALSE);
  g_autoptr(GError) error = NULL;

  mq_fetch_plan_add_host (plan, "https://a.example", MQ_REGION_GLOBAL);
  mq_fetch_plan_add_host (plan, "https://b.example:8443", MQ_REGION_GLOBAL);
  mq_fetch_plan_add_host (plan, "https://c.example", MQ_REGION_GLOBAL);

  assert_next (plan, "a.example/current");
  g_assert_cmpstr (mq_fetch_plan_get_base_url (plan), ==, "https://a.example");
  g_assert_true (fail (plan, MQ_ERROR_SERVER, 404));
  assert_next (plan, "b.example:8443/current");
  g_assert_true (fail (plan, MQ_ERROR_NETWORK, 0));
  assert_next (plan, "c.example/current");
  g_assert_true (fail (plan, MQ_ERROR_SERVER, 503));
  assert_next (plan, "a.example/legacy-1");
  g_assert_true (fail (plan, MQ_ERROR_UNREADABLE, 200));
  assert_next (plan, "a.example/legacy-2");
  g_assert_true (fail (plan, MQ_ERROR_SERVER, 405));
  g_assert_false (mq_fetch_plan_next (plan));

  /* The most telling error: the 503, over not-found, network and unreadable. */
  error = mq_fetch_plan_take_error (plan);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_SERVER);
  g_assert_null (mq_fetch_plan_take_error (plan));
}

/* No plan and rate limiting stop the walk; a rejected key stops it
 * outside AUTO, and under AUTO skips only that region's hosts. */
static void
test_stops (void)
{
  g_autoptr(MqFetchPlan) single = mq_fetch_plan_new (paths, FALSE);
  g_autoptr(MqFetchPlan) both = mq_fetch_plan_new (paths, TRUE);
  g_autoptr(MqFetchPlan) limited = mq_fetch_plan_new (paths, TRUE);
  g_autoptr(GError) error = NULL;

  mq_fetch_plan_add_host (single, "https://a.example", MQ_REGION_GLOBAL);
  mq_fetch_plan_add_host (single, "https://b.example", MQ_REGION_GLOBAL);
  assert_next (single, "a.example/current");
  g_assert_false (fail (single, MQ_ERROR_KEY_REJECTED, 401));

  mq_fetch_plan_add_host (both, "https://g1.example", MQ_REGION_GLOBAL);
  mq_fetch_plan_add_host (both, "https://g2.example", MQ_REGION_GLOBAL);
  mq_fetch_plan_add_host (both, "https://c1.example", MQ_REGION_CN);
  assert_next (both, "g1.example/current");
  g_assert_cmpint (mq_fetch_plan_get_region (both), ==, MQ_REGION_GLOBAL);
  g_assert_true (fail (both, MQ_ERROR_KEY_REJECTED, 200));
  assert_next (both, "c1.example/current");
  g_assert_cmpint (mq_fetch_plan_get_region (both), ==, MQ_REGION_CN);
  g_assert_true (fail (both, MQ_ERROR_SERVER, 404));
  assert_next (both, "c1.example/legacy-1");
  g_assert_false (fail (both, MQ_ERROR_NO_PLAN, 200));
  error = mq_fetch_plan_take_error (both);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  g_clear_error (&error);

  mq_fetch_plan_add_host (limited, "https://g1.example", MQ_REGION_GLOBAL);
  mq_fetch_plan_add_host (limited, "https://c1.example", MQ_REGION_CN);
  assert_next (limited, "g1.example/current");
  g_assert_false (fail (limited, MQ_ERROR_RATE_LIMITED, 429));
  mq_fetch_plan_record (limited, g_error_new_literal (MQ_ERROR, MQ_ERROR_TIMEOUT, "late"));
  error = mq_fetch_plan_take_error (limited);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED);
}

static void
test_empty (void)
{
  g_autoptr(MqFetchPlan) plan = mq_fetch_plan_new (paths, FALSE);

  g_assert_false (mq_fetch_plan_next (plan));
  g_assert_null (mq_fetch_plan_take_error (plan));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetch-plan/walk", test_walk);
  g_test_add_func ("/fetch-plan/stops", test_stops);
  g_test_add_func ("/fetch-plan/empty", test_empty);

  return g_test_run ();
}
