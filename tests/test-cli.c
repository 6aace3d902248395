/* test-cli.c: the built `leeway` binary against a loopback server
 *
 * Runs the real executable (MQ_CLI_PATH, set by meson) with GSubprocess
 * while an in-process MqTestServer answers on this test's main context.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mq-balance.h"
#include "mq-bar.h"
#include "mq-client.h"
#include "mq-history-report.h"
#include "mq-quota-service.h"
#include "mq-report.h"
#include "mq-secret.h"
#include "mq-snapshot.h"
#include "mq-test-server.h"
#include "mq-test-util.h"

#define KEY         "sk-cp-TESTKEY-abcdef0123456789abcdef"
#define KEY_CN      "sk-cp-TESTKEY-cn-0123456789abcdef0123"
#define KEY_TOKEN   "sk-cp-TESTKEY-token-456789abcdef01234"
#define KEY_KEYRING "sk-cp-TESTKEY-keyring-6789abcdef012345"
/* No key may ever show up in any output: every key above contains this. */
#define KEY_MARK    "TESTKEY"

static const char *cli_path;

typedef struct {
  MqTestServer *server;
  char         *base_url;
  char         *tmpdir;
  char         *keyring_path;
  char         *state_dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = mq_test_server_new ();
  f->base_url = mq_test_server_get_base_url (f->server);
  f->tmpdir = g_dir_make_tmp ("mq-test-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->keyring_path = g_build_filename (f->tmpdir, "keyring.file", NULL);
  f->state_dir = g_build_filename (f->tmpdir, "state", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, mq_test_server_free);
  g_clear_pointer (&f->base_url, g_free);
  mq_test_remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->keyring_path, g_free);
  g_clear_pointer (&f->state_dir, g_free);
}

/* The environment of every run: nothing of the caller's that could change
 * the outcome, a keyring file of the test's own (locked: no password, so
 * lookups fail and the environment is used unless a test says otherwise). */
static char **
make_environ (Fixture            *f,
              const char * const *overrides)
{
  static const char * const unset[] = {
    "MINIMAX_API_KEY", "MINIMAX_CN_API_KEY", "MINIMAX_API_TOKEN",
    "MINIMAX_BASE_URL", "MINIMAX_REGION", "NO_COLOR", "TERM",
    "G_MESSAGES_DEBUG", "SECRET_FILE_TEST_PASSWORD", "GSETTINGS_SCHEMA_DIR",
    NULL,
  };
  char **env = mq_test_environ_unset (g_get_environ (), unset);

  env = g_environ_setenv (env, "SECRET_BACKEND", "file", TRUE);
  env = g_environ_setenv (env, "SECRET_FILE_TEST_PATH", f->keyring_path, TRUE);
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "memory", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "TZ", "UTC", TRUE);
  /* The history of the test's own, never the user's. */
  env = g_environ_setenv (env, "XDG_STATE_HOME", f->state_dir, TRUE);
  env = g_environ_unsetenv (env, "LEEWAY_NO_HISTORY");

  /* "NAME=VALUE" sets, a bare "NAME" unsets. */
  return mq_test_environ_apply (env, overrides);
}

static void
assert_no_key (const char *text)
{
  g_assert_nonnull (text);
  g_assert_null (strstr (text, KEY_MARK));
}

/* Runs @program while this thread's main context (and with it the server)
 * keeps answering. */
static MqTestRun
run_program (Fixture            *f,
             const char         *program,
             const char * const *env_overrides,
             const char * const *args)
{
  g_auto(GStrv) env = make_environ (f, env_overrides);
  MqTestRun run = mq_test_run_program (program, args, (const char * const *) env,
                                       G_SUBPROCESS_FLAGS_NONE, 0);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run.status, run.out, run.err);

  /* Whatever happened, the key is nowhere in the output. */
  assert_no_key (run.out);
  assert_no_key (run.err);

  return run;
}

static MqTestRun
run_cli (Fixture            *f,
         const char * const *env_overrides,
         const char * const *args)
{
  return run_program (f, cli_path, env_overrides, args);
}

#define ENV(...)  ((const char * const[]) { __VA_ARGS__, NULL })
#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

/* Exactly one line on stderr: "leeway: ...". */
static void
assert_one_error_line (const MqTestRun *run,
                       const char      *needle)
{
  const char *newline = strchr (run->err, '\n');

  g_assert_true (g_str_has_prefix (run->err, "leeway: "));
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline + 1, ==, "");
  if (needle != NULL)
    g_assert_nonnull (strstr (run->err, needle));
}

static void
route_all_paths (Fixture    *f,
                 guint       status,
                 const char *fixture,
                 const char *body)
{
  static const char * const paths[] = { MQ_PATH_CURRENT, MQ_PATH_LEGACY_1, MQ_PATH_LEGACY_2 };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (fixture != NULL)
        mq_test_server_set_route_fixture (f->server, paths[i], status, fixture);
      else
        mq_test_server_set_route (f->server, paths[i], status, "application/json", body, -1);
    }
}

static guint
total_hits (Fixture *f)
{
  return mq_test_server_get_hits (f->server, MQ_PATH_CURRENT) +
         mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1) +
         mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_2);
}

static void
assert_authorization (Fixture    *f,
                      const char *key)
{
  g_autofree char *expected = g_strconcat ("Bearer ", key, NULL);
  g_autofree char *header = mq_test_server_dup_last_header (f->server, "Authorization");

  g_assert_cmpstr (header, ==, expected);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

/* ------------------------------------------------------------------ */

static void
test_json_success (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(MqTestRun) run = { 0 };
  JsonObject *root, *headline, *general, *interval, *weekly, *video;
  JsonArray *models;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--once", "--json", "--region=global", "--base-url", f->base_url));

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  assert_authorization (f, KEY);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);

  root = parse_object (parser, run.out);
  g_assert_cmpstr (json_object_get_string_member (root, "region"), ==, "global");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (root, "fetched_at"), "Z"));

  headline = json_object_get_object_member (root, "headline");
  g_assert_cmpstr (json_object_get_string_member (headline, "model"), ==, "general");
  g_assert_cmpstr (json_object_get_string_member (headline, "window"), ==, "interval");
  g_assert_cmpint (json_object_get_int_member (headline, "remaining_percent"), ==, 63);
  g_assert_cmpstr (json_object_get_string_member (headline, "state"), ==, "ok");

  models = json_object_get_array_member (root, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 2);

  general = json_array_get_object_element (models, 0);
  g_assert_cmpstr (json_object_get_string_member (general, "name"), ==, "general");
  g_assert_true (json_object_get_boolean_member (general, "in_plan"));
  interval = json_object_get_object_member (general, "interval");
  g_assert_cmpint (json_object_get_int_member (interval, "remaining_percent"), ==, 63);
  g_assert_cmpint (json_object_get_int_member (interval, "total"), ==, 1500);
  g_assert_cmpint (json_object_get_int_member (interval, "remaining"), ==, 945);
  g_assert_cmpint (json_object_get_int_member (interval, "used"), ==, 555);
  g_assert_false (json_object_get_boolean_member (interval, "unlimited"));
  g_assert_false (json_object_get_boolean_member (interval, "exhausted"));
  g_assert_cmpfloat (json_object_get_double_member (interval, "boost"), ==, 1.0);
  g_assert_cmpint (json_object_get_int_member (interval, "period_seconds"), ==, 18000);
  g_assert_cmpstr (json_object_get_string_member (interval, "resets_at"), ==, "2026-06-07T21:00:00Z");

  weekly = json_object_get_object_member (general, "weekly");
  g_assert_cmpint (json_object_get_int_member (weekly, "remaining_percent"), ==, 96);
  g_assert_cmpint (json_object_get_int_member (weekly, "total"), ==, 15000);
  g_assert_cmpint (json_object_get_int_member (weekly, "remaining"), ==, 14400);
  g_assert_cmpint (json_object_get_int_member (weekly, "used"), ==, 600);
  g_assert_cmpint (json_object_get_int_member (weekly, "period_seconds"), ==, 604800);
  g_assert_cmpstr (json_object_get_string_member (weekly, "resets_at"), ==, "2026-06-14T16:00:00Z");

  video = json_array_get_object_element (models, 1);
  g_assert_cmpstr (json_object_get_string_member (video, "name"), ==, "video");
  g_assert_false (json_object_get_boolean_member (video, "in_plan"));
  g_assert_true (json_object_get_null_member (video, "interval"));
  g_assert_true (json_object_get_null_member (video, "weekly"));
}

static void
test_text_success (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(MqTestRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "TERM=xterm-256color"),
                 ARGS ("--once", "--region", "global", "--base-url", f->base_url));

  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  /* The fixture's reset has passed: "reset due", never "resets in now". */
  g_assert_true (g_str_has_prefix (run.out, "63% of the 5-hour window left · "));
  g_assert_null (strstr (run.out, "in now"));
  g_assert_nonnull (strstr (run.out, "945/1,500 · 63%"));
  /* A pipe is not a terminal: no colour. */
  g_assert_null (strchr (run.out, '\033'));

  lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Video"))
      {
        g_assert_nonnull (strstr (lines[i], "not in plan"));
        g_assert_null (strchr (lines[i], '%'));
      }
}

static void
test_bad_region (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(MqTestRun) run = { 0 };
  g_auto(MqTestRun) env_run = { 0 };

  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--once", "--region=mars", "--base-url", f->base_url));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_error_line (&run, "“mars” is not a region");

  env_run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "MINIMAX_REGION=mars"),
                     ARGS ("--once", "--base-url", f->base_url));
  g_assert_cmpint (env_run.status, ==, 1);
  assert_one_error_line (&env_run, "MINIMAX_REGION");

  g_assert_cmpuint (total_hits (f), ==, 0);
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(MqTestRun) extra = { 0 };
  g_auto(MqTestRun) unknown = { 0 };
  g_auto(MqTestRun) demo = { 0 };
  g_auto(MqTestRun) missing = { 0 };

  extra = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY), ARGS ("--once", "stray"));
  g_assert_cmpint (extra.status, ==, 1);
  assert_one_error_line (&extra, "stray");

  unknown = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY), ARGS ("--json", "--no-such-option"));
  g_assert_cmpint (unknown.status, ==, 1);
  assert_one_error_line (&unknown, "--no-such-option");

  demo = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY), ARGS ("--once", "--demo"));
  g_assert_cmpint (demo.status, ==, 1);
  assert_one_error_line (&demo, "--demo");

  missing = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY), ARGS ("--once", "--region"));
  g_assert_cmpint (missing.status, ==, 1);
  assert_one_error_line (&missing, "--help");

  g_assert_cmpuint (total_hits (f), ==, 0);
}

