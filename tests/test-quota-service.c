/* test-quota-service.c: io.github.leewayapp.Leeway.Quota1 on a private session bus
 *
 * A GTestDBus daemon is the session bus. The "applet" is a connection of
 * this process that exports MqQuotaService and owns the applet's bus name;
 * clients are other connections (GDBus calls, and mq-bar-client on a
 * thread of its own, since it blocks while the service answers here).
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "mq-bar-client.h"
#include "mq-bar.h"
#include "mq-quota-service.h"
#include "mq-report.h"
#include "mq-snapshot.h"
#include "mq-test-util.h"

#define TOKEN_PLAN_NOW_MS G_GINT64_CONSTANT (1780857000000)
#define PROPERTIES "org.freedesktop.DBus.Properties"

static const char *bus_address;

typedef struct {
  GDBusConnection *applet;     /* exports the service, owns the name */
  GDBusConnection *client;
  MqQuotaService  *service;
  guint            refreshes;  /* "refresh" emissions */
} Fixture;

static GDBusConnection *
connect_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (bus_address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
own_name (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", MQ_QUOTA_SERVICE_BUS_NAME, 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1); /* primary owner */
}

static void
on_refresh (MqQuotaService *service,
            gpointer        user_data)
{
  Fixture *fixture = user_data;

  fixture->refreshes++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->applet = connect_bus ();
  fixture->client = connect_bus ();
  fixture->service = mq_quota_service_new ();
  g_assert_true (mq_quota_service_export (fixture->service, fixture->applet,
                                          MQ_QUOTA_SERVICE_OBJECT_PATH, &error));
  g_assert_no_error (error);
  own_name (fixture->applet);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  mq_quota_service_unexport (fixture->service);
  g_clear_object (&fixture->service);
  if (!g_dbus_connection_is_closed (fixture->applet))
    g_dbus_connection_close_sync (fixture->applet, NULL, NULL);
  g_dbus_connection_close_sync (fixture->client, NULL, NULL);
  g_clear_object (&fixture->applet);
  g_clear_object (&fixture->client);
  /* Let the name's release reach everyone before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static MqSnapshot *
parse_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gsize length;
  MqSnapshot *snapshot;

  g_file_get_contents (path, &body, &length, &error);
  g_assert_no_error (error);
  snapshot = mq_snapshot_parse (body, length, TOKEN_PLAN_NOW_MS, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  return snapshot;
}

static GVariant *
call (GDBusConnection *connection,
      const char      *interface,
      const char      *method,
      GVariant        *parameters,
      const char      *reply_type,
      GError         **error)
{
  GVariant *reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  /* Async on this context: the service answers on this thread. */
  g_dbus_connection_call (connection, MQ_QUOTA_SERVICE_BUS_NAME, MQ_QUOTA_SERVICE_OBJECT_PATH,
                          interface, method, parameters,
                          reply_type != NULL ? G_VARIANT_TYPE (reply_type) : NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL,
                          mq_test_store_result, &result);
  mq_test_wait_result (&result, 10, method);
  reply = g_dbus_connection_call_finish (connection, result, error);
  return reply;
}

static GVariant *
get_property (GDBusConnection *connection,
              const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = call (connection, PROPERTIES, "Get",
                g_variant_new ("(ss)", MQ_QUOTA_SERVICE_INTERFACE, name), "(v)", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

/* ---- Introspection --------------------------------------------------- */

static void
test_introspection (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *xml_path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                     "io.github.leewayapp.Leeway.Quota1.xml", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) documented = NULL;
  g_autoptr(GDBusNodeInfo) exported = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *exported_xml;
  GDBusInterfaceInfo *want;
  GDBusInterfaceInfo *got;
  guint n;

  g_file_get_contents (xml_path, &xml, NULL, &error);
  g_assert_no_error (error);
  documented = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);

  reply = call (fixture->client, "org.freedesktop.DBus.Introspectable", "Introspect",
                NULL, "(s)", &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &exported_xml);
  exported = g_dbus_node_info_new_for_xml (exported_xml, &error);
  g_assert_no_error (error);

  want = g_dbus_node_info_lookup_interface (documented, MQ_QUOTA_SERVICE_INTERFACE);
  got = g_dbus_node_info_lookup_interface (exported, MQ_QUOTA_SERVICE_INTERFACE);
  g_assert_nonnull (want);
  g_assert_nonnull (got);

  /* Methods: the same names and arguments. */
  for (n = 0; want->methods[n] != NULL; n++)
    {
      GDBusMethodInfo *method = g_dbus_interface_info_lookup_method (got, want->methods[n]->name);

      g_assert_nonnull (method);
      for (guint a = 0; want->methods[n]->in_args[a] != NULL || method->in_args[a] != NULL; a++)
        g_assert_cmpstr (method->in_args[a]->signature, ==, want->methods[n]->in_args[a]->signature);
      for (guint a = 0; want->methods[n]->out_args[a] != NULL || method->out_args[a] != NULL; a++)
        g_assert_cmpstr (method->out_args[a]->signature, ==, want->methods[n]->out_args[a]->signature);
    }
  g_assert_cmpuint (n, ==, 1);
  for (n = 0; got->methods[n] != NULL; n++)
    ;
  g_assert_cmpuint (n, ==, 1);

  /* Properties: the same names, types and access. */
  for (n = 0; want->properties[n] != NULL; n++)
    {
      GDBusPropertyInfo *property = g_dbus_interface_info_lookup_property (got, want->properties[n]->name);

      g_assert_nonnull (property);
      g_assert_cmpstr (property->signature, ==, want->properties[n]->signature);
      g_assert_cmpint (property->flags, ==, G_DBUS_PROPERTY_INFO_FLAGS_READABLE);
      g_assert_cmpint (property->flags, ==, want->properties[n]->flags);
    }
  g_assert_cmpuint (n, ==, 6);
  for (n = 0; got->properties[n] != NULL; n++)
    ;
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpstr (g_dbus_interface_info_lookup_property (got, "Report")->signature, ==, "s");
  g_assert_cmpstr (g_dbus_interface_info_lookup_property (got, "State")->signature, ==, "s");
  g_assert_cmpstr (g_dbus_interface_info_lookup_property (got, "RemainingPercent")->signature, ==, "i");
  g_assert_cmpstr (g_dbus_interface_info_lookup_property (got, "Stale")->signature, ==, "b");
  g_assert_cmpstr (g_dbus_interface_info_lookup_property (got, "UpdatedAt")->signature, ==, "x");
  g_assert_cmpstr (g_dbus_interface_info_lookup_property (got, "Error")->signature, ==, "s");
}

/* ---- Get, GetAll ------------------------------------------------------- */

static void
test_initial_values (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GVariant) report = get_property (fixture->client, "Report");
  g_autoptr(GVariant) state = get_property (fixture->client, "State");
  g_autoptr(GVariant) percent = get_property (fixture->client, "RemainingPercent");
  g_autoptr(GVariant) stale = get_property (fixture->client, "Stale");
  g_autoptr(GVariant) updated_at = get_property (fixture->client, "UpdatedAt");
  g_autoptr(GVariant) error = get_property (fixture->client, "Error");

  g_assert_cmpstr (g_variant_get_string (report, NULL), ==, "");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "unknown");
  g_assert_cmpint (g_variant_get_int32 (percent), ==, -1);
  g_assert_false (g_variant_get_boolean (stale));
  g_assert_cmpint (g_variant_get_int64 (updated_at), ==, 0);
  g_assert_cmpstr (g_variant_get_string (error, NULL), ==, "");
}

