/* mq-autostart.h: start the applet on login
 *
 * Outside Flatpak: an XDG autostart file,
 * $XDG_CONFIG_HOME/autostart/io.github.leewayapp.Leeway.desktop,
 * copied from the installed template (or written from code when there is
 * none) to turn it on, removed to turn it off. Inside Flatpak the sandbox
 * cannot write there: the Background portal is asked instead (it writes its
 * own autostart file), and its answer is remembered in the setting
 * "portal-autostart-granted".
 *
 * The setting "start-on-login" mirrors the real state: both functions below
 * bring it in line.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether the applet starts on login: outside Flatpak, an autostart entry
 * exists that neither says Hidden=true nor X-GNOME-Autostart-enabled=false;
 * inside Flatpak, what the portal answered last. Also sets "start-on-login"
 * to that answer when it says otherwise. */
gboolean  mq_autostart_is_enabled     (GSettings            *settings);

/* Turns starting on login on or off. @parent (nullable) is the window the
 * portal dialog belongs to. Finishes with FALSE and an error when the entry
 * could not be written or removed, or when the portal refused or failed;
 * "start-on-login" then keeps the real state. */
void      mq_autostart_set_async      (gboolean              enable,
                                       GtkWindow            *parent,
                                       GSettings            *settings,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  mq_autostart_set_finish     (GAsyncResult         *result,
                                       GError              **error);

/* The path of the user's autostart entry (a new string). */
char     *mq_autostart_dup_path       (void);

/* TRUE when running inside Flatpak (/.flatpak-info exists). */
gboolean  mq_autostart_in_flatpak     (void);

G_END_DECLS