static void
test_key_rejected (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(MqTestRun) run = { 0 };
  g_auto(MqTestRun) json_run = { 0 };
  JsonObject *error;

  route_all_paths (f, 200, "error-2049-invalid-key.json", NULL);

  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--once", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_error_line (&run, "2049");

  /* With --json: the error as JSON on stdout, and the same line. */
  json_run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                      ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (json_run.status, ==, 2);
  assert_one_error_line (&json_run, "2049");
  error = json_object_get_object_member (parse_object (parser, json_run.out), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "key-rejected");
  g_assert_cmpint (json_object_get_int_member (error, "exit_status"), ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"), "2049"));
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  g_auto(MqTestRun) run = { 0 };

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  run = run_cli (f, NULL, ARGS ("--once", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_error_line (&run, "MINIMAX_API_KEY");
  g_assert_cmpuint (total_hits (f), ==, 0);
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(MqTestRun) run = { 0 };
  g_auto(MqTestRun) limited = { 0 };

  route_all_paths (f, 500, NULL, "{\"error\":\"internal\"}");
  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--once", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_error_line (&run, NULL);

  route_all_paths (f, 429, NULL, "{\"error\":\"slow down\"}");
  limited = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                     ARGS ("--once", "--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (limited.status, ==, 3);
  assert_one_error_line (&limited, NULL);
  g_assert_nonnull (strstr (limited.out, "\"rate-limited\""));
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dead_url = NULL;
  g_auto(MqTestRun) run = { 0 };
  guint16 port;

  /* A port that was free a moment ago: nothing listens there now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  dead_url = g_strdup_printf ("http://127.0.0.1:%u", port);

  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--once", "--region=global", "--base-url", dead_url));
  g_assert_cmpint (run.status, ==, 3);
  assert_one_error_line (&run, NULL);
}

static void
test_html (Fixture       *f,
           gconstpointer  data)
{
  g_auto(MqTestRun) run = { 0 };

  route_all_paths (f, 200, "cloudflare-403.html", NULL);
  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--once", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (run.status, ==, 4);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_error_line (&run, NULL);
  /* The body is never shown. */
  g_assert_null (strstr (run.err, "Just a moment"));
}

static void
test_base_url_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(MqTestRun) run = { 0 };
  g_auto(MqTestRun) env_run = { 0 };
  g_auto(MqTestRun) ftp = { 0 };

  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--once", "--base-url", "http://example.com"));
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  assert_one_error_line (&run, "http://example.com");

  env_run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "MINIMAX_BASE_URL=http://example.com"),
                     ARGS ("--once"));
  g_assert_cmpint (env_run.status, ==, 1);
  assert_one_error_line (&env_run, "http://example.com");

  ftp = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                 ARGS ("--json", "--base-url", "ftp://127.0.0.1/"));
  g_assert_cmpint (ftp.status, ==, 1);
  g_assert_nonnull (strstr (ftp.out, "\"invalid-argument\""));
}

static void
test_base_url_from_environment (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *env_url = g_strconcat ("MINIMAX_BASE_URL=", f->base_url, NULL);
  g_auto(MqTestRun) run = { 0 };

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "exhausted-interval.json");

  run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, env_url, "MINIMAX_REGION=global"),
                 ARGS ("--json"));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_nonnull (strstr (run.out, "\"exhausted\""));
}

/* G_MESSAGES_DEBUG=all prints every debug message of GLib, libsoup and
 * ours: the key must not be among them, on success or failure. */
static void
test_debug_output_has_no_key (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) error_parser = json_parser_new ();
  g_auto(MqTestRun) ok = { 0 };
  g_auto(MqTestRun) text = { 0 };
  g_auto(MqTestRun) rejected = { 0 };
  JsonObject *root;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");
  ok = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "G_MESSAGES_DEBUG=all"),
                ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (ok.status, ==, 0);
  /* The debug output is there (so the check means something), and on
   * stderr: stdout is still nothing but the JSON. */
  g_assert_cmpstr (ok.err, !=, "");
  root = parse_object (parser, ok.out);
  g_assert_true (json_object_has_member (root, "models"));

  text = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "G_MESSAGES_DEBUG=all"),
                  ARGS ("--once", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "63% of the 5-hour window left"));

  route_all_paths (f, 200, "error-2049-invalid-key.json", NULL);
  rejected = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "G_MESSAGES_DEBUG=all"),
                      ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (rejected.status, ==, 2);
  root = parse_object (error_parser, rejected.out);
  g_assert_true (json_object_has_member (root, "error"));
}

static void
test_key_from_environment (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(MqTestRun) token = { 0 };
  g_auto(MqTestRun) api_key = { 0 };
  g_auto(MqTestRun) cn = { 0 };
  g_auto(MqTestRun) global = { 0 };

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "current-percent-plan.json");

  token = run_cli (f, ENV ("MINIMAX_API_TOKEN=" KEY_TOKEN),
                   ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (token.status, ==, 0);
  assert_authorization (f, KEY_TOKEN);

  api_key = run_cli (f, ENV ("MINIMAX_API_TOKEN=" KEY_TOKEN, "MINIMAX_API_KEY=" KEY),
                     ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (api_key.status, ==, 0);
  assert_authorization (f, KEY);

  cn = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "MINIMAX_CN_API_KEY=" KEY_CN),
                ARGS ("--json", "--region=cn", "--base-url", f->base_url));
  g_assert_cmpint (cn.status, ==, 0);
  assert_authorization (f, KEY_CN);

  /* The CN key is not sent to the global region. */
  global = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "MINIMAX_CN_API_KEY=" KEY_CN),
                    ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (global.status, ==, 0);
  assert_authorization (f, KEY);
}

static void
store_in_keyring (Fixture    *f,
                  const char *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  mq_secret_store_async (key, MQ_REGION_GLOBAL, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  g_assert_true (mq_secret_store_finish (result, &error));
  g_assert_no_error (error);
}

static void
test_key_from_keyring (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(MqTestRun) keyring = { 0 };
  g_auto(MqTestRun) locked = { 0 };
  g_auto(MqTestRun) no_bus = { 0 };

  /* This process uses the same file keyring as the runs below. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", f->keyring_path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  store_in_keyring (f, KEY_KEYRING);

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "current-percent-plan.json");

  /* The keyring comes before the environment. */
  keyring = run_cli (f, ENV ("SECRET_FILE_TEST_PASSWORD=test-password", "MINIMAX_API_KEY=" KEY),
                     ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (keyring.status, ==, 0);
  assert_authorization (f, KEY_KEYRING);

  /* A keyring that cannot be opened is skipped: the environment is used. */
  locked = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                    ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (locked.status, ==, 0);
  assert_authorization (f, KEY);

  /* No secret backend and no session bus: not even asked. */
  no_bus = run_cli (f, ENV ("SECRET_BACKEND", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
                            "DISPLAY", "MINIMAX_API_KEY=" KEY),
                    ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (no_bus.status, ==, 0);
  assert_authorization (f, KEY);
}

static const char *
json_region (JsonParser      *parser,
             const MqTestRun *run)
{
  g_assert_cmpint (run->status, ==, 0);
  return json_object_get_string_member (parse_object (parser, run->out), "region");
}

/* Without --region and MINIMAX_REGION, the applet's setting decides, when
 * its schema is installed (here: compiled from data/ into a temporary
 * directory, values from a keyfile backend). */
static void
test_region_from_settings (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *schema_xml = NULL;
  g_autofree char *schema_copy = g_build_filename (f->tmpdir, "schema-src", APP_ID ".gschema.xml", NULL);
  g_autofree char *schema_src_dir = g_build_filename (f->tmpdir, "schema-src", NULL);
  g_autofree char *schema_dir = g_build_filename (f->tmpdir, "schemas", NULL);
  g_autofree char *config_dir = g_build_filename (f->tmpdir, "config", NULL);
  g_autofree char *keyfile = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *compiler = g_find_program_in_path ("glib-compile-schemas");
  g_autofree char *schema_env = g_strconcat ("GSETTINGS_SCHEMA_DIR=", schema_dir, NULL);
  g_autofree char *config_env = g_strconcat ("XDG_CONFIG_HOME=", config_dir, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  g_autoptr(JsonParser) p3 = json_parser_new ();
  g_autoptr(JsonParser) p4 = json_parser_new ();
  g_auto(MqTestRun) from_settings = { 0 };
  g_auto(MqTestRun) from_env = { 0 };
  g_auto(MqTestRun) from_option = { 0 };
  g_auto(MqTestRun) bad_setting = { 0 };
  int wait_status;

  schema_xml = g_test_build_filename (G_TEST_DIST, "..", "data", APP_ID ".gschema.xml", NULL);
  if (!g_file_test (schema_xml, G_FILE_TEST_EXISTS) || compiler == NULL)
    {
      g_test_skip ("no schema source or no glib-compile-schemas");
      return;
    }

  g_file_get_contents (schema_xml, &contents, NULL, &error);
  g_assert_no_error (error);
  mq_test_write_file (schema_copy, contents);
  g_assert_cmpint (g_mkdir_with_parents (schema_dir, 0700), ==, 0);
  {
    const char *compile_argv[] = { compiler, "--strict", "--targetdir", schema_dir,
                                   schema_src_dir, NULL };

    g_spawn_sync (NULL, (char **) compile_argv, NULL, G_SPAWN_DEFAULT,
                  NULL, NULL, NULL, NULL, &wait_status, &error);
    g_assert_no_error (error);
    g_spawn_check_wait_status (wait_status, &error);
    g_assert_no_error (error);
  }

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "current-percent-plan.json");

  mq_test_write_file (keyfile, "[io/github/leewayapp/Leeway]\nregion='cn'\n");

  from_settings = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "GSETTINGS_BACKEND=keyfile",
                                   schema_env, config_env),
                           ARGS ("--json", "--base-url", f->base_url));
  g_assert_cmpstr (json_region (p1, &from_settings), ==, "cn");

  from_env = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "GSETTINGS_BACKEND=keyfile",
                              schema_env, config_env, "MINIMAX_REGION=global"),
                      ARGS ("--json", "--base-url", f->base_url));
  g_assert_cmpstr (json_region (p2, &from_env), ==, "global");

  from_option = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "GSETTINGS_BACKEND=keyfile",
                                 schema_env, config_env, "MINIMAX_REGION=cn"),
                         ARGS ("--json", "--region=global", "--base-url", f->base_url));
  g_assert_cmpstr (json_region (p3, &from_option), ==, "global");

  /* A value the schema does not allow is ignored by GSettings: the
   * default ("auto") applies and the run still succeeds. */
  mq_test_write_file (keyfile, "[io/github/leewayapp/Leeway]\nregion='mars'\n");
  bad_setting = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "GSETTINGS_BACKEND=keyfile",
                                 schema_env, config_env),
                         ARGS ("--json", "--base-url", f->base_url));
  g_assert_nonnull (json_region (p4, &bad_setting));
}

