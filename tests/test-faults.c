/* test-faults.c: the applet's logic through hostile and broken answers
 *
 * The production MqClient and MqPoller, and the tray's words from
 * mq_view_build(), against the in-process MqTestServer with a fault
 * injected (mq_test_server_set_fault()): a stall after the headers, half a
 * body, 50 MB with and without Content-Length, a redirect to another host,
 * invalid UTF-8, 10,000-deep nesting, 429 with Retry-After, and good and
 * bad answers in turn; also a body that drips a byte at a time, header
 * lines without end and a gzip bomb. Every case starts from a good fetch and checks that
 * the last good snapshot is kept, the error code is the right one, the view
 * marks the numbers stale with the right cause, the caps hold, and the
 * next good answer clears it all. GIO only, no GTK.
 */
#include "config.h"

#include <string.h>

#include "mq-client.h"
#include "mq-error.h"
#include "mq-poller.h"
#include "mq-test-server.h"
#include "mq-test-util.h"
#include "mq-view.h"

/* A made-up key in the shape of a Token Plan key. */
#define TEST_KEY     "sk-cp-FAULTS-0123456789abcdef0123456789"
#define GOOD_FIXTURE "token-plan-plus-video-not-in-plan.json"  /* text lane 63% */
#define WATCHDOG_S   30
#define MIB          (1024 * 1024)

typedef struct {
  MqTestServer *server;
  MqTestServer *other;      /* another host: a redirect target */
  char         *base_url;
  MqClient     *client;
  MqPoller     *poller;
  guint         finished;   /* fetches that ended ("changed" while idle) */
  gboolean      started;
  gint64        skip_ms;    /* the poller's and the view's clock run this far ahead */
} Fixture;

/* Real time, moved an hour ahead at every click (refresh_later()): each
 * refresh is past the poller's floors (5 s between clicks, Retry-After). */
static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return g_get_real_time () / 1000 + f->skip_ms;
}

static void
refresh_later (Fixture *f)
{
  f->skip_ms += G_GINT64_CONSTANT (3601000);
  mq_poller_refresh (f->poller);
}

static void
on_changed (MqPoller *poller,
            Fixture  *f)
{
  if (!mq_poller_get_busy (poller))
    f->finished++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  f->server = mq_test_server_new ();
  f->other = mq_test_server_new ();
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, GOOD_FIXTURE);
  mq_test_server_set_route_fixture (f->other, MQ_PATH_CURRENT, 200, GOOD_FIXTURE);
  f->base_url = mq_test_server_get_base_url (f->server);

  f->client = mq_client_new ();
  mq_client_set_api_key (f->client, TEST_KEY);
  mq_client_set_region (f->client, MQ_REGION_GLOBAL);
  g_assert_true (mq_client_set_base_url (f->client, f->base_url, &error));
  g_assert_no_error (error);

  f->poller = mq_poller_new (f->client);
  /* One scheduled fetch at most: every fetch here is a refresh. */
  mq_poller_set_interval (f->poller, 3600);
  mq_poller_set_clock_for_testing (f->poller, fixture_clock, f);
  g_signal_connect (f->poller, "changed", G_CALLBACK (on_changed), f);
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  g_assert_finalize_object (f->poller);

  /* A fetch cancelled by dispose still holds the client until its task
   * returns on the main loop. */
  mq_test_unref_and_wait (&f->client, WATCHDOG_S);

  mq_test_server_free (f->server);
  mq_test_server_free (f->other);
  g_free (f->base_url);
}

static gboolean
watchdog (gpointer user_data)
{
  g_error ("%s did not happen within %d seconds", (const char *) user_data, WATCHDOG_S);
  return G_SOURCE_REMOVE;
}

/* Starts (first time) or refreshes the poller and waits for the fetch to
 * end; returns how long it took, in seconds. */
