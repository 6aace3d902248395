/* test-client.c: the production MqClient against loopback SoupServers */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "mq-client.h"
#include "mq-client-private.h"
#include "mq-error.h"
#include "mq-test-server.h"
#include "mq-test-util.h"

#define TEST_KEY    "sk-cp-test-0123456789abcdef"
#define WATCHDOG_S  20

typedef struct {
  MqTestServer *server;
  char         *base_url;
  MqClient     *client;
} Fixture;

typedef struct {
  gboolean    done;
  MqSnapshot *snapshot;
  GError     *error;
  guint       retry_after;
} Result;

/* The Retry-After seconds that came with the result of the last fetch(). */
static guint last_retry_after = G_MAXUINT;

/* Debug log capture, to prove the key and the body never reach a log. */
static GString  *captured_logs;
static gboolean  capturing;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (capturing)
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
            {
              g_string_append (captured_logs, fields[i].value);
              g_string_append_c (captured_logs, '\n');
            }
        }
      if (log_level & G_LOG_LEVEL_DEBUG)
        return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  f->server = mq_test_server_new ();
  f->base_url = mq_test_server_get_base_url (f->server);
  f->client = mq_client_new ();
  mq_client_set_api_key (f->client, TEST_KEY);
  mq_client_set_region (f->client, MQ_REGION_GLOBAL);
  mq_client_set_timeouts (f->client, 5, 10);
  g_assert_true (mq_client_set_base_url (f->client, f->base_url, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  g_assert_finalize_object (f->client);
  mq_test_server_free (f->server);
  g_free (f->base_url);
}

static gboolean
watchdog (gpointer user_data)
{
  g_error ("a fetch did not finish within %d seconds", WATCHDOG_S);
  return G_SOURCE_REMOVE;
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Result *r = user_data;

  g_assert_false (r->done);
  r->snapshot = mq_client_fetch_finish_full (MQ_CLIENT (source), result, &r->retry_after, &r->error);
  r->done = TRUE;
}

static void
wait_for (Result *r)
{
  guint id = g_timeout_add_seconds (WATCHDOG_S, watchdog, NULL);

  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  g_assert_true ((r->snapshot == NULL) != (r->error == NULL));
  if (r->error != NULL)
    g_assert_null (strstr (r->error->message, TEST_KEY));
}

static MqSnapshot *
fetch (MqClient      *client,
       GCancellable  *cancellable,
       GError       **error)
{
  Result r = { 0 };

  mq_client_fetch_async (client, cancellable, on_fetched, &r);
  wait_for (&r);
  last_retry_after = r.retry_after;
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.snapshot;
}

static MqSnapshot *
fetch_ok (MqClient *client)
{
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot = fetch (client, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

/* Fetches, expects @code of MQ_ERROR and returns the message. */
static char *
fetch_fails (MqClient *client,
             MqError   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = fetch (client, NULL, &error);

  g_assert_null (snapshot);
  g_assert_error (error, MQ_ERROR, (gint) code);
  g_assert_cmpstr (error->message, !=, "");
  return g_strdup (error->message);
}

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static void
assert_same_snapshot (MqSnapshot *a,
                      MqSnapshot *b)
{
  g_assert_cmpuint (mq_snapshot_get_n_models (a), ==, mq_snapshot_get_n_models (b));
  g_assert_cmpint (mq_snapshot_get_region (a), ==, mq_snapshot_get_region (b));

  for (guint i = 0; i < mq_snapshot_get_n_models (a); i++)
    {
      const MqModel *ma = mq_snapshot_get_model (a, i);
      const MqModel *mb = mq_snapshot_get_model (b, i);

      g_assert_cmpstr (ma->name, ==, mb->name);
      g_assert_cmpint (ma->lane, ==, mb->lane);
      g_assert_cmpint (ma->in_plan, ==, mb->in_plan);
      g_assert_cmpint (ma->usable, ==, mb->usable);
      g_assert_cmpfloat (ma->interval.remaining_percent, ==, mb->interval.remaining_percent);
      g_assert_cmpfloat (ma->weekly.remaining_percent, ==, mb->weekly.remaining_percent);
      g_assert_cmpint (ma->interval.total, ==, mb->interval.total);
      g_assert_cmpint (ma->weekly.total, ==, mb->weekly.total);
      g_assert_cmpint (ma->interval.exhausted, ==, mb->interval.exhausted);
    }
}

/* Every fixture served on the current path gives what parsing the file
 * directly gives: the bytes arrive whole and the region is passed on. */
static void
test_fixture (Fixture       *f,
              gconstpointer  user_data)
{
  const char *name = user_data;
  gsize length = 0;
  g_autofree char *contents = read_fixture (name, &length);
  g_autoptr(GError) expected_error = NULL;
  g_autoptr(MqSnapshot) expected = mq_snapshot_parse (contents, length, g_get_real_time () / 1000,
                                                      MQ_REGION_GLOBAL, &expected_error);
  g_autoptr(MqSnapshot) snapshot = NULL;

  g_assert_nonnull (expected);
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, name);

  snapshot = fetch_ok (f->client);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), >, 0);
  assert_same_snapshot (snapshot, expected);
  g_assert_cmpint (mq_snapshot_get_region (snapshot), ==, MQ_REGION_GLOBAL);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_GLOBAL);
  g_assert_cmpint (mq_snapshot_get_fetched_at_ms (snapshot), >, 0);

  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
}