/* Runs the CLI with a pseudo-terminal as stdout, returns what it printed. */
static char *
run_on_terminal (Fixture            *f,
                 const char * const *env_overrides,
                 int                *out_status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  g_auto(GStrv) env = make_environ (f, env_overrides);
  g_auto(GStrv) argv = mq_test_make_argv (cli_path, ARGS ("--once", "--region=global",
                                                  "--base-url", f->base_url));
  g_autofree char *err = NULL;
  GAsyncResult *slot = NULL;
  int master, slave;
  char buffer[4096];
  gssize n;

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_take_stdout_fd (launcher, slave);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  /* Closes our copy of the terminal's far end. */
  g_clear_object (&launcher);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error);
  g_assert_no_error (error);
  assert_no_key (err);
  *out_status = g_subprocess_get_exit_status (process);

  /* The child is gone: read what is left, until EIO or nothing more. */
  g_unix_set_fd_nonblocking (master, TRUE, NULL);
  while ((n = read (master, buffer, sizeof buffer)) > 0)
    g_string_append_len (output, buffer, n);
  close (master);

  assert_no_key (output->str);
  return g_string_free (g_steal_pointer (&output), FALSE);
}

static void
test_color (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *colored = NULL;
  g_autofree char *no_color = NULL;
  g_autofree char *dumb = NULL;
  g_autofree char *empty_no_color = NULL;
  int status;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  colored = run_on_terminal (f, ENV ("MINIMAX_API_KEY=" KEY, "TERM=xterm-256color"), &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (colored, "945/1,500 · 63%"));
  g_assert_nonnull (strstr (colored, "\033[32m"));

  no_color = run_on_terminal (f, ENV ("MINIMAX_API_KEY=" KEY, "TERM=xterm-256color", "NO_COLOR=1"),
                              &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (no_color, "945/1,500 · 63%"));
  g_assert_null (strchr (no_color, '\033'));

  dumb = run_on_terminal (f, ENV ("MINIMAX_API_KEY=" KEY, "TERM=dumb"), &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (dumb, "945/1,500 · 63%"));
  g_assert_null (strchr (dumb, '\033'));

  /* NO_COLOR set but empty does not count (no-color.org). */
  empty_no_color = run_on_terminal (f, ENV ("MINIMAX_API_KEY=" KEY, "TERM=xterm", "NO_COLOR="),
                                    &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (empty_no_color, "\033[32m"));
}

static void
test_version_and_help (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(MqTestRun) version = { 0 };
  g_auto(MqTestRun) help = { 0 };

  version = run_cli (f, NULL, ARGS ("--version"));
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpstr (version.out, ==, "leeway " PACKAGE_VERSION "\n");

  help = run_cli (f, NULL, ARGS ("--help"));
  g_assert_cmpint (help.status, ==, 0);
  g_test_message ("%s", help.out);
  g_assert_nonnull (strstr (help.out, "--once"));
  g_assert_nonnull (strstr (help.out, "--json"));
  g_assert_nonnull (strstr (help.out, "--region=auto|global|cn"));
  g_assert_nonnull (strstr (help.out, "--base-url=URL"));
  g_assert_nonnull (strstr (help.out, "--interval=SECONDS"));
  g_assert_nonnull (strstr (help.out, "Exit status"));
  g_assert_nonnull (strstr (help.out, "{\"error\""));
  g_assert_cmpuint (total_hits (f), ==, 0);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (to, 0755), ==, 0);
}

/* Without --once the binary becomes the applet found next to itself. */
static void
test_exec_applet (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *cli_copy = g_build_filename (f->tmpdir, "leeway", NULL);
  g_autofree char *applet = g_build_filename (f->tmpdir, "leeway-applet", NULL);
  g_autofree char *installed = g_build_filename (LIBEXECDIR, "leeway-applet", NULL);
  g_autofree char *script = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(MqTestRun) started = { 0 };
  g_auto(MqTestRun) missing = { 0 };

  copy_file (cli_path, cli_copy);

  script = g_strdup ("#!/bin/sh\nprintf 'argv0=%s\\n' \"$0\"\nprintf 'arg=%s\\n' \"$@\"\nexit 7\n");
  g_file_set_contents (applet, script, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (applet, 0755), ==, 0);

  started = run_program (f, cli_copy, ENV ("MINIMAX_API_KEY=" KEY),
                         ARGS ("--interval", "60", "--demo", "--display=:5", "--region=cn"));
  g_assert_cmpint (started.status, ==, 7);
  expected = g_strdup_printf ("argv0=%s\narg=--interval\narg=60\narg=--demo\n"
                              "arg=--display=:5\narg=--region=cn\n", applet);
  g_assert_cmpstr (started.out, ==, expected);

  g_assert_cmpint (g_unlink (applet), ==, 0);
  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    {
      g_test_message ("%s is installed: not testing the missing-applet error", installed);
      return;
    }

  missing = run_program (f, cli_copy, NULL, NULL);
  g_assert_cmpint (missing.status, ==, 1);
  assert_one_error_line (&missing, "--once");
  g_assert_cmpuint (total_hits (f), ==, 0);
}

/* A report that cannot be written is a failure, not a silent success. */
static void
test_write_error (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = make_environ (f, ENV ("MINIMAX_API_KEY=" KEY));
  g_auto(GStrv) argv = mq_test_make_argv (cli_path, ARGS ("--once", "--region=global",
                                                  "--base-url", f->base_url));
  g_autofree char *err = NULL;
  GAsyncResult *slot = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/full");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error);
  g_assert_no_error (error);

  /* A local write error has its own status (5), not the network's (3). */
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 5);
  g_assert_true (g_str_has_prefix (err, "leeway: Could not write the report"));
  assert_no_key (err);
}

static void
close_stdout (gpointer user_data)
{
  close (STDOUT_FILENO);
}

/* `leeway --once >&-`: exit status 5 and one line, without asking
 * the server (whose connection could otherwise take descriptor 1). */
static void
test_stdout_closed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = make_environ (f, ENV ("MINIMAX_API_KEY=" KEY));
  g_auto(GStrv) argv = mq_test_make_argv (cli_path, ARGS ("--once", "--json", "--region=global",
                                                  "--base-url", f->base_url));
  g_autofree char *err = NULL;
  GAsyncResult *slot = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_child_setup (launcher, close_stdout, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 5);
  g_assert_cmpstr (err, ==, "leeway: Could not write the report: Bad file descriptor\n");
  g_assert_cmpuint (total_hits (f), ==, 0);
}

/* `leeway --once | head -c1`: the reader went away. Like other
 * tools the command stops quietly: status 0, nothing on stderr, no
 * death by SIGPIPE. */
static void
test_broken_pipe (Fixture       *f,
                  gconstpointer  data)
{
  const char *modes[] = { "--once", "--json" };

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) env = make_environ (f, ENV ("MINIMAX_API_KEY=" KEY));
      g_auto(GStrv) argv = mq_test_make_argv (cli_path, ARGS (modes[i], "--region=global",
                                                      "--base-url", f->base_url));
      g_autofree char *err = NULL;
      GAsyncResult *slot = NULL;
      int fds[2];

      g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, NULL));
      /* Nobody will ever read: the first write gets EPIPE. */
      close (fds[0]);

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_set_environ (launcher, env);
      g_subprocess_launcher_take_stdout_fd (launcher, fds[1]);
      process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
      g_assert_no_error (error);
      g_clear_object (&launcher);

      g_subprocess_communicate_utf8_async (process, NULL, NULL, mq_test_store_result, &slot);
      result = mq_test_wait_result (&slot, 0, NULL);
      g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error);
      g_assert_no_error (error);

      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
      g_assert_cmpstr (err, ==, "");
    }
}

/* ---- A keyring that does not answer ---------------------------------------------- */

/* A private session bus (dbus-daemon) and, unless @mock_mode is NULL, a
 * scripted Secret Service on it (tests/secret-service-mock.py). */
typedef struct {
  GSubprocess *bus;
  GSubprocess *mock;
  char        *address;
  char        *log_path;
} Keyring;

static char *
read_line (GSubprocess *process)
{
  g_autoptr(GDataInputStream) input =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

static gboolean
keyring_start (Keyring    *keyring,
               Fixture    *f,
               const char *mock_mode)
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *mock = g_test_build_filename (G_TEST_DIST, "secret-service-mock.py", NULL);
  const char *python = "/usr/bin/python3";
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  int status = 0;

  if (daemon == NULL)
    {
      g_test_skip ("no dbus-daemon");
      return FALSE;
    }
  if (mock_mode != NULL &&
      (!g_spawn_sync (NULL, (char *[]) { (char *) python, "-c", "import gi; gi.require_version('Gio', '2.0'); from gi.repository import Gio", NULL },
                      NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) ||
       !g_spawn_check_wait_status (status, NULL)))
    {
      g_test_skip ("no python3-gi in /usr/bin/python3");
      return FALSE;
    }

  keyring->bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                   daemon, "--session", "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  keyring->address = read_line (keyring->bus);
  g_assert_nonnull (keyring->address);

  if (mock_mode == NULL)
    return TRUE;

  keyring->log_path = g_build_filename (f->tmpdir, "secret-service.log", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", keyring->address, TRUE);
  keyring->mock = g_subprocess_launcher_spawn (launcher, &error, python, mock, mock_mode,
                                               keyring->log_path, NULL);
  g_assert_no_error (error);
  ready = read_line (keyring->mock);
  g_assert_cmpstr (ready, ==, "ready");
  return TRUE;
}

static void
keyring_stop (Keyring *keyring)
{
  if (keyring->mock != NULL)
    g_subprocess_force_exit (keyring->mock);
  if (keyring->bus != NULL)
    {
      g_subprocess_send_signal (keyring->bus, SIGCONT);
      g_subprocess_force_exit (keyring->bus);
    }
  g_clear_object (&keyring->mock);
  g_clear_object (&keyring->bus);
  g_clear_pointer (&keyring->address, g_free);
  g_clear_pointer (&keyring->log_path, g_free);
}

/* Runs --once --json with MINIMAX_API_KEY set and the keyring at
 * @keyring's bus; returns how long it took (the run in @run). */
static gint64
run_with_keyring (Fixture   *f,
                  Keyring   *keyring,
                  MqTestRun *run)
{
  g_autofree char *bus_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", keyring->address, NULL);
  g_auto(GStrv) env = make_environ (f, ENV ("MINIMAX_API_KEY=" KEY, "SECRET_BACKEND",
                                            "SECRET_FILE_TEST_PATH", bus_env,
                                            "G_MESSAGES_DEBUG=all"));
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  /* A watchdog of 10 s: before the fix, these runs took 25 s or forever. */
  *run = mq_test_run_program (cli_path, ARGS ("--once", "--json", "--region=global",
                                              "--base-url", f->base_url),
                              (const char * const *) env, G_SUBPROCESS_FLAGS_NONE, 10);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("exit %d in %.0f ms\nstderr: %s", run->status, elapsed / 1000.0, run->err);
  assert_no_key (run->out);
  assert_no_key (run->err);

  return elapsed;
}

static void
assert_report (Fixture         *f,
               const MqTestRun *run)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (json_region (parser, run), ==, "global");
  assert_authorization (f, KEY);
}