static double
fetch (Fixture *f)
{
  guint target = f->finished + 1;
  guint id = g_timeout_add_seconds (WATCHDOG_S, watchdog, (gpointer) "the fetch");
  gint64 start = g_get_monotonic_time ();

  if (!f->started)
    {
      f->started = TRUE;
      mq_poller_start (f->poller);
    }
  else
    {
      refresh_later (f);
    }
  g_assert_true (mq_poller_get_busy (f->poller));

  while (f->finished < target)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Iterates the main context until @done (a flag of the caller's) or
 * @seconds pass; returns @done. */
static gboolean
iterate_for (const guint *value,
             guint        wanted,
             double       seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add ((guint) (seconds * 1000), set_flag, &timed_out);

  while (*value != wanted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  return *value == wanted;
}

static MqView *
build_view (Fixture *f)
{
  MqViewInput input = { 0 };

  input.snapshot = mq_poller_get_snapshot (f->poller);
  input.error = mq_poller_get_error (f->poller);
  input.has_key = mq_client_has_api_key (f->client);
  input.busy = mq_poller_get_busy (f->poller);
  input.now_ms = fixture_clock (f);
  input.last_success_ms = mq_poller_get_last_success_ms (f->poller);
  input.thresholds.low = MQ_THRESHOLD_LOW_DEFAULT;
  input.thresholds.critical = MQ_THRESHOLD_CRITICAL_DEFAULT;
  input.region = MQ_REGION_GLOBAL;

  return mq_view_build (&input);
}

/* The state after a good answer: fresh numbers, no error, no stale mark. */
static MqSnapshot *
assert_good (Fixture *f)
{
  g_autoptr(MqView) view = build_view (f);
  MqSnapshot *snapshot = mq_poller_get_snapshot (f->poller);

  g_assert_nonnull (snapshot);
  g_assert_no_error ((GError *) mq_poller_get_error (f->poller));
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 0);

  g_assert_cmpstr (mq_view_get_label (view), ==, "63%");
  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_PERCENT);
  g_assert_cmpint (mq_view_get_icon (view)->percent, ==, 63);
  g_assert_false (mq_view_get_icon (view)->stale);
  g_assert_true (g_str_has_prefix (mq_view_get_status (view), "Updated "));
  g_assert_null (strstr (mq_view_get_title (view), "showing data from"));
  g_assert_nonnull (strstr (mq_view_get_title (view), "63%"));

  return snapshot;
}

/* The state after a failed answer: the error is @code (its message
 * contains @needle when not NULL), the snapshot is still @last_good, and
 * the view shows its numbers marked stale with @cause. */
static void
assert_stale (Fixture    *f,
              MqSnapshot *last_good,
              MqError     code,
              const char *needle,
              const char *cause)
{
  g_autoptr(MqView) view = build_view (f);
  const GError *error = mq_poller_get_error (f->poller);
  g_autofree char *status_prefix = g_strconcat (cause, " — showing data from ", NULL);
  g_autofree char *title_suffix = NULL;

  g_assert_error ((GError *) error, MQ_ERROR, (gint) code);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("the message \"%s\" does not mention \"%s\"", error->message, needle);
  /* The key is in no message. */
  g_assert_null (strstr (error->message, TEST_KEY + 6));

  g_assert_true (mq_poller_get_snapshot (f->poller) == last_good);
  g_assert_false (mq_poller_get_busy (f->poller));

  g_assert_cmpstr (mq_view_get_label (view), ==, "63%");
  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_PERCENT);
  g_assert_cmpint (mq_view_get_icon (view)->percent, ==, 63);
  g_assert_true (mq_view_get_icon (view)->stale);
  if (!g_str_has_prefix (mq_view_get_status (view), status_prefix))
    g_error ("status \"%s\", wanted \"%s…\"", mq_view_get_status (view), status_prefix);
  title_suffix = g_strconcat (" · ", mq_view_get_status (view), NULL);
  g_assert_true (g_str_has_suffix (mq_view_get_title (view), title_suffix));
  g_assert_nonnull (strstr (mq_view_get_title (view), "63%"));
  /* The model rows stay. */
  g_assert_cmpuint (mq_view_get_n_rows (view), >, 0);
}

/* A good fetch, the fault, a fetch that fails as told, then the good
 * answer again. Returns the failed fetch's duration. */
