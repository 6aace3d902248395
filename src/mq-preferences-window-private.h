/* mq-preferences-window-private.h: test hooks of MqPreferencesWindow
 *
 * Points the real regions' hosts at loopback servers for the key check, so
 * that tests see which region's hosts a key is checked against (the
 * production code path, mq_config_apply_account_to_client(), unchanged),
 * and hands out the "Add Account" dialog, whose parts tests fill in.
 */
#pragma once

#include "mq-account-dialog.h"
#include "mq-preferences-window.h"

G_BEGIN_DECLS

/* The base URLs of @region (GLOBAL or CN) for later key checks, in the
 * order to try; NULL restores the region's own (mq_client_override_hosts()). */
void mq_preferences_window_override_hosts (MqPreferencesWindow *self,
                                           MqRegion             region,
                                           const char * const  *base_urls);

/* The "Add Account" dialog (made with the window, shown by its button). */
MqAccountDialog *mq_preferences_window_get_account_dialog (MqPreferencesWindow *self);

G_END_DECLS