/* Report is exactly what `--once --json` prints for the same answer. */
static void
test_snapshot_values (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json");
  g_autofree char *json = mq_report_to_json (snapshot, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) all = NULL;
  g_autoptr(GVariant) report = NULL;
  const char *text;
  gint32 percent;
  gint64 updated_at;
  gboolean stale;

  mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, FALSE, NULL);

  report = get_property (fixture->client, "Report");
  g_assert_cmpstr (g_variant_get_string (report, NULL), ==, json);

  reply = call (fixture->client, PROPERTIES, "GetAll",
                g_variant_new ("(s)", MQ_QUOTA_SERVICE_INTERFACE), "(a{sv})", &error);
  g_assert_no_error (error);
  all = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (all), ==, 6);
  g_assert_true (g_variant_lookup (all, "Report", "&s", &text));
  g_assert_cmpstr (text, ==, json);
  g_assert_true (g_variant_lookup (all, "State", "&s", &text));
  g_assert_cmpstr (text, ==, "ok");
  g_assert_true (g_variant_lookup (all, "RemainingPercent", "i", &percent));
  g_assert_cmpint (percent, ==, 63);
  g_assert_true (g_variant_lookup (all, "Stale", "b", &stale));
  g_assert_false (stale);
  g_assert_true (g_variant_lookup (all, "UpdatedAt", "x", &updated_at));
  g_assert_cmpint (updated_at, ==, TOKEN_PLAN_NOW_MS / 1000);
  g_assert_true (g_variant_lookup (all, "Error", "&s", &text));
  g_assert_cmpstr (text, ==, "");

  /* A failure after it: the report stays, Stale and Error say so. */
  {
    g_autoptr(GError) failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                     "The server did not answer.");
    g_autoptr(GVariant) stale_value = NULL;
    g_autoptr(GVariant) error_value = NULL;

    mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, TRUE, failure);
    stale_value = get_property (fixture->client, "Stale");
    error_value = get_property (fixture->client, "Error");
    g_assert_true (g_variant_get_boolean (stale_value));
    g_assert_cmpstr (g_variant_get_string (error_value, NULL), ==, "The server did not answer.");
    g_assert_cmpstr (mq_quota_service_get_report (fixture->service), ==, json);
  }
}