/* A Secret Service that never replies: the environment's key within ~2 s
 * (the lookup gives up after 1.5 s). */
static void
test_keyring_silent (Fixture       *f,
                     gconstpointer  data)
{
  Keyring keyring = { 0 };
  g_auto(MqTestRun) run = { 0 };
  gint64 elapsed;

  if (!keyring_start (&keyring, f, "silent"))
    return;
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  elapsed = run_with_keyring (f, &keyring, &run);
  keyring_stop (&keyring);

  assert_report (f, &run);
  g_assert_nonnull (strstr (run.err, "did not answer"));
  g_assert_cmpint (elapsed, <, 2500 * 1000);
}

/* The key in a locked collection: treated as absent at once, said once in
 * the debug output, and no unlock asked for (no prompt). */
static void
test_keyring_locked (Fixture       *f,
                     gconstpointer  data)
{
  Keyring keyring = { 0 };
  g_auto(MqTestRun) run = { 0 };
  g_autofree char *log = NULL;
  const char *said;
  gint64 elapsed;

  if (!keyring_start (&keyring, f, "locked"))
    return;
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  elapsed = run_with_keyring (f, &keyring, &run);
  g_assert_true (g_file_get_contents (keyring.log_path, &log, NULL, NULL));
  keyring_stop (&keyring);

  assert_report (f, &run);
  g_assert_cmpint (elapsed, <, 2000 * 1000);
  said = strstr (run.err, "locked keyring");
  g_assert_nonnull (said);
  g_assert_null (strstr (said + 1, "locked keyring"));

  g_test_message ("Secret Service calls:\n%s", log);
  g_assert_nonnull (strstr (log, "SearchItems"));
  g_assert_null (strstr (log, "Unlock"));
  g_assert_null (strstr (log, "Prompt"));
}

/* A session bus that is stopped (SIGSTOP): connecting never completes. */
static void
test_keyring_bus_stopped (Fixture       *f,
                          gconstpointer  data)
{
  Keyring keyring = { 0 };
  g_auto(MqTestRun) run = { 0 };
  gint64 elapsed;

  if (!keyring_start (&keyring, f, NULL))
    return;
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  g_subprocess_send_signal (keyring.bus, SIGSTOP);
  elapsed = run_with_keyring (f, &keyring, &run);
  keyring_stop (&keyring);

  assert_report (f, &run);
  g_assert_cmpint (elapsed, <, 2500 * 1000);
}

/* Not a pass/fail check: how long one --once --json takes on loopback. */
static void
test_timing (Fixture       *f,
             gconstpointer  data)
{
  gint64 best = G_MAXINT64;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200,
                                    "token-plan-plus-video-not-in-plan.json");

  for (guint i = 0; i < 5; i++)
    {
      g_auto(MqTestRun) run = { 0 };
      gint64 start = g_get_monotonic_time ();

      run = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, "SECRET_BACKEND",
                             "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"),
                     ARGS ("--once", "--json", "--region=global", "--base-url", f->base_url));
      g_assert_cmpint (run.status, ==, 0);
      best = MIN (best, g_get_monotonic_time () - start);
    }

  g_test_message ("best of 5 runs of --once --json: %.1f ms", best / 1000.0);
}


/* ------------------------------------------------------------------ */
/* History and forecast (issue 11)                                      */
/* ------------------------------------------------------------------ */

#define MINUTE_MS (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS   (60 * MINUTE_MS)

/* A percent-plan answer with one text model whose 5-hour window runs from
 * @start_ms to @end_ms with @percent left (the weekly cap stays at 100). */
static char *
falling_body (int    percent,
              gint64 start_ms,
              gint64 end_ms)
{
  return g_strdup_printf ("{\"model_remains\":[{\"model_name\":\"general\","
                          "\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
                          "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
                          "\"current_interval_status\":1,\"current_interval_remaining_percent\":%d,"
                          "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
                          "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
                          "\"current_weekly_status\":1,\"current_weekly_remaining_percent\":100}],"
                          "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
                          start_ms, end_ms, percent,
                          start_ms - 24 * HOUR_MS, start_ms + 6 * 24 * HOUR_MS);
}

static char *
history_path (Fixture *f)
{
  return g_build_filename (f->state_dir, "leeway", "history.db", NULL);
}

/* Time passes: every sample of the history moves @ms into the past, as if
 * the runs so far had happened that much earlier. */
static void
age_history (Fixture *f,
             gint64   ms)
{
  g_autofree char *path = history_path (f);
  g_autofree char *sql = g_strdup_printf ("UPDATE samples SET time_ms = time_ms - %" G_GINT64_FORMAT
                                          ", last_seen_ms = last_seen_ms - %" G_GINT64_FORMAT ";",
                                          ms, ms);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("aging the history: %s", message);
  sqlite3_close (db);
}

static MqTestRun
run_json (Fixture            *f,
          const char * const *env_overrides)
{
  g_auto(GStrv) env = NULL;
  const char * const base[] = { "MINIMAX_API_KEY=" KEY, NULL };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) base);
  if (env_overrides != NULL)
    g_strv_builder_addv (builder, (const char **) env_overrides);
  env = g_strv_builder_end (builder);

  return run_cli (f, (const char * const *) env,
                  ARGS ("--once", "--json", "--region=global", "--base-url", f->base_url));
}

static JsonObject *
general_interval (JsonParser *parser,
                  const char *text)
{
  JsonObject *root = parse_object (parser, text);
  JsonArray *models = json_object_get_array_member (root, "models");
  JsonObject *general = json_array_get_object_element (models, 0);

  g_assert_cmpstr (json_object_get_string_member (general, "name"), ==, "general");
  return json_object_get_object_member (general, "interval");
}

static gint64
parse_iso_ms (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * 1000;
}

/* Four runs ten minutes apart against a server whose 5-hour window falls
 * 95, 90, 85, 80 %: 30 points an hour, so 80 % runs out 160 minutes after
 * the last run, well before the reset 4 hours away. */
static void
test_history_forecast (Fixture       *f,
                       gconstpointer  data)
{
  static const int percents[] = { 95, 90, 85, 80 };
  gint64 now_ms = g_get_real_time () / 1000;
  gint64 start_ms = now_ms - HOUR_MS;
  gint64 end_ms = now_ms + 4 * HOUR_MS;
  gint64 last_run_ms = 0;
  g_autofree char *db = history_path (f);
  g_autofree char *last_out = NULL;
  GStatBuf st;

  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    {
      g_autofree char *body = falling_body (percents[i], start_ms, end_ms);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_auto(MqTestRun) run = { 0 };
      JsonObject *interval;

      if (i > 0)
        age_history (f, 10 * MINUTE_MS);
      route_all_paths (f, 200, NULL, body);
      last_run_ms = g_get_real_time () / 1000;
      run = run_json (f, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpstr (run.err, ==, "");

      interval = general_interval (parser, run.out);
      g_assert_cmpint (json_object_get_int_member (interval, "remaining_percent"), ==, percents[i]);
      /* Fewer than three samples: no forecast yet, and the report says null. */
      if (i < 2)
        g_assert_true (json_object_get_null_member (interval, "forecast"));
      g_clear_pointer (&last_out, g_free);
      last_out = g_strdup (run.out);
    }

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *interval = general_interval (parser, last_out);
    JsonObject *forecast = json_object_get_object_member (interval, "forecast");
    JsonObject *pace = json_object_get_object_member (interval, "pace");
    gint64 runs_out_ms, expected_ms;

    g_assert_nonnull (forecast);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (forecast, "rate_percent_per_hour"),
                                    30.0, 1.0);
    g_assert_false (json_object_get_boolean_member (forecast, "lasts_until_reset"));
    g_assert_cmpint (json_object_get_int_member (forecast, "samples"), ==, 4);
    runs_out_ms = parse_iso_ms (json_object_get_string_member (forecast, "runs_out_at"));
    expected_ms = last_run_ms + 160 * MINUTE_MS;
    g_test_message ("runs out at %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                    runs_out_ms, expected_ms);
    g_assert_cmpint (ABS (runs_out_ms - expected_ms), <=, 3 * MINUTE_MS);
    g_assert_nonnull (pace);

    /* The flat weekly cap lasts until its reset. */
    {
      JsonObject *root = parse_object (parser, last_out);
      JsonObject *general = json_array_get_object_element (json_object_get_array_member (root, "models"), 0);
      JsonObject *weekly = json_object_get_object_member (general, "weekly");
      JsonObject *weekly_forecast = json_object_get_object_member (weekly, "forecast");

      g_assert_nonnull (weekly_forecast);
      g_assert_true (json_object_get_boolean_member (weekly_forecast, "lasts_until_reset"));
      g_assert_true (json_object_get_null_member (weekly_forecast, "runs_out_at"));
    }
  }

  /* The text table has the forecast column and its run-out time. */
  {
    g_auto(MqTestRun) text = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY),
                                      ARGS ("--once", "--region=global", "--base-url", f->base_url));

    g_assert_cmpint (text.status, ==, 0);
    g_assert_nonnull (strstr (text.out, "Forecast"));
    g_assert_nonnull (strstr (text.out, "runs out"));
  }

  /* The history is private. */
  g_assert_cmpint (g_stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
assert_file_has_no_key (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &bytes, &length, NULL))
    return;
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", path, length);
  g_assert_null (memmem (bytes, length, KEY_MARK, strlen (KEY_MARK)));
  g_assert_null (memmem (bytes, length, "sk-cp", 5));
}

/* --history: table, CSV with its stable header, JSON, a duration; with no
 * key and no network; and the key in no byte of the database. */
