/* mq-xembed.h: is an XEmbed system tray on the display?
 *
 * The fallback host of libayatana-appindicator when no StatusNotifierWatcher
 * runs; MqIndicator asks before it says that nothing shows tray icons. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the default display is X11 and a system tray owns its
 * selection; FALSE on Wayland or without a display. */
gboolean mq_xembed_tray_present    (void);

/* TRUE when the default display is X11, where an XEmbed tray can appear. */
gboolean mq_xembed_display_is_x11  (void);

G_END_DECLS