/* Values out of range are made valid, never exported as given. */
static void
test_update_normalizes (Fixture       *fixture,
                        gconstpointer  data)
{
  mq_quota_service_update (fixture->service, NULL, "splendid", 250, 7, 5, NULL);
  g_assert_cmpstr (mq_quota_service_get_report (fixture->service), ==, "");
  g_assert_cmpstr (mq_quota_service_get_state (fixture->service), ==, "unknown");
  g_assert_cmpint (mq_quota_service_get_percent (fixture->service), ==, 100);
  g_assert_true (mq_quota_service_get_stale (fixture->service) == TRUE);
  g_assert_cmpint (mq_quota_service_get_updated_at (fixture->service), ==, 5);
  g_assert_cmpstr (mq_quota_service_get_error (fixture->service), ==, "");

  mq_quota_service_update (fixture->service, "{}", "low", -40, FALSE, 6, "\xff invalid");
  g_assert_cmpint (mq_quota_service_get_percent (fixture->service), ==, -1);
  g_assert_cmpstr (mq_quota_service_get_state (fixture->service), ==, "low");
  g_assert_cmpstr (mq_quota_service_get_error (fixture->service), ==, "");
}

/* ---- PropertiesChanged ------------------------------------------------- */

typedef struct {
  guint      count;
  GPtrArray *changed;   /* a{sv} of each signal */
  guint      invalidated;
} Changes;

static void
on_properties_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *object_path,
                       const char      *interface_name,
                       const char      *signal_name,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  Changes *changes = user_data;
  const char *interface;
  GVariant *changed;
  g_autoptr(GVariant) invalidated = NULL;

  g_variant_get (parameters, "(&s@a{sv}@as)", &interface, &changed, &invalidated);
  g_assert_cmpstr (interface, ==, MQ_QUOTA_SERVICE_INTERFACE);
  g_ptr_array_add (changes->changed, changed);
  changes->invalidated += g_variant_n_children (invalidated);
  changes->count++;
}

static char *
changed_names (GVariant *changed)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GVariantIter iter;
  const char *name;

  g_variant_iter_init (&iter, changed);
  while (g_variant_iter_next (&iter, "{&sv}", &name, NULL))
    g_ptr_array_add (names, (gpointer) name);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* A round trip to the service: every signal it sent before has arrived. */
static void
sync_with_service (Fixture *fixture)
{
  g_autoptr(GVariant) value = get_property (fixture->client, "State");
}

