/* mq-preferences.h: the preferences window
 *
 * A GtkBuilder window from the GResource (ui/preferences.ui), bound to the
 * GSettings of the application. The API key is checked with a real fetch
 * before it is stored in the keyring; it never goes to the settings, to the
 * screen or to a log. Closing the window hides it, for the next present.
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_PREFERENCES_RESOURCE "/io/github/minimaxquota/MiniMaxQuota/ui/preferences.ui"

#define MQ_TYPE_PREFERENCES (mq_preferences_get_type ())
G_DECLARE_FINAL_TYPE (MqPreferences, mq_preferences, MQ, PREFERENCES, GObject)

/* @app (nullable) owns the window. @base_url_override (nullable) replaces
 * the region's hosts when a key is checked: loopback servers for tests and
 * the demo mode, or MINIMAX_BASE_URL. */
MqPreferences *mq_preferences_new           (GtkApplication *app,
                                             GSettings      *settings,
                                             const char     *base_url_override);

/* Shows the window (again); with @focus_key the key entry takes the focus. */
void           mq_preferences_present       (MqPreferences  *self,
                                             gboolean        focus_key);

/* Offers the models of @snapshot (nullable) in "Icon shows", beside the
 * text models and video. */
void           mq_preferences_set_snapshot  (MqPreferences  *self,
                                             MqSnapshot     *snapshot);

GtkWindow     *mq_preferences_get_window    (MqPreferences  *self);

/* The named object of the window (tests: "key_entry", "save_key_button",
 * "key_error_label", ...); NULL when there is none. */
GObject       *mq_preferences_get_object    (MqPreferences  *self,
                                             const char     *name);

/* Signal "key-changed" (const char *key_or_NULL): a new key was checked and
 * stored in the keyring, or the stored key was removed (NULL). The string
 * is only valid during the emission, and must never be logged. */

G_END_DECLS