static void
test_region_passed_to_parse (Fixture       *f,
                             gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;

  mq_client_set_region (f->client, MQ_REGION_CN);
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "legacy-counts-cn.json");

  snapshot = fetch_ok (f->client);
  g_assert_cmpint (mq_snapshot_get_region (snapshot), ==, MQ_REGION_CN);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_CN);
}

static void
test_legacy_fallback (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;

  /* The current path is not routed: 404. */
  mq_test_server_set_route_fixture (f->server, MQ_PATH_LEGACY_1, 200, "legacy-counts-cn.json");

  snapshot = fetch_ok (f->client);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), >, 0);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_2), ==, 0);
}

static void
test_legacy_fallback_second (Fixture       *f,
                             gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 405, "application/json", "{}", -1);
  /* A Cloudflare page on the first legacy path: unreadable, go on. */
  mq_test_server_set_route_fixture (f->server, MQ_PATH_LEGACY_1, 200, "cloudflare-403.html");
  mq_test_server_set_route_fixture (f->server, MQ_PATH_LEGACY_2, 200, "legacy-counts-cn.json");

  snapshot = fetch_ok (f->client);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_2), ==, 1);
}

static void
test_all_paths_missing (Fixture       *f,
                        gconstpointer  user_data)
{
  g_autofree char *message = fetch_fails (f->client, MQ_ERROR_SERVER);

  g_assert_nonnull (strstr (message, "404"));
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_2), ==, 1);
}

/* Region AUTO over two loopback "regions": GLOBAL rejects the key as a
 * foreign one (2049), CN accepts it. */
static void
test_auto_region (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(MqTestServer) cn = mq_test_server_new ();
  g_autofree char *cn_url = mq_test_server_get_base_url (cn);
  const char *global_hosts[] = { f->base_url, NULL };
  const char *cn_hosts[] = { cn_url, NULL };
  g_autoptr(MqSnapshot) first = NULL;
  g_autoptr(MqSnapshot) second = NULL;

  g_assert_true (mq_client_set_base_url (f->client, NULL, NULL));
  g_assert_null (mq_client_get_base_url (f->client));
  mq_client_set_region (f->client, MQ_REGION_AUTO);
  mq_client_override_hosts (f->client, MQ_REGION_GLOBAL, global_hosts);
  mq_client_override_hosts (f->client, MQ_REGION_CN, cn_hosts);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_AUTO);

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "error-2049-invalid-key.json");
  mq_test_server_set_route_fixture (cn, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  first = fetch_ok (f->client);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_CN);
  g_assert_cmpint (mq_snapshot_get_region (first), ==, MQ_REGION_CN);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (cn, MQ_PATH_CURRENT), ==, 1);
  /* A rejected key is not tried on the legacy paths of that region. */
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);

  /* The region that answered is asked first next time. */
  second = fetch_ok (f->client);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_CN);
  g_assert_cmpuint (mq_test_server_get_hits (cn, MQ_PATH_CURRENT), ==, 2);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
}

static void
test_auto_region_preferred (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(MqTestServer) cn = mq_test_server_new ();
  g_autofree char *cn_url = mq_test_server_get_base_url (cn);
  const char *global_hosts[] = { f->base_url, NULL };
  const char *cn_hosts[] = { cn_url, NULL };
  g_autoptr(MqSnapshot) snapshot = NULL;

  g_assert_true (mq_client_set_base_url (f->client, NULL, NULL));
  mq_client_set_region (f->client, MQ_REGION_AUTO);
  mq_client_set_preferred_region (f->client, MQ_REGION_CN);
  mq_client_override_hosts (f->client, MQ_REGION_GLOBAL, global_hosts);
  mq_client_override_hosts (f->client, MQ_REGION_CN, cn_hosts);

  /* Both would answer: the preferred region is asked first, and only it. */
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_route_fixture (cn, MQ_PATH_CURRENT, 200, "legacy-counts-cn.json");

  snapshot = fetch_ok (f->client);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_CN);
  g_assert_cmpuint (mq_test_server_get_total_hits (cn), ==, 1);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 0);
}