static void
test_properties_changed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json");
  g_autofree char *json = mq_report_to_json (snapshot, NULL, NULL);
  Changes changes = { 0, g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref), 0 };
  g_autofree char *names = NULL;
  const char *text;
  guint subscription;

  subscription = g_dbus_connection_signal_subscribe (fixture->client, MQ_QUOTA_SERVICE_BUS_NAME,
                                                     PROPERTIES, "PropertiesChanged",
                                                     MQ_QUOTA_SERVICE_OBJECT_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_properties_changed, &changes, NULL);
  sync_with_service (fixture);

  /* Everything but Error changes: one signal with those five. */
  mq_quota_service_update (fixture->service, json, "ok", 63, TRUE, 1780857000, NULL);
  mq_test_wait_count (&changes.count, 1, 10, "the first PropertiesChanged");
  names = changed_names (changes.changed->pdata[0]);
  g_assert_cmpstr (names, ==, "Report State RemainingPercent Stale UpdatedAt");
  g_assert_true (g_variant_lookup (changes.changed->pdata[0], "Report", "&s", &text));
  g_assert_cmpstr (text, ==, json);

  /* The same again: nothing. */
  mq_quota_service_update (fixture->service, json, "ok", 63, TRUE, 1780857000, "");
  sync_with_service (fixture);
  g_assert_cmpuint (changes.count, ==, 1);

  /* Only Stale and Error change: one signal with just them. */
  mq_quota_service_update (fixture->service, json, "ok", 63, FALSE, 1780857000, "Offline.");
  mq_test_wait_count (&changes.count, 2, 10, "the second PropertiesChanged");
  sync_with_service (fixture);
  g_assert_cmpuint (changes.count, ==, 2);
  g_clear_pointer (&names, g_free);
  names = changed_names (changes.changed->pdata[1]);
  g_assert_cmpstr (names, ==, "Stale Error");

  /* The same through set_snapshot: nothing. */
  mq_quota_service_update (fixture->service, json, "ok", 63, FALSE,
                           TOKEN_PLAN_NOW_MS / 1000, "");
  mq_test_wait_count (&changes.count, 3, 10, "the third PropertiesChanged");
  mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, FALSE, NULL);
  sync_with_service (fixture);
  g_assert_cmpuint (changes.count, ==, 3);
  g_assert_cmpuint (changes.invalidated, ==, 0);

  /* Not exported: values change, nothing is emitted. */
  mq_quota_service_unexport (fixture->service);
  mq_quota_service_update (fixture->service, "", "low", 10, TRUE, 1, "x");
  g_assert_cmpstr (mq_quota_service_get_state (fixture->service), ==, "low");
  {
    g_autoptr(GVariant) ping = NULL;
    g_autoptr(GError) error = NULL;

    ping = call (fixture->client, PROPERTIES, "Get",
                 g_variant_new ("(ss)", MQ_QUOTA_SERVICE_INTERFACE, "State"), "(v)", &error);
    g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD);
  }
  g_assert_cmpuint (changes.count, ==, 3);

  g_dbus_connection_signal_unsubscribe (fixture->client, subscription);
  g_ptr_array_unref (changes.changed);
}

/* ---- Refresh ------------------------------------------------------------- */

typedef struct {
  guint   replies;
  guint   errors;
  GError *error;
} Replies;

static void
on_refresh_reply (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Replies *replies = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      replies->errors++;
      if (replies->error == NULL)
        replies->error = g_steal_pointer (&error);
    }
  replies->replies++;
}

static void
refresh_async (GDBusConnection *connection,
               Replies         *replies)
{
  g_dbus_connection_call (connection, MQ_QUOTA_SERVICE_BUS_NAME, MQ_QUOTA_SERVICE_OBJECT_PATH,
                          MQ_QUOTA_SERVICE_INTERFACE, "Refresh", NULL, G_VARIANT_TYPE ("()"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000, NULL,
                          on_refresh_reply, replies);
}

static void
test_refresh_joins (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GDBusConnection) second = connect_bus ();
  Replies replies = { 0 };

  g_signal_connect (fixture->service, "refresh", G_CALLBACK (on_refresh), fixture);

  /* Two callers at once, from two connections. */
  refresh_async (fixture->client, &replies);
  refresh_async (second, &replies);
  mq_test_wait_count (&fixture->refreshes, 1, 10, "the refresh handler");
  /* Both calls have been dispatched once a later call from each returns. */
  {
    g_autoptr(GVariant) a = get_property (fixture->client, "State");
    g_autoptr(GVariant) b = get_property (second, "State");
  }
  g_assert_cmpuint (fixture->refreshes, ==, 1);
  g_assert_cmpuint (replies.replies, ==, 0);

  /* The refresh ends: both callers get their reply, after the update. */
  mq_quota_service_update (fixture->service, "{}", "ok", 50, FALSE, 1, NULL);
  mq_quota_service_refresh_done (fixture->service);
  mq_test_wait_count (&replies.replies, 2, 10, "both Refresh() replies");
  g_assert_cmpuint (replies.errors, ==, 0);
  g_assert_cmpuint (fixture->refreshes, ==, 1);

  /* Done with none waiting: nothing happens. */
  mq_quota_service_refresh_done (fixture->service);

  /* A later call starts a new refresh. */
  refresh_async (second, &replies);
  mq_test_wait_count (&fixture->refreshes, 2, 10, "the second refresh");
  mq_quota_service_refresh_done (fixture->service);
  mq_test_wait_count (&replies.replies, 3, 10, "the third Refresh() reply");
  g_assert_cmpuint (replies.errors, ==, 0);

  g_dbus_connection_close_sync (second, NULL, NULL);
}

