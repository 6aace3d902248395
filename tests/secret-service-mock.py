#!/usr/bin/env python3
"""A scripted Secret Service (org.freedesktop.secrets) on the session bus.

    secret-service-mock.py silent LOG    owns the name, never replies
    secret-service-mock.py locked LOG    holds one item, in a locked collection;
                                         Unlock returns a prompt that never
                                         completes (as an unanswered dialog)

Writes "ready" on stdout once the name is owned, and every method called
("Interface.Method") as one line of LOG. Runs until killed.
"""
import sys

from gi.repository import Gio, GLib

BUS_NAME = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
COLLECTION_PATH = "/org/freedesktop/secrets/collection/login"
ITEM_PATH = COLLECTION_PATH + "/1"
PROMPT_PATH = "/org/freedesktop/secrets/prompt/1"
SESSION_PATH = "/org/freedesktop/secrets/session/1"

XML = """
<node>
  <interface name="org.freedesktop.Secret.Service">
    <method name="OpenSession">
      <arg name="algorithm" type="s" direction="in"/>
      <arg name="input" type="v" direction="in"/>
      <arg name="output" type="v" direction="out"/>
      <arg name="result" type="o" direction="out"/>
    </method>
    <method name="SearchItems">
      <arg name="attributes" type="a{ss}" direction="in"/>
      <arg name="unlocked" type="ao" direction="out"/>
      <arg name="locked" type="ao" direction="out"/>
    </method>
    <method name="Unlock">
      <arg name="objects" type="ao" direction="in"/>
      <arg name="unlocked" type="ao" direction="out"/>
      <arg name="prompt" type="o" direction="out"/>
    </method>
    <method name="GetSecrets">
      <arg name="items" type="ao" direction="in"/>
      <arg name="session" type="o" direction="in"/>
      <arg name="secrets" type="a{o(oayays)}" direction="out"/>
    </method>
    <method name="ReadAlias">
      <arg name="name" type="s" direction="in"/>
      <arg name="collection" type="o" direction="out"/>
    </method>
    <property name="Collections" type="ao" access="read"/>
  </interface>
  <interface name="org.freedesktop.Secret.Collection">
    <property name="Items" type="ao" access="read"/>
    <property name="Label" type="s" access="read"/>
    <property name="Locked" type="b" access="read"/>
    <property name="Created" type="t" access="read"/>
    <property name="Modified" type="t" access="read"/>
  </interface>
  <interface name="org.freedesktop.Secret.Item">
    <method name="GetSecret">
      <arg name="session" type="o" direction="in"/>
      <arg name="secret" type="(oayays)" direction="out"/>
    </method>
    <property name="Locked" type="b" access="read"/>
    <property name="Attributes" type="a{ss}" access="read"/>
    <property name="Label" type="s" access="read"/>
    <property name="Created" type="t" access="read"/>
    <property name="Modified" type="t" access="read"/>
  </interface>
  <interface name="org.freedesktop.Secret.Prompt">
    <method name="Prompt">
      <arg name="window-id" type="s" direction="in"/>
    </method>
    <method name="Dismiss"/>
  </interface>
</node>
"""

ATTRIBUTES = {"xdg:schema": "io.github.leewayapp.Leeway", "region": "any"}

mode = sys.argv[1]
log = open(sys.argv[2], "a", buffering=1)
held = []  # invocations never answered


def method_call(connection, sender, path, interface, method, params, invocation):
    log.write("%s.%s\n" % (interface.rsplit(".", 1)[-1], method))
    if method == "OpenSession":
        if params.unpack()[0] != "plain":
            invocation.return_dbus_error("org.freedesktop.DBus.Error.NotSupported",
                                         "only plain")
            return
        invocation.return_value(GLib.Variant("(vo)", (GLib.Variant("s", ""), SESSION_PATH)))
    elif method == "SearchItems":
        invocation.return_value(GLib.Variant("(aoao)", ([], [ITEM_PATH])))
    elif method == "Unlock":
        invocation.return_value(GLib.Variant("(aoo)", ([], PROMPT_PATH)))
    elif method == "Prompt":
        # The dialog is shown and nobody answers: no Completed signal.
        invocation.return_value(None)
    elif method == "ReadAlias":
        invocation.return_value(GLib.Variant("(o)", (COLLECTION_PATH,)))
    elif method in ("GetSecrets", "GetSecret"):
        invocation.return_dbus_error("org.freedesktop.Secret.Error.IsLocked", "locked")
    else:
        invocation.return_value(None)


PROPERTIES = {
    "Collections": GLib.Variant("ao", [COLLECTION_PATH]),
    "Items": GLib.Variant("ao", [ITEM_PATH]),
    "Locked": GLib.Variant("b", True),
    "Attributes": GLib.Variant("a{ss}", ATTRIBUTES),
    "Label": GLib.Variant("s", "Leeway API key"),
    "Created": GLib.Variant("t", 1700000000),
    "Modified": GLib.Variant("t", 1700000000),
}


def get_property(connection, sender, path, interface, name):
    return PROPERTIES[name]


def drop_calls(connection, message, incoming):
    # Silent: every call to us is swallowed, nothing ever answers.
    if incoming and message.get_message_type() == Gio.DBusMessageType.METHOD_CALL \
            and message.get_destination() in (BUS_NAME, connection.get_unique_name()):
        log.write("%s.%s\n" % (message.get_interface(), message.get_member()))
        return None
    return message


def on_name_acquired(connection, name):
    print("ready", flush=True)


def main():
    connection = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    if mode == "silent":
        connection.add_filter(drop_calls)
    else:
        node = Gio.DBusNodeInfo.new_for_xml(XML)
        service, collection, item, prompt = node.interfaces
        connection.register_object(SERVICE_PATH, service, method_call, get_property, None)
        connection.register_object(COLLECTION_PATH, collection, method_call, get_property, None)
        connection.register_object(ITEM_PATH, item, method_call, get_property, None)
        connection.register_object(PROMPT_PATH, prompt, method_call, get_property, None)
    Gio.bus_own_name_on_connection(connection, BUS_NAME, Gio.BusNameOwnerFlags.NONE,
                                   on_name_acquired, None)
    GLib.MainLoop().run()


main()
