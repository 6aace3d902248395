/* test-applet.c: the built applet (leeway-applet) started for real
 *
 *  - a missing or stale compiled GSettings schema: one clear line and exit
 *    status 1, no crash (GSETTINGS_SCHEMA_DIR and XDG_DATA_DIRS of the
 *    test's own, no display needed);
 *  - on a private X server (Xvfb) and session bus, with a Secret Service
 *    that never answers: the applet uses MINIMAX_API_KEY within seconds,
 *    and a second launch with another --base-url and --region is applied by
 *    the running applet (the new server is asked) and says so;
 *  - there too, with a test notification server and no tray host:
 *    io.github.leewayapp.Leeway.Quota1 against `leeway --once --json`,
 *    its PropertiesChanged and Refresh(), and the no-host notice once per
 *    login.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "mq-client.h"
#include "mq-test-notifications.h"
#include "mq-test-server.h"
#include "mq-test-util.h"

#define KEY "sk-cp-TESTKEY-abcdef0123456789abcdef"

static const char *applet_path;
static const char *schema_dir;

typedef struct {
  char *tmpdir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("mq-test-applet-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  mq_test_remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
}

#define ENV(...)  ((const char * const[]) { __VA_ARGS__, NULL })
#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static char **
make_environ (Fixture            *f,
              const char * const *overrides)
{
  static const char * const unset[] = {
    "MINIMAX_API_KEY", "MINIMAX_CN_API_KEY", "MINIMAX_API_TOKEN",
    "MINIMAX_BASE_URL", "MINIMAX_REGION", "DISPLAY", "WAYLAND_DISPLAY",
    "DBUS_SESSION_BUS_ADDRESS", "G_MESSAGES_DEBUG", "SECRET_BACKEND",
    "SECRET_FILE_TEST_PATH", "GSETTINGS_SCHEMA_DIR",
    NULL,
  };
  g_autofree char *data_dirs = g_build_filename (f->tmpdir, "no-data", NULL);
  g_autofree char *runtime = g_build_filename (f->tmpdir, "runtime", NULL);
  char **env = mq_test_environ_unset (g_get_environ (), unset);

  g_mkdir_with_parents (runtime, 0700);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_dirs, TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  return mq_test_environ_apply (env, overrides);
}

static MqTestRun
run_applet (Fixture            *f,
            const char * const *overrides,
            const char * const *args)
{
  g_auto(GStrv) env = make_environ (f, overrides);
  MqTestRun run = mq_test_run_program (applet_path, args, (const char * const *) env,
                                       G_SUBPROCESS_FLAGS_NONE, 30);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run.status, run.out, run.err);
  return run;
}

static void
compile_schema (const char *xml,
                const char *target)
{
  g_autofree char *compiler = g_find_program_in_path ("glib-compile-schemas");
  g_autofree char *source = g_build_filename (target, APP_ID ".gschema.xml", NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (compiler);
  mq_test_write_file (source, xml);
  g_spawn_sync (NULL, (char *[]) { compiler, "--strict", (char *) target, NULL }, NULL,
                G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

/* Exactly one line on stderr, naming the fix; exit status 1, no signal. */
static void
assert_schema_refusal (const MqTestRun *run,
                       const char      *needle)
{
  const char *newline = strchr (run->err, '\n');

  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "leeway: "));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
  g_assert_nonnull (strstr (run->err, "glib-compile-schemas"));
  g_assert_nonnull (strstr (run->err, needle));
}

static void
test_schema_missing (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (f->tmpdir, "schemas", NULL);
  g_autofree char *schema_env = g_strconcat ("GSETTINGS_SCHEMA_DIR=", empty, NULL);
  /* Nor an installed copy in the usual places. */
  g_autofree char *no_data_dirs = g_strconcat ("XDG_DATA_DIRS=", f->tmpdir, "/no-data", NULL);
  g_auto(MqTestRun) run = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  run = run_applet (f, ENV (schema_env, no_data_dirs, "MINIMAX_API_KEY=" KEY), NULL);
  assert_schema_refusal (&run, "is not installed");
}