static void
test_refresh_without_handler (Fixture       *fixture,
                              gconstpointer  data)
{
  Replies replies = { 0 };

  refresh_async (fixture->client, &replies);
  mq_test_wait_count (&replies.replies, 1, 10, "the Refresh() reply");
  g_assert_error (replies.error, G_DBUS_ERROR, G_DBUS_ERROR_NOT_SUPPORTED);
  g_clear_error (&replies.error);
}

/* Callers still waiting when the service goes get an error, not silence. */
static void
test_refresh_unexport (Fixture       *fixture,
                       gconstpointer  data)
{
  Replies replies = { 0 };

  g_signal_connect (fixture->service, "refresh", G_CALLBACK (on_refresh), fixture);
  refresh_async (fixture->client, &replies);
  mq_test_wait_count (&fixture->refreshes, 1, 10, "the refresh handler");
  mq_quota_service_unexport (fixture->service);
  mq_test_wait_count (&replies.replies, 1, 10, "the Refresh() reply");
  g_assert_error (replies.error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED);
  g_clear_error (&replies.error);
  g_assert_false (mq_quota_service_is_exported (fixture->service));

  /* Exported again, it answers. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) state = NULL;

    g_assert_true (mq_quota_service_export (fixture->service, fixture->applet,
                                            MQ_QUOTA_SERVICE_OBJECT_PATH, &error));
    g_assert_false (mq_quota_service_export (fixture->service, fixture->applet,
                                             MQ_QUOTA_SERVICE_OBJECT_PATH, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
    state = get_property (fixture->client, "State");
  }
}

/* ---- mq-bar-client ------------------------------------------------------- */

typedef struct {
  int          timeout_ms;
  MqBarReport *report;
  GError      *error;
  gint64       elapsed_us;
  guint        done;
} GetReport;

static gboolean
bump_in_main (gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
  return G_SOURCE_REMOVE;
}

static gpointer
get_report_thread (gpointer user_data)
{
  GetReport *get = user_data;
  gint64 start = g_get_monotonic_time ();

  get->report = mq_bar_client_get_report (get->timeout_ms, &get->error);
  get->elapsed_us = g_get_monotonic_time () - start;
  g_main_context_invoke (NULL, bump_in_main, &get->done);
  return NULL;
}

/* mq_bar_client_get_report() on a thread while this one serves. */
static void
get_report (GetReport *get)
{
  GThread *thread = g_thread_new ("get-report", get_report_thread, get);

  mq_test_wait_count (&get->done, 1, 10, "mq_bar_client_get_report()");
  g_thread_join (thread);
}

static void
test_client_get_report (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json");
  g_autofree char *json = mq_report_to_json (snapshot, NULL, NULL);
  GetReport get = { .timeout_ms = MQ_BAR_CLIENT_TIMEOUT_MS };
  g_autofree char *line = NULL;

  mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, TRUE, NULL);
  get_report (&get);
  g_assert_no_error (get.error);
  g_assert_cmpstr (get.report->report, ==, json);
  g_assert_true (get.report->stale);
  g_assert_cmpstr (get.report->error, ==, "");

  line = mq_bar_format (MQ_BAR_FORMAT_POLYBAR, get.report->report, get.report->stale,
                        get.report->error, TOKEN_PLAN_NOW_MS);
  g_assert_cmpstr (line, ==, "~63%\n");
  mq_bar_report_free (get.report);
}

