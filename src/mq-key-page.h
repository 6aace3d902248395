/* mq-key-page.h: where a user gets a Token Plan key
 *
 * Pure: no GTK, no I/O. Beside the key field of Preferences ("Get a key").
 */
#pragma once

#include "mq-region.h"

G_BEGIN_DECLS

/* The Token Plan usage page of the user centre (mq_region_get_usage_url()),
 * where keys are made and the
 * usage is shown: the CN platform for @region CN, or for AUTO when
 * @remembered (the region that answered last) is CN; the global one
 * otherwise. */
const char *mq_key_page_url (MqRegion region,
                             MqRegion remembered);

G_END_DECLS