/* An older schema, before "last-region" existed. */
static void
test_schema_stale (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *xml_path = g_test_build_filename (G_TEST_DIST, "..", "data", APP_ID ".gschema.xml", NULL);
  g_autofree char *stale_dir = g_build_filename (f->tmpdir, "schemas", NULL);
  g_autofree char *schema_env = g_strconcat ("GSETTINGS_SCHEMA_DIR=", stale_dir, NULL);
  g_autofree char *no_data_dirs = g_strconcat ("XDG_DATA_DIRS=", f->tmpdir, "/no-data", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) stale = NULL;
  g_auto(MqTestRun) run = { 0 };
  const char *start, *end;

  g_assert_true (g_file_get_contents (xml_path, &xml, NULL, &error));
  g_assert_no_error (error);

  start = strstr (xml, "<key name=\"last-region\"");
  g_assert_nonnull (start);
  end = strstr (start, "</key>");
  g_assert_nonnull (end);
  stale = g_string_new_len (xml, start - xml);
  g_string_append (stale, end + strlen ("</key>"));
  compile_schema (stale->str, stale_dir);

  run = run_applet (f, ENV (schema_env, no_data_dirs, "MINIMAX_API_KEY=" KEY), NULL);
  assert_schema_refusal (&run, "last-region");
}

/* ---- On a private desktop ---------------------------------------------------- */

typedef struct {
  GSubprocess *xvfb;
  GSubprocess *bus;
  GSubprocess *mock;
  char        *display;
  char        *address;
} Desktop;

static char *
read_line (GSubprocess *process)
{
  g_autoptr(GDataInputStream) input =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  return g_data_input_stream_read_line_utf8 (input, NULL, NULL, NULL);
}

static gboolean
desktop_start (Desktop *desktop,
               Fixture *f)
{
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *mock = g_test_build_filename (G_TEST_DIST, "secret-service-mock.py", NULL);
  g_autofree char *log = g_build_filename (f->tmpdir, "secret-service.log", NULL);
  g_autofree char *number = NULL;
  g_autofree char *ready = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  if (xvfb == NULL || daemon == NULL || !g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs Xvfb, dbus-daemon and /usr/bin/python3 (with python3-gi)");
      return FALSE;
    }

  desktop->xvfb = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                    &error, xvfb, "-displayfd", "1", "-screen", "0", "640x480x24",
                                    "-nolisten", "tcp", NULL);
  g_assert_no_error (error);
  number = read_line (desktop->xvfb);
  g_assert_nonnull (number);
  desktop->display = g_strconcat (":", number, NULL);

  desktop->bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                   &error, daemon, "--session", "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  desktop->address = read_line (desktop->bus);
  g_assert_nonnull (desktop->address);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", desktop->address, TRUE);
  desktop->mock = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", mock,
                                               "silent", log, NULL);
  g_assert_no_error (error);
  ready = read_line (desktop->mock);
  if (g_strcmp0 (ready, "ready") != 0)
    {
      g_test_skip ("the scripted Secret Service did not start (python3-gi?)");
      return FALSE;
    }

  return TRUE;
}

static void
desktop_stop (Desktop *desktop)
{
  GSubprocess *processes[] = { desktop->mock, desktop->bus, desktop->xvfb };

  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    if (processes[i] != NULL)
      {
        g_subprocess_force_exit (processes[i]);
        g_subprocess_wait (processes[i], NULL, NULL);
      }
  g_clear_object (&desktop->mock);
  g_clear_object (&desktop->bus);
  g_clear_object (&desktop->xvfb);
  g_clear_pointer (&desktop->display, g_free);
  g_clear_pointer (&desktop->address, g_free);
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until @server has answered a request or @seconds passed; how
 * long it took, or -1. */
static gint64
wait_for_hit (MqTestServer *server,
              guint         seconds)
{
  gint64 start = g_get_monotonic_time ();
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_deadline, &late);

  while (!late && mq_test_server_get_hits (server, MQ_PATH_CURRENT) == 0)
    g_main_context_iteration (NULL, TRUE);

  if (late)
    return -1;
  g_source_remove (id);
  return g_get_monotonic_time () - start;
}