static void
test_history_list (Fixture       *f,
                   gconstpointer  data)
{
  static const int percents[] = { 95, 90, 85, 80 };
  gint64 now_ms = g_get_real_time () / 1000;
  g_autofree char *db = history_path (f);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_auto(MqTestRun) csv = { 0 };
  g_auto(MqTestRun) recent = { 0 };
  g_auto(MqTestRun) table = { 0 };
  g_auto(MqTestRun) json = { 0 };
  g_auto(MqTestRun) bad = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  guint hits;

  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    {
      g_autofree char *body = falling_body (percents[i], now_ms - HOUR_MS, now_ms + 4 * HOUR_MS);
      g_auto(MqTestRun) run = { 0 };

      if (i > 0)
        age_history (f, 10 * MINUTE_MS);
      route_all_paths (f, 200, NULL, body);
      run = run_json (f, ENV ("G_MESSAGES_DEBUG=all"));
      g_assert_cmpint (run.status, ==, 0);
    }
  hits = total_hits (f);

  /* No key, a server that is not there: --history needs neither. */
  csv = run_cli (f, ENV ("G_MESSAGES_DEBUG=all"), ARGS ("--history", "--csv", "--base-url", "http://127.0.0.1:9"));
  g_assert_cmpint (csv.status, ==, 0);
  lines = g_strsplit (csv.out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, MQ_HISTORY_CSV_HEADER);
  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    {
      g_autofree char *row = g_strdup_printf (",default,general,interval,%d,", percents[i]);

      g_assert_nonnull (strstr (csv.out, row));
    }
  /* The weekly cap stayed at 100: one run, listed by its first and last time. */
  g_assert_nonnull (strstr (csv.out, ",default,general,weekly,100,"));

  /* The last 15 minutes: the last two runs only. */
  recent = run_cli (f, NULL, ARGS ("--history=15m", "--csv"));
  g_assert_cmpint (recent.status, ==, 0);
  g_assert_nonnull (strstr (recent.out, ",interval,85,"));
  g_assert_nonnull (strstr (recent.out, ",interval,80,"));
  g_assert_null (strstr (recent.out, ",interval,90,"));
  g_assert_null (strstr (recent.out, ",interval,95,"));

  table = run_cli (f, NULL, ARGS ("--history", "7d"));
  g_assert_cmpint (table.status, ==, 0);
  g_assert_nonnull (strstr (table.out, "Text models  5-hour window   95%"));
  g_assert_nonnull (strstr (table.out, "95"));

  json = run_cli (f, NULL, ARGS ("--history=30d", "--json"));
  g_assert_cmpint (json.status, ==, 0);
  json_parser_load_from_data (parser, json.out, -1, NULL);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), >=, 5);

  bad = run_cli (f, NULL, ARGS ("--history=forever"));
  g_assert_cmpint (bad.status, ==, 1);
  assert_one_error_line (&bad, "forever");

  g_assert_cmpuint (total_hits (f), ==, hits);

  /* Security: the key is in no byte of the history. */
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  assert_file_has_no_key (db);
  assert_file_has_no_key (wal);
}

/* A history that cannot be written, a damaged one, none at all: the report
 * and the exit status never change. */
static void
test_history_failures (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->state_dir, "leeway", NULL);
  g_autofree char *db = history_path (f);
  g_autofree char *expected = NULL;
  g_auto(MqTestRun) reference = { 0 };
  g_auto(MqTestRun) corrupt = { 0 };
  g_auto(MqTestRun) after = { 0 };
  g_auto(MqTestRun) off = { 0 };
  g_auto(MqTestRun) empty = { 0 };
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean moved = FALSE;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  /* No history yet: --history lists nothing and creates nothing. */
  empty = run_cli (f, NULL, ARGS ("--history", "--csv"));
  g_assert_cmpint (empty.status, ==, 0);
  g_assert_cmpstr (empty.out, ==, MQ_HISTORY_CSV_HEADER "\n");
  g_assert_false (g_file_test (f->state_dir, G_FILE_TEST_EXISTS));

  /* LEEWAY_NO_HISTORY=1: nothing recorded. */
  off = run_json (f, ENV ("LEEWAY_NO_HISTORY=1"));
  g_assert_cmpint (off.status, ==, 0);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  /* A read-only state folder (a file where the folder should be, which
   * even root cannot write into): exit 0, the report, nothing on stderr. */
  g_assert_cmpint (g_mkdir_with_parents (f->state_dir, 0700), ==, 0);
  mq_test_write_file (folder, "not a folder");
  reference = run_json (f, ENV ("G_MESSAGES_DEBUG"));
  g_assert_cmpint (reference.status, ==, 0);
  g_assert_cmpstr (reference.err, ==, "");
  g_assert_nonnull (strstr (reference.out, "\"models\""));
  g_assert_cmpint (g_unlink (folder), ==, 0);

  if (geteuid () != 0)
    {
      g_auto(MqTestRun) readonly = { 0 };

      g_assert_cmpint (g_chmod (f->state_dir, 0500), ==, 0);
      readonly = run_json (f, NULL);
      g_assert_cmpint (g_chmod (f->state_dir, 0700), ==, 0);
      g_assert_cmpint (readonly.status, ==, 0);
      g_assert_cmpstr (readonly.err, ==, "");
      g_assert_nonnull (strstr (readonly.out, "\"models\""));
    }

  /* A damaged database: moved aside, said once on stderr, report intact. */
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  mq_test_write_file (db, "this is not an SQLite database, not at all, not even close......"
                          "................................................................");
  corrupt = run_json (f, NULL);
  g_assert_cmpint (corrupt.status, ==, 0);
  g_assert_nonnull (strstr (corrupt.out, "\"models\""));
  g_assert_true (g_str_has_prefix (corrupt.err, "leeway: "));
  g_assert_nonnull (strchr (corrupt.err, '\n'));
  g_assert_cmpstr (strchr (corrupt.err, '\n') + 1, ==, "");

  dir = g_dir_open (folder, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "history.db.corrupt-"))
      moved = TRUE;
  g_assert_true (moved);

  after = run_json (f, NULL);
  g_assert_cmpint (after.status, ==, 0);
  g_assert_cmpstr (after.err, ==, "");
}

/* ------------------------------------------------------------------ */
/* The shapes other monitors read and we dropped (issue 9)              */
/* ------------------------------------------------------------------ */

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

static void
test_shape_nameless_count_row (Fixture       *f,
                               gconstpointer  data)
{
  g_auto(MqTestRun) text = { 0 };
  g_auto(MqTestRun) json = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *headline;

  route_all_paths (f, 200, "nameless-count-row.json", NULL);
  text = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY), ARGS ("--once", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "63% of the 5-hour window left"));
  g_assert_nonnull (strstr (text.out, "\nText models "));
  g_assert_nonnull (strstr (text.out, "945/1,500"));
  /* remains_time: the reset is 2h 30m away, whatever the clock. */
  g_assert_nonnull (strstr (text.out, "resets in 2h "));

  json = run_json (f, NULL);
  g_assert_cmpint (json.status, ==, 0);
  root = parse_object (parser, json.out);
  headline = json_object_get_object_member (root, "headline");
  g_assert_cmpstr (json_object_get_string_member (headline, "window"), ==, "interval");
  g_assert_cmpint (json_object_get_int_member (headline, "remaining_percent"), ==, 63);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "models")), ==, 1);
}

static void
test_shape_highspeed (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(MqTestRun) text = { 0 };
  g_auto(MqTestRun) json = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *headline;

  route_all_paths (f, 200, "highspeed-plan.json", NULL);
  text = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY), ARGS ("--once", "--region=global", "--base-url", f->base_url));
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "41% of the 5-hour window left · resets in 2h "));
  g_assert_nonnull (strstr (text.out, "\nMiniMax-M2.7-highspeed  41%"));

  json = run_json (f, NULL);
  g_assert_cmpint (json.status, ==, 0);
  headline = json_object_get_object_member (parse_object (parser, json.out), "headline");
  g_assert_cmpstr (json_object_get_string_member (headline, "model"), ==, "MiniMax-M2.7-highspeed");
  g_assert_cmpint (json_object_get_int_member (headline, "remaining_percent"), ==, 41);
}

/* start_time/end_time in epoch seconds: read as seconds. As published
 * (June 2026) the resets are exact instants; moved around now, the table
 * counts down to them. */
static void
test_shape_epoch_seconds (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "epoch-seconds.json", NULL);
  g_autofree char *published = NULL;
  g_auto(MqTestRun) json = { 0 };
  g_auto(MqTestRun) text = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *general, *interval, *weekly;
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_true (g_file_get_contents (path, &published, NULL, NULL));
  route_all_paths (f, 200, NULL, published);
  json = run_json (f, NULL);
  g_assert_cmpint (json.status, ==, 0);
  general = json_array_get_object_element (json_object_get_array_member (parse_object (parser, json.out), "models"), 0);
  interval = json_object_get_object_member (general, "interval");
  weekly = json_object_get_object_member (general, "weekly");
  g_assert_cmpstr (json_object_get_string_member (interval, "resets_at"), ==, "2026-06-07T21:00:00Z");
  g_assert_cmpint (json_object_get_int_member (interval, "period_seconds"), ==, 18000);
  g_assert_cmpstr (json_object_get_string_member (weekly, "resets_at"), ==, "2026-06-14T16:00:00Z");

  {
    g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, now_s - 3600);
    g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, now_s + 9000 + 30);
    g_autofree char *week_end = g_strdup_printf ("%" G_GINT64_FORMAT, now_s - 3600 + 7 * 86400);
    g_autofree char *a = replace_all (published, "1780848000", start);
    g_autofree char *b = replace_all (a, "1780866000", end);
    g_autofree char *moved = replace_all (b, "1781452800", week_end);

    route_all_paths (f, 200, NULL, moved);
    text = run_cli (f, ENV ("MINIMAX_API_KEY=" KEY), ARGS ("--once", "--region=global", "--base-url", f->base_url));
    g_assert_cmpint (text.status, ==, 0);
    g_assert_true (g_str_has_prefix (text.out, "88% of the weekly cap left · resets in 6d "));
    g_assert_nonnull (strstr (text.out, "\nText (MiniMax-M)  4,286/4,500 · 95%  2h "));
  }
}


/* ------------------------------------------------------------------ */
/* Status bars (issue 13): --waybar, --format, --watch                  */
/* ------------------------------------------------------------------ */

/* A private session bus, and on it (when started) the applet's Quota1
 * service as the applet exports it, answered on this thread's context. */
typedef struct {
  Keyring          bus;
  char            *bus_env;
  GDBusConnection *applet;
  MqQuotaService  *service;
} Bar;

static gboolean
bar_start_bus (Bar     *bar,
               Fixture *f)
{
  if (!keyring_start (&bar->bus, f, NULL))
    return FALSE;
  bar->bus_env = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", bar->bus.address, NULL);
  return TRUE;
}

