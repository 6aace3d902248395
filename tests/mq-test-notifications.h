/* mq-test-notifications.h: a small org.gtk.Notifications server for tests
 *
 * The interface GNOME Shell implements; GIO sends a GApplication's
 * notifications there whenever its name is owned. The server records
 * every notification and every removal.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MqTestNotification:
 * @app_id: the application's id
 * @id: the notification's id
 * @title: (nullable): its title
 * @body: (nullable): its body
 * @priority: (nullable): its priority ("normal", "high", ...)
 * @icon: (nullable): its icon
 * @buttons: (nullable): aa{sv}: label, action, target
 * @has_default_action: whether it has a default action
 *
 * One AddNotification call, as received.
 */
typedef struct {
  char     *app_id;
  char     *id;
  char     *title;
  char     *body;
  char     *priority;
  GIcon    *icon;
  GVariant *buttons;
  gboolean  has_default_action;
} MqTestNotification;

/**
 * MqTestNotifications:
 * @connection: the server's own connection to the bus
 * @shown: (element-type MqTestNotification): every notification
 *   received, in order
 * @removed: how many RemoveNotification calls came
 * @removed_id: (nullable): the id the last of them named
 *
 * The server; the tests read these fields (and may reset them with
 * mq_test_notifications_reset()).
 */
typedef struct {
  GDBusConnection *connection;
  GPtrArray       *shown;
  guint            removed;
  char            *removed_id;

  /*< private >*/
  guint            object_id;
  guint            name_id;
  guint            name_acquired;
} MqTestNotifications;

MqTestNotifications *mq_test_notifications_new   (const char          *bus_address);
void                 mq_test_notifications_reset (MqTestNotifications *self);
void                 mq_test_notifications_free  (MqTestNotifications *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqTestNotifications, mq_test_notifications_free)

G_END_DECLS