static double
run_fault (Fixture     *f,
           MqTestFault  fault,
           const char  *argument,
           MqError      code,
           const char  *needle,
           const char  *cause)
{
  MqSnapshot *good;
  double seconds;

  fetch (f);
  good = assert_good (f);

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, fault, argument);
  seconds = fetch (f);
  g_test_message ("%s: %s in %.3f s", mq_test_fault_to_string (fault),
                  mq_poller_get_error (f->poller) != NULL ? mq_poller_get_error (f->poller)->message : "no error",
                  seconds);
  assert_stale (f, good, code, needle, cause);
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 1);

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_NONE, NULL);
  fetch (f);
  g_assert_true (assert_good (f) != good);

  return seconds;
}

/* ---- The faults ----------------------------------------------------------- */

/* Headers, then nothing: the total deadline ends the fetch, and the client
 * lets go of the connection. */
static void
test_stall (Fixture       *f,
            gconstpointer  user_data)
{
  double seconds;

  mq_client_set_timeouts (f->client, 10, 1);

  seconds = run_fault (f, MQ_TEST_FAULT_STALL, NULL, MQ_ERROR_TIMEOUT,
                       "did not answer within 1 second", "MiniMax did not answer in time");
  g_assert_cmpfloat (seconds, >=, 0.9);
  g_assert_cmpfloat (seconds, <, 5.0);

  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 3);
}

/* The same stall under the I/O timeout (the connect timeout, which
 * libsoup applies to every read) rather than the total deadline. */
static void
test_stall_read_timeout (Fixture       *f,
                         gconstpointer  user_data)
{
  double seconds;

  mq_client_set_timeouts (f->client, 1, 20);

  seconds = run_fault (f, MQ_TEST_FAULT_STALL, NULL, MQ_ERROR_TIMEOUT,
                       "did not answer within 1 second", "MiniMax did not answer in time");
  g_assert_cmpfloat (seconds, >=, 0.9);
  g_assert_cmpfloat (seconds, <, 5.0);
}

/* A byte every 100 ms: every read succeeds, so only the deadline on the
 * whole fetch can end it. */
static void
test_drip (Fixture       *f,
           gconstpointer  user_data)
{
  double seconds;

  mq_client_set_timeouts (f->client, 10, 1);

  seconds = run_fault (f, MQ_TEST_FAULT_DRIP, NULL, MQ_ERROR_TIMEOUT,
                       "did not answer within 1 second", "MiniMax did not answer in time");
  g_assert_cmpfloat (seconds, >=, 0.9);
  g_assert_cmpfloat (seconds, <, 5.0);
  /* It was dripping, not stalled: bytes went out during that second. */
  g_assert_cmpuint (mq_test_server_get_bytes_streamed (f->server, MQ_PATH_CURRENT), >=, 5 * 6);
}

/* Header lines without end: libsoup's own limit on the head refuses them
 * long before 50 MB, and the memory stays put. */
static void
test_huge_headers (Fixture       *f,
                   gconstpointer  user_data)
{
  guint64 sent;
  double seconds;

  seconds = run_fault (f, MQ_TEST_FAULT_HUGE_HEADERS, NULL, MQ_ERROR_NETWORK,
                       NULL, "Offline");
  sent = mq_test_server_get_bytes_streamed (f->server, MQ_PATH_CURRENT);
  g_test_message ("huge headers: %" G_GUINT64_FORMAT " bytes sent before the client closed, "
                  "%.3f s", sent, seconds);
  g_assert_cmpuint (sent, <, MQ_TEST_FAULT_HUGE_SIZE);
  g_assert_cmpfloat (seconds, <, 5.0);
}

/* 50 KB of gzip that inflate to 50 MB: the cap counts what the client
 * reads after decoding, so the Content-Length (small) is no way around it. */
static void
test_gzip_bomb (Fixture       *f,
                gconstpointer  user_data)
{
  double seconds;

  seconds = run_fault (f, MQ_TEST_FAULT_GZIP_BOMB, NULL, MQ_ERROR_UNREADABLE,
                       "too large", "Unreadable answer");
  g_assert_cmpfloat (seconds, <, 5.0);
}

static guint held_connections;

static gboolean
poll_held (gpointer user_data)
{
  held_connections = mq_test_server_get_held_connections (user_data);
  return G_SOURCE_CONTINUE;
}

