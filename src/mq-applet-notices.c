/* mq-applet-notices.c: what the applet says about itself, not the quota */
#define G_LOG_DOMAIN "mq-applet-notices"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mq-applet-notices.h"

char *
mq_host_notice_marker_path (const char *app_id)
{
  g_return_val_if_fail (app_id != NULL, NULL);

  return g_build_filename (g_get_user_runtime_dir (), "app", app_id,
                           MQ_HOST_NOTICE_MARKER_NAME, NULL);
}

gboolean
mq_host_notice_claim (const char *marker_path)
{
  g_autofree char *folder = NULL;
  int fd;

  g_return_val_if_fail (marker_path != NULL, FALSE);

  folder = g_path_get_dirname (marker_path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_debug ("Cannot create %s: %s", folder, g_strerror (errno));
      return TRUE;
    }

  fd = g_open (marker_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      if (errno == EEXIST)
        return FALSE;
      g_debug ("Cannot create %s: %s", marker_path, g_strerror (errno));
      return TRUE;
    }
  close (fd);
  return TRUE;
}

const char *
mq_host_notice_title (void)
{
  return _("Your desktop shows no tray icons");
}

char *
mq_host_notice_body (void)
{
  /* Translators: shown when no panel shows tray icons; the package names
   * are not translated. */
  return g_strdup (_("Leeway is running, but nothing on this desktop shows tray icons. "
                     "On GNOME, install and enable the AppIndicator extension "
                     "(package gnome-shell-extension-appindicator on Debian, Ubuntu and Fedora), "
                     "then log out and back in. On other desktops, add a system tray "
                     "or status notifier area to the panel. The icon appears as soon as one is there."));
}

GNotification *
mq_host_notice_build (void)
{
  g_autofree char *body = mq_host_notice_body ();
  g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-information");
  GNotification *notification = g_notification_new (mq_host_notice_title ());

  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  return notification;
}

void
mq_host_notice_give (GApplication *app)
{
  g_autofree char *marker = NULL;
  g_autofree char *body = mq_host_notice_body ();
  g_autoptr(GNotification) notification = NULL;

  g_return_if_fail (G_IS_APPLICATION (app));

  g_printerr ("leeway: %s. %s\n", mq_host_notice_title (), body);

  marker = mq_host_notice_marker_path (g_application_get_application_id (app));
  if (!mq_host_notice_claim (marker))
    return;

  notification = mq_host_notice_build ();
  g_application_send_notification (app, MQ_HOST_NOTICE_ID, notification);
}

void
mq_host_notice_withdraw (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_withdraw_notification (app, MQ_HOST_NOTICE_ID);
}

static void
send_warning (GApplication *app,
              const char   *id,
              const char   *title,
              const char   *body)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autoptr(GIcon) icon = g_themed_icon_new ("dialog-warning");

  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_application_send_notification (app, id, notification);
}

void
mq_history_notice_paused (GApplication *app,
                          const GError *reason)
{
  g_autofree char *body = NULL;

  g_return_if_fail (G_IS_APPLICATION (app));
  g_return_if_fail (reason != NULL);

  /* Translators: %s says why (a read-only folder, a full disk...). */
  body = g_strdup_printf (_("%s The quota is still shown; the history and the “runs out” forecast resume when it can be written again."),
                          reason->message);
  g_message ("Usage history paused: %s", reason->message);
  send_warning (app, MQ_HISTORY_NOTICE_ID, _("Usage history paused"), body);
}

void
mq_history_notice_resumed (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_message ("Usage history resumed");
  g_application_withdraw_notification (app, MQ_HISTORY_NOTICE_ID);
}

void
mq_history_notice_moved (GApplication *app,
                         const GError *news)
{
  g_autofree char *body = NULL;

  g_return_if_fail (G_IS_APPLICATION (app));
  g_return_if_fail (news != NULL);

  /* Translators: %s says where the damaged file went. */
  body = g_strdup_printf (_("%s A new, empty history was started."), news->message);
  g_message ("Usage history: %s", news->message);
  send_warning (app, MQ_HISTORY_MOVED_NOTICE_ID, _("Usage history was damaged"), body);
}