static void
bar_start_applet (Bar        *bar,
                  const char *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", fixture, NULL);
  g_autofree char *body = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  gsize length;
  guint32 result;

  g_assert_true (g_file_get_contents (path, &body, &length, NULL));
  snapshot = mq_snapshot_parse (body, length, g_get_real_time () / 1000, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);

  bar->applet = g_dbus_connection_new_for_address_sync (bar->bus.address,
                                                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                        NULL, NULL, &error);
  g_assert_no_error (error);
  bar->service = mq_quota_service_new ();
  g_assert_true (mq_quota_service_export (bar->service, bar->applet,
                                          MQ_QUOTA_SERVICE_OBJECT_PATH, &error));
  mq_quota_service_set_snapshot (bar->service, snapshot, NULL, NULL, FALSE, NULL);
  reply = g_dbus_connection_call_sync (bar->applet, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", MQ_QUOTA_SERVICE_BUS_NAME, 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);
}

/* The applet quits: its connection (and with it its name) goes. */
static void
bar_stop_applet (Bar *bar)
{
  if (bar->service != NULL)
    mq_quota_service_unexport (bar->service);
  g_clear_object (&bar->service);
  if (bar->applet != NULL && !g_dbus_connection_is_closed (bar->applet))
    g_dbus_connection_close_sync (bar->applet, NULL, NULL);
  g_clear_object (&bar->applet);
}

static void
bar_stop (Bar *bar)
{
  bar_stop_applet (bar);
  keyring_stop (&bar->bus);
  g_clear_pointer (&bar->bus_env, g_free);
}

/* leeway ARGS... on the private bus, with a key, debug output on
 * (run_cli() checks the key is in none of it). */
static MqTestRun
run_bar (Fixture            *f,
         Bar                *bar,
         const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) all = NULL;

  for (guint i = 0; args[i] != NULL; i++)
    g_strv_builder_add (builder, args[i]);
  g_strv_builder_addv (builder, (const char *[]) { "--region=global", "--base-url", f->base_url, NULL });
  all = g_strv_builder_end (builder);

  return run_cli (f, ENV ("MINIMAX_API_KEY=" KEY, bar->bus_env, "G_MESSAGES_DEBUG=all"),
                  (const char * const *) all);
}

/* The applet is running: --waybar and every --format answer from its
 * report with no request; --once --waybar asks the server; without the
 * applet, one request. */
static void
test_bar_from_applet (Fixture       *f,
                      gconstpointer  data)
{
  Bar bar = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *waybar_object;

  if (!bar_start_bus (&bar, f))
    return;
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "token-plan-plus-video-not-in-plan.json");
  bar_start_applet (&bar, "token-plan-plus-video-not-in-plan.json");

  {
    g_auto(MqTestRun) waybar = run_bar (f, &bar, ARGS ("--waybar"));
    g_auto(MqTestRun) same = run_bar (f, &bar, ARGS ("--format=waybar"));
    g_auto(MqTestRun) polybar = run_bar (f, &bar, ARGS ("--format=polybar"));
    g_auto(MqTestRun) i3blocks = run_bar (f, &bar, ARGS ("--format=i3blocks"));
    g_auto(MqTestRun) json = run_bar (f, &bar, ARGS ("--format=json"));
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (waybar.status, ==, 0);
    g_assert_true (g_str_has_prefix (waybar.out, "{\"text\":\"63%\",\"alt\":\"ok\","));
    g_assert_cmpint (strlen (waybar.out) - 1, ==, strcspn (waybar.out, "\n"));
    waybar_object = parse_object (parser, waybar.out);
    g_assert_cmpint (json_object_get_int_member (waybar_object, "percentage"), ==, 63);
    g_assert_nonnull (strstr (json_object_get_string_member (waybar_object, "tooltip"), "Text models, 5-hour window: 63% left"));
    g_assert_cmpstr (same.out, ==, waybar.out);

    g_assert_cmpint (polybar.status, ==, 0);
    g_assert_cmpstr (polybar.out, ==, "63%\n");

    g_assert_cmpint (i3blocks.status, ==, 0);
    lines = g_strsplit (i3blocks.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_true (g_str_has_prefix (lines[0], "63% left"));
    g_assert_cmpstr (lines[1], ==, "63%");
    g_assert_cmpstr (lines[2], ==, "#2EC27E");

    g_assert_cmpint (json.status, ==, 0);
    g_assert_cmpint (strlen (json.out) - 1, ==, strcspn (json.out, "\n"));
    g_assert_nonnull (strstr (json.out, "\"headline\""));

    /* Not one request: the applet answered. */
    g_assert_cmpuint (total_hits (f), ==, 0);
  }

  /* --once is the explicit "ask now". */
  {
    g_auto(MqTestRun) once = run_bar (f, &bar, ARGS ("--once", "--waybar"));

    g_assert_cmpint (once.status, ==, 0);
    g_assert_true (g_str_has_prefix (once.out, "{\"text\":\"63%\""));
    g_assert_cmpuint (total_hits (f), ==, 1);
  }

  /* The applet's last fetch failed and it has no report: every format
   * shows the error, exit 0. */
  mq_quota_service_update (bar.service, "", "unknown", -1, TRUE, 0,
                           "Could not reach the server. Check your network connection.");
  {
    g_auto(MqTestRun) waybar = run_bar (f, &bar, ARGS ("--waybar"));
    g_auto(MqTestRun) polybar = run_bar (f, &bar, ARGS ("--format=polybar"));
    g_auto(MqTestRun) i3blocks = run_bar (f, &bar, ARGS ("--format=i3blocks"));

    g_assert_cmpint (waybar.status, ==, 0);
    g_assert_true (g_str_has_prefix (waybar.out, "{\"text\":\"!\""));
    g_assert_nonnull (strstr (waybar.out, "Could not reach the server"));
    g_assert_cmpstr (polybar.out, ==, "\n");
    g_assert_true (g_str_has_prefix (i3blocks.out, "Could not reach the server"));
    g_assert_nonnull (strstr (i3blocks.out, "\n!\n#E01B24\n"));
    g_assert_cmpuint (total_hits (f), ==, 1);
  }

  /* The applet quits: --waybar fetches, once. */
  bar_stop_applet (&bar);
  {
    g_auto(MqTestRun) fetched = run_bar (f, &bar, ARGS ("--waybar"));

    g_assert_cmpint (fetched.status, ==, 0);
    g_assert_true (g_str_has_prefix (fetched.out, "{\"text\":\"63%\",\"alt\":\"ok\","));
    g_assert_cmpuint (total_hits (f), ==, 2);
  }

  bar_stop (&bar);
}

/* No applet: each format fetched, for an answer and for a failure (one
 * line on stderr, the bar's own error line on stdout, exit 0). */
static void
test_bar_fetched (Fixture       *f,
                  gconstpointer  data)
{
  Bar bar = { 0 };

  if (!bar_start_bus (&bar, f))
    return;
  route_all_paths (f, 200, "token-plan-plus-video-not-in-plan.json", NULL);

  {
    g_auto(MqTestRun) waybar = run_bar (f, &bar, ARGS ("--waybar"));
    g_auto(MqTestRun) polybar = run_bar (f, &bar, ARGS ("--format=polybar"));
    g_auto(MqTestRun) i3blocks = run_bar (f, &bar, ARGS ("--format=i3blocks"));
    g_auto(MqTestRun) json = run_bar (f, &bar, ARGS ("--format=json"));

    g_assert_cmpint (waybar.status, ==, 0);
    g_assert_true (g_str_has_prefix (waybar.out, "{\"text\":\"63%\",\"alt\":\"ok\","));
    g_assert_cmpstr (polybar.out, ==, "63%\n");
    g_assert_true (g_str_has_prefix (i3blocks.out, "63% left"));
    g_assert_true (g_str_has_suffix (i3blocks.out, "\n63%\n#2EC27E\n"));
    g_assert_true (g_str_has_prefix (json.out, "{\"region\":\"global\""));
    g_assert_cmpuint (total_hits (f), ==, 4);
  }

  route_all_paths (f, 401, "error-2049-invalid-key.json", NULL);
  {
    g_auto(MqTestRun) waybar = run_bar (f, &bar, ARGS ("--waybar"));
    g_auto(MqTestRun) polybar = run_bar (f, &bar, ARGS ("--format=polybar"));
    g_auto(MqTestRun) i3blocks = run_bar (f, &bar, ARGS ("--format=i3blocks"));
    g_auto(MqTestRun) json = run_bar (f, &bar, ARGS ("--format=json"));
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *error;

    g_assert_cmpint (waybar.status, ==, 0);
    g_assert_true (g_str_has_prefix (waybar.out, "{\"text\":\"!\",\"alt\":\"error\""));
    g_assert_nonnull (strstr (waybar.err, "leeway: "));
    g_assert_cmpint (polybar.status, ==, 0);
    g_assert_cmpstr (polybar.out, ==, "\n");
    g_assert_cmpint (i3blocks.status, ==, 0);
    g_assert_true (g_str_has_suffix (i3blocks.out, "\n!\n#E01B24\n"));
    g_assert_cmpint (json.status, ==, 0);
    error = json_object_get_object_member (parse_object (parser, json.out), "error");
    g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "key-rejected");
  }

  /* Options that do not go together. */
  {
    g_auto(MqTestRun) two = run_bar (f, &bar, ARGS ("--waybar", "--format=polybar"));
    g_auto(MqTestRun) unknown = run_bar (f, &bar, ARGS ("--format=xmobar"));
    g_auto(MqTestRun) bare_watch = run_bar (f, &bar, ARGS ("--watch"));
    g_auto(MqTestRun) csv = run_bar (f, &bar, ARGS ("--csv"));

    g_assert_cmpint (two.status, ==, 1);
    assert_one_error_line (&two, "--waybar");
    g_assert_cmpint (unknown.status, ==, 1);
    assert_one_error_line (&unknown, "xmobar");
    g_assert_cmpint (bare_watch.status, ==, 1);
    assert_one_error_line (&bare_watch, "--watch");
    g_assert_cmpint (csv.status, ==, 1);
    assert_one_error_line (&csv, "--history");
  }

  bar_stop (&bar);
}

static GSubprocess *
spawn_watch (Fixture            *f,
             Bar                *bar,
             const char * const *args)
{
  g_auto(GStrv) env = make_environ (f, ENV ("MINIMAX_API_KEY=" KEY, bar->bus_env));
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_strv_builder_add (builder, cli_path);
  g_strv_builder_addv (builder, (const char **) args);
  g_strv_builder_addv (builder, (const char *[]) { "--region=global", "--base-url", f->base_url, NULL });
  argv = g_strv_builder_end (builder);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  return process;
}

