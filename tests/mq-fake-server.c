/* mq-fake-server.c: a stand-alone fake MiniMax endpoint for e2e tests and
 * benchmarks, built on MqTestServer. Not installed.
 *
 * With --control-port-file it also listens on a second loopback port, for
 * a test script to read the hit counts and change routes and faults while
 * it runs.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "mq-client.h"
#include "mq-test-server.h"

typedef struct {
  GMainLoop    *loop;
  MqTestServer *server;
  GPtrArray    *paths;      /* every path named on the command line or by control */
  char         *hits_file;
} FakeServer;

static char *
split_path (const char *arg,
            const char *option,
            const char **rest,
            GError    **error)
{
  const char *eq = strchr (arg, '=');

  if (eq == NULL || eq == arg || arg[0] != '/')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s wants /PATH=VALUE, got \"%s\"", option, arg);
      return NULL;
    }

  *rest = eq + 1;
  return g_strndup (arg, eq - arg);
}

static gboolean
parse_uint (const char *text,
            guint       max,
            guint      *out,
            GError    **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, error))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* STATUS:FIXTURE, STATUS:@FILE or STATUS: (empty body) */
static gboolean
apply_route (MqTestServer *server,
             const char   *path,
             const char   *spec,
             GError      **error)
{
  const char *colon = strchr (spec, ':');
  g_autofree char *status_text = NULL;
  guint status;

  if (colon == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--route wants /PATH=STATUS:FIXTURE, STATUS:@FILE or STATUS:, got \"%s\"",
                   spec);
      return FALSE;
    }

  status_text = g_strndup (spec, colon - spec);
  if (!parse_uint (status_text, 599, &status, error))
    return FALSE;

  if (colon[1] == '\0')
    mq_test_server_set_route (server, path, status, NULL, NULL, 0);
  else if (colon[1] == '@')
    mq_test_server_set_route_file (server, path, status, colon + 2);
  else
    mq_test_server_set_route_fixture (server, path, status, colon + 1);

  return TRUE;
}

static void
remember_path (GPtrArray  *paths,
               const char *path)
{
  if (!g_ptr_array_find_with_equal_func (paths, path, g_str_equal, NULL))
    g_ptr_array_add (paths, g_strdup (path));
}

/* "* TOTAL" and then "/PATH COUNT" for every remembered path */
static GString *
format_hits (FakeServer *fake)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "* %u\n", mq_test_server_get_total_hits (fake->server));
  for (guint i = 0; i < fake->paths->len; i++)
    {
      const char *path = g_ptr_array_index (fake->paths, i);

      g_string_append_printf (text, "%s %u\n", path,
                              mq_test_server_get_hits (fake->server, path));
    }

  return text;
}

static gboolean
write_hits (FakeServer *fake,
            GError    **error)
{
  g_autoptr(GString) text = format_hits (fake);

  return g_file_set_contents (fake->hits_file, text->str, text->len, error);
}

static void
control_reply (SoupServerMessage *msg,
               guint              status,
               const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=UTF-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

/* GET /hits: what --hits-file would write now. */
static void
on_control_hits (SoupServer        *soup_server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  FakeServer *fake = user_data;
  g_autoptr(GString) text = NULL;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      control_reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "GET /hits\n");
      return;
    }

  text = format_hits (fake);
  control_reply (msg, SOUP_STATUS_OK, text->str);
}

/* POST /route?path=/PATH&answer=STATUS:@FILE or STATUS: (as --route; a
 * fixture NAME is refused here, since a missing one would abort). The new
 * answer applies to every request that arrives after the reply. */
static void
on_control_route (SoupServer        *soup_server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  FakeServer *fake = user_data;
  g_autoptr(GError) error = NULL;
  const char *route_path = NULL;
  const char *answer = NULL;
  const char *colon;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      control_reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "POST /route\n");
      return;
    }

  if (query != NULL)
    {
      route_path = g_hash_table_lookup (query, "path");
      answer = g_hash_table_lookup (query, "answer");
    }
  if (route_path == NULL || route_path[0] != '/' || answer == NULL)
    {
      control_reply (msg, SOUP_STATUS_BAD_REQUEST,
                     "want ?path=/PATH&answer=STATUS:@FILE or STATUS:\n");
      return;
    }

  colon = strchr (answer, ':');
  if (colon != NULL && colon[1] != '\0' &&
      (colon[1] != '@' || !g_file_test (colon + 2, G_FILE_TEST_IS_REGULAR)))
    {
      control_reply (msg, SOUP_STATUS_BAD_REQUEST,
                     "answer wants STATUS:@FILE (an existing file) or STATUS:\n");
      return;
    }

  if (!apply_route (fake->server, route_path, answer, &error))
    {
      g_autofree char *text = g_strconcat (error->message, "\n", NULL);

      control_reply (msg, SOUP_STATUS_BAD_REQUEST, text);
      return;
    }

  remember_path (fake->paths, route_path);
  control_reply (msg, SOUP_STATUS_OK, "ok\n");
}