/* While a stall holds the connection, the poller is busy and the view
 * still shows the last numbers, not stale yet; after the deadline the
 * server sees the connection closed. */
static void
test_stall_connection_released (Fixture       *f,
                                gconstpointer  user_data)
{
  g_autoptr(MqView) busy_view = NULL;
  MqSnapshot *good;
  guint target;
  guint id;

  mq_client_set_timeouts (f->client, 10, 1);
  fetch (f);
  good = assert_good (f);

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_STALL, NULL);
  target = f->finished + 1;
  refresh_later (f);

  held_connections = 0;
  id = g_timeout_add (10, poll_held, f->server);
  g_assert_true (iterate_for (&held_connections, 1, 5.0));

  busy_view = build_view (f);
  g_assert_true (mq_poller_get_busy (f->poller));
  g_assert_cmpstr (mq_view_get_label (busy_view), ==, "63%");
  g_assert_false (mq_view_get_icon (busy_view)->stale);
  g_assert_nonnull (strstr (mq_view_get_status (busy_view), "refreshing"));

  g_assert_true (iterate_for (&f->finished, target, 5.0));
  assert_stale (f, good, MQ_ERROR_TIMEOUT, NULL, "MiniMax did not answer in time");

  /* The client hung up: nothing is left open on the server. */
  g_assert_true (iterate_for (&held_connections, 0, 5.0));
  g_source_remove (id);
}

static void
test_half_body (Fixture       *f,
                gconstpointer  user_data)
{
  run_fault (f, MQ_TEST_FAULT_HALF_BODY, NULL, MQ_ERROR_NETWORK,
             "broke off", "Offline");
}

/* The most that may be in flight beyond what the client read: our send
 * buffer (asked for 64 KiB; Linux doubles it) and the client's receive
 * buffer, which Linux grows on its own up to tcp_rmem's maximum. */
static guint64
kernel_buffers (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  guint64 rmem_max = 6 * MIB;

  if (g_file_get_contents ("/proc/sys/net/ipv4/tcp_rmem", &text, NULL, NULL))
    {
      fields = g_strsplit_set (g_strstrip (text), " \t", -1);
      if (g_strv_length (fields) == 3)
        g_ascii_string_to_unsigned (fields[2], 10, 0, G_MAXUINT32, &rmem_max, NULL);
    }

  return 2 * 64 * 1024 + rmem_max;
}

/* 50 MB streamed with chunked encoding: no Content-Length to refuse, so
 * the client reads up to its cap, stops, and closes. */
static void
test_huge_chunked (Fixture       *f,
                   gconstpointer  user_data)
{
  guint64 sent;
  double seconds;

  seconds = run_fault (f, MQ_TEST_FAULT_HUGE_CHUNKED, NULL, MQ_ERROR_UNREADABLE,
                       "too large", "Unreadable answer");
  sent = mq_test_server_get_bytes_streamed (f->server, MQ_PATH_CURRENT);
  g_test_message ("huge, chunked: %" G_GUINT64_FORMAT " bytes sent before the client "
                  "closed (cap %d, kernel buffers up to %" G_GUINT64_FORMAT "), %.3f s",
                  sent, MQ_CLIENT_DEFAULT_MAX_BODY, kernel_buffers (), seconds);

  /* The client read up to the cap (so the server sent at least that)... */
  g_assert_cmpuint (sent, >=, MQ_CLIENT_DEFAULT_MAX_BODY);
  /* ... and no more than one read chunk past it, give or take what sat
   * in the kernel's buffers when it closed. */
  g_assert_cmpuint (sent, <=, MQ_CLIENT_DEFAULT_MAX_BODY + 64 * 1024 + kernel_buffers ());
  /* Whatever the buffers: the client never took the whole body. */
  g_assert_cmpuint (sent, <, MQ_TEST_FAULT_HUGE_SIZE);
  g_assert_cmpfloat (seconds, <, 5.0);
}

/* 50 MB announced by Content-Length: refused on the headers, before any
 * of the body is read. */
