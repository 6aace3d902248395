/* mq-preferences-window.h: the preferences window
 *
 * A GtkWindow built from the template ui/preferences-window.ui in the
 * GResource, bound to the GSettings of the application. The API key is
 * checked with a real fetch before it is used and stored in the keyring; it
 * never goes to the settings, to the screen or to a log. Closing the window
 * hides it, for the next present.
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
  "/io/github/minimaxquota/MiniMaxQuota/ui/preferences-window.ui"

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

/* Shows the window (again); with @focus_key the key entry takes the focus. */
void                 mq_preferences_window_present      (MqPreferencesWindow *self,
                                                         gboolean             focus_key);

/* Offers the models of @snapshot (nullable: nothing known yet) that are in
 * the plan in "Icon shows", beside the text models. A stored choice that is
 * not in the plan stays listed, and says so. */
void                 mq_preferences_window_set_snapshot (MqPreferencesWindow *self,
                                                         MqSnapshot          *snapshot);

/* Signal "key-changed" (const char *key_or_NULL): a new key passed the
 * check and is to be used from now on (stored in the keyring when there is
 * one, for this session only otherwise), or the stored key was removed
 * (NULL). The string is only valid during the emission, and must never be
 * logged. */

G_END_DECLS
