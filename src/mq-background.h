/* mq-background.h: running on with no window and no tray
 *
 * When nothing shows tray icons, the main window is the app; closing it
 * must not end the quota checks, and the person must learn how to get the
 * window back. In Flatpak the Background portal is asked (libportal,
 * without autostart: that is mq-autostart's); outside Flatpak a process
 * may keep running, so nothing is asked. Either way one notification says
 * that the app is still running and how to reopen it (launch it again).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MQ_BACKGROUND_NOTICE_ID "background"

/* The notice: "Leeway is still running", how to reopen it. */
const char    *mq_background_notice_title (void);
const char    *mq_background_notice_body  (void);
GNotification *mq_background_notice_build (void);

/* Keeps @app running after its last window closed: asks the Background
 * portal in Flatpak (@parent: the window being closed, nullable), sends
 * the notice and prints it on stderr. */
void           mq_background_keep_running (GApplication *app,
                                           GtkWindow    *parent,
                                           GCancellable *cancellable);

G_END_DECLS
