/* mq-preferences-window-private.h: a test hook of MqPreferencesWindow
 *
 * Points the real regions' hosts at loopback servers for the key check, so
 * that tests see which region's hosts a key is checked against (the
 * production code path, mq_config_apply_to_client(), unchanged).
 */
#pragma once

#include "mq-preferences-window.h"

G_BEGIN_DECLS

/* The base URLs of @region (GLOBAL or CN) for later key checks, in the
 * order to try; NULL restores the region's own (mq_client_override_hosts()). */
void mq_preferences_window_override_hosts (MqPreferencesWindow *self,
                                           MqRegion             region,
                                           const char * const  *base_urls);

G_END_DECLS
