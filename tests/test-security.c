/* test-security.c: the key stays secret, only safe addresses are used,
 * TLS is checked, and what the applet writes is private
 *
 *  - The built `leeway` with G_MESSAGES_DEBUG=all (every debug
 *    message of GLib, GIO, libsoup and ours) through every fault of the
 *    loopback server and the other failures test-cli does not run in
 *    debug mode: the key is in no byte of stdout or stderr.
 *  - Base URLs that are neither https:// nor http:// on loopback are
 *    refused by the command line and by the applet (exit status 1, one
 *    line naming the cause, no password echoed).
 *  - An HTTPS server with a certificate nobody trusts (tests/data/tls, a
 *    test fixture) is refused by MqClient and by the command line, and
 *    never receives a request; the same server does answer a client that
 *    accepts the certificate, so the refusal is TLS checking, nothing else.
 *  - Under umask 0, the files the applet's code writes (the autostart
 *    entry, the tray icons) are 0600 and their folders 0700.
 *
 * The applet itself, run with G_MESSAGES_DEBUG=all on a desktop, is
 * checked by tests/e2e/check-faults.py.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "mq-autostart.h"
#include "mq-client.h"
#include "mq-error.h"
#include "mq-icon.h"
#include "mq-test-server.h"
#include "mq-test-util.h"

/* A made-up key; SECRET_PART is what must never show, in any form. */
#define KEY         "sk-cp-SECRETKEY-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
#define SECRET_PART "SECRETKEY-9f8e7d6c5b4a"
#define GOOD        "token-plan-plus-video-not-in-plan.json"
#define WATCHDOG_S  60

static const char *cli_path;
static const char *applet_path;
static char *tmp_root;

typedef struct {
  MqTestServer *server;
  char         *base_url;
  char         *keyring_path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = mq_test_server_new ();
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, GOOD);
  f->base_url = mq_test_server_get_base_url (f->server);
  f->keyring_path = g_build_filename (tmp_root, "no-keyring.file", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, mq_test_server_free);
  g_clear_pointer (&f->base_url, g_free);
  g_clear_pointer (&f->keyring_path, g_free);
}

/* ---- Running the programs -------------------------------------------------- */

/* Nothing of the caller's that could change the outcome; every debug
 * message on; the key in the environment, as a user would give it. */
static char **
make_environ (Fixture            *f,
              const char * const *overrides)
{
  static const char * const unset[] = {
    "MINIMAX_API_KEY", "MINIMAX_CN_API_KEY", "MINIMAX_API_TOKEN",
    "MINIMAX_BASE_URL", "MINIMAX_REGION", "TERM", "DISPLAY", "WAYLAND_DISPLAY",
    "DBUS_SESSION_BUS_ADDRESS", "SECRET_FILE_TEST_PASSWORD",
    NULL,
  };
  char **env = mq_test_environ_unset (g_get_environ (), unset);

  env = mq_test_environ_unset (env, mq_test_proxy_variables);

  env = g_environ_setenv (env, "MINIMAX_API_KEY", KEY, TRUE);
  env = g_environ_setenv (env, "G_MESSAGES_DEBUG", "all", TRUE);
  env = g_environ_setenv (env, "SECRET_BACKEND", "file", TRUE);
  env = g_environ_setenv (env, "SECRET_FILE_TEST_PATH", f->keyring_path, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "NO_COLOR", "1", TRUE);

  /* "NAME=VALUE" sets, a bare "NAME" unsets. */
  return mq_test_environ_apply (env, overrides);
}

static MqTestProcess *
start_program (Fixture            *f,
               const char         *program,
               const char * const *env_overrides,
               const char * const *args)
{
  g_auto(GStrv) env = make_environ (f, env_overrides);

  return mq_test_process_start (program, args, (const char * const *) env,
                                G_SUBPROCESS_FLAGS_STDIN_INHERIT);
}

/* The key, or a telling piece of it, or the header that carries it. */
static void
assert_no_key (const char *what,
               const char *text)
{
  g_assert_nonnull (text);
  if (strstr (text, SECRET_PART) != NULL || strstr (text, "Bearer") != NULL)
    g_error ("%s: the key shows:\n%s", what, text);
}