static char *
watch_line (GDataInputStream *stream,
            guint             seconds)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL,
                                       mq_test_store_result, &result);
  mq_test_wait_result (&result, seconds, "a line from leeway --watch");
  line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, &error);
  g_assert_no_error (error);
  if (line != NULL)
    assert_no_key (line);
  return line;
}

static int
watch_exit (GSubprocess *process)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (process, NULL, mq_test_store_result, &result);
  mq_test_wait_result (&result, 10, "leeway --watch to exit");
  g_subprocess_wait_finish (process, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* --watch with the applet: the line at once, a second one within a
 * second of the applet's change, exit 0 when it quits; no request. */
static void
test_watch_applet (Fixture       *f,
                   gconstpointer  data)
{
  Bar bar = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *end = NULL;
  g_autofree char *report = NULL;

  if (!bar_start_bus (&bar, f))
    return;
  route_all_paths (f, 200, "token-plan-plus-video-not-in-plan.json", NULL);
  bar_start_applet (&bar, "token-plan-plus-video-not-in-plan.json");
  report = g_strdup (mq_quota_service_get_report (bar.service));

  process = spawn_watch (f, &bar, ARGS ("--watch", "--format=polybar"));
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  first = watch_line (stream, 5);
  g_assert_cmpstr (first, ==, "63%");

  mq_quota_service_update (bar.service, report, "ok", 63, TRUE, g_get_real_time () / G_USEC_PER_SEC,
                           "The server did not answer.");
  second = watch_line (stream, 1);
  g_assert_cmpstr (second, ==, "~63%");

  bar_stop_applet (&bar);
  end = watch_line (stream, 5);
  g_assert_null (end);
  g_assert_cmpint (watch_exit (process), ==, 0);
  g_assert_cmpuint (total_hits (f), ==, 0);

  bar_stop (&bar);
}

/* --watch --json without an applet: it fetches by itself at once (then
 * every refresh interval, 30 s at least). */
static void
test_watch_polls (Fixture       *f,
                  gconstpointer  data)
{
  Bar bar = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stream = NULL;
  g_autofree char *first = NULL;

  if (!bar_start_bus (&bar, f))
    return;
  route_all_paths (f, 200, "token-plan-plus-video-not-in-plan.json", NULL);

  process = spawn_watch (f, &bar, ARGS ("--watch", "--json", "--interval=1"));
  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  first = watch_line (stream, 5);
  g_assert_true (g_str_has_prefix (first, "{\"region\":\"global\""));
  g_assert_cmpuint (total_hits (f), ==, 1);

  /* --interval=1 is raised to the 30 s floor: no second request soon. */
  {
    gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (total_hits (f), ==, 1);

  g_subprocess_force_exit (process);
  bar_stop (&bar);
}


/* ------------------------------------------------------------------ */
/* Accounts                                                             */
/* ------------------------------------------------------------------ */

#define KEY_TEAM_A  "sk-cp-TESTKEY-team-a-0123456789abcdef"
#define KEY_TEAM_B  "sk-cp-TESTKEY-team-b-0123456789abcdef"
#define KEY_PAYG    "sk-api-TESTKEY-payg-0123456789abcdef0"
#define KEY_UNKNOWN "sk-cp-TESTKEY-unknown-0123456789abcd"

/* The environment of an accounts test: the compiled schema, settings in
 * a keyfile of the test's own (every run of the CLI sees the same list),
 * an unlocked file keyring, and debug output on (which must still name
 * no key). */
typedef struct {
  char *schema_env;
  char *config_env;
  char *keyfile;
} AccountsEnv;

static void
accounts_env_init (Fixture     *f,
                   AccountsEnv *env)
{
  const char *schema_dir = g_getenv ("MQ_SCHEMA_DIR");
  g_autofree char *config_dir = g_build_filename (f->tmpdir, "config", NULL);

  g_assert_nonnull (schema_dir);
  env->schema_env = g_strconcat ("GSETTINGS_SCHEMA_DIR=", schema_dir, NULL);
  env->config_env = g_strconcat ("XDG_CONFIG_HOME=", config_dir, NULL);
  env->keyfile = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
}

static void
accounts_env_clear (AccountsEnv *env)
{
  g_clear_pointer (&env->schema_env, g_free);
  g_clear_pointer (&env->config_env, g_free);
  g_clear_pointer (&env->keyfile, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AccountsEnv, accounts_env_clear)

#define ACCOUNTS_ENV(env, ...) \
  ENV ("GSETTINGS_BACKEND=keyfile", (env)->schema_env, (env)->config_env, \
       "SECRET_FILE_TEST_PASSWORD=test-password", "G_MESSAGES_DEBUG=all", __VA_ARGS__)

/* Runs the CLI with @input on its standard input (a pipe). */
static MqTestRun
run_cli_with_input (Fixture            *f,
                    const char * const *env_overrides,
                    const char * const *args,
                    const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = make_environ (f, env_overrides);
  g_auto(GStrv) argv = mq_test_make_argv (cli_path, args);
  GAsyncResult *slot = NULL;
  MqTestRun run = { 0 };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, env);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, input, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 60, "the CLI with a key on stdin");
  g_subprocess_communicate_utf8_finish (process, result, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);

  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run.status, run.out, run.err);
  assert_no_key (run.out);
  assert_no_key (run.err);
  return run;
}

static void
serve_accounts (Fixture *f)
{
  mq_test_server_set_key_route_fixture (f->server, MQ_PATH_CURRENT, KEY_TEAM_A, 200,
                                        "token-plan-plus-video-not-in-plan.json");
  mq_test_server_set_key_route_fixture (f->server, MQ_PATH_CURRENT, KEY_TEAM_B, 200,
                                        "current-percent-plan.json");
  mq_test_server_set_key_route_fixture (f->server, MQ_PATH_BALANCE, KEY_PAYG, 200,
                                        "balance-strings.json");
}

static void
add_account (Fixture           *f,
             const AccountsEnv *env,
             const char        *name,
             const char        *region,
             const char        *key)
{
  g_autofree char *name_arg = g_strconcat ("--add-account=", name, NULL);
  g_autofree char *region_arg = g_strconcat ("--region=", region, NULL);
  g_autofree char *input = g_strconcat (key, "\n", NULL);
  g_auto(MqTestRun) run = run_cli_with_input (f, ACCOUNTS_ENV (env, "TZ=UTC"),
                                              ARGS (name_arg, region_arg, "--base-url", f->base_url),
                                              input);

  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, name));
}

static JsonObject *
find_account (JsonArray  *accounts,
              const char *name)
{
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *entry = json_array_get_object_element (accounts, i);

      if (g_str_equal (json_object_get_string_member (entry, "name"), name))
        return entry;
    }
  g_assert_not_reached ();
}

/* Add, list, remove through the CLI; a rejected key is not stored; an
 * unknown --account names the accounts. */
static void
test_accounts_manage (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(AccountsEnv) env = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(MqTestRun) rejected = { 0 };
  g_auto(MqTestRun) duplicate = { 0 };
  g_auto(MqTestRun) empty = { 0 };
  g_auto(MqTestRun) list = { 0 };
  g_auto(MqTestRun) list_json = { 0 };
  g_auto(MqTestRun) unknown = { 0 };
  g_auto(MqTestRun) removed = { 0 };
  g_auto(MqTestRun) remove_unknown = { 0 };
  g_auto(MqTestRun) after = { 0 };
  g_auto(MqTestRun) none = { 0 };
  g_auto(MqTestRun) argv_key = { 0 };
  g_autofree char *keyring_before = NULL;
  g_autofree char *keyring_after = NULL;
  gsize keyring_before_len = 0, keyring_after_len = 0;
  JsonNode *root;
  JsonArray *array;

  accounts_env_init (f, &env);
  serve_accounts (f);

  /* Nothing stored yet: said plainly, with what would be used. */
  none = run_cli (f, ACCOUNTS_ENV (&env, "MINIMAX_API_KEY=" KEY), ARGS ("--list-accounts"));
  g_assert_cmpint (none.status, ==, 0);
  g_assert_nonnull (strstr (none.out, "No account is stored"));
  g_assert_nonnull (strstr (none.out, "MINIMAX_API_KEY"));

  add_account (f, &env, "team-a", "global", KEY_TEAM_A);
  g_assert_cmpuint (mq_test_server_get_key_hits (f->server, MQ_PATH_CURRENT, KEY_TEAM_A), ==, 1);
  add_account (f, &env, "payg", "global", KEY_PAYG);
  /* A pay-as-you-go key is checked on the balance endpoint. */
  g_assert_cmpuint (mq_test_server_get_key_hits (f->server, MQ_PATH_BALANCE, KEY_PAYG), ==, 1);

  /* A key the server rejects: status 2, nothing stored (the keyring file
   * is not even rewritten). */
  g_assert_true (g_file_get_contents (f->keyring_path, &keyring_before, &keyring_before_len, NULL));
  rejected = run_cli_with_input (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                                 ARGS ("--add-account=bad", "--region=global", "--base-url", f->base_url),
                                 KEY_UNKNOWN "\n");
  g_assert_cmpint (rejected.status, ==, 2);
  g_assert_nonnull (strstr (rejected.err, "not stored"));
  g_assert_true (g_file_get_contents (f->keyring_path, &keyring_after, &keyring_after_len, NULL));
  g_assert_cmpmem (keyring_before, keyring_before_len, keyring_after, keyring_after_len);

  /* A name in use (case aside) is refused before any key is read. */
  duplicate = run_cli_with_input (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                                  ARGS ("--add-account=TEAM-A", "--base-url", f->base_url),
                                  KEY_TEAM_B "\n");
  g_assert_cmpint (duplicate.status, ==, 1);
  g_assert_cmpuint (mq_test_server_get_key_hits (f->server, MQ_PATH_CURRENT, KEY_TEAM_B), ==, 0);

  /* No key on standard input. */
  empty = run_cli_with_input (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                              ARGS ("--add-account=empty", "--base-url", f->base_url), "");
  g_assert_cmpint (empty.status, ==, 2);

  /* Never a key on the command line. */
  argv_key = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                      ARGS ("--add-account=x", "--account=y"));
  g_assert_cmpint (argv_key.status, ==, 1);

  list = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"), ARGS ("--list-accounts"));
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "team-a"));
  g_assert_nonnull (strstr (list.out, "token-plan"));
  g_assert_nonnull (strstr (list.out, "pay-as-you-go"));
  g_assert_null (strstr (list.out, "bad"));
  g_assert_null (strstr (list.out, "empty"));

  list_json = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"), ARGS ("--list-accounts", "--json"));
  g_assert_cmpint (list_json.status, ==, 0);
  json_parser_load_from_data (parser, list_json.out, -1, NULL);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"), ==, "team-a");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "region"), ==, "global");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "key_kind"), ==, "token-plan");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "key_kind"), ==, "pay-as-you-go");

  /* An unknown --account: status 1 and the names. */
  unknown = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                     ARGS ("--once", "--account=nope", "--base-url", f->base_url));
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "team-a, payg"));

  removed = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"), ARGS ("--remove-account=team-a"));
  g_assert_cmpint (removed.status, ==, 0);
  remove_unknown = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"), ARGS ("--remove-account=team-a"));
  g_assert_cmpint (remove_unknown.status, ==, 1);

  after = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"), ARGS ("--list-accounts"));
  g_assert_cmpint (after.status, ==, 0);
  g_assert_null (strstr (after.out, "team-a"));
  g_assert_nonnull (strstr (after.out, "payg"));

  /* The settings list names and regions, never a key. */
  g_assert_true (g_file_test (env.keyfile, G_FILE_TEST_EXISTS));
  assert_file_has_no_key (env.keyfile);
}