/* POST /fault?path=/PATH&mode=SPEC, SPEC as for --fault. */
static void
on_control_fault (SoupServer        *soup_server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  FakeServer *fake = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *argument = NULL;
  const char *route_path = NULL;
  const char *mode = NULL;
  MqTestFault fault;

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      control_reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "POST /fault\n");
      return;
    }

  if (query != NULL)
    {
      route_path = g_hash_table_lookup (query, "path");
      mode = g_hash_table_lookup (query, "mode");
    }
  if (route_path == NULL || route_path[0] != '/' || mode == NULL)
    {
      control_reply (msg, SOUP_STATUS_BAD_REQUEST, "want ?path=/PATH&mode=FAULT\n");
      return;
    }

  if (!mq_test_fault_parse (mode, &fault, &argument, &error))
    {
      g_autofree char *text = g_strconcat (error->message, "\n", NULL);

      control_reply (msg, SOUP_STATUS_BAD_REQUEST, text);
      return;
    }

  mq_test_server_set_fault (fake->server, route_path, fault, argument);
  remember_path (fake->paths, route_path);
  control_reply (msg, SOUP_STATUS_OK, "ok\n");
}

/* GET /faults: "held N" (connections a stall holds open), then
 * "/PATH BYTES" streamed by the huge faults, for every remembered path. */
static void
on_control_faults (SoupServer        *soup_server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  FakeServer *fake = user_data;
  g_autoptr(GString) text = g_string_new (NULL);

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    {
      control_reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "GET /faults\n");
      return;
    }

  g_string_append_printf (text, "held %u\n", mq_test_server_get_held_connections (fake->server));
  for (guint i = 0; i < fake->paths->len; i++)
    {
      const char *route_path = g_ptr_array_index (fake->paths, i);

      g_string_append_printf (text, "%s %" G_GUINT64_FORMAT "\n", route_path,
                              mq_test_server_get_bytes_streamed (fake->server, route_path));
    }
  control_reply (msg, SOUP_STATUS_OK, text->str);
}

static SoupServer *
start_control (FakeServer *fake,
               const char *url_file,
               GError    **error)
{
  g_autoptr(SoupServer) soup_server = soup_server_new ("server-header", "mq-fake-server-control ",
                                                       NULL);
  g_autofree char *line = NULL;
  GSList *uris;

  soup_server_add_handler (soup_server, "/hits", on_control_hits, fake, NULL);
  soup_server_add_handler (soup_server, "/route", on_control_route, fake, NULL);
  soup_server_add_handler (soup_server, "/fault", on_control_fault, fake, NULL);
  soup_server_add_handler (soup_server, "/faults", on_control_faults, fake, NULL);
  if (!soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (soup_server);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "the control server has no listening address");
      return NULL;
    }
  line = g_strdup_printf ("http://127.0.0.1:%d\n", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  if (!g_file_set_contents (url_file, line, -1, error))
    return NULL;

  return g_steal_pointer (&soup_server);
}