/* Waits for @started (the servers answer on this thread's main context
 * meanwhile) and checks its output for the key. */
static MqTestRun
finish_program (MqTestProcess *started)
{
  g_autofree char *what = g_strdup (mq_test_process_get_command_line (started));
  MqTestRun run = mq_test_process_finish (started, WATCHDOG_S);

  g_test_message ("%s: exit %d, %zu bytes on stdout, %zu on stderr", what,
                  run.status, strlen (run.out), strlen (run.err));
  assert_no_key (what, run.out);
  assert_no_key (what, run.err);

  return run;
}

static MqTestRun
run_program (Fixture            *f,
             const char         *program,
             const char * const *env_overrides,
             const char * const *args)
{
  return finish_program (start_program (f, program, env_overrides, args));
}

#define ENV(...)  ((const char * const[]) { __VA_ARGS__, NULL })
#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

/* The "error" object of --json output; NULL on success. */
static char *
json_error_code (const MqTestRun *run)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_data (parser, run->out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "error"))
    return NULL;

  return g_strdup (json_object_get_string_member (json_object_get_object_member (root, "error"),
                                                  "code"));
}

/* ---- The key in debug output, through every fault ----------------------- */

typedef struct {
  const char *name;
  MqTestFault fault;
  guint       status;        /* a plain answer instead of a fault (0: none) */
  const char *fixture;       /* its body */
  int         exit_status;
  const char *code;          /* the JSON error code, NULL for success */
} Case;

static void
check_case (Fixture         *f,
            const Case      *c,
            const MqTestRun *run)
{
  g_autofree char *code = json_error_code (run);

  if (run->status != c->exit_status || g_strcmp0 (code, c->code) != 0)
    g_error ("%s: exit %d (%s), wanted %d (%s)\nstderr:\n%s", c->name, run->status, code,
             c->exit_status, c->code, run->err);
  /* The debug output is really there: the check means something. */
  g_assert_nonnull (strstr (run->err, "mq-client-DEBUG"));
  g_assert_nonnull (strstr (run->err, "GLib-GIO-DEBUG"));
}

static void
serve_case (Fixture    *f,
            const Case *c,
            const char *location)
{
  if (c->status != 0)
    {
      if (c->fixture != NULL)
        mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, c->status, c->fixture);
      else
        mq_test_server_set_route (f->server, MQ_PATH_CURRENT, c->status, NULL, NULL, 0);
    }
  else
    {
      mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, GOOD);
    }

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, c->fault,
                            c->fault == MQ_TEST_FAULT_REDIRECT ? location : NULL);
}

