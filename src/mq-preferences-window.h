/* mq-preferences-window.h: the preferences window
 *
 * A GtkWindow built from the template ui/preferences-window.ui in the
 * GResource, bound to the GSettings of the application. Its accounts are
 * those of MqAccounts (mq-accounts.h): listed with their region, renamed,
 * removed after asking, added with a key checked by a real fetch first.
 * A key is stored in the keyring only; it never goes to the settings, to
 * the screen or to a log. Closing the window hides it, for the next
 * present.
 *
 * The window is a toplevel: GTK owns it. Destroy it with
 * gtk_widget_destroy().
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-config.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_PREFERENCES_WINDOW_RESOURCE \
  "/io/github/leewayapp/Leeway/ui/preferences-window.ui"

#define MQ_TYPE_PREFERENCES_WINDOW (mq_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (MqPreferencesWindow, mq_preferences_window, MQ, PREFERENCES_WINDOW, GtkWindow)

/* @app (nullable) owns the window. @config is the application's resolved
 * connection: a key is checked where the application asks (its region,
 * --region included, its base URL), the "Using the key from …" line names
 * the variable it takes a key from, and the region that answered is
 * remembered through it. */
MqPreferencesWindow *mq_preferences_window_new          (GtkApplication      *app,
                                                         GSettings           *settings,
                                                         MqConfig            *config);

/* Shows the window (again); with @focus_key "Add Account…" takes the
 * focus. */
void                 mq_preferences_window_present      (MqPreferencesWindow *self,
                                                         gboolean             focus_key);

/* Offers the models of @snapshot (nullable: nothing known yet) that are in
 * the plan in "Icon shows", beside the text models. A stored choice that is
 * not in the plan stays listed, and says so. */
void                 mq_preferences_window_set_snapshot (MqPreferencesWindow *self,
                                                         MqSnapshot          *snapshot);

/* Signal "accounts-changed": an account was added, renamed or removed, or
 * its region changed (MqAccounts::changed, so also a change made
 * elsewhere); every key concerned is already in the keyring. Reload the
 * accounts (mq_accounts_load_async()).
 *
 * Signal "key-changed" (const char *key): a key passed the check but no
 * keyring took it; it is to be used for this session only (as the one
 * key, the way an environment key is). Not emitted for stored accounts:
 * see "accounts-changed". The string is only valid during the emission,
 * and must never be logged. */

G_END_DECLS
