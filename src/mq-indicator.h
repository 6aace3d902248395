/* mq-indicator.h: the tray item (icon, label, title and menu)
 *
 * The only part of the applet that talks to libayatana-appindicator. It
 * copies an MqView into the tray: the icon is drawn by mq-icon into a new
 * file for every change, the menu is built once and updated in place, and
 * menu items are bound to the application's actions (app.refresh, ...).
 * Its place in the one-way flow (it only reads an MqView): docs/DESIGN.md.
 *
 * The label beside the icon repeats the percentage only when the
 * "show-label" setting is on. When nothing shows tray icons (no
 * StatusNotifierWatcher on the session bus, no XEmbed tray on X11) a few
 * seconds after it is made, the indicator emits "no-host" once, and
 * "host-found" once if a host shows up afterwards.
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-view.h"

G_BEGIN_DECLS

/* Pixel size of the icon files: hosts scale it to their panel. */
#define MQ_INDICATOR_ICON_SIZE 44

/* How long a tray host has to appear before "no-host". */
#define MQ_INDICATOR_HOST_TIMEOUT_MS 5000

#define MQ_TYPE_INDICATOR (mq_indicator_get_type ())
G_DECLARE_FINAL_TYPE (MqIndicator, mq_indicator, MQ, INDICATOR, GObject)

MqIndicator *mq_indicator_new              (GApplication *app);

void         mq_indicator_update           (MqIndicator  *self,
                                            const MqView *view);

/* How many icon files were drawn: unchanged views draw nothing. */
guint        mq_indicator_get_render_count (MqIndicator  *self);

/* The icon name currently set (a file in the icon directory, or a
 * themed fallback icon when drawing failed). */
const char  *mq_indicator_get_icon_name    (MqIndicator  *self);

/* $XDG_RUNTIME_DIR/app/<app id>: where the icon files go. */
const char  *mq_indicator_get_icon_dir     (MqIndicator  *self);

/* The GtkMenu shown by the tray (owned by the indicator). */
GtkWidget   *mq_indicator_get_menu         (MqIndicator  *self);

/* Sets the wait before "no-host" (restarting it while it runs). */
void         mq_indicator_set_host_timeout (MqIndicator  *self,
                                            guint         timeout_ms);

G_END_DECLS