static void
test_huge_length (Fixture       *f,
                  gconstpointer  user_data)
{
  guint64 sent;
  double seconds;

  seconds = run_fault (f, MQ_TEST_FAULT_HUGE_LENGTH, NULL, MQ_ERROR_UNREADABLE,
                       "too large", "Unreadable answer");
  sent = mq_test_server_get_bytes_streamed (f->server, MQ_PATH_CURRENT);
  g_test_message ("huge, Content-Length: %" G_GUINT64_FORMAT " bytes sent before the "
                  "client closed, %.3f s", sent, seconds);

  /* Only what the kernel buffers took before the client closed. */
  g_assert_cmpuint (sent, <=, 64 * 1024 + kernel_buffers ());
  g_assert_cmpfloat (seconds, <, 5.0);
}

/* A redirect to another host is never followed: the key stays here. */
static void
test_redirect (Fixture       *f,
               gconstpointer  user_data)
{
  g_autofree char *other_url = mq_test_server_get_base_url (f->other);
  g_autofree char *location = g_strconcat (other_url, MQ_PATH_CURRENT, NULL);

  run_fault (f, MQ_TEST_FAULT_REDIRECT, location, MQ_ERROR_SERVER,
             "redirect", "MiniMax server error");
  g_assert_cmpuint (mq_test_server_get_total_hits (f->other), ==, 0);
}

/* The same with an absolute path on the same host: not followed either. */
static void
test_redirect_same_host (Fixture       *f,
                         gconstpointer  user_data)
{
  mq_test_server_set_route_fixture (f->server, "/elsewhere", 200, GOOD_FIXTURE);
  run_fault (f, MQ_TEST_FAULT_REDIRECT, "/elsewhere", MQ_ERROR_SERVER,
             "redirect", "MiniMax server error");
  g_assert_cmpuint (mq_test_server_get_hits (f->server, "/elsewhere"), ==, 0);
}

static void
test_invalid_utf8 (Fixture       *f,
                   gconstpointer  user_data)
{
  run_fault (f, MQ_TEST_FAULT_INVALID_UTF8, NULL, MQ_ERROR_UNREADABLE,
             "UTF-8", "Unreadable answer");
}

static void
test_deep_nesting (Fixture       *f,
                   gconstpointer  user_data)
{
  run_fault (f, MQ_TEST_FAULT_DEEP_NESTING, NULL, MQ_ERROR_UNREADABLE,
             "nested too deeply", "Unreadable answer");
}

static void
on_client_fetched (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  guint *retry_after = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;

  snapshot = mq_client_fetch_finish_full (MQ_CLIENT (source), result, retry_after, &error);
  g_assert_null (snapshot);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED);
}

/* A fetch by the client alone: the Retry-After that came with its result. */
static guint
client_retry_after (Fixture *f)
{
  guint retry_after = G_MAXUINT;
  guint id = g_timeout_add_seconds (WATCHDOG_S, watchdog, (gpointer) "the client fetch");

  mq_client_fetch_async (f->client, NULL, on_client_fetched, &retry_after);
  while (retry_after == G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  return retry_after;
}

/* 429 with Retry-After: the poller waits at least that long, and the
 * legacy paths are not tried (the server asked to wait). */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  user_data)
{
  MqSnapshot *good;

  fetch (f);
  good = assert_good (f);

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_RATE_LIMITED, "600");
  fetch (f);
  assert_stale (f, good, MQ_ERROR_RATE_LIMITED, "600 seconds", "Rate limited");
  g_assert_cmpuint (client_retry_after (f), ==, 600);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), >=, 600 * 1000);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_1), ==, 0);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_LEGACY_2), ==, 0);

  /* The default of the fault (120 s) is honoured as well. */
  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_RATE_LIMITED, NULL);
  fetch (f);
  assert_stale (f, good, MQ_ERROR_RATE_LIMITED, "120 seconds", "Rate limited");
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), >=, 120 * 1000);

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_NONE, NULL);
  fetch (f);
  assert_good (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), >, 600 * 1000);
}

/* Good, bad, good, bad...: the state follows every answer, and each good
 * one brings fresh data back. */
