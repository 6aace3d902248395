/* mq-xembed.c: is an XEmbed system tray on the display? */
#define G_LOG_DOMAIN "mq-xembed"

#include "config.h"

#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/gdkx.h>
#endif

#include "mq-xembed.h"

/* The owner of the _NET_SYSTEM_TRAY_S<screen> selection is the tray
 * (freedesktop.org System Tray Protocol). */
gboolean
mq_xembed_tray_present (void)
{
#ifdef GDK_WINDOWING_X11
  GdkDisplay *display = gdk_display_get_default ();
  g_autofree char *name = NULL;

  if (display == NULL || !GDK_IS_X11_DISPLAY (display))
    return FALSE;

  name = g_strdup_printf ("_NET_SYSTEM_TRAY_S%d",
                          gdk_x11_screen_get_screen_number (gdk_display_get_default_screen (display)));
  return XGetSelectionOwner (GDK_DISPLAY_XDISPLAY (display),
                             gdk_x11_get_xatom_by_name_for_display (display, name)) != None;
#else
  return FALSE;
#endif
}

gboolean
mq_xembed_display_is_x11 (void)
{
#ifdef GDK_WINDOWING_X11
  GdkDisplay *display = gdk_display_get_default ();

  return display != NULL && GDK_IS_X11_DISPLAY (display);
#else
  return FALSE;
#endif
}