static void
test_keyring_silent_and_second_launch (Fixture       *f,
                                       gconstpointer  data)
{
  Desktop desktop = { 0 };
  g_autoptr(MqTestServer) first = NULL;
  g_autoptr(MqTestServer) second = NULL;
  g_autofree char *first_url = NULL;
  g_autofree char *second_url = NULL;
  g_autofree char *display_env = NULL;
  g_autofree char *bus_env = NULL;
  g_autofree char *schema_env = g_strconcat ("GSETTINGS_SCHEMA_DIR=", schema_dir, NULL);
  g_auto(GStrv) env = NULL;
  g_auto(MqTestRun) again = { 0 };
  g_auto(MqTestRun) primary_run = { 0 };
  MqTestProcess *primary;
  gint64 waited;

  if (!desktop_start (&desktop, f))
    {
      desktop_stop (&desktop);
      return;
    }

  first = mq_test_server_new ();
  second = mq_test_server_new ();
  mq_test_server_set_route_fixture (first, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_route_fixture (second, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  first_url = mq_test_server_get_base_url (first);
  second_url = mq_test_server_get_base_url (second);

  display_env = g_strconcat ("DISPLAY=", desktop.display, NULL);
  bus_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", desktop.address, NULL);
  env = make_environ (f, ENV (display_env, bus_env, schema_env, "MINIMAX_API_KEY=" KEY,
                              "GDK_BACKEND=x11", "NO_AT_BRIDGE=1"));

  primary = mq_test_process_start (applet_path,
                                   ARGS ("--base-url", first_url, "--region", "auto"),
                                   (const char * const *) env, G_SUBPROCESS_FLAGS_NONE);

  /* The keyring never answers: the environment's key within seconds, not
   * after D-Bus's 25 s (or never). */
  waited = wait_for_hit (first, 8);
  g_test_message ("first request after %.0f ms", waited / 1000.0);
  if (waited < 0)
    {
      /* Without its display and bus the applet ends: show what it said. */
      desktop_stop (&desktop);
      primary_run = mq_test_process_finish (primary, 10);
      g_test_message ("primary: exit %d\nstderr: %s", primary_run.status, primary_run.err);
    }
  g_assert_cmpint (waited, >=, 0);
  g_assert_cmpint (waited, <, 6 * G_USEC_PER_SEC);

  /* A second launch with another server and region: applied, and said. */
  again = mq_test_run_program (applet_path,
                               ARGS ("--base-url", second_url, "--region", "global"),
                               (const char * const *) env, G_SUBPROCESS_FLAGS_NONE, 20);
  g_test_message ("second launch: exit %d\nstdout: %s\nstderr: %s", again.status, again.out, again.err);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "global"));
  g_assert_nonnull (strstr (again.out, second_url));

  waited = wait_for_hit (second, 8);
  g_assert_cmpint (waited, >=, 0);

  /* The running applet quits through its own action. */
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                           G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    g_autoptr(GSubprocess) quit = NULL;

    g_subprocess_launcher_set_environ (launcher, env);
    quit = g_subprocess_launcher_spawn (launcher, NULL, "gdbus", "call", "--session",
                                        "--dest", APP_ID, "--object-path",
                                        "/io/github/leewayapp/Leeway",
                                        "--method", "org.freedesktop.Application.ActivateAction",
                                        "quit", "[]", "{}", NULL);
    if (quit != NULL)
      g_subprocess_wait (quit, NULL, NULL);
  }
  primary_run = mq_test_process_finish (primary, 20);
  g_test_message ("primary: exit %d\nstderr: %s", primary_run.status, primary_run.err);
  g_assert_null (strstr (primary_run.err, "TESTKEY"));
  g_assert_null (strstr (again.out, "TESTKEY"));
  g_assert_null (strstr (again.err, "TESTKEY"));

  desktop_stop (&desktop);
}

/* ---- io.github.leewayapp.Leeway.Quota1 and the no-host notice ------------------- */

#define QUOTA1 "io.github.leewayapp.Leeway.Quota1"
#define APP_PATH "/io/github/leewayapp/Leeway"

