/* mq-window-actions.h: the applet's keyboard shortcuts
 *
 * Ctrl+R and F5 refresh (app.refresh), Ctrl+Q quits (app.quit), Ctrl+,
 * opens Preferences (app.preferences) and Ctrl+W closes the window it is
 * pressed in (win.close, which mq_window_actions_add_close() adds: the
 * close goes through "delete-event", as the title bar's button does).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void mq_window_actions_set_accels (GtkApplication       *app);
void mq_window_actions_add_close  (GtkApplicationWindow *window);

G_END_DECLS