static void
test_auto_region_both_rejected (Fixture       *f,
                                gconstpointer  user_data)
{
  g_autoptr(MqTestServer) cn = mq_test_server_new ();
  g_autofree char *cn_url = mq_test_server_get_base_url (cn);
  const char *global_hosts[] = { f->base_url, NULL };
  const char *cn_hosts[] = { cn_url, NULL };
  g_autofree char *message = NULL;

  g_assert_true (mq_client_set_base_url (f->client, NULL, NULL));
  mq_client_set_region (f->client, MQ_REGION_AUTO);
  mq_client_override_hosts (f->client, MQ_REGION_GLOBAL, global_hosts);
  mq_client_override_hosts (f->client, MQ_REGION_CN, cn_hosts);

  /* GLOBAL fails on the server side first; the key rejection says more. */
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 500, "application/json", "{}", -1);
  mq_test_server_set_route_fixture (cn, MQ_PATH_CURRENT, 200, "error-1004-no-key.json");

  message = fetch_fails (f->client, MQ_ERROR_KEY_REJECTED);
  g_assert_nonnull (strstr (message, "1004"));
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_AUTO);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
  g_assert_cmpuint (mq_test_server_get_total_hits (cn), ==, 1);
}

static void
use_region_hosts (Fixture     *f,
                  const char  *second_url)
{
  const char *hosts[] = { f->base_url, second_url, NULL };

  g_assert_true (mq_client_set_base_url (f->client, NULL, NULL));
  mq_client_set_region (f->client, MQ_REGION_GLOBAL);
  mq_client_override_hosts (f->client, MQ_REGION_GLOBAL, hosts);
}

static void
test_host_fallback_drop (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autoptr(MqTestServer) second = mq_test_server_new ();
  g_autofree char *second_url = mq_test_server_get_base_url (second);
  g_autoptr(MqSnapshot) snapshot = NULL;

  use_region_hosts (f, second_url);
  mq_test_server_set_drop (f->server, MQ_PATH_CURRENT, TRUE);
  mq_test_server_set_route_fixture (second, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  snapshot = fetch_ok (f->client);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_GLOBAL);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), >=, 1);
  g_assert_cmpuint (mq_test_server_get_hits (second, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 0);
}

static void
test_host_fallback_503 (Fixture       *f,
                        gconstpointer  user_data)
{
  g_autoptr(MqTestServer) second = mq_test_server_new ();
  g_autofree char *second_url = mq_test_server_get_base_url (second);
  g_autoptr(MqSnapshot) snapshot = NULL;

  use_region_hosts (f, second_url);
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 503, "text/plain", "busy", -1);
  mq_test_server_set_route_fixture (second, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  snapshot = fetch_ok (f->client);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (second, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
}

/* A host that could not be reached is not asked again for the legacy paths;
 * a host that said 404 is. */
static void
test_dead_host_skipped_on_legacy (Fixture       *f,
                                  gconstpointer  user_data)
{
  g_autoptr(MqTestServer) second = mq_test_server_new ();
  g_autofree char *second_url = mq_test_server_get_base_url (second);
  g_autoptr(MqSnapshot) snapshot = NULL;

  use_region_hosts (f, second_url);
  mq_test_server_set_drop (f->server, MQ_PATH_CURRENT, TRUE);
  mq_test_server_set_route_fixture (f->server, MQ_PATH_LEGACY_1, 200, "current-percent-plan.json");
  mq_test_server_set_route_fixture (second, MQ_PATH_LEGACY_1, 200, "legacy-counts-cn.json");

  snapshot = fetch_ok (f->client);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 0);
  g_assert_cmpuint (mq_test_server_get_hits (second, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (second, MQ_PATH_LEGACY_1), ==, 1);
  g_assert_nonnull (mq_snapshot_find_model (snapshot, mq_snapshot_get_model (snapshot, 0)->name));
}

static void
test_error_ranking (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(MqTestServer) second = mq_test_server_new ();
  g_autofree char *second_url = mq_test_server_get_base_url (second);
  g_autofree char *message = NULL;

  /* A dropped connection, then a server error: the server error is the
   * more meaningful one, even though it came second. */
  use_region_hosts (f, second_url);
  mq_test_server_set_drop (f->server, MQ_PATH_CURRENT, TRUE);
  mq_test_server_set_route (second, MQ_PATH_CURRENT, 502, "text/plain", "bad gateway", -1);

  message = fetch_fails (f->client, MQ_ERROR_SERVER);
  g_assert_nonnull (strstr (message, "502"));
  /* No legacy path after a server error or an unreachable host. */
  g_assert_cmpuint (mq_test_server_get_total_hits (second), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 0);
}

static void
test_http_401 (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 401, "application/json",
                            "{\"error\":\"unauthorized\"}", -1);

  message = fetch_fails (f->client, MQ_ERROR_KEY_REJECTED);
  g_assert_nonnull (strstr (message, "401"));
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
}