typedef struct {
  GDBusConnection *connection;
  guint            changed;   /* PropertiesChanged of Quota1 */
  guint            replies;
} Listener;

static void
on_properties_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *path,
                       const char      *interface,
                       const char      *signal,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  Listener *listener = user_data;
  g_autofree char *text = g_variant_print (parameters, FALSE);

  g_test_message ("PropertiesChanged %s", text);
  g_assert_null (strstr (text, "TESTKEY"));
  listener->changed++;
}

static GVariant *
get_all (Listener *listener)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (listener->connection, APP_ID, APP_PATH,
                                 "org.freedesktop.DBus.Properties", "GetAll",
                                 g_variant_new ("(s)", QUOTA1), G_VARIANT_TYPE ("(a{sv})"),
                                 G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);

  g_assert_no_error (error);
  return g_variant_get_child_value (reply, 0);
}

static char *
get_report (Listener *listener)
{
  g_autoptr(GVariant) all = get_all (listener);
  char *report = NULL;

  g_assert_true (g_variant_lookup (all, "Report", "s", &report));
  return report;
}

static void
on_refresh_reply (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Listener *listener = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  g_assert_no_error (error);
  listener->replies++;
}

/* @n Refresh() calls at once; returns when every one has replied. */
static void
refresh (Listener *listener,
         guint     n)
{
  guint wanted = listener->replies + n;

  for (guint i = 0; i < n; i++)
    g_dbus_connection_call (listener->connection, APP_ID, APP_PATH, QUOTA1, "Refresh",
                            NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 20000, NULL,
                            on_refresh_reply, listener);
  mq_test_wait_count (&listener->replies, wanted, 20, "Refresh() replies");
}

static void
spin (guint ms)
{
  gboolean late = FALSE;

  g_timeout_add (ms, on_deadline, &late);
  while (!late)
    g_main_context_iteration (NULL, TRUE);
}

/* Drops the members that count from the time of the request. */
static void
strip_times (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      json_object_remove_member (object, "fetched_at");
      json_object_remove_member (object, "resets_in_seconds");
      for (GList *l = members; l != NULL; l = l->next)
        if (json_object_has_member (object, l->data))
          strip_times (json_object_get_member (object, l->data));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        strip_times (json_array_get_element (array, i));
    }
}

static JsonNode *
parse_stripped (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  strip_times (node);
  return node;
}

static void
quit_applet (char **env)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) quit = NULL;

  g_subprocess_launcher_set_environ (launcher, env);
  quit = g_subprocess_launcher_spawn (launcher, NULL, "gdbus", "call", "--session",
                                      "--dest", APP_ID, "--object-path", APP_PATH,
                                      "--method", "org.freedesktop.Application.ActivateAction",
                                      "quit", "[]", "{}", NULL);
  if (quit != NULL)
    g_subprocess_wait (quit, NULL, NULL);
}

static guint
count_shown (MqTestNotifications *notifications,
             const char          *id)
{
  guint n = 0;

  for (guint i = 0; i < notifications->shown->len; i++)
    {
      MqTestNotification *shown = notifications->shown->pdata[i];

      if (g_strcmp0 (shown->id, id) == 0)
        n++;
    }
  return n;
}

