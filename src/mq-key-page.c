/* mq-key-page.c: where a user gets a Token Plan key */
#define G_LOG_DOMAIN "mq-key-page"

#include "config.h"

#include "mq-key-page.h"

const char *
mq_key_page_url (MqRegion region,
                 MqRegion remembered)
{
  if (region == MQ_REGION_AUTO)
    region = remembered;

  /* Keys are made on the usage page (mq-region holds the URLs). */
  return mq_region_get_usage_url (region);
}