static void
test_http_403_html (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 403, "cloudflare-403.html");

  message = fetch_fails (f->client, MQ_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (message, "web page"));
  g_assert_null (strstr (message, "Just a moment"));
  /* An HTML page is no verdict on the key: the legacy paths are tried. */
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 1);
}

static void
test_http_403_html_sniffed (Fixture       *f,
                            gconstpointer  user_data)
{
  gsize length = 0;
  g_autofree char *html = read_fixture ("cloudflare-403.html", &length);
  g_autofree char *message = NULL;

  /* No content type at all: the body gives it away. */
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 403, NULL, html, length);

  message = fetch_fails (f->client, MQ_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (message, "web page"));
}

/* A key no server should see (a 100 KB paste got "HTTP 431"): refused
 * before anything is sent, with the fix named. */
static void
test_unsendable_key (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autofree char *huge = g_strnfill (100 * 1024, 'k');
  g_autofree char *message = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  mq_client_set_api_key (f->client, huge);
  message = fetch_fails (f->client, MQ_ERROR_KEY_REJECTED);
  g_assert_nonnull (strstr (message, "Copy the key again"));
  g_free (g_steal_pointer (&message));

  mq_client_set_api_key (f->client, "sk-cp-\x1b]0;x\x07");
  message = fetch_fails (f->client, MQ_ERROR_KEY_REJECTED);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 0);

  mq_client_set_api_key (f->client, TEST_KEY);
  mq_snapshot_unref (fetch_ok (f->client));
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
}

static void
test_http_429 (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 429, "application/json", "{}", -1);
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", "120");

  message = fetch_fails (f->client, MQ_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (message, "120"));
  g_assert_cmpuint (last_retry_after, ==, 120);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
  g_free (g_steal_pointer (&message));

  /* An HTTP date an hour ahead. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 3600);
    g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
    guint seconds;

    mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", date);
    message = fetch_fails (f->client, MQ_ERROR_RATE_LIMITED);
    seconds = last_retry_after;
    g_assert_cmpuint (seconds, >=, 3590);
    g_assert_cmpuint (seconds, <=, 3601);
    g_free (g_steal_pointer (&message));
  }

  /* Nothing said: 0; and an absurd value is capped at a day. */
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", NULL);
  message = fetch_fails (f->client, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (last_retry_after, ==, 0);
  g_free (g_steal_pointer (&message));

  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", "99999999999");
  message = fetch_fails (f->client, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (last_retry_after, ==, 24 * 60 * 60);

  /* A later success clears it. */
  mq_test_server_remove_route (f->server, MQ_PATH_CURRENT);
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_snapshot_unref (fetch_ok (f->client));
  g_assert_cmpuint (last_retry_after, ==, 0);
}

static void
test_api_rate_limited (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 200, "application/json",
                            "{\"base_resp\":{\"status_code\":1002,\"status_msg\":\"rate limit\"}}", -1);
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", "30");

  message = fetch_fails (f->client, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (last_retry_after, ==, 30);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
}

static void
test_api_no_plan (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(MqTestServer) second = mq_test_server_new ();
  g_autofree char *second_url = mq_test_server_get_base_url (second);
  g_autofree char *message = NULL;

  use_region_hosts (f, second_url);
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 200, "application/json",
                            "{\"base_resp\":{\"status_code\":2062,\"status_msg\":\"no plan\"}}", -1);
  mq_test_server_set_route_fixture (second, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  /* No other host of the region can change that answer. */
  message = fetch_fails (f->client, MQ_ERROR_NO_PLAN);
  g_assert_cmpuint (mq_test_server_get_total_hits (second), ==, 0);
}

static void
test_http_500 (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 500, "application/json",
                            "{\"error\":\"internal\"}", -1);

  message = fetch_fails (f->client, MQ_ERROR_SERVER);
  g_assert_nonnull (strstr (message, "500"));
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
}