static void
test_client_not_running (Fixture       *fixture,
                         gconstpointer  data)
{
  GetReport get = { .timeout_ms = MQ_BAR_CLIENT_TIMEOUT_MS };

  /* The applet's connection goes: the name has no owner. */
  g_dbus_connection_close_sync (fixture->applet, NULL, NULL);
  get_report (&get);
  g_assert_error (get.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (get.report);
  g_assert_cmpint (get.elapsed_us, <, G_USEC_PER_SEC / 2);
  g_clear_error (&get.error);
}

/* A service that does not answer: the timeout, not a hang. */
static void
test_client_timeout (Fixture       *fixture,
                     gconstpointer  data)
{
  GetReport get = { .timeout_ms = 200 };
  GThread *thread;

  /* Serve nothing while the client waits: no iteration of this context. */
  thread = g_thread_new ("get-report", get_report_thread, &get);
  g_thread_join (thread);
  g_assert_error (get.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (get.elapsed_us, <, G_USEC_PER_SEC);
  g_clear_error (&get.error);
  /* The invoke of bump_in_main is still queued: run it. */
  mq_test_wait_count (&get.done, 1, 10, "the thread's note");
}

static void
fail_on_report (const MqBarReport *report,
                gpointer           user_data)
{
  g_assert_not_reached ();
}

static void
test_client_no_bus (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *saved_runtime = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  g_autofree char *empty_dir = g_dir_make_tmp ("mq-no-bus-XXXXXX", NULL);
  const char *addresses[] = { NULL, "autolaunch:", "unix:path=/nonexistent/mq-test-bus" };

  g_assert_nonnull (empty_dir);
  g_setenv ("XDG_RUNTIME_DIR", empty_dir, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MqBarReport) report = NULL;
      gint64 start = g_get_monotonic_time ();

      if (addresses[i] != NULL)
        g_setenv ("DBUS_SESSION_BUS_ADDRESS", addresses[i], TRUE);
      else  /* empty counts as unset (g_unsetenv is not thread-safe) */
        g_setenv ("DBUS_SESSION_BUS_ADDRESS", "", TRUE);
      report = mq_bar_client_get_report (MQ_BAR_CLIENT_TIMEOUT_MS, &error);
      g_assert_null (report);
      g_assert_nonnull (error);
      if (i < 2)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);

      g_clear_error (&error);
      g_assert_false (mq_bar_client_watch (MQ_BAR_CLIENT_TIMEOUT_MS, NULL,
                                           fail_on_report, NULL, &error));
      g_assert_nonnull (error);
    }

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", saved_runtime != NULL ? saved_runtime : "", TRUE);
  g_rmdir (empty_dir);
}

typedef struct {
  GMutex        lock;
  GPtrArray    *lines;    /* polybar lines, under lock */
  guint         count;    /* raised on the main thread */
  GCancellable *cancellable;
  gboolean      result;
  GError       *error;
  guint         done;
} WatchRun;

static void
on_watch_report (const MqBarReport *report,
                 gpointer           user_data)
{
  WatchRun *run = user_data;

  g_mutex_lock (&run->lock);
  g_ptr_array_add (run->lines, mq_bar_format (MQ_BAR_FORMAT_POLYBAR, report->report,
                                              report->stale, report->error, TOKEN_PLAN_NOW_MS));
  g_mutex_unlock (&run->lock);
  g_main_context_invoke (NULL, bump_in_main, &run->count);
}

static gpointer
watch_thread (gpointer user_data)
{
  WatchRun *run = user_data;

  run->result = mq_bar_client_watch (MQ_BAR_CLIENT_TIMEOUT_MS, run->cancellable,
                                     on_watch_report, run, &run->error);
  g_main_context_invoke (NULL, bump_in_main, &run->done);
  return NULL;
}

static const char *
watch_line (WatchRun *run,
            guint     index)
{
  const char *line;

  g_mutex_lock (&run->lock);
  line = run->lines->pdata[index];
  g_mutex_unlock (&run->lock);
  return line;
}