static void
test_cli_debug_faults (Fixture       *f,
                       gconstpointer  data)
{
  static const Case cases[] = {
    { "half-body", MQ_TEST_FAULT_HALF_BODY, 0, NULL, 3, "network" },
    { "huge", MQ_TEST_FAULT_HUGE_CHUNKED, 0, NULL, 4, "unreadable" },
    { "huge-length", MQ_TEST_FAULT_HUGE_LENGTH, 0, NULL, 4, "unreadable" },
    { "redirect", MQ_TEST_FAULT_REDIRECT, 0, NULL, 3, "server" },
    { "invalid-utf8", MQ_TEST_FAULT_INVALID_UTF8, 0, NULL, 4, "unreadable" },
    { "deep-nesting", MQ_TEST_FAULT_DEEP_NESTING, 0, NULL, 4, "unreadable" },
    { "rate-limited", MQ_TEST_FAULT_RATE_LIMITED, 0, NULL, 3, "rate-limited" },
    { "huge-headers", MQ_TEST_FAULT_HUGE_HEADERS, 0, NULL, 3, "network" },
    { "gzip-bomb", MQ_TEST_FAULT_GZIP_BOMB, 0, NULL, 4, "unreadable" },
    { "http-401", MQ_TEST_FAULT_NONE, 401, NULL, 2, "key-rejected" },
    { "code-1004", MQ_TEST_FAULT_NONE, 200, "error-1004-no-key.json", 2, "key-rejected" },
    { "cloudflare-html", MQ_TEST_FAULT_NONE, 403, "cloudflare-403.html", 4, "unreadable" },
    { "http-500", MQ_TEST_FAULT_NONE, 500, NULL, 3, "server" },
  };
  g_autoptr(MqTestServer) stall = mq_test_server_new ();
  g_autoptr(MqTestServer) drip = mq_test_server_new ();
  g_autoptr(MqTestServer) other = mq_test_server_new ();
  g_autofree char *stall_url = mq_test_server_get_base_url (stall);
  g_autofree char *drip_url = mq_test_server_get_base_url (drip);
  g_autofree char *other_url = mq_test_server_get_base_url (other);
  g_autofree char *location = g_strconcat (other_url, MQ_PATH_CURRENT, NULL);
  g_autofree char *dead_url = NULL;
  g_auto(MqTestRun) stalled = { 0 };
  g_auto(MqTestRun) dripped = { 0 };
  MqTestProcess *stalling;
  MqTestProcess *dripping;
  gint64 start = g_get_monotonic_time ();

  /* A stall lasts until the command line's read timeout (10 s), a drip
   * until its total deadline (30 s): each runs on a server of its own
   * while the other cases run. */
  mq_test_server_set_fault (stall, MQ_PATH_CURRENT, MQ_TEST_FAULT_STALL, NULL);
  stalling = start_program (f, cli_path, NULL,
                            ARGS ("--once", "--json", "--region=global", "--base-url", stall_url));
  mq_test_server_set_fault (drip, MQ_PATH_CURRENT, MQ_TEST_FAULT_DRIP, NULL);
  dripping = start_program (f, cli_path, NULL,
                            ARGS ("--once", "--json", "--region=global", "--base-url", drip_url));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(MqTestRun) run = { 0 };

      serve_case (f, &cases[i], location);
      run = run_program (f, cli_path, NULL,
                         ARGS ("--once", "--json", "--region=global", "--base-url", f->base_url));
      check_case (f, &cases[i], &run);
    }
  g_assert_cmpuint (mq_test_server_get_total_hits (other), ==, 0);

  /* Good and bad in turn: the text output of a success, then a failure. */
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, GOOD);
  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_ALTERNATE, NULL);
  for (guint i = 0; i < 4; i++)
    {
      g_auto(MqTestRun) run = run_program (f, cli_path, NULL,
                                     ARGS ("--once", "--region=global", "--base-url", f->base_url));

      g_assert_cmpint (run.status, ==, i % 2 == 0 ? 0 : 3);
      if (i % 2 == 0)
        g_assert_true (g_str_has_prefix (run.out, "63% of the 5-hour window left"));
      else
        g_assert_nonnull (strstr (run.err, "HTTP 500"));
    }

  /* Nobody listening. */
  {
    g_autoptr(MqTestServer) dead = mq_test_server_new ();
    g_auto(MqTestRun) run = { 0 };

    dead_url = mq_test_server_get_base_url (dead);
    g_clear_pointer (&dead, mq_test_server_free);
    run = run_program (f, cli_path, NULL,
                       ARGS ("--once", "--json", "--region=global", "--base-url", dead_url));
    g_assert_cmpint (run.status, ==, 3);
  }

  stalled = finish_program (stalling);
  g_assert_cmpint (stalled.status, ==, 3);
  g_assert_nonnull (strstr (stalled.out, "\"timeout\""));
  g_assert_nonnull (strstr (stalled.err, "mq-client-DEBUG"));

  dripped = finish_program (dripping);
  g_test_message ("stall and drip ended after %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (dripped.status, ==, 3);
  g_assert_nonnull (strstr (dripped.out, "\"timeout\""));
  g_assert_nonnull (strstr (dripped.out, "30 seconds"));
}

/* ---- Base URLs ------------------------------------------------------------------ */