/* Two Token Plan accounts and a pay-as-you-go one in one --once --json,
 * fetched side by side; the text report; the history per account. */
static void
test_accounts_report (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(AccountsEnv) env = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) one_parser = json_parser_new ();
  g_autoptr(JsonParser) history_parser = json_parser_new ();
  g_auto(MqTestRun) run = { 0 };
  g_auto(MqTestRun) text = { 0 };
  g_auto(MqTestRun) one = { 0 };
  g_auto(MqTestRun) history = { 0 };
  g_auto(MqTestRun) bar = { 0 };
  g_autofree char *db = NULL;
  JsonObject *root, *a, *b, *payg, *balance, *plan;
  JsonArray *accounts;
  JsonNode *history_root;

  accounts_env_init (f, &env);
  serve_accounts (f);
  add_account (f, &env, "team-a", "global", KEY_TEAM_A);
  add_account (f, &env, "team-b", "global", KEY_TEAM_B);
  add_account (f, &env, "payg", "global", KEY_PAYG);

  run = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                 ARGS ("--once", "--json", "--base-url", f->base_url));
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (mq_test_server_get_key_hits (f->server, MQ_PATH_CURRENT, KEY_TEAM_A), ==, 2);
  g_assert_cmpuint (mq_test_server_get_key_hits (f->server, MQ_PATH_CURRENT, KEY_TEAM_B), ==, 2);
  g_assert_cmpuint (mq_test_server_get_key_hits (f->server, MQ_PATH_BALANCE, KEY_PAYG), ==, 2);

  root = parse_object (parser, run.out);
  /* The top level is the first account's, as before accounts. */
  g_assert_cmpstr (json_object_get_string_member (root, "region"), ==, "global");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "headline"),
                                               "remaining_percent"), ==, 63);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "models")), ==, 2);

  accounts = json_object_get_array_member (root, "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 3);

  a = find_account (accounts, "team-a");
  g_assert_cmpstr (json_object_get_string_member (a, "key_kind"), ==, "token-plan");
  g_assert_cmpstr (json_object_get_string_member (a, "region"), ==, "global");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (a, "headline"),
                                               "remaining_percent"), ==, 63);
  g_assert_true (json_object_get_null_member (a, "balance"));
  g_assert_true (json_object_get_null_member (a, "error"));
  /* 1,500 model calls in 5 hours worldwide: Starter, a guess. */
  plan = json_object_get_object_member (a, "plan");
  g_assert_cmpstr (json_object_get_string_member (plan, "name"), ==, "Starter");
  g_assert_true (json_object_get_boolean_member (plan, "inferred"));

  b = find_account (accounts, "team-b");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (b, "headline"),
                                               "remaining_percent"), ==, 99);
  /* A percent-only answer: no guess. */
  g_assert_true (json_object_get_null_member (b, "plan"));

  payg = find_account (accounts, "payg");
  g_assert_cmpstr (json_object_get_string_member (payg, "key_kind"), ==, "pay-as-you-go");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (payg, "headline")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (payg, "models")), ==, 0);
  g_assert_true (json_object_get_null_member (payg, "plan"));
  g_assert_true (json_object_get_null_member (payg, "error"));
  balance = json_object_get_object_member (payg, "balance");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (balance, "available"), 25.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (balance, "cash"), 20.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (balance, "voucher"), 5.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (balance, "credit"), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (balance, "owed"), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (balance, "alert_threshold"), 10.0, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (balance, "currency"), ==, "USD");

  /* Text: a title per account, the balance as money, the tables. */
  text = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"), ARGS ("--once", "--base-url", f->base_url));
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "team-a — Starter plan (inferred)\n63% of the 5-hour window left"));
  g_assert_nonnull (strstr (text.out, "\nteam-b\n"));
  g_assert_nonnull (strstr (text.out, "\npayg — pay-as-you-go\nBalance: $25.40 available (cash $20.00, voucher $5.40, credit $0.00)\n"));
  g_assert_nonnull (strstr (text.out, "Alert below $10.00"));

  /* --account: that account alone. */
  one = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                 ARGS ("--json", "--account=team-b", "--base-url", f->base_url));
  g_assert_cmpint (one.status, ==, 0);
  root = parse_object (one_parser, one.out);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "headline"),
                                               "remaining_percent"), ==, 99);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "accounts")), ==, 1);

  /* The bar shows the tightest Token Plan account (63% beats 99%). */
  bar = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                 ARGS ("--waybar", "--once", "--base-url", f->base_url));
  g_assert_cmpint (bar.status, ==, 0);
  g_assert_nonnull (strstr (bar.out, "63%"));

  /* The history has each account's samples under its name. */
  history = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                     ARGS ("--history=1d", "--json", "--account=team-b"));
  g_assert_cmpint (history.status, ==, 0);
  json_parser_load_from_data (history_parser, history.out, -1, NULL);
  history_root = json_parser_get_root (history_parser);
  g_assert_nonnull (strstr (history.out, "\"team-b\""));
  g_assert_null (strstr (history.out, "\"team-a\""));
  g_assert_nonnull (history_root);

  /* No key in the settings or the history. */
  assert_file_has_no_key (env.keyfile);
  db = g_build_filename (f->state_dir, "leeway", "history.db", NULL);
  g_assert_true (g_file_test (db, G_FILE_TEST_EXISTS));
  assert_file_has_no_key (db);
}

/* One failing account beside two good ones: its error, the others
 * report, the exit status is the failure's. */
static void
test_accounts_one_failing (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(AccountsEnv) env = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(MqTestRun) run = { 0 };
  g_auto(MqTestRun) text = { 0 };
  JsonObject *root, *a, *b, *error;
  JsonArray *accounts;

  accounts_env_init (f, &env);
  serve_accounts (f);
  add_account (f, &env, "team-a", "global", KEY_TEAM_A);
  add_account (f, &env, "team-b", "global", KEY_TEAM_B);
  add_account (f, &env, "payg", "global", KEY_PAYG);

  /* team-b's answers now fail on the server's side. */
  mq_test_server_set_key_route (f->server, MQ_PATH_CURRENT, KEY_TEAM_B, 500,
                                "application/json", "{}", -1);

  run = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"),
                 ARGS ("--once", "--json", "--base-url", f->base_url));
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "team-b: "));

  root = parse_object (parser, run.out);
  accounts = json_object_get_array_member (root, "accounts");
  g_assert_cmpuint (json_array_get_length (accounts), ==, 3);
  a = find_account (accounts, "team-a");
  g_assert_true (json_object_get_null_member (a, "error"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (a, "headline"),
                                               "remaining_percent"), ==, 63);
  b = find_account (accounts, "team-b");
  error = json_object_get_object_member (b, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "server");
  g_assert_cmpint (json_object_get_int_member (error, "exit_status"), ==, 3);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (b, "headline")), ==, 0);
  g_assert_true (json_object_get_null_member (find_account (accounts, "payg"), "error"));

  text = run_cli (f, ACCOUNTS_ENV (&env, "TZ=UTC"), ARGS ("--once", "--base-url", f->base_url));
  g_assert_cmpint (text.status, ==, 3);
  g_assert_nonnull (strstr (text.out, "team-a"));
  g_assert_nonnull (strstr (text.out, "Balance: $25.40"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  cli_path = g_getenv ("MQ_CLI_PATH");
  if (cli_path == NULL)
    cli_path = g_test_build_filename (G_TEST_BUILT, "..", "src", "leeway", NULL);

#define ADD(path, func) \
  g_test_add ("/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("json-success", test_json_success);
  ADD ("text-success", test_text_success);
  ADD ("bad-region", test_bad_region);
  ADD ("usage-errors", test_usage_errors);
  ADD ("key-rejected", test_key_rejected);
  ADD ("no-key", test_no_key);
  ADD ("server-error", test_server_error);
  ADD ("unreachable", test_unreachable);
  ADD ("html", test_html);
  ADD ("base-url-refused", test_base_url_refused);
  ADD ("base-url-from-environment", test_base_url_from_environment);
  ADD ("debug-output-has-no-key", test_debug_output_has_no_key);
  ADD ("key-from-environment", test_key_from_environment);
  ADD ("key-from-keyring", test_key_from_keyring);
  ADD ("region-from-settings", test_region_from_settings);
  ADD ("color", test_color);
  ADD ("version-and-help", test_version_and_help);
  ADD ("exec-applet", test_exec_applet);
  ADD ("write-error", test_write_error);
  ADD ("stdout-closed", test_stdout_closed);
  ADD ("broken-pipe", test_broken_pipe);
  ADD ("keyring-silent", test_keyring_silent);
  ADD ("keyring-locked", test_keyring_locked);
  ADD ("keyring-bus-stopped", test_keyring_bus_stopped);
  ADD ("timing", test_timing);
  ADD ("history/forecast", test_history_forecast);
  ADD ("history/list", test_history_list);
  ADD ("history/failures", test_history_failures);
  ADD ("shape/nameless-count-row", test_shape_nameless_count_row);
  ADD ("shape/highspeed", test_shape_highspeed);
  ADD ("shape/epoch-seconds", test_shape_epoch_seconds);
  ADD ("bar/from-applet", test_bar_from_applet);
  ADD ("bar/fetched", test_bar_fetched);
  ADD ("bar/watch-applet", test_watch_applet);
  ADD ("bar/watch-polls", test_watch_polls);
  ADD ("accounts/manage", test_accounts_manage);
  ADD ("accounts/report", test_accounts_report);
  ADD ("accounts/one-failing", test_accounts_one_failing);

#undef ADD

  return g_test_run ();
}
