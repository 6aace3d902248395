/* test-region.c: the platform pages of each region (mq-region, mq-key-page)
 *
 * The usage page (the dashboard, "Get a key") and the subscribe page
 * ("Upgrade plan…") are different pages; each is written in one place. */
#include "config.h"

#include <glib.h>

#include "mq-key-page.h"
#include "mq-region.h"

#define USAGE_GLOBAL "https://platform.minimax.io/user-center/payment/token-plan"
#define USAGE_CN     "https://platform.minimax.cn/user-center/payment/token-plan"
#define PLAN_GLOBAL  "https://platform.minimax.io/subscribe/token-plan"
#define PLAN_CN      "https://platform.minimax.cn/subscribe/token-plan"

static void
test_usage_url (void)
{
  g_assert_cmpstr (mq_region_get_usage_url (MQ_REGION_GLOBAL), ==, USAGE_GLOBAL);
  g_assert_cmpstr (mq_region_get_usage_url (MQ_REGION_CN), ==, USAGE_CN);
  g_assert_cmpstr (mq_region_get_usage_url (MQ_REGION_AUTO), ==, USAGE_GLOBAL);
}

static void
test_plan_url (void)
{
  g_assert_cmpstr (mq_region_get_plan_url (MQ_REGION_GLOBAL), ==, PLAN_GLOBAL);
  g_assert_cmpstr (mq_region_get_plan_url (MQ_REGION_CN), ==, PLAN_CN);
  g_assert_cmpstr (mq_region_get_plan_url (MQ_REGION_AUTO), ==, PLAN_GLOBAL);
}

/* "Get a key" is the region's usage page: the same string, not a copy. */
static void
test_key_page_is_usage_page (void)
{
  const MqRegion regions[] = { MQ_REGION_AUTO, MQ_REGION_GLOBAL, MQ_REGION_CN };

  for (gsize i = 0; i < G_N_ELEMENTS (regions); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (regions); j++)
      {
        MqRegion region = regions[i] == MQ_REGION_AUTO ? regions[j] : regions[i];

        g_assert_true (mq_key_page_url (regions[i], regions[j]) ==
                       mq_region_get_usage_url (region));
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/region/usage-url", test_usage_url);
  g_test_add_func ("/region/plan-url", test_plan_url);
  g_test_add_func ("/region/key-page-is-usage-page", test_key_page_is_usage_page);

  return g_test_run ();
}
