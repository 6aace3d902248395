/* mq-background.c: running on with no window and no tray */
#define G_LOG_DOMAIN "mq-background"

#include "config.h"

#include <glib/gi18n.h>
#include <libportal-gtk3/portal-gtk3.h>

#include "mq-autostart.h"
#include "mq-background.h"

const char *
mq_background_notice_title (void)
{
  return _("Leeway is still running");
}

const char *
mq_background_notice_body (void)
{
  return _("It keeps checking your quota and alerts you when it runs low. "
           "Nothing on this desktop shows tray icons: to see the window again, "
           "open Leeway from your applications.");
}

GNotification *
mq_background_notice_build (void)
{
  g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-information");
  GNotification *notification = g_notification_new (mq_background_notice_title ());

  g_notification_set_body (notification, mq_background_notice_body ());
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  return notification;
}

static void
on_background_answered (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Denied or no portal: the sandbox may stop the app when it has no
   * window; there is nothing more to ask. */
  g_message ("Running in the background was not allowed: %s",
             error != NULL ? error->message : "denied");
}

void
mq_background_keep_running (GApplication *app,
                            GtkWindow    *parent,
                            GCancellable *cancellable)
{
  g_autoptr(GNotification) notification = NULL;

  g_return_if_fail (G_IS_APPLICATION (app));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  if (mq_autostart_in_flatpak ())
    {
      g_autoptr(XdpPortal) portal = xdp_portal_new ();
      g_autoptr(XdpParent) xdp_parent = parent != NULL ? xdp_parent_new_gtk (parent) : NULL;
      g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (commandline, g_strdup ("leeway"));
      g_ptr_array_add (commandline, g_strdup ("--background"));
      /* libportal keeps its own references for the request. */
      xdp_portal_request_background (portal, xdp_parent,
                                     _("Leeway keeps checking your quota while its window is closed."),
                                     commandline, XDP_BACKGROUND_FLAG_NONE, cancellable,
                                     on_background_answered, NULL);
    }

  g_printerr ("leeway: %s. %s\n", mq_background_notice_title (),
              mq_background_notice_body ());
  notification = mq_background_notice_build ();
  g_application_send_notification (app, MQ_BACKGROUND_NOTICE_ID, notification);
}
