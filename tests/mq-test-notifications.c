/* mq-test-notifications.c: a small org.gtk.Notifications server for tests */
#include "config.h"

#include "mq-test-notifications.h"
#include "mq-test-util.h"

#define NAME_TIMEOUT_S 10

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
notification_free (gpointer data)
{
  MqTestNotification *shown = data;

  g_free (shown->app_id);
  g_free (shown->id);
  g_free (shown->title);
  g_free (shown->body);
  g_free (shown->priority);
  g_clear_object (&shown->icon);
  g_clear_pointer (&shown->buttons, g_variant_unref);
  g_free (shown);
}

static void
server_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  MqTestNotifications *self = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    {
      MqTestNotification *shown = g_new0 (MqTestNotification, 1);
      g_autoptr(GVariant) notification = NULL;
      g_autoptr(GVariant) icon = NULL;

      g_variant_get (parameters, "(ss@a{sv})", &shown->app_id, &shown->id, &notification);
      g_variant_lookup (notification, "title", "s", &shown->title);
      g_variant_lookup (notification, "body", "s", &shown->body);
      g_variant_lookup (notification, "priority", "s", &shown->priority);
      icon = g_variant_lookup_value (notification, "icon", NULL);
      if (icon != NULL)
        shown->icon = g_icon_deserialize (icon);
      shown->buttons = g_variant_lookup_value (notification, "buttons", G_VARIANT_TYPE ("aa{sv}"));
      shown->has_default_action = g_variant_lookup (notification, "default-action", "&s", NULL);
      g_ptr_array_add (self->shown, shown);
    }
  else if (g_str_equal (method_name, "RemoveNotification"))
    {
      g_clear_pointer (&self->removed_id, g_free);
      g_variant_get (parameters, "(ss)", NULL, &self->removed_id);
      self->removed++;
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable server_vtable = { server_method_call, NULL, NULL, { 0 } };

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  MqTestNotifications *self = user_data;

  self->name_acquired++;
}

/**
 * mq_test_notifications_new:
 * @bus_address: the address of a (private, test) session bus
 *
 * Connects to the bus on a connection of its own, serves
 * org.gtk.Notifications there and waits until it owns that name.
 *
 * Returns: (transfer full): the server; free with mq_test_notifications_free()
 */
MqTestNotifications *
mq_test_notifications_new (const char *bus_address)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  MqTestNotifications *self = g_new0 (MqTestNotifications, 1);

  self->shown = g_ptr_array_new_with_free_func (notification_free);
  self->connection = g_dbus_connection_new_for_address_sync (bus_address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  self->object_id = g_dbus_connection_register_object (self->connection, "/org/gtk/Notifications",
                                                       info->interfaces[0], &server_vtable,
                                                       self, NULL, &error);
  g_assert_no_error (error);
  self->name_id = g_bus_own_name_on_connection (self->connection, "org.gtk.Notifications",
                                                G_BUS_NAME_OWNER_FLAGS_NONE,
                                                on_name_acquired, NULL, self, NULL);
  mq_test_wait_count (&self->name_acquired, 1, NAME_TIMEOUT_S,
                      "the notification server's name");

  return self;
}

/**
 * mq_test_notifications_reset:
 * @self: the server
 *
 * Forgets every notification and removal received so far.
 */
void
mq_test_notifications_reset (MqTestNotifications *self)
{
  g_ptr_array_set_size (self->shown, 0);
  self->removed = 0;
  g_clear_pointer (&self->removed_id, g_free);
}

/**
 * mq_test_notifications_free:
 * @self: (transfer full): the server
 *
 * Gives up the name, closes the connection and frees what was recorded.
 */
void
mq_test_notifications_free (MqTestNotifications *self)
{
  g_bus_unown_name (self->name_id);
  g_dbus_connection_unregister_object (self->connection, self->object_id);
  g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->removed_id, g_free);
  g_free (self);
}