static void
test_client_watch (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json");
  g_autofree char *json = mq_report_to_json (snapshot, NULL, NULL);
  WatchRun run = { .lines = g_ptr_array_new_with_free_func (g_free) };
  GThread *thread;
  gint64 start;

  g_mutex_init (&run.lock);
  mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, FALSE, NULL);

  thread = g_thread_new ("watch", watch_thread, &run);
  mq_test_wait_count (&run.count, 1, 5, "the first line");
  g_assert_cmpstr (watch_line (&run, 0), ==, "63%\n");

  /* A change: a second line within a second. */
  start = g_get_monotonic_time ();
  mq_quota_service_update (fixture->service, json, "ok", 63, TRUE, 1, NULL);
  mq_test_wait_count (&run.count, 2, 1, "the second line");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpstr (watch_line (&run, 1), ==, "~63%\n");

  /* The applet quits: the watch ends, successfully. */
  g_dbus_connection_close_sync (fixture->applet, NULL, NULL);
  mq_test_wait_count (&run.done, 1, 10, "the watch to end");
  g_thread_join (thread);
  g_assert_no_error (run.error);
  g_assert_true (run.result);
  g_assert_cmpuint (run.lines->len, ==, 2);

  g_ptr_array_unref (run.lines);
  g_mutex_clear (&run.lock);
}

/* The applet restarts within the grace: the watch reads the new one and
 * goes on printing, then ends once it quits for good. */
static void
test_client_watch_restart (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json");
  g_autoptr(MqQuotaService) second = mq_quota_service_new ();
  g_autoptr(GDBusConnection) restarted = NULL;
  g_autoptr(GError) error = NULL;
  WatchRun run = { .lines = g_ptr_array_new_with_free_func (g_free) };
  GThread *thread;

  g_mutex_init (&run.lock);
  mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, FALSE, NULL);

  thread = g_thread_new ("watch", watch_thread, &run);
  mq_test_wait_count (&run.count, 1, 5, "the first line");
  g_assert_cmpstr (watch_line (&run, 0), ==, "63%\n");

  /* The applet quits, and a new one takes the name a moment later. */
  g_dbus_connection_close_sync (fixture->applet, NULL, NULL);
  g_usleep (300 * 1000);
  restarted = connect_bus ();
  mq_quota_service_set_snapshot (second, snapshot, NULL, NULL, TRUE, NULL);
  g_assert_true (mq_quota_service_export (second, restarted, MQ_QUOTA_SERVICE_OBJECT_PATH, &error));
  g_assert_no_error (error);
  own_name (restarted);

  mq_test_wait_count (&run.count, 2, 5, "a line from the restarted applet");
  g_assert_cmpstr (watch_line (&run, 1), ==, "~63%\n");
  g_assert_cmpuint (run.done, ==, 0);

  /* Gone for good: the watch ends after the grace, successfully. */
  mq_quota_service_unexport (second);
  g_dbus_connection_close_sync (restarted, NULL, NULL);
  mq_test_wait_count (&run.done, 1, 10, "the watch to end");
  g_thread_join (thread);
  g_assert_no_error (run.error);
  g_assert_true (run.result);

  g_ptr_array_unref (run.lines);
  g_mutex_clear (&run.lock);
}

static void
test_client_watch_not_running (Fixture       *fixture,
                               gconstpointer  data)
{
  WatchRun run = { .lines = g_ptr_array_new_with_free_func (g_free) };
  GThread *thread;

  g_mutex_init (&run.lock);
  g_dbus_connection_close_sync (fixture->applet, NULL, NULL);
  thread = g_thread_new ("watch", watch_thread, &run);
  mq_test_wait_count (&run.done, 1, 10, "the watch to end");
  g_thread_join (thread);
  g_assert_false (run.result);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (run.lines->len, ==, 0);

  g_clear_error (&run.error);
  g_ptr_array_unref (run.lines);
  g_mutex_clear (&run.lock);
}

static void
test_client_watch_cancel (Fixture       *fixture,
                          gconstpointer  data)
{
  WatchRun run = { .lines = g_ptr_array_new_with_free_func (g_free) };
  GThread *thread;

  g_mutex_init (&run.lock);
  run.cancellable = g_cancellable_new ();
  thread = g_thread_new ("watch", watch_thread, &run);
  mq_test_wait_count (&run.count, 1, 5, "the first line");
  g_cancellable_cancel (run.cancellable);
  mq_test_wait_count (&run.done, 1, 10, "the watch to end");
  g_thread_join (thread);
  g_assert_false (run.result);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_error (&run.error);
  g_clear_object (&run.cancellable);
  g_ptr_array_unref (run.lines);
  g_mutex_clear (&run.lock);
}