static const char * const refused_urls[] = {
  "http://example.com",
  "http://example.com:443/",
  "http://10.0.0.1",
  "http://192.168.1.1:8080",
  "http://127.0.0.1.evil.com",
  "http://localhost.evil.com",
  "http://0.0.0.0:8080",
  "http://2130706433/",
  "ftp://127.0.0.1/",
  "file:///etc/passwd",
  "ws://127.0.0.1/",
  "https://user:hunter2pw@api.minimax.io",
  "http://user:hunter2pw@127.0.0.1",
  "https://api.minimax.io/?token=hunter2pw",
  "https://api.minimax.io/#hunter2pw",
  "api.minimax.io",
  "https://",
};

/* Exit status 1 and a line "leeway: …" naming the cause (the
 * only line on stderr when @only_line). */
static void
assert_refused (const MqTestRun *run,
                const char      *url,
                gboolean         only_line)
{
  const char *line = strstr (run->err, "leeway: ");
  g_autofree char *first = NULL;

  if (run->status != 1 || line == NULL)
    g_error ("%s: exit %d, wanted 1 and a reason\nstderr:\n%s", url, run->status, run->err);

  first = g_strndup (line, strcspn (line, "\n"));
  if (strstr (first, "URL") == NULL && strstr (first, "address") == NULL)
    g_error ("%s: the reason does not name the address: %s", url, first);
  if (only_line)
    {
      g_assert_true (line == run->err);
      g_assert_cmpstr (line + strlen (first), ==, "\n");
    }
  /* A password or token in the URL is not echoed. */
  g_assert_null (strstr (run->err, "hunter2pw"));
  g_assert_null (strstr (run->out, "hunter2pw"));
}

static void
test_cli_refuses_base_urls (Fixture       *f,
                            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused_urls); i++)
    {
      g_auto(MqTestRun) run = { 0 };
      g_auto(MqTestRun) env_run = { 0 };
      g_autofree char *env_url = g_strconcat ("MINIMAX_BASE_URL=", refused_urls[i], NULL);

      run = run_program (f, cli_path, ENV ("G_MESSAGES_DEBUG"),
                         ARGS ("--once", "--base-url", refused_urls[i]));
      assert_refused (&run, refused_urls[i], TRUE);
      g_assert_cmpstr (run.out, ==, "");

      env_run = run_program (f, cli_path, ENV ("G_MESSAGES_DEBUG", env_url), ARGS ("--once"));
      assert_refused (&env_run, refused_urls[i], TRUE);
    }

  /* Nothing was asked of anyone: our server saw nothing either. */
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 0);
}

/* The loopback addresses are accepted (the tests rely on them). */
static void
test_cli_accepts_loopback (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *localhost = g_strdup_printf ("http://localhost:%u/",
                                                mq_test_server_get_port (f->server));
  g_autofree char *upper = g_strdup_printf ("HTTP://127.0.0.1:%u",
                                            mq_test_server_get_port (f->server));
  const char *urls[] = { f->base_url, localhost, upper };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_auto(MqTestRun) run = run_program (f, cli_path, NULL,
                                     ARGS ("--once", "--json", "--base-url", urls[i]));

      if (run.status != 0)
        g_error ("%s: exit %d\n%s", urls[i], run.status, run.err);
    }
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, G_N_ELEMENTS (urls));
}

/* The applet refuses them before it starts anything: no display, no bus
 * here, and still the refusal (not a display error) is what it says. */
static void
test_applet_refuses_base_urls (Fixture       *f,
                               gconstpointer  data)
{
  static const char * const urls[] = {
    "http://example.com", "http://10.0.0.1", "http://127.0.0.1.evil.com",
    "ftp://127.0.0.1/", "file:///etc/passwd", "https://user:hunter2pw@api.minimax.io",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *env_url = g_strconcat ("MINIMAX_BASE_URL=", urls[i], NULL);
      g_auto(MqTestRun) run = run_program (f, applet_path, NULL, ARGS ("--base-url", urls[i]));
      g_auto(MqTestRun) env_run = run_program (f, applet_path, ENV (env_url), NULL);

      assert_refused (&run, urls[i], FALSE);
      assert_refused (&env_run, urls[i], FALSE);
      g_assert_null (strstr (run.err, "display"));
    }

  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 0);
}