static void
test_http_408 (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 408, NULL, NULL, 0);

  message = fetch_fails (f->client, MQ_ERROR_SERVER);
  g_assert_nonnull (strstr (message, "408"));
}

static void
test_api_key_rejected (Fixture       *f,
                       gconstpointer  user_data)
{
  const char *fixture = user_data;
  const char *code = strstr (fixture, "1004") != NULL ? "1004" : "2049";
  g_autofree char *message = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, fixture);

  message = fetch_fails (f->client, MQ_ERROR_KEY_REJECTED);
  g_assert_nonnull (strstr (message, code));
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 1);
  g_assert_cmpint (mq_client_get_resolved_region (f->client), ==, MQ_REGION_AUTO);
}

static void
test_truncated_json (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 200, "application/json",
                            "{\"model_remains\":[{\"model_name\":\"general\",\"current_interval", -1);

  message = fetch_fails (f->client, MQ_ERROR_UNREADABLE);
  g_assert_null (strstr (message, "model_remains"));
  /* Unreadable: the legacy paths get their turn. */
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_2), ==, 1);
}

static void
test_html_200 (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "cloudflare-403.html");

  message = fetch_fails (f->client, MQ_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (message, "web page"));
}

static char *
big_json (gsize size)
{
  GString *json = g_string_new ("{\"model_remains\":[],\"padding\":\"");

  while (json->len < size - 3)
    g_string_append_c (json, 'x');
  g_string_append (json, "\"}\n");
  g_assert_cmpuint (json->len, ==, size);
  return g_string_free (json, FALSE);
}

static void
test_body_too_large (Fixture       *f,
                     gconstpointer  user_data)
{
  gboolean chunked = GPOINTER_TO_INT (user_data);
  g_autofree char *body = big_json (8192);
  g_autofree char *message = NULL;

  mq_client_set_max_body_size (f->client, 1024);
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 200, "application/json", body, -1);
  mq_test_server_set_chunked (f->server, MQ_PATH_CURRENT, chunked);

  message = fetch_fails (f->client, MQ_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (message, "too large"));
  g_assert_nonnull (strstr (message, "KiB"));
}

static void
test_body_at_cap (Fixture       *f,
                  gconstpointer  user_data)
{
  gsize length = 0;
  g_autofree char *contents = read_fixture ("current-percent-plan.json", &length);
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 200, "application/json", contents, length);
  mq_test_server_set_chunked (f->server, MQ_PATH_CURRENT, TRUE);

  /* Exactly the cap is fine; one byte less is not. */
  mq_client_set_max_body_size (f->client, length);
  snapshot = fetch_ok (f->client);

  mq_client_set_max_body_size (f->client, length - 1);
  message = fetch_fails (f->client, MQ_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (message, "too large"));
}

static void
test_dropped_connection (Fixture       *f,
                         gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_drop (f->server, MQ_PATH_CURRENT, TRUE);

  message = fetch_fails (f->client, MQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (message, "127.0.0.1"));
  /* An unreachable host is not asked again for the legacy paths. */
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 0);
}

static void
test_truncated_body (Fixture       *f,
                     gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_truncate (f->server, MQ_PATH_CURRENT, 40);

  message = fetch_fails (f->client, MQ_ERROR_NETWORK);
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  user_data)
{
  g_autoptr(MqTestServer) gone = mq_test_server_new ();
  g_autofree char *gone_url = mq_test_server_get_base_url (gone);
  g_autofree char *message = NULL;

  /* Nothing listens on that port any more. */
  g_clear_pointer (&gone, mq_test_server_free);
  g_assert_true (mq_client_set_base_url (f->client, gone_url, NULL));

  message = fetch_fails (f->client, MQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (message, "Check your network connection"));
}

static void
test_total_timeout (Fixture       *f,
                    gconstpointer  user_data)
{
  gboolean io_timeout = GPOINTER_TO_INT (user_data);
  gint64 start;
  gint64 elapsed;
  g_autofree char *message = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 10000);
  if (io_timeout)
    mq_client_set_timeouts (f->client, 1, 10);
  else
    mq_client_set_timeouts (f->client, 10, 1);

  start = g_get_monotonic_time ();
  message = fetch_fails (f->client, MQ_ERROR_TIMEOUT);
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpint (elapsed, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (elapsed, <, 4 * G_TIME_SPAN_SECOND);
  g_assert_nonnull (strstr (message, "1 second"));
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 0);
}