/* ---- mq-bar-probe: the client in a process of its own --------------------- */

static GSubprocess *
spawn_probe (const char * const *args)
{
  g_autofree char *probe = g_test_build_filename (G_TEST_BUILT, "mq-bar-probe", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, probe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  return process;
}

static char *
read_line (GDataInputStream *stream,
           guint             seconds)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL,
                                       mq_test_store_result, &result);
  mq_test_wait_result (&result, seconds, "a line from mq-bar-probe");
  line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);
  g_assert_no_error (error);
  return line;
}

static int
wait_exit (GSubprocess *process)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (process, NULL, mq_test_store_result, &result);
  mq_test_wait_result (&result, 5, "mq-bar-probe to exit");
  g_subprocess_wait_finish (process, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_probe_once (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json");
  const char * const waybar[] = { "--format=waybar", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocess) absent = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autofree char *line = NULL;

  mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, FALSE, NULL);
  process = spawn_probe (waybar);
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = read_line (stream, 5);
  g_assert_true (g_str_has_prefix (line, "{\"text\":\"63%\",\"alt\":\"ok\","));
  g_assert_cmpint (wait_exit (process), ==, 0);

  /* Without the applet: exit status 3, nothing on standard output. */
  g_dbus_connection_close_sync (fixture->applet, NULL, NULL);
  absent = spawn_probe (waybar);
  g_clear_object (&stream);
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (absent));
  g_clear_pointer (&line, g_free);
  line = read_line (stream, 5);
  g_assert_null (line);
  g_assert_cmpint (wait_exit (absent), ==, 3);
}

/* --watch: the current line at once, a second within a second of a
 * change, exit 0 when the applet quits. */
static void
test_probe_watch (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MqSnapshot) snapshot = parse_fixture ("token-plan-plus-video-not-in-plan.json");
  g_autofree char *json = mq_report_to_json (snapshot, NULL, NULL);
  const char * const args[] = { "--watch", "--format=polybar", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *end = NULL;

  mq_quota_service_set_snapshot (fixture->service, snapshot, NULL, NULL, FALSE, NULL);
  process = spawn_probe (args);
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  first = read_line (stream, 5);
  g_assert_cmpstr (first, ==, "63%");

  mq_quota_service_update (fixture->service, json, "ok", 63, TRUE,
                           TOKEN_PLAN_NOW_MS / 1000, "The server did not answer.");
  second = read_line (stream, 1);
  g_assert_cmpstr (second, ==, "~63%");

  g_dbus_connection_close_sync (fixture->applet, NULL, NULL);
  end = read_line (stream, 5);
  g_assert_null (end);
  g_assert_cmpint (wait_exit (process), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  bus_address = g_test_dbus_get_bus_address (bus);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/quota-service/introspection", test_introspection);
  ADD ("/quota-service/initial-values", test_initial_values);
  ADD ("/quota-service/snapshot-values", test_snapshot_values);
  ADD ("/quota-service/update-normalizes", test_update_normalizes);
  ADD ("/quota-service/properties-changed", test_properties_changed);
  ADD ("/quota-service/refresh/joins", test_refresh_joins);
  ADD ("/quota-service/refresh/without-handler", test_refresh_without_handler);
  ADD ("/quota-service/refresh/unexport", test_refresh_unexport);
  ADD ("/bar-client/get-report", test_client_get_report);
  ADD ("/bar-client/not-running", test_client_not_running);
  ADD ("/bar-client/timeout", test_client_timeout);
  g_test_add_func ("/bar-client/no-bus", test_client_no_bus);
  ADD ("/bar-client/watch", test_client_watch);
  ADD ("/bar-client/watch-restart", test_client_watch_restart);
  ADD ("/bar-client/watch/not-running", test_client_watch_not_running);
  ADD ("/bar-client/watch/cancel", test_client_watch_cancel);
  ADD ("/bar-client/probe/once", test_probe_once);
  ADD ("/bar-client/probe/watch", test_probe_watch);

#undef ADD

  status = g_test_run ();
  g_test_dbus_down (bus);
  return status;
}