/* ---- TLS ---------------------------------------------------------------------------- */

static MqTestServer *
new_untrusted_server (void)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "tls",
                                                 "self-signed-cert.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "tls",
                                                "self-signed-key.pem", NULL);
  g_autoptr(GError) error = NULL;
  MqTestServer *server = mq_test_server_new_https (cert, key, &error);

  g_assert_no_error (error);
  mq_test_server_set_route_fixture (server, MQ_PATH_CURRENT, 200, GOOD);

  return server;
}

static gboolean
accept_any_certificate (SoupMessage          *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  *(GTlsCertificateFlags *) user_data = errors;
  return TRUE;
}

static void
test_tls_untrusted_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(MqTestServer) https = new_untrusted_server ();
  g_autofree char *url = mq_test_server_get_base_url (https);
  g_autofree char *uri = g_strconcat (url, MQ_PATH_CURRENT, NULL);
  g_autoptr(MqClient) client = mq_client_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificateFlags seen = 0;
  GAsyncResult *slot = NULL;


  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));

  mq_client_set_api_key (client, KEY);
  mq_client_set_region (client, MQ_REGION_GLOBAL);
  g_assert_true (mq_client_set_base_url (client, url, &error));
  g_assert_no_error (error);

  mq_client_fetch_async (client, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, WATCHDOG_S, "the fetch over untrusted TLS");
  snapshot = mq_client_fetch_finish (client, result, &error);

  g_test_message ("untrusted certificate: %s", error != NULL ? error->message : "accepted!");
  g_assert_null (snapshot);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_assert_null (strstr (error->message, SECRET_PART));
  /* The handshake failed before any request: the key never left. */
  g_assert_cmpuint (mq_test_server_get_total_hits (https), ==, 0);
  g_clear_error (&error);

  /* The same server answers a client that accepts its certificate: it
   * is the check of the certificate that refused it, and the reason is
   * that no authority vouches for it (host and dates are right). */
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate), &seen);
  slot = NULL;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    mq_test_store_result, &slot);
  g_clear_object (&result);
  result = mq_test_wait_result (&slot, WATCHDOG_S, "the fetch that accepts the certificate");
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpuint (mq_test_server_get_total_hits (https), ==, 1);
  g_assert_true (seen & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_false (seen & (G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_EXPIRED |
                          G_TLS_CERTIFICATE_NOT_ACTIVATED));
}

static void
test_tls_cli_refuses (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(MqTestServer) https = new_untrusted_server ();
  g_autofree char *url = mq_test_server_get_base_url (https);
  g_auto(MqTestRun) run = { 0 };
  g_auto(MqTestRun) json = { 0 };


  run = run_program (f, cli_path, NULL, ARGS ("--once", "--region=global", "--base-url", url));
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "certificate"));

  json = run_program (f, cli_path, ENV ("G_MESSAGES_DEBUG"),
                      ARGS ("--json", "--region=global", "--base-url", url));
  g_assert_cmpint (json.status, ==, 3);
  g_assert_nonnull (strstr (json.out, "\"network\""));
  g_assert_nonnull (strstr (json.out, "certificate"));

  g_assert_cmpuint (mq_test_server_get_total_hits (https), ==, 0);
}

/* ---- Files ---------------------------------------------------------------------------- */

/* Every file under @path is a private regular file (0600), every folder
 * (@path included) private (0700); no links. Returns the files seen. */
static guint
assert_private_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  GStatBuf st;
  guint files = 0;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  if (!S_ISDIR (st.st_mode) || (st.st_mode & 07777) != 0700)
    g_error ("%s: mode %o, wanted a folder 0700", path, st.st_mode);

  dir = g_dir_open (path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_lstat (child, &st), ==, 0);
      if (S_ISDIR (st.st_mode))
        {
          files += assert_private_tree (child);
          continue;
        }
      if (!S_ISREG (st.st_mode) || (st.st_mode & 07777) != 0600)
        g_error ("%s: mode %o, wanted a file 0600", child, st.st_mode);
      files++;
    }

  return files;
}