static void
test_slow_but_in_time (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 300);
  mq_client_set_timeouts (f->client, 2, 2);

  snapshot = fetch_ok (f->client);
}

static void
test_redirect_not_followed (Fixture       *f,
                            gconstpointer  user_data)
{
  g_autoptr(MqTestServer) other = mq_test_server_new ();
  g_autofree char *other_url = mq_test_server_get_base_url (other);
  g_autofree char *location = g_strconcat (other_url, MQ_PATH_CURRENT, NULL);
  g_autofree char *message = NULL;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 302, NULL, NULL, 0);
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Location", location);
  mq_test_server_set_route_fixture (other, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_route (f->server, "/elsewhere", 200, "application/json", "{}", -1);

  message = fetch_fails (f->client, MQ_ERROR_SERVER);
  g_assert_nonnull (strstr (message, "redirect"));
  g_assert_cmpuint (mq_test_server_get_total_hits (other), ==, 0);

  /* Nor on the same host. */
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Location", "/elsewhere");
  g_free (fetch_fails (f->client, MQ_ERROR_SERVER));
  g_assert_cmpuint (mq_test_server_get_hits (f->server, "/elsewhere"), ==, 0);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 2);
}

static void
test_request_headers (Fixture       *f,
                      gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *user_agent = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *path = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  snapshot = fetch_ok (f->client);

  authorization = mq_test_server_dup_last_header (f->server, "Authorization");
  user_agent = mq_test_server_dup_last_header (f->server, "User-Agent");
  accept = mq_test_server_dup_last_header (f->server, "Accept");
  path = mq_test_server_dup_last_path (f->server);
  g_assert_cmpstr (authorization, ==, "Bearer " TEST_KEY);
  g_assert_cmpstr (user_agent, ==, "leeway/" PACKAGE_VERSION);
  g_assert_cmpstr (accept, ==, "application/json");
  g_assert_cmpstr (path, ==, MQ_PATH_CURRENT);
}

static void
test_key_replaced (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *authorization = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_client_set_api_key (f->client, "  sk-cp-other\n");
  g_assert_true (mq_client_has_api_key (f->client));
  snapshot = fetch_ok (f->client);

  authorization = mq_test_server_dup_last_header (f->server, "Authorization");
  g_assert_cmpstr (authorization, ==, "Bearer sk-cp-other");
}

static void
test_bad_key_characters (Fixture       *f,
                         gconstpointer  user_data)
{
  mq_client_set_api_key (f->client, "sk-cp-one\r\nX-Injected: yes");
  g_free (fetch_fails (f->client, MQ_ERROR_KEY_REJECTED));
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 0);
}

static void
test_no_key (Fixture       *f,
             gconstpointer  user_data)
{
  g_autofree char *message = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");

  mq_client_set_api_key (f->client, NULL);
  g_assert_false (mq_client_has_api_key (f->client));
  message = fetch_fails (f->client, MQ_ERROR_NO_KEY);
  g_assert_nonnull (strstr (message, "MINIMAX_API_KEY"));
  g_free (g_steal_pointer (&message));

  mq_client_set_api_key (f->client, "   ");
  g_assert_false (mq_client_has_api_key (f->client));
  message = fetch_fails (f->client, MQ_ERROR_NO_KEY);

  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 0);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  gint64 start;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 10000);
  g_timeout_add (100, cancel_later, cancellable);

  start = g_get_monotonic_time ();
  snapshot = fetch (f->client, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (snapshot);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 0);
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  g_cancellable_cancel (cancellable);

  snapshot = fetch (f->client, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (mq_test_server_get_total_hits (f->server), ==, 0);
}

static void
test_dispose_cancels (Fixture       *f,
                      gconstpointer  user_data)
{
  Result r = { 0 };

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 10000);

  mq_client_fetch_async (f->client, NULL, on_fetched, &r);
  while (mq_test_server_get_total_hits (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_object_run_dispose (G_OBJECT (f->client));

  wait_for (&r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
}

static void
test_concurrent_fetches (Fixture       *f,
                         gconstpointer  user_data)
{
  Result a = { 0 }, b = { 0 };

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 100);

  mq_client_fetch_async (f->client, NULL, on_fetched, &a);
  mq_client_fetch_async (f->client, NULL, on_fetched, &b);
  wait_for (&a);
  wait_for (&b);
  g_assert_nonnull (a.snapshot);
  g_assert_nonnull (b.snapshot);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 2);
  mq_snapshot_unref (a.snapshot);
  mq_snapshot_unref (b.snapshot);
}

