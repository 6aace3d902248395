/* mq-key-page.c: where a user gets a Token Plan key */
#include "config.h"

#include "mq-key-page.h"

#define KEY_PAGE_PATH "/user-center/payment/token-plan"

const char *
mq_key_page_url (MqRegion region,
                 MqRegion remembered)
{
  if (region == MQ_REGION_AUTO)
    region = remembered;

  if (region == MQ_REGION_CN)
    return "https://platform.minimax.cn" KEY_PAGE_PATH;

  return "https://platform.minimax.io" KEY_PAGE_PATH;
}