/* Start on login, turned on under umask 0: whatever the code does not
 * make private explicitly would come out world-writable. */
static void
test_files_autostart_private (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = mq_autostart_dup_path ();
  const char *config_home = g_get_user_config_dir ();
  GAsyncResult *slot = NULL;
  mode_t old_umask;

  g_assert_true (g_str_has_prefix (config_home, tmp_root));
  g_assert_false (g_file_test (config_home, G_FILE_TEST_EXISTS));

  old_umask = umask (0);
  mq_autostart_set_async (TRUE, NULL, settings, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, WATCHDOG_S, "turning on start on login");
  umask (old_umask);

  g_assert_true (mq_autostart_set_finish (result, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (entry, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (assert_private_tree (config_home), ==, 1);

  mq_test_remove_tree (config_home);
}

/* The tray icons: written where MqIndicator writes them
 * ($XDG_RUNTIME_DIR/app/<app id>/), under umask 0. */
static void
test_files_icons_private (void)
{
  const char *runtime = g_get_user_runtime_dir ();
  g_autofree char *app_dir = g_build_filename (runtime, "app", NULL);
  g_autofree char *icon_dir = g_build_filename (app_dir, APP_ID, NULL);
  MqIconSpec specs[] = {
    { MQ_ICON_PERCENT, 63, MQ_STATE_OK, FALSE },
    { MQ_ICON_PERCENT, 63, MQ_STATE_OK, TRUE },
    { MQ_ICON_ERROR, 0, MQ_STATE_UNKNOWN, FALSE },
  };
  mode_t old_umask;

  g_assert_true (g_str_has_prefix (runtime, tmp_root));
  g_assert_false (g_file_test (app_dir, G_FILE_TEST_EXISTS));

  old_umask = umask (0);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = mq_icon_spec_to_string (&specs[i]);
      g_autofree char *file = g_strconcat (name, ".png", NULL);
      g_autofree char *path = g_build_filename (icon_dir, file, NULL);

      g_assert_true (mq_icon_write_png (&specs[i], 44, path, &error));
      g_assert_no_error (error);
    }
  umask (old_umask);

  g_assert_cmpuint (assert_private_tree (app_dir), ==, G_N_ELEMENTS (specs));
  mq_test_remove_tree (app_dir);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *runtime = NULL;
  int status;

  /* Before anything asks GLib for them: it caches these folders. The
   * runtime folder itself is made as a session would (0700). */
  tmp_root = g_dir_make_tmp ("mq-test-security-XXXXXX", &error);
  g_assert_no_error (error);
  config_home = g_build_filename (tmp_root, "config", NULL);
  runtime = g_build_filename (tmp_root, "runtime", NULL);
  g_assert_cmpint (g_mkdir (runtime, 0700), ==, 0);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", tmp_root, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, NULL);

  cli_path = g_getenv ("MQ_CLI_PATH");
  applet_path = g_getenv ("MQ_APPLET_PATH");
  if (cli_path == NULL || applet_path == NULL)
    g_error ("MQ_CLI_PATH and MQ_APPLET_PATH must name the built programs (meson sets them)");

  ADD ("/security/cli/debug-output-through-faults", test_cli_debug_faults);
  ADD ("/security/base-url/cli-refuses", test_cli_refuses_base_urls);
  ADD ("/security/base-url/cli-accepts-loopback", test_cli_accepts_loopback);
  ADD ("/security/base-url/applet-refuses", test_applet_refuses_base_urls);
  ADD ("/security/tls/untrusted-refused", test_tls_untrusted_refused);
  ADD ("/security/tls/cli-refuses", test_tls_cli_refuses);
  g_test_add_func ("/security/files/autostart-private", test_files_autostart_private);
  g_test_add_func ("/security/files/icons-private", test_files_icons_private);

  status = g_test_run ();

  mq_test_remove_tree (tmp_root);
  g_free (tmp_root);

  return status;
}