static void
test_logs_never_show_key (Fixture       *f,
                          gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *logs = NULL;
  gboolean was_enabled = g_log_get_debug_enabled ();

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_route_fixture (f->server, MQ_PATH_LEGACY_1, 403, "cloudflare-403.html");

  captured_logs = g_string_new (NULL);
  capturing = TRUE;
  g_log_set_debug_enabled (TRUE);

  snapshot = fetch_ok (f->client);
  mq_test_server_remove_route (f->server, MQ_PATH_CURRENT);
  g_free (fetch_fails (f->client, MQ_ERROR_UNREADABLE));

  g_log_set_debug_enabled (was_enabled);
  capturing = FALSE;
  logs = g_string_free (g_steal_pointer (&captured_logs), FALSE);

  /* The logs name hosts, paths and statuses... */
  g_assert_nonnull (strstr (logs, MQ_PATH_CURRENT));
  g_assert_nonnull (strstr (logs, "HTTP 200"));
  g_assert_nonnull (strstr (logs, "127.0.0.1"));
  /* ...never the key nor anything of the bodies. */
  g_assert_null (strstr (logs, TEST_KEY));
  g_assert_null (strstr (logs, "sk-cp"));
  g_assert_null (strstr (logs, "model_remains"));
  g_assert_null (strstr (logs, "Just a moment"));
}

static void
test_base_url_validation (void)
{
  g_autoptr(MqClient) client = mq_client_new ();
  const char *good[] = {
    "https://x",
    "https://api.minimax.io",
    "https://api.minimax.io/",
    "http://127.0.0.1:1",
    "http://[::1]:1",
    "http://localhost",
  };
  const char *bad[] = {
    "http://example.com",
    "http://api.minimax.io",
    "ftp://127.0.0.1",
    "not a url",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (mq_client_set_base_url (client, good[i], &error));
      g_assert_no_error (error);
      g_assert_nonnull (mq_client_get_base_url (client));
      g_assert_false (g_str_has_suffix (mq_client_get_base_url (client), "/"));
    }

  g_assert_true (mq_client_set_base_url (client, "https://api.minimax.io/", NULL));
  g_assert_cmpstr (mq_client_get_base_url (client), ==, "https://api.minimax.io");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (mq_client_set_base_url (client, bad[i], &error));
      g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
      /* A refused URL leaves the previous one in place. */
      g_assert_cmpstr (mq_client_get_base_url (client), ==, "https://api.minimax.io");
    }

  g_assert_true (mq_client_set_base_url (client, NULL, NULL));
  g_assert_null (mq_client_get_base_url (client));
}