static guint
count_lines (const char *text,
             const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* On a private bus with no tray host: Quota1's Report is what `--once
 * --json` prints for the same answer; PropertiesChanged once per fetch that
 * changed something and never for a Refresh() that sent nothing; two
 * Refresh() calls at once are one request; no key anywhere. After 5 s
 * without a host, one notification and one stderr line; a second start in
 * the same login: the line, no notification. */
static void
test_quota1_and_no_host (Fixture       *f,
                         gconstpointer  data)
{
  Desktop desktop = { 0 };
  Listener listener = { 0 };
  g_autoptr(MqTestServer) server = NULL;
  g_autoptr(MqTestNotifications) notifications = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *display_env = NULL;
  g_autofree char *bus_env = NULL;
  g_autofree char *state_env = g_strconcat ("XDG_STATE_HOME=", f->tmpdir, "/state", NULL);
  g_autofree char *schema_env = g_strconcat ("GSETTINGS_SCHEMA_DIR=", schema_dir, NULL);
  g_autofree char *report = NULL;
  g_autofree char *history = g_build_filename (f->tmpdir, "state", "leeway", "history.db", NULL);
  g_autoptr(JsonNode) from_applet = NULL;
  g_autoptr(JsonNode) from_cli = NULL;
  g_autoptr(GVariant) all = NULL;
  g_auto(GStrv) env = NULL;
  g_auto(MqTestRun) cli = { 0 };
  g_auto(MqTestRun) first_run = { 0 };
  g_auto(MqTestRun) second_run = { 0 };
  g_autofree char *all_text = NULL;
  MqTestProcess *applet;
  const char *no_host_line = "Your desktop shows no tray icons";
  guint hits, changed, subscription;
  gint64 first_hit;
  char *state = NULL;

  if (!desktop_start (&desktop, f))
    {
      desktop_stop (&desktop);
      return;
    }

  notifications = mq_test_notifications_new (desktop.address);
  server = mq_test_server_new ();
  mq_test_server_set_route_fixture (server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  url = mq_test_server_get_base_url (server);

  display_env = g_strconcat ("DISPLAY=", desktop.display, NULL);
  bus_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", desktop.address, NULL);
  env = make_environ (f, ENV (display_env, bus_env, schema_env, state_env, "MINIMAX_API_KEY=" KEY,
                              "GDK_BACKEND=x11", "NO_AT_BRIDGE=1"));

  listener.connection = g_dbus_connection_new_for_address_sync (desktop.address,
                                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                                NULL, NULL, &error);
  g_assert_no_error (error);
  subscription = g_dbus_connection_signal_subscribe (listener.connection, NULL,
                                                     "org.freedesktop.DBus.Properties",
                                                     "PropertiesChanged", APP_PATH, QUOTA1,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_properties_changed, &listener, NULL);

  applet = mq_test_process_start (applet_path, ARGS ("--base-url", url),
                                  (const char * const *) env, G_SUBPROCESS_FLAGS_NONE);
  g_assert_cmpint (wait_for_hit (server, 8), >=, 0);
  first_hit = g_get_monotonic_time ();

  /* The first answer, recorded, with its report. */
  for (guint i = 0; i < 100; i++)
    {
      g_free (report);
      report = get_report (&listener);
      if (report[0] != '\0')
        break;
      spin (100);
    }
  g_assert_cmpstr (report, !=, "");
  g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));

  /* The same answer asked by the command line. */
  {
    g_autofree char *cli_path = g_strdup (g_getenv ("MQ_CLI_PATH"));

    cli = mq_test_run_program (cli_path, ARGS ("--once", "--json", "--base-url", url),
                               (const char * const *) env, G_SUBPROCESS_FLAGS_NONE, 20);
    g_assert_cmpint (cli.status, ==, 0);
  }
  from_applet = parse_stripped (report);
  from_cli = parse_stripped (cli.out);
  if (!json_node_equal (from_applet, from_cli))
    g_test_message ("applet: %s\ncli: %s", report, cli.out);
  g_assert_true (json_node_equal (from_applet, from_cli));

  /* Past the 5 s floor of refreshes asked for: two Refresh() at once are
   * one request and one PropertiesChanged (the fetch time changed). */
  spin (MAX (0, 5600 - (g_get_monotonic_time () - first_hit) / 1000));
  hits = mq_test_server_get_hits (server, MQ_PATH_CURRENT);
  changed = listener.changed;
  refresh (&listener, 2);
  spin (300);
  g_assert_cmpuint (mq_test_server_get_hits (server, MQ_PATH_CURRENT), ==, hits + 1);
  g_assert_cmpuint (listener.changed, ==, changed + 1);

  /* Within the floor a Refresh() sends nothing and nothing changes. */
  refresh (&listener, 1);
  spin (300);
  g_assert_cmpuint (mq_test_server_get_hits (server, MQ_PATH_CURRENT), ==, hits + 1);
  g_assert_cmpuint (listener.changed, ==, changed + 1);

  /* A lower answer: one PropertiesChanged, the state follows. */
  mq_test_server_set_route_fixture (server, MQ_PATH_CURRENT, 200, "e2e-low.json");
  spin (5600);
  refresh (&listener, 1);
  spin (300);
  g_assert_cmpuint (mq_test_server_get_hits (server, MQ_PATH_CURRENT), ==, hits + 2);
  g_assert_cmpuint (listener.changed, ==, changed + 2);
  all = get_all (&listener);
  g_assert_true (g_variant_lookup (all, "State", "&s", &state));
  g_assert_cmpstr (state, ==, "low");
  all_text = g_variant_print (all, FALSE);
  g_assert_null (strstr (all_text, "TESTKEY"));
  g_assert_null (strstr (all_text, KEY + 6));

  /* No tray host on this desktop: one notification, one line, and the
   * applet still runs. */
  mq_test_wait_count (&notifications->shown->len, 1, 10, "the no-host notification");
  g_assert_cmpuint (count_shown (notifications, "no-tray-host"), ==, 1);
  g_assert_nonnull (strstr (((MqTestNotification *) notifications->shown->pdata[0])->body,
                            "gnome-shell-extension-appindicator"));
  quit_applet (env);
  first_run = mq_test_process_finish (applet, 20);
  g_test_message ("applet: exit %d\nstderr: %s", first_run.status, first_run.err);
  g_assert_cmpint (first_run.status, ==, 0);
  g_assert_cmpuint (count_lines (first_run.err, no_host_line), ==, 1);
  g_assert_null (strstr (first_run.err, "TESTKEY"));

  /* A second start in the same login: said on stderr, not notified. */
  mq_test_notifications_reset (notifications);
  applet = mq_test_process_start (applet_path, ARGS ("--base-url", url),
                                  (const char * const *) env, G_SUBPROCESS_FLAGS_NONE);
  spin (7000);
  quit_applet (env);
  second_run = mq_test_process_finish (applet, 20);
  g_test_message ("second applet: exit %d\nstderr: %s", second_run.status, second_run.err);
  g_assert_cmpuint (count_lines (second_run.err, no_host_line), ==, 1);
  g_assert_cmpuint (count_shown (notifications, "no-tray-host"), ==, 0);

  g_dbus_connection_signal_unsubscribe (listener.connection, subscription);
  g_clear_object (&listener.connection);
  g_clear_pointer (&notifications, mq_test_notifications_free);
  desktop_stop (&desktop);
}

/* ---- Several accounts (issue 12) ------------------------------------------- */

#define KEY_TEAM_A "sk-cp-TESTKEY-team-a-0123456789abcdef"
#define KEY_TEAM_B "sk-cp-TESTKEY-team-b-0123456789abcdef"
#define KEY_PAYG   "sk-api-TESTKEY-payg-0123456789abcdef0"
#define MENU_PATH  "/org/ayatana/NotificationItem/io_github_leewayapp_Leeway/Menu"

/* Report, or "" while the applet is not (yet) on the bus. */
static char *
try_report (Listener *listener)
{
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (listener->connection, APP_ID, APP_PATH,
                                 "org.freedesktop.DBus.Properties", "Get",
                                 g_variant_new ("(ss)", QUOTA1, "Report"), G_VARIANT_TYPE ("(v)"),
                                 G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  g_autoptr(GVariant) value = NULL;

  if (reply == NULL)
    return g_strdup ("");
  g_variant_get (reply, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

/* `leeway --add-account=NAME` with the key on standard input. */
static void
add_account (char      **env,
             const char *url,
             const char *name,
             const char *key)
{
  g_autofree char *cli_path = g_strdup (g_getenv ("MQ_CLI_PATH"));
  g_autofree char *name_arg = g_strconcat ("--add-account=", name, NULL);
  g_autofree char *input = g_strconcat (key, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawn (launcher, &error, cli_path, name_arg, "--base-url", url,
                                         NULL);
  g_assert_no_error (error);
  /* The server answers from this main loop: wait iterating it. */
  g_subprocess_communicate_utf8_async (process, input, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 60, "the CLI adding an account");
  g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("add %s: exit %d\n%s%s", name, g_subprocess_get_exit_status (process), out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* Every label of a dbusmenu layout node (ia{sv}av), depth first. */
static void
collect_labels (GVariant  *node,
                GPtrArray *labels)
{
  g_autoptr(GVariant) properties = g_variant_get_child_value (node, 1);
  g_autoptr(GVariant) children = g_variant_get_child_value (node, 2);
  const char *label = NULL;
  gboolean visible = TRUE;

  /* Hidden items are exported too, "visible" FALSE. */
  g_variant_lookup (properties, "visible", "b", &visible);
  if (visible && g_variant_lookup (properties, "label", "&s", &label))
    g_ptr_array_add (labels, g_strdup (label));
  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);

      collect_labels (child, labels);
    }
}

static GPtrArray *
menu_labels (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (connection, APP_ID, MENU_PATH, "com.canonical.dbusmenu",
                                 "GetLayout", g_variant_new ("(iias)", 0, -1, NULL),
                                 G_VARIANT_TYPE ("(u(ia{sv}av))"), G_DBUS_CALL_FLAGS_NONE,
                                 5000, NULL, &error);
  g_autoptr(GVariant) root = NULL;
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  root = g_variant_get_child_value (reply, 1);
  collect_labels (root, labels);
  return labels;
}

static guint
count_prefixed (GPtrArray  *labels,
                const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (labels->pdata[i], prefix))
      n++;
  return n;
}

/* Two Token Plan accounts and a pay-as-you-go one, stored with the CLI:
 * the applet follows all three against one server answering per key; the
 * exported menu has a section per account and a balance row, the icon
 * (Quota1's RemainingPercent) follows the tighter account, not the
 * first, and Report is the `--once --json` document with "accounts". */
static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  Desktop desktop = { 0 };
  Listener listener = { 0 };
  g_autoptr(MqTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GVariant) all = NULL;
  g_autofree char *url = NULL;
  g_autofree char *display_env = NULL;
  g_autofree char *bus_env = NULL;
  g_autofree char *report = NULL;
  g_autofree char *labels_text = NULL;
  g_autofree char *schema_env = g_strconcat ("GSETTINGS_SCHEMA_DIR=", schema_dir, NULL);
  g_autofree char *state_env = g_strconcat ("XDG_STATE_HOME=", f->tmpdir, "/state", NULL);
  g_autofree char *config_env = g_strconcat ("XDG_CONFIG_HOME=", f->tmpdir, "/config", NULL);
  g_autofree char *keyring_env = g_strconcat ("SECRET_FILE_TEST_PATH=", f->tmpdir, "/keyring", NULL);
  g_auto(GStrv) env = NULL;
  g_auto(MqTestRun) run = { 0 };
  MqTestProcess *applet;
  JsonArray *accounts;
  gint percent = -1;
  gint64 tighter = -1;

  if (!desktop_start (&desktop, f))
    {
      desktop_stop (&desktop);
      return;
    }

  server = mq_test_server_new ();
  mq_test_server_set_key_route_fixture (server, MQ_PATH_CURRENT, KEY_TEAM_B, 200,
                                        "current-percent-plan.json");
  mq_test_server_set_key_route_fixture (server, MQ_PATH_CURRENT, KEY_TEAM_A, 200,
                                        "token-plan-plus-video-not-in-plan.json");
  mq_test_server_set_key_route_fixture (server, MQ_PATH_BALANCE, KEY_PAYG, 200,
                                        "balance-strings.json");
  url = mq_test_server_get_base_url (server);

  display_env = g_strconcat ("DISPLAY=", desktop.display, NULL);
  bus_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", desktop.address, NULL);
  env = make_environ (f, ENV (display_env, bus_env, schema_env, state_env, config_env,
                              keyring_env, "GSETTINGS_BACKEND=keyfile", "SECRET_BACKEND=file",
                              "SECRET_FILE_TEST_PASSWORD=test-password",
                              "GDK_BACKEND=x11", "NO_AT_BRIDGE=1"));

  /* The looser account first: the icon must not just follow the first. */
  add_account (env, url, "team-b", KEY_TEAM_B);
  add_account (env, url, "team-a", KEY_TEAM_A);
  add_account (env, url, "spare", KEY_PAYG);

  listener.connection = g_dbus_connection_new_for_address_sync (desktop.address,
                                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                                NULL, NULL, &error);
  g_assert_no_error (error);

  applet = mq_test_process_start (applet_path, ARGS ("--base-url", url, "--background"),
                                  (const char * const *) env, G_SUBPROCESS_FLAGS_NONE);

  /* Every account answered: Report carries the accounts array. */
  for (guint i = 0; i < 150; i++)
    {
      g_free (report);
      report = try_report (&listener);
      if (strstr (report, "\"accounts\"") != NULL)
        break;
      spin (100);
    }
  g_test_message ("Report: %s", report);
  g_assert_nonnull (strstr (report, "\"accounts\""));
  g_assert_null (strstr (report, "TESTKEY"));
  json_parser_load_from_data (parser, report, -1, &error);
  g_assert_no_error (error);
  accounts = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                           "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *headline = json_object_get_object_member (json_array_get_object_element (accounts, i),
                                                            "headline");
      gint64 value = json_object_get_int_member (headline, "remaining_percent");

      if (tighter < 0 || value < tighter)
        tighter = value;
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (accounts, 2),
                                                  "key_kind"), ==, "pay-as-you-go");

  /* The icon follows the tighter account (team-a), not the first. */
  all = get_all (&listener);
  g_assert_true (g_variant_lookup (all, "RemainingPercent", "i", &percent));
  g_assert_cmpint (percent, ==, (gint) tighter);
  g_assert_cmpint (percent, <, 99);

  /* The menu as a panel reads it: a header per account, a balance row. */
  labels = menu_labels (listener.connection);
  g_ptr_array_add (labels, NULL);
  labels_text = g_strjoinv ("\n", (char **) labels->pdata);
  g_ptr_array_remove_index (labels, labels->len - 1);
  g_test_message ("menu:\n%s", labels_text);
  /* The tray's header names the account the icon follows... */
  g_assert_cmpuint (count_prefixed (labels, "team-a: "), ==, 1);
  g_assert_cmpuint (count_prefixed (labels, "team-b: "), ==, 0);
  /* ...then one section header per account, with its plan when known. */
  g_assert_cmpuint (count_prefixed (labels, "team-a \u2014 Starter plan (inferred)"), ==, 1);
  g_assert_true (g_ptr_array_find_with_equal_func (labels, "team-b", g_str_equal, NULL));
  g_assert_cmpuint (count_prefixed (labels, "spare \u2014 pay-as-you-go"), ==, 1);
  g_assert_false (g_ptr_array_find_with_equal_func (labels, "Set API key\u2026", g_str_equal, NULL));
  g_assert_nonnull (strstr (labels_text, "Balance: $25.40"));
  g_assert_null (strstr (labels_text, "TESTKEY"));

  /* Each Token Plan account recorded under its own name. */
  {
    g_autofree char *history = g_build_filename (f->tmpdir, "state", "leeway", "history.db", NULL);

    g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));
  }

  quit_applet (env);
  run = mq_test_process_finish (applet, 20);
  g_test_message ("applet: exit %d\nstderr: %s", run.status, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.err, "TESTKEY"));

  g_clear_object (&listener.connection);
  desktop_stop (&desktop);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  applet_path = g_getenv ("MQ_APPLET_PATH");
  schema_dir = g_getenv ("MQ_SCHEMA_DIR");
  if (applet_path == NULL || schema_dir == NULL)
    g_error ("MQ_APPLET_PATH and MQ_SCHEMA_DIR must be set (meson sets them)");

#define ADD(path, func) \
  g_test_add ("/applet/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("schema-missing", test_schema_missing);
  ADD ("schema-stale", test_schema_stale);
  ADD ("keyring-silent-and-second-launch", test_keyring_silent_and_second_launch);
  ADD ("quota1-and-no-host", test_quota1_and_no_host);
  ADD ("accounts", test_accounts);

#undef ADD

  return g_test_run ();
}