static void
test_alternate (Fixture       *f,
                gconstpointer  user_data)
{
  MqSnapshot *previous = NULL;

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_ALTERNATE, NULL);

  for (guint round = 0; round < 8; round++)
    {
      fetch (f);

      if (round % 2 == 0)
        {
          MqSnapshot *snapshot = assert_good (f);

          g_assert_true (snapshot != previous);
          previous = snapshot;
        }
      else
        {
          assert_stale (f, previous, MQ_ERROR_SERVER, "HTTP 500", "MiniMax server error");
          g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 1);
        }
    }

  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 8);
}

/* Every fault once more, in a row, without a good answer between them:
 * the first good snapshot survives them all. */
static void
test_all_in_a_row (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autofree char *other_url = mq_test_server_get_base_url (f->other);
  g_autofree char *location = g_strconcat (other_url, MQ_PATH_CURRENT, NULL);
  static const struct {
    MqTestFault fault;
    MqError     code;
    const char *cause;
  } faults[] = {
    { MQ_TEST_FAULT_STALL, MQ_ERROR_TIMEOUT, "MiniMax did not answer in time" },
    { MQ_TEST_FAULT_HALF_BODY, MQ_ERROR_NETWORK, "Offline" },
    { MQ_TEST_FAULT_HUGE_CHUNKED, MQ_ERROR_UNREADABLE, "Unreadable answer" },
    { MQ_TEST_FAULT_HUGE_LENGTH, MQ_ERROR_UNREADABLE, "Unreadable answer" },
    { MQ_TEST_FAULT_REDIRECT, MQ_ERROR_SERVER, "MiniMax server error" },
    { MQ_TEST_FAULT_INVALID_UTF8, MQ_ERROR_UNREADABLE, "Unreadable answer" },
    { MQ_TEST_FAULT_DEEP_NESTING, MQ_ERROR_UNREADABLE, "Unreadable answer" },
    { MQ_TEST_FAULT_RATE_LIMITED, MQ_ERROR_RATE_LIMITED, "Rate limited" },
    { MQ_TEST_FAULT_DRIP, MQ_ERROR_TIMEOUT, "MiniMax did not answer in time" },
    { MQ_TEST_FAULT_HUGE_HEADERS, MQ_ERROR_NETWORK, "Offline" },
    { MQ_TEST_FAULT_GZIP_BOMB, MQ_ERROR_UNREADABLE, "Unreadable answer" },
  };
  MqSnapshot *good;

  mq_client_set_timeouts (f->client, 10, 1);
  fetch (f);
  good = assert_good (f);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, faults[i].fault,
                                faults[i].fault == MQ_TEST_FAULT_REDIRECT ? location : NULL);
      fetch (f);
      assert_stale (f, good, faults[i].code, NULL, faults[i].cause);
      g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, i + 1);
    }

  g_assert_cmpuint (mq_test_server_get_total_hits (f->other), ==, 0);

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_NONE, NULL);
  fetch (f);
  g_assert_true (assert_good (f) != good);
}

/* ---- Memory ------------------------------------------------------------------ */

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  g_autofree char *digits = NULL;
  const char *line;
  guint64 kib = 0;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);
  line += strlen ("\nVmRSS:");
  while (*line == ' ' || *line == '\t')
    line++;
  digits = g_strndup (line, strspn (line, "0123456789"));
  g_assert_true (g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT64, &kib, NULL));

  return (gsize) kib;
}

/* 50 rounds of the 50 MB fault (chunked and Content-Length in turn) leave
 * the process no bigger than a few MiB over where it stood after the
 * first rounds, and the first good snapshot is still there. */