static void
test_defaults (void)
{
  g_autoptr(MqClient) client = mq_client_new ();

  g_assert_cmpint (mq_client_get_region (client), ==, MQ_REGION_AUTO);
  g_assert_cmpint (mq_client_get_resolved_region (client), ==, MQ_REGION_AUTO);
  g_assert_null (mq_client_get_base_url (client));
  g_assert_false (mq_client_has_api_key (client));

  /* No Retry-After comes with a fetch that sent nothing. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MqSnapshot) none = fetch (client, NULL, &error);

    g_assert_error (error, MQ_ERROR, MQ_ERROR_NO_KEY);
    g_assert_cmpuint (last_retry_after, ==, 0);
  }

  mq_client_set_region (client, MQ_REGION_CN);
  g_assert_cmpint (mq_client_get_region (client), ==, MQ_REGION_CN);
}

static void
add_fixture_tests (GPtrArray *names)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_file_get_contents (path, &contents, NULL, NULL);
      if (contents != NULL && strstr (contents, "\"model_remains\"") != NULL)
        g_ptr_array_add (names, g_strdup (name));
    }

  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >=, 5);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *test_path = g_strconcat ("/client/fixture/", (char *) names->pdata[i], NULL);

      g_test_add (test_path, Fixture, names->pdata[i], fixture_setup, test_fixture, fixture_teardown);
    }
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

/* A server that answers with something that is not HTTP at all: the
 * network works, the answer is unreadable. */
static gboolean
on_incoming_garbage (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source,
                     gpointer           user_data)
{
  static const char garbage[] = "SSH-2.0-OpenSSH_9.2 not an HTTP server\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, garbage, sizeof garbage - 1, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_not_http (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(MqClient) client = mq_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *message = NULL;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming_garbage), NULL);
  g_socket_service_start (service);

  base_url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  mq_client_set_api_key (client, TEST_KEY);
  mq_client_set_timeouts (client, 5, 10);
  g_assert_true (mq_client_set_base_url (client, base_url, &error));

  message = fetch_fails (client, MQ_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (message, "not a readable HTTP response"));
  g_socket_service_stop (service);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  /* Loopback must not go through a proxy of the machine running the tests. */
  mq_test_unset_proxies ();

  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  add_fixture_tests (names);
  g_test_add_func ("/client/errors/not-http", test_not_http);
  ADD ("/client/fixture/region-passed-to-parse", test_region_passed_to_parse, NULL);
  ADD ("/client/key/unsendable", test_unsendable_key, NULL);
  ADD ("/client/paths/legacy-fallback", test_legacy_fallback, NULL);
  ADD ("/client/paths/legacy-fallback-second", test_legacy_fallback_second, NULL);
  ADD ("/client/paths/all-missing", test_all_paths_missing, NULL);
  ADD ("/client/region/auto", test_auto_region, NULL);
  ADD ("/client/region/auto-preferred", test_auto_region_preferred, NULL);
  ADD ("/client/region/auto-both-rejected", test_auto_region_both_rejected, NULL);
  ADD ("/client/hosts/fallback-after-drop", test_host_fallback_drop, NULL);
  ADD ("/client/hosts/fallback-after-503", test_host_fallback_503, NULL);
  ADD ("/client/hosts/dead-host-skipped-on-legacy", test_dead_host_skipped_on_legacy, NULL);
  ADD ("/client/hosts/error-ranking", test_error_ranking, NULL);
  ADD ("/client/http/401", test_http_401, NULL);
  ADD ("/client/http/403-html", test_http_403_html, NULL);
  ADD ("/client/http/403-html-sniffed", test_http_403_html_sniffed, NULL);
  ADD ("/client/http/429-retry-after", test_http_429, NULL);
  ADD ("/client/http/500", test_http_500, NULL);
  ADD ("/client/http/408", test_http_408, NULL);
  ADD ("/client/http/200-html", test_html_200, NULL);
  ADD ("/client/http/302-not-followed", test_redirect_not_followed, NULL);
  ADD ("/client/api/1004", test_api_key_rejected, "error-1004-no-key.json");
  ADD ("/client/api/2049", test_api_key_rejected, "error-2049-invalid-key.json");
  ADD ("/client/api/1002-rate-limited", test_api_rate_limited, NULL);
  ADD ("/client/api/2062-no-plan", test_api_no_plan, NULL);
  ADD ("/client/body/truncated-json", test_truncated_json, NULL);
  ADD ("/client/body/too-large-content-length", test_body_too_large, GINT_TO_POINTER (FALSE));
  ADD ("/client/body/too-large-chunked", test_body_too_large, GINT_TO_POINTER (TRUE));
  ADD ("/client/body/at-cap", test_body_at_cap, NULL);
  ADD ("/client/network/dropped", test_dropped_connection, NULL);
  ADD ("/client/network/truncated-body", test_truncated_body, NULL);
  ADD ("/client/network/unreachable", test_unreachable, NULL);
  ADD ("/client/timeout/total", test_total_timeout, GINT_TO_POINTER (FALSE));
  ADD ("/client/timeout/io", test_total_timeout, GINT_TO_POINTER (TRUE));
  ADD ("/client/timeout/slow-but-in-time", test_slow_but_in_time, NULL);
  ADD ("/client/request/headers", test_request_headers, NULL);
  ADD ("/client/request/key-replaced", test_key_replaced, NULL);
  ADD ("/client/request/bad-key-characters", test_bad_key_characters, NULL);
  ADD ("/client/request/no-key", test_no_key, NULL);
  ADD ("/client/request/concurrent", test_concurrent_fetches, NULL);
  ADD ("/client/request/logs-never-show-key", test_logs_never_show_key, NULL);
  ADD ("/client/cancel/during", test_cancel, NULL);
  ADD ("/client/cancel/before", test_cancel_before, NULL);
  ADD ("/client/cancel/dispose", test_dispose_cancels, NULL);
  g_test_add_func ("/client/base-url/validation", test_base_url_validation);
  g_test_add_func ("/client/defaults", test_defaults);

  return g_test_run ();
}
