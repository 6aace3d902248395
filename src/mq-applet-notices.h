/* mq-applet-notices.h: what the applet says about itself, not the quota
 *
 * GIO only. The quota's alerts are MqAlerts'; these are the applet's own
 * notices, each a notification with a stable id and one line on stderr:
 *
 *  - no tray host ("Your desktop shows no tray icons" and how to fix it),
 *    notified once per login: a marker file in the per-login runtime folder
 *    ($XDG_RUNTIME_DIR/app/<app id>/), which the session's end empties;
 *    withdrawn when a host shows up;
 *  - the usage history paused (cannot be written) and resumed, and a
 *    damaged history moved aside.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MQ_HOST_NOTICE_ID          "no-tray-host"
#define MQ_HOST_NOTICE_MARKER_NAME "no-tray-host-notified"
#define MQ_HISTORY_NOTICE_ID       "history"
#define MQ_HISTORY_MOVED_NOTICE_ID "history-moved"

/* $XDG_RUNTIME_DIR/app/<app id>/MQ_HOST_NOTICE_MARKER_NAME. */
char          *mq_host_notice_marker_path (const char  *app_id);

/* Creates @marker_path (and its folder, 0700) if it does not exist yet:
 * TRUE when this call created it, i.e. the notice was not given yet in
 * this login. A marker that cannot be written counts as not given (the
 * notice is then given at every start rather than never). */
gboolean       mq_host_notice_claim       (const char  *marker_path);

/* The title and the body ("... install and enable the AppIndicator
 * extension (package gnome-shell-extension-appindicator ...)"), translated. */
const char    *mq_host_notice_title       (void);
char          *mq_host_notice_body        (void);

/* The notification: title, body, an information icon. */
GNotification *mq_host_notice_build       (void);

/* Prints the notice on stderr (every time) and, the first time in this
 * login (mq_host_notice_claim() on the application id's marker), sends
 * it. */
void           mq_host_notice_give        (GApplication *app);
void           mq_host_notice_withdraw    (GApplication *app);

/* The history cannot be written (@reason says why): one notification and
 * one line; "resumed" withdraws it. */
void           mq_history_notice_paused   (GApplication *app,
                                           const GError *reason);
void           mq_history_notice_resumed  (GApplication *app);
/* A damaged history moved aside (@news says where). */
void           mq_history_notice_moved    (GApplication *app,
                                           const GError *news);

G_END_DECLS