static gboolean
on_signal (gpointer user_data)
{
  FakeServer *fake = user_data;

  g_main_loop_quit (fake->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) fixtures = NULL;
  g_auto(GStrv) routes = NULL;
  g_auto(GStrv) headers = NULL;
  g_auto(GStrv) delays = NULL;
  g_auto(GStrv) drops = NULL;
  g_auto(GStrv) truncates = NULL;
  g_auto(GStrv) chunked = NULL;
  g_auto(GStrv) faults = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *hits_file = NULL;
  g_autofree char *control_port_file = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MqTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SoupServer) control = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  FakeServer fake = { 0 };
  gint port = 0;
  guint sigterm_id, sigint_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Listen on 127.0.0.1:PORT (default: any free port)", "PORT" },
    { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &port_file,
      "Also write the base URL to FILE once listening", "FILE" },
    { "fixture", 'f', 0, G_OPTION_ARG_FILENAME_ARRAY, &fixtures,
      "Answer " MQ_PATH_CURRENT " with 200 and FILE (a path, re-read on every request)", "FILE" },
    { "route", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &routes,
      "Answer /PATH with STATUS and a fixture from tests/data (NAME), any file "
      "(@FILE, re-read on every request) or no body (nothing after the colon)",
      "/PATH=STATUS:NAME|@FILE" },
    { "header", 'H', 0, G_OPTION_ARG_STRING_ARRAY, &headers,
      "Add a response header on /PATH, e.g. /v1/token_plan/remains=Retry-After:30",
      "/PATH=NAME:VALUE" },
    { "delay", 0, 0, G_OPTION_ARG_STRING_ARRAY, &delays,
      "Answer /PATH after MS milliseconds", "/PATH=MS" },
    { "drop", 0, 0, G_OPTION_ARG_STRING_ARRAY, &drops,
      "Close the connection on /PATH without answering", "/PATH" },
    { "truncate", 0, 0, G_OPTION_ARG_STRING_ARRAY, &truncates,
      "Send only the first BYTES of the body on /PATH (full Content-Length), then close",
      "/PATH=BYTES" },
    { "chunked", 0, 0, G_OPTION_ARG_STRING_ARRAY, &chunked,
      "Send /PATH with chunked transfer encoding", "/PATH" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault on /PATH: stall (headers, then nothing), half-body, "
      "huge[=BYTES] (50 MB chunked), huge-length[=BYTES] (with Content-Length), "
      "redirect=URL, invalid-utf8, deep-nesting, rate-limited[=SECONDS] (429), "
      "alternate (the route's answer, then 500, and so on), drip (a byte every 100 ms, "
      "for ever), huge-headers[=BYTES], gzip-bomb (50 KB inflating to 50 MB) or none",
      "/PATH=FAULT" },
    { "hits-file", 0, 0, G_OPTION_ARG_FILENAME, &hits_file,
      "On exit, write \"* TOTAL\" and then \"/PATH COUNT\" for every path named in the options to FILE",
      "FILE" },
    { "control-port-file", 0, 0, G_OPTION_ARG_FILENAME, &control_port_file,
      "Also listen on another 127.0.0.1 port for control requests and write its base URL "
      "to FILE: GET /hits answers the hit counts as --hits-file writes them; "
      "POST /route?path=/PATH&answer=STATUS:@FILE (or STATUS:) changes a route; "
      "POST /fault?path=/PATH&mode=FAULT sets a fault as --fault does; "
      "GET /faults answers \"held N\" and \"/PATH BYTES\" streamed by huge faults",
      "FILE" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- fake MiniMax quota endpoint on 127.0.0.1");
  g_option_context_set_summary (context,
    "Serves fixtures on loopback for end-to-end tests and benchmarks.\n"
    "Prints the base URL (http://127.0.0.1:PORT) on standard output, then\n"
    "runs until SIGTERM or SIGINT. Paths without a route answer 404.\n"
    "Fixture NAMEs are looked up in $G_TEST_SRCDIR/data, else in the\n"
    "source tree's tests/data.");
  g_option_context_set_description (context,
    "Example:\n"
    "  mq-fake-server --port-file url.txt \\\n"
    "    --route " MQ_PATH_CURRENT "=404: \\\n"
    "    --route " MQ_PATH_LEGACY_1 "=200:legacy-counts-cn.json");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("mq-fake-server: %s\n", error->message);
      return 1;
    }
  if (argc > 1)
    {
      g_printerr ("mq-fake-server: unexpected argument \"%s\"\n", argv[1]);
      return 1;
    }
  if (port < 0 || port > G_MAXUINT16)
    {
      g_printerr ("mq-fake-server: --port must be 0..65535\n");
      return 1;
    }

  server = mq_test_server_new_on_port ((guint) port, &error);
  if (server == NULL)
    {
      g_printerr ("mq-fake-server: cannot listen: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; fixtures != NULL && fixtures[i] != NULL; i++)
    {
      if (!g_file_test (fixtures[i], G_FILE_TEST_IS_REGULAR))
        {
          g_printerr ("mq-fake-server: no such file %s\n", fixtures[i]);
          return 1;
        }
      mq_test_server_set_route_file (server, MQ_PATH_CURRENT, 200, fixtures[i]);
      remember_path (paths, MQ_PATH_CURRENT);
    }

  for (guint i = 0; routes != NULL && routes[i] != NULL; i++)
    {
      const char *rest;
      g_autofree char *path = split_path (routes[i], "--route", &rest, &error);

      if (path == NULL || !apply_route (server, path, rest, &error))
        {
          g_printerr ("mq-fake-server: %s\n", error->message);
          return 1;
        }
      remember_path (paths, path);
    }

  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    {
      const char *rest, *colon;
      g_autofree char *path = split_path (headers[i], "--header", &rest, &error);
      g_autofree char *name = NULL;

      if (path == NULL)
        {
          g_printerr ("mq-fake-server: %s\n", error->message);
          return 1;
        }
      colon = strchr (rest, ':');
      if (colon == NULL || colon == rest)
        {
          g_printerr ("mq-fake-server: --header wants /PATH=NAME:VALUE, got \"%s\"\n", headers[i]);
          return 1;
        }
      name = g_strndup (rest, colon - rest);
      mq_test_server_set_header (server, path, name, colon + 1);
      remember_path (paths, path);
    }

  for (guint i = 0; delays != NULL && delays[i] != NULL; i++)
    {
      const char *rest;
      g_autofree char *path = split_path (delays[i], "--delay", &rest, &error);
      guint ms;

      if (path == NULL || !parse_uint (rest, G_MAXINT, &ms, &error))
        {
          g_printerr ("mq-fake-server: --delay: %s\n", error->message);
          return 1;
        }
      mq_test_server_set_delay_ms (server, path, ms);
      remember_path (paths, path);
    }

  for (guint i = 0; truncates != NULL && truncates[i] != NULL; i++)
    {
      const char *rest;
      g_autofree char *path = split_path (truncates[i], "--truncate", &rest, &error);
      guint bytes;

      if (path == NULL || !parse_uint (rest, G_MAXINT, &bytes, &error))
        {
          g_printerr ("mq-fake-server: --truncate: %s\n", error->message);
          return 1;
        }
      mq_test_server_set_truncate (server, path, bytes);
      remember_path (paths, path);
    }

  for (guint i = 0; drops != NULL && drops[i] != NULL; i++)
    {
      if (drops[i][0] != '/')
        {
          g_printerr ("mq-fake-server: --drop wants /PATH, got \"%s\"\n", drops[i]);
          return 1;
        }
      mq_test_server_set_drop (server, drops[i], TRUE);
      remember_path (paths, drops[i]);
    }

  for (guint i = 0; chunked != NULL && chunked[i] != NULL; i++)
    {
      if (chunked[i][0] != '/')
        {
          g_printerr ("mq-fake-server: --chunked wants /PATH, got \"%s\"\n", chunked[i]);
          return 1;
        }
      mq_test_server_set_chunked (server, chunked[i], TRUE);
      remember_path (paths, chunked[i]);
    }

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    {
      const char *rest;
      g_autofree char *path = split_path (faults[i], "--fault", &rest, &error);
      g_autofree char *argument = NULL;
      MqTestFault fault;

      if (path == NULL || !mq_test_fault_parse (rest, &fault, &argument, &error))
        {
          g_printerr ("mq-fake-server: --fault: %s\n", error->message);
          return 1;
        }
      mq_test_server_set_fault (server, path, fault, argument);
      remember_path (paths, path);
    }

  remember_path (paths, MQ_PATH_CURRENT);
  remember_path (paths, MQ_PATH_LEGACY_1);
  remember_path (paths, MQ_PATH_LEGACY_2);

  loop = g_main_loop_new (NULL, FALSE);
  fake.loop = loop;
  fake.server = server;
  fake.paths = paths;
  fake.hits_file = hits_file;

  /* Before the port file: once that exists, so does the control file. */
  if (control_port_file != NULL)
    {
      control = start_control (&fake, control_port_file, &error);
      if (control == NULL)
        {
          g_printerr ("mq-fake-server: control: %s\n", error->message);
          return 1;
        }
    }

  base_url = mq_test_server_get_base_url (server);
  if (port_file != NULL)
    {
      g_autofree char *line = g_strconcat (base_url, "\n", NULL);

      if (!g_file_set_contents (port_file, line, -1, &error))
        {
          g_printerr ("mq-fake-server: %s\n", error->message);
          return 1;
        }
    }
  g_print ("%s\n", base_url);
  fflush (stdout);

  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &fake);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &fake);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  if (hits_file != NULL && !write_hits (&fake, &error))
    {
      g_printerr ("mq-fake-server: %s\n", error->message);
      return 1;
    }

  return 0;
}