static void
test_huge_rss (Fixture       *f,
               gconstpointer  user_data)
{
  MqSnapshot *good;
  gsize before, after;
  gint64 start;

  fetch (f);
  good = assert_good (f);

  /* Warm up: the allocator and libsoup reach their working size. */
  for (guint round = 0; round < 4; round++)
    {
      mq_test_server_set_fault (f->server, MQ_PATH_CURRENT,
                                round % 2 == 0 ? MQ_TEST_FAULT_HUGE_CHUNKED : MQ_TEST_FAULT_HUGE_LENGTH,
                                NULL);
      fetch (f);
    }
  before = rss_kib ();
  start = g_get_monotonic_time ();

  for (guint round = 0; round < 50; round++)
    {
      mq_test_server_set_fault (f->server, MQ_PATH_CURRENT,
                                round % 2 == 0 ? MQ_TEST_FAULT_HUGE_CHUNKED : MQ_TEST_FAULT_HUGE_LENGTH,
                                NULL);
      fetch (f);
      g_assert_error ((GError *) mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_UNREADABLE);
      g_assert_true (mq_poller_get_snapshot (f->poller) == good);
    }

  after = rss_kib ();
  g_test_message ("VmRSS %" G_GSIZE_FORMAT " KiB before, %" G_GSIZE_FORMAT " KiB after 50 rounds "
                  "of 50 MB (%.2f s); %" G_GUINT64_FORMAT " bytes streamed in all",
                  before, after, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  mq_test_server_get_bytes_streamed (f->server, MQ_PATH_CURRENT));
  /* AddressSanitizer keeps freed memory in quarantine: the RSS says nothing
   * about leaks there (LeakSanitizer does that job). */
  if (!MQ_TEST_UNDER_ASAN)
    g_assert_cmpuint (after, <=, before + 4 * 1024);

  mq_test_server_set_fault (f->server, MQ_PATH_CURRENT, MQ_TEST_FAULT_NONE, NULL);
  fetch (f);
  assert_good (f);
}

/* ---- The fault specs of mq-fake-server ---------------------------------------- */

static void
test_fault_parse (void)
{
  static const char * const names[] = {
    "none", "stall", "half-body", "huge", "huge-length", "invalid-utf8",
    "deep-nesting", "rate-limited", "alternate", "drip", "huge-headers", "gzip-bomb",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *argument = NULL;
  MqTestFault fault;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (mq_test_fault_parse (names[i], &fault, &argument, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (mq_test_fault_to_string (fault), ==, names[i]);
      g_assert_null (argument);
    }

  g_assert_true (mq_test_fault_parse ("redirect=http://127.0.0.1:9/x", &fault, &argument, &error));
  g_assert_cmpint (fault, ==, MQ_TEST_FAULT_REDIRECT);
  g_assert_cmpstr (argument, ==, "http://127.0.0.1:9/x");
  g_clear_pointer (&argument, g_free);

  g_assert_true (mq_test_fault_parse ("rate-limited=30", &fault, &argument, &error));
  g_assert_cmpint (fault, ==, MQ_TEST_FAULT_RATE_LIMITED);
  g_assert_cmpstr (argument, ==, "30");
  g_clear_pointer (&argument, g_free);

  g_assert_false (mq_test_fault_parse ("redirect", &fault, &argument, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (mq_test_fault_parse ("huge=lots", &fault, &argument, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (mq_test_fault_parse ("meltdown", &fault, &argument, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_assert_null (argument);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  /* No system bus (no resume signals), and a network that is always up:
   * nothing outside the test starts a fetch. */
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/mq-test-faults", TRUE);
  g_setenv ("GIO_USE_NETWORK_MONITOR", "base", TRUE);
  /* Loopback never goes through a proxy of the machine running the tests. */
  mq_test_unset_proxies ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/faults/parse", test_fault_parse);
  ADD ("/faults/stall", test_stall);
  ADD ("/faults/stall/read-timeout", test_stall_read_timeout);
  ADD ("/faults/stall/connection-released", test_stall_connection_released);
  ADD ("/faults/half-body", test_half_body);
  ADD ("/faults/drip", test_drip);
  ADD ("/faults/huge/headers", test_huge_headers);
  ADD ("/faults/huge/gzip-bomb", test_gzip_bomb);
  ADD ("/faults/huge/chunked", test_huge_chunked);
  ADD ("/faults/huge/content-length", test_huge_length);
  ADD ("/faults/huge/rss", test_huge_rss);
  ADD ("/faults/redirect/other-host", test_redirect);
  ADD ("/faults/redirect/same-host", test_redirect_same_host);
  ADD ("/faults/invalid-utf8", test_invalid_utf8);
  ADD ("/faults/deep-nesting", test_deep_nesting);
  ADD ("/faults/rate-limited", test_rate_limited);
  ADD ("/faults/alternate", test_alternate);
  ADD ("/faults/all-in-a-row", test_all_in_a_row);

  return g_test_run ();
}
