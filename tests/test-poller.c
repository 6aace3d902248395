/* test-poller.c: MqPoller driving the production MqClient against a
 * loopback SoupServer, on a private D-Bus "system bus" (logind's resume
 * signal) and with a GNetworkMonitor the test switches on and off.
 *
 * The clock is injected (schedule decisions are exact); where a timer has
 * to fire for real, its length is scaled down, never slept on.
 */
#include "config.h"

#include <string.h>

#include "mq-client.h"
#include "mq-error.h"
#include "mq-poller.h"
#include "mq-test-server.h"
#include "mq-test-util.h"

#define TEST_KEY   "sk-cp-test-0123456789abcdef"
#define WATCHDOG_S 20

/* From the fixtures: the general row of current-percent-plan.json resets
 * at GENERAL_END_MS, the row of exhausted-interval.json at EXHAUSTED_END_MS. */
#define GENERAL_END_MS   G_GINT64_CONSTANT (1785182400000)
#define EXHAUSTED_END_MS G_GINT64_CONSTANT (1782057600000)

#define S(x) ((gint64) (x) * 1000)

/* ---- A network monitor the test controls ------------------------------ */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  PROP_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_object_notify (G_OBJECT (self), "connectivity");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* ---- Fixture ------------------------------------------------------------ */

typedef struct {
  MqTestServer *server;
  char         *base_url;
  MqClient     *client;
  TestMonitor  *monitor;
  MqPoller     *poller;
  gint64        clock_ms;
  guint         n_changed;
  guint         n_updated;
  GString      *events;       /* "B" changed while busy, "I" changed idle, "U" updated */
  MqSnapshot   *last_updated;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->clock_ms;
}

static void
on_changed (MqPoller *poller,
            Fixture  *f)
{
  f->n_changed++;
  g_string_append_c (f->events, mq_poller_get_busy (poller) ? 'B' : 'I');
}

static void
on_updated (MqPoller   *poller,
            MqSnapshot *snapshot,
            Fixture    *f)
{
  g_assert_nonnull (snapshot);
  g_assert_true (snapshot == mq_poller_get_snapshot (poller));
  g_assert_false (mq_poller_get_busy (poller));
  g_assert_null (mq_poller_get_error (poller));

  f->n_updated++;
  g_string_append_c (f->events, 'U');
  g_clear_pointer (&f->last_updated, mq_snapshot_unref);
  f->last_updated = mq_snapshot_ref (snapshot);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  f->server = mq_test_server_new ();
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  f->base_url = mq_test_server_get_base_url (f->server);

  f->client = mq_client_new ();
  mq_client_set_api_key (f->client, TEST_KEY);
  mq_client_set_region (f->client, MQ_REGION_GLOBAL);
  mq_client_set_timeouts (f->client, 5, 10);
  g_assert_true (mq_client_set_base_url (f->client, f->base_url, &error));
  g_assert_no_error (error);

  /* Now: after every reset in the fixtures. */
  f->clock_ms = g_get_real_time () / 1000;
  f->events = g_string_new (NULL);
  f->monitor = g_object_new (TEST_TYPE_MONITOR, NULL);

  f->poller = mq_poller_new (f->client);
  mq_poller_set_clock_for_testing (f->poller, fixture_clock, f);
  mq_poller_set_network_monitor (f->poller, G_NETWORK_MONITOR (f->monitor));
  g_signal_connect (f->poller, "changed", G_CALLBACK (on_changed), f);
  g_signal_connect (f->poller, "updated", G_CALLBACK (on_updated), f);
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds (a timeout source, not a sleep). */
static void
spin_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  user_data)
{
  g_assert_finalize_object (f->poller);

  /* A fetch cancelled by dispose still holds the client until its task
   * returns on the main loop. */
  mq_test_unref_and_wait (&f->client, WATCHDOG_S);

  g_assert_finalize_object (f->monitor);
  mq_test_server_free (f->server);
  g_free (f->base_url);
  g_string_free (f->events, TRUE);
  g_clear_pointer (&f->last_updated, mq_snapshot_unref);
}

static gboolean
watchdog (gpointer user_data)
{
  g_error ("the poller did not get there within %d seconds", WATCHDOG_S);
  return G_SOURCE_REMOVE;
}

static void
wait_idle (Fixture *f)
{
  guint id = g_timeout_add_seconds (WATCHDOG_S, watchdog, NULL);

  while (mq_poller_get_busy (f->poller))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
wait_updated (Fixture *f,
              guint    n_updated)
{
  guint id = g_timeout_add_seconds (WATCHDOG_S, watchdog, NULL);

  while (f->n_updated < n_updated)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
wait_hits (Fixture *f,
           guint    hits)
{
  guint id = g_timeout_add_seconds (WATCHDOG_S, watchdog, NULL);

  while (mq_test_server_get_total_hits (f->server) < hits)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static guint
hits (Fixture *f)
{
  return mq_test_server_get_total_hits (f->server);
}

/* A body whose general row has @interval_percent left in its 5 h window. */
static void
serve_general_percent (Fixture *f,
                       int      interval_percent)
{
  g_autofree char *body =
    g_strdup_printf ("{\"model_remains\":[{\"start_time\":1785164400000,\"end_time\":1785182400000,"
                     "\"remains_time\":1877492,\"current_interval_total_count\":0,"
                     "\"current_interval_usage_count\":0,\"model_name\":\"general\","
                     "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
                     "\"weekly_start_time\":1785110400000,\"weekly_end_time\":1785715200000,"
                     "\"weekly_remains_time\":534677492,\"current_interval_status\":1,"
                     "\"current_interval_remaining_percent\":%d,\"current_weekly_status\":1,"
                     "\"current_weekly_remaining_percent\":80}],"
                     "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
                     interval_percent);

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 200, "application/json", body, -1);
}

/* ---- Tests --------------------------------------------------------------- */

static void
test_first_fetch_on_start (Fixture       *f,
                           gconstpointer  user_data)
{
  const MqModel *general;

  g_assert_false (mq_poller_get_busy (f->poller));
  g_assert_null (mq_poller_get_snapshot (f->poller));
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, -1);
  g_assert_cmpint (mq_poller_get_last_success_ms (f->poller), ==, 0);

  mq_poller_start (f->poller);
  g_assert_true (mq_poller_get_busy (f->poller));
  g_assert_cmpuint (f->n_changed, ==, 1);
  /* No timer while a fetch is in flight. */
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, -1);

  wait_idle (f);

  g_assert_cmpuint (hits (f), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (f->server, MQ_PATH_CURRENT), ==, 1);
  g_assert_cmpstr (f->events->str, ==, "BIU");
  g_assert_nonnull (mq_poller_get_snapshot (f->poller));
  g_assert_true (f->last_updated == mq_poller_get_snapshot (f->poller));
  g_assert_null (mq_poller_get_error (f->poller));
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 0);
  g_assert_cmpint (mq_poller_get_last_success_ms (f->poller), ==, f->clock_ms);

  general = mq_snapshot_find_model (mq_poller_get_snapshot (f->poller), "general");
  g_assert_nonnull (general);
  g_assert_cmpfloat (general->interval.remaining_percent, ==, 99.0);

  /* The default interval, 3 minutes. */
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (180));

  /* Starting again does not fetch again. */
  mq_poller_start (f->poller);
  g_assert_false (mq_poller_get_busy (f->poller));
  spin_ms (50);
  g_assert_cmpuint (hits (f), ==, 1);
}

static void
test_refresh_joins_in_flight (Fixture       *f,
                              gconstpointer  user_data)
{
  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 300);

  mq_poller_start (f->poller);
  wait_hits (f, 1);
  g_assert_true (mq_poller_get_busy (f->poller));

  /* "Refresh now" clicked three times while the request is out. */
  mq_poller_refresh (f->poller);
  mq_poller_refresh (f->poller);
  spin_ms (50);
  mq_poller_refresh (f->poller);
  g_assert_true (mq_poller_get_busy (f->poller));

  wait_idle (f);
  spin_ms (350);

  g_assert_cmpuint (hits (f), ==, 1);
  g_assert_cmpuint (f->n_updated, ==, 1);
  g_assert_cmpuint (f->n_changed, ==, 2);
  g_assert_cmpstr (f->events->str, ==, "BIU");

  /* Once idle, a refresh is a new request. */
  mq_poller_refresh (f->poller);
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_cmpstr (f->events->str, ==, "BIUBIU");
}

static void
test_refresh_before_start (Fixture       *f,
                           gconstpointer  user_data)
{
  mq_poller_refresh (f->poller);
  wait_idle (f);

  g_assert_cmpuint (hits (f), ==, 1);
  g_assert_cmpuint (f->n_updated, ==, 1);
  /* Not started: one fetch, no schedule. */
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, -1);
}

static void
test_failure_keeps_snapshot (Fixture       *f,
                             gconstpointer  user_data)
{
  MqSnapshot *good;
  gint64 success_ms;
  gint64 delay;

  mq_poller_start (f->poller);
  wait_idle (f);
  good = mq_poller_get_snapshot (f->poller);
  g_assert_nonnull (good);
  success_ms = mq_poller_get_last_success_ms (f->poller);

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 500, "text/plain", "down", -1);
  f->clock_ms += S (60);
  mq_poller_refresh (f->poller);
  wait_idle (f);

  g_assert_error (mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_SERVER);
  g_assert_true (mq_poller_get_snapshot (f->poller) == good);
  g_assert_cmpint (mq_poller_get_last_success_ms (f->poller), ==, success_ms);
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 1);
  g_assert_cmpuint (f->n_updated, ==, 1);
  g_assert_cmpstr (f->events->str, ==, "BIUBI");

  /* First backoff step: 15..30 s. */
  delay = mq_poller_get_next_delay_ms (f->poller);
  g_assert_cmpint (delay, >=, S (15));
  g_assert_cmpint (delay, <=, S (30));

  /* A second failure doubles it: 30..60 s. (Clicks 5 s apart: closer
   * ones keep the answer just received.) */
  f->clock_ms += S (5);
  mq_poller_refresh (f->poller);
  wait_idle (f);
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 2);
  delay = mq_poller_get_next_delay_ms (f->poller);
  g_assert_cmpint (delay, >=, S (30));
  g_assert_cmpint (delay, <=, S (60));
  g_assert_true (mq_poller_get_snapshot (f->poller) == good);

  /* Recovery clears the error and the backoff. */
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "exhausted-interval.json");
  f->clock_ms += S (5);
  mq_poller_refresh (f->poller);
  wait_idle (f);
  g_assert_null (mq_poller_get_error (f->poller));
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 0);
  g_assert_true (mq_poller_get_snapshot (f->poller) != good);
  g_assert_cmpint (mq_poller_get_last_success_ms (f->poller), ==, f->clock_ms);
  g_assert_cmpuint (f->n_updated, ==, 2);
}

/* The backoff timer fires for real (scaled down) and the retry succeeds. */
static void
test_retry_after_backoff (Fixture       *f,
                          gconstpointer  user_data)
{
  mq_poller_set_time_scale_for_testing (f->poller, 0.001);
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 503, "text/plain", "busy", -1);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_error (mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_SERVER);
  g_assert_null (mq_poller_get_snapshot (f->poller));
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), >=, S (15));
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), <=, S (30));
  g_assert_cmpuint (hits (f), ==, 1);

  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  wait_updated (f, 1);

  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_null (mq_poller_get_error (f->poller));
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 0);
  g_assert_cmpstr (f->events->str, ==, "BIBIU");
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (180));
}

/* The interval timer fires for real (scaled down) and keeps firing. */
static void
test_interval_timer (Fixture       *f,
                     gconstpointer  user_data)
{
  mq_poller_set_time_scale_for_testing (f->poller, 0.0005);
  mq_poller_set_interval (f->poller, 60);

  mq_poller_start (f->poller);
  wait_updated (f, 3);

  g_assert_cmpuint (hits (f), ==, 3);
  g_assert_cmpstr (f->events->str, ==, "BIUBIUBIU");
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (60));
}

static void
test_no_key_no_retries (Fixture       *f,
                        gconstpointer  user_data)
{
  mq_client_set_api_key (f->client, NULL);
  mq_poller_set_time_scale_for_testing (f->poller, 0.001);

  mq_poller_start (f->poller);
  wait_idle (f);

  g_assert_error (mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_NO_KEY);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, -1);
  g_assert_cmpstr (f->events->str, ==, "BI");

  /* Scaled, any retry would come within 30 ms; none comes. Nor does the
   * network coming back ask again. */
  test_monitor_set_available (f->monitor, FALSE);
  test_monitor_set_available (f->monitor, TRUE);
  spin_ms (200);
  g_assert_cmpuint (hits (f), ==, 0);
  g_assert_cmpstr (f->events->str, ==, "BI");
  g_assert_false (mq_poller_get_busy (f->poller));

  /* The application sets a key and refreshes. */
  mq_client_set_api_key (f->client, TEST_KEY);
  mq_poller_refresh (f->poller);
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 1);
  g_assert_null (mq_poller_get_error (f->poller));
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (180));
}

static void
test_retry_after_honoured (Fixture       *f,
                           gconstpointer  user_data)
{
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 429, "application/json",
                            "{\"base_resp\":{\"status_code\":1002,\"status_msg\":\"rate limit\"}}", -1);
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", "600");

  mq_poller_start (f->poller);
  wait_idle (f);

  g_assert_error (mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (hits (f), ==, 1);
  /* Ten minutes, not the 15..30 s of a first backoff step. */
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (600));

  /* The network coming back within those ten minutes asks nothing ... */
  test_monitor_set_available (f->monitor, FALSE);
  test_monitor_set_available (f->monitor, TRUE);
  g_assert_false (mq_poller_get_busy (f->poller));
  spin_ms (50);
  g_assert_cmpuint (hits (f), ==, 1);

  /* ... after them it does. */
  f->clock_ms += S (601);
  test_monitor_set_available (f->monitor, FALSE);
  test_monitor_set_available (f->monitor, TRUE);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);
}

static void
test_retry_after_capped (Fixture       *f,
                         gconstpointer  user_data)
{
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 429, "text/plain", "slow down", -1);
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", "86400");

  mq_poller_start (f->poller);
  wait_idle (f);

  g_assert_error (mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (3600));
}

static void
test_low_cadence (Fixture       *f,
                  gconstpointer  user_data)
{
  MqThresholds thresholds = { 10.0, 2.0 };

  serve_general_percent (f, 12);
  mq_poller_start (f->poller);
  wait_idle (f);

  /* 12% is low under the default thresholds (20/5): every minute. */
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (60));

  /* Thresholds of 10/2 make it OK: back to the interval, re-armed now. */
  mq_poller_set_thresholds (f->poller, &thresholds);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (180));

  mq_poller_set_interval (f->poller, 600);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (600));

  /* Critical: every minute too. */
  serve_general_percent (f, 1);
  mq_poller_refresh (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (60));

  /* The headline follows the chosen model: video is absent here, so the
   * text lane still binds. */
  mq_poller_set_headline_model (f->poller, "video");
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (60));
  g_assert_cmpuint (hits (f), ==, 2);
}

static void
test_headline_model (Fixture       *f,
                     gconstpointer  user_data)
{
  MqThresholds thresholds = { 99.5, 5.0 };

  /* general 99%, video 100%: with low at 99.5 only general is low. */
  mq_poller_set_thresholds (f->poller, &thresholds);
  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (60));

  mq_poller_set_headline_model (f->poller, "video");
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (180));

  mq_poller_set_headline_model (f->poller, "");
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (60));
  g_assert_cmpuint (hits (f), ==, 1);
}

static void
test_exhausted_cadence (Fixture       *f,
                        gconstpointer  user_data)
{
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "exhausted-interval.json");

  /* Reset long gone: the plain interval, not the low cadence. */
  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (180));

  /* 100 s before the reset: poll 5 s after it. */
  f->clock_ms = EXHAUSTED_END_MS - S (100);
  mq_poller_refresh (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (105));
}

static void
test_reset_timing (Fixture       *f,
                   gconstpointer  user_data)
{
  f->clock_ms = GENERAL_END_MS - S (40);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (45));

  /* Counted from the end of the fetch: 20 s later, a new interval re-arms
   * the timer for the 25 s that are left (reported as the full 45 s). */
  f->clock_ms += S (20);
  mq_poller_set_interval (f->poller, 30);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (30));

  /* A change of settings after the due time fetches at once. */
  f->clock_ms += S (40);
  mq_poller_set_interval (f->poller, 31);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);
}

/* Issue 10: an answer whose reset has just passed is stale. The poller asks
 * once more a minute later; the same stale answer again does not loop. */
static void
test_past_reset_refreshes_once (Fixture       *f,
                                gconstpointer  user_data)
{
  f->clock_ms = GENERAL_END_MS + S (10);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (60));

  /* The minute passes (a change of settings re-arms the timer): the one
   * refresh. */
  f->clock_ms += S (60);
  mq_poller_set_interval (f->poller, 120);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);

  /* The same past reset again: the plain interval, not another minute. */
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (120));
  f->clock_ms += S (60);
  mq_poller_set_interval (f->poller, 121);
  g_assert_false (mq_poller_get_busy (f->poller));
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (121));
  g_assert_cmpuint (hits (f), ==, 2);
}

/* A reset that passes while the applet holds the answer: one fetch just
 * after it; the answer still naming it does not bring a second. */
static void
test_reset_passes_once (Fixture       *f,
                        gconstpointer  user_data)
{
  f->clock_ms = GENERAL_END_MS - S (40);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (45));

  f->clock_ms += S (45);
  mq_poller_set_interval (f->poller, 120);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (120));
}

/* The wall clock set back a day while waiting: the next fetch still comes
 * after the delay, not a day later (scaled: 30 ms, not 86 s). */
static void
test_clock_set_back (Fixture       *f,
                     gconstpointer  user_data)
{
  mq_poller_set_time_scale_for_testing (f->poller, 0.001);
  mq_poller_set_interval (f->poller, 3600);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (3600));

  f->clock_ms -= S (86400);
  mq_poller_set_interval (f->poller, 30);
  wait_updated (f, 2);
  g_assert_cmpuint (hits (f), ==, 2);
}

static void
test_interval_clamped (Fixture       *f,
                       gconstpointer  user_data)
{
  g_assert_cmpuint (mq_poller_get_interval (f->poller), ==, 180);
  mq_poller_set_interval (f->poller, 1);
  g_assert_cmpuint (mq_poller_get_interval (f->poller), ==, 30);
  mq_poller_set_interval (f->poller, 100000);
  g_assert_cmpuint (mq_poller_get_interval (f->poller), ==, 3600);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (3600));
}

static void
test_network_back_after_failure (Fixture       *f,
                                 gconstpointer  user_data)
{
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 500, "text/plain", "down", -1);
  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_nonnull (mq_poller_get_error (f->poller));
  g_assert_cmpuint (hits (f), ==, 1);

  /* A change that leaves the network available (a route, an interface)
   * asks nothing, even after a failure: the backoff stands. */
  test_monitor_set_available (f->monitor, TRUE);
  g_assert_false (mq_poller_get_busy (f->poller));

  /* Going away asks nothing. */
  test_monitor_set_available (f->monitor, FALSE);
  g_assert_false (mq_poller_get_busy (f->poller));

  /* Coming back retries at once, without waiting for the backoff. */
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  test_monitor_set_available (f->monitor, TRUE);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_null (mq_poller_get_error (f->poller));

  /* A change that leaves the network available asks nothing. */
  test_monitor_set_available (f->monitor, TRUE);
  g_assert_false (mq_poller_get_busy (f->poller));
}

static void
test_network_back_fresh_or_stale (Fixture       *f,
                                  gconstpointer  user_data)
{
  mq_poller_start (f->poller);
  wait_idle (f);

  /* Data younger than the interval: nothing to do. */
  f->clock_ms += S (100);
  test_monitor_set_available (f->monitor, FALSE);
  test_monitor_set_available (f->monitor, TRUE);
  g_assert_false (mq_poller_get_busy (f->poller));
  spin_ms (50);
  g_assert_cmpuint (hits (f), ==, 1);

  /* Older than the interval (the timer fired while offline, or late). */
  f->clock_ms += S (100);
  test_monitor_set_available (f->monitor, FALSE);
  test_monitor_set_available (f->monitor, TRUE);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);
}

static void
test_network_before_start (Fixture       *f,
                           gconstpointer  user_data)
{
  /* Not started: the poller does not even listen. */
  test_monitor_set_available (f->monitor, FALSE);
  test_monitor_set_available (f->monitor, TRUE);
  spin_ms (50);
  g_assert_cmpuint (hits (f), ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 0);
}

static void
test_restart_drops_in_flight (Fixture       *f,
                              gconstpointer  user_data)
{
  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 300);
  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 500, "text/plain", "down", -1);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 1);

  /* A new key while a request with the old one is out. */
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_poller_refresh (f->poller);
  wait_hits (f, 2);
  mq_poller_restart (f->poller);
  g_assert_true (mq_poller_get_busy (f->poller));
  /* The backoff is forgotten at once. */
  g_assert_cmpuint (mq_poller_get_failures (f->poller), ==, 0);

  wait_idle (f);
  spin_ms (400);

  g_assert_cmpuint (hits (f), ==, 3);
  g_assert_cmpuint (f->n_updated, ==, 1);
  /* Start, failure, refresh, restart (busy again), success: the dropped
   * request never reports. */
  g_assert_cmpstr (f->events->str, ==, "BIBBIU");
}

static void
test_dispose_in_flight (Fixture       *f,
                        gconstpointer  user_data)
{
  MqPoller *poller = f->poller;

  mq_test_server_set_delay_ms (f->server, MQ_PATH_CURRENT, 200);
  mq_poller_start (poller);
  wait_hits (f, 1);
  g_assert_true (mq_poller_get_busy (poller));

  /* Gone mid-request: the answer is dropped, no signal, no crash. */
  g_signal_handlers_disconnect_by_data (poller, f);
  g_assert_finalize_object (poller);
  f->poller = mq_poller_new (f->client);
  spin_ms (300);
  g_assert_cmpuint (hits (f), ==, 1);
  g_assert_cmpstr (f->events->str, ==, "B");
}

/* ---- logind on a private system bus -------------------------------------- */

static GDBusConnection *
connect_to_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
emit_prepare_for_sleep (GDBusConnection *logind,
                        GVariant        *parameters)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1",
                                 "org.freedesktop.login1.Manager", "PrepareForSleep",
                                 parameters, &error);
  g_assert_no_error (error);
  g_dbus_connection_flush_sync (logind, NULL, &error);
  g_assert_no_error (error);
}

static void
test_resume_refreshes (Fixture       *f,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) system_bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  g_autoptr(GDBusConnection) logind = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);

  logind = connect_to_bus ();
  reply = g_dbus_connection_call_sync (logind, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.login1", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 1);

  /* A round trip on the poller's connection: its match rule has reached
   * the bus before anything is emitted. */
  reply = g_dbus_connection_call_sync (system_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetId", NULL,
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, &error);
  g_assert_no_error (error);

  /* Going to sleep: nothing. A malformed signal: nothing. */
  emit_prepare_for_sleep (logind, g_variant_new ("(b)", TRUE));
  emit_prepare_for_sleep (logind, g_variant_new ("(s)", "false"));
  spin_ms (200);
  g_assert_cmpuint (hits (f), ==, 1);
  g_assert_false (mq_poller_get_busy (f->poller));

  /* Resumed: a fetch at once, well before the 3 min timer. */
  emit_prepare_for_sleep (logind, g_variant_new ("(b)", FALSE));
  wait_updated (f, 2);
  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_cmpstr (f->events->str, ==, "BIUBIU");
}

/* With no system bus at all the poller works and says nothing above debug
 * level. Run in a subprocess whose system bus address leads nowhere. */
static void
test_no_system_bus (void)
{
  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };
      Fixture *f = &fixture;

      g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/mq-test-no-bus", TRUE);
      fixture_setup (f, NULL);
      mq_poller_start (f->poller);
      wait_idle (f);
      spin_ms (100);
      g_assert_cmpuint (f->n_updated, ==, 1);
      g_assert_cmpint (mq_poller_get_next_delay_ms (f->poller), ==, S (180));
      fixture_teardown (f, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*WARNING*");
  g_test_trap_assert_stderr_unmatched ("*CRITICAL*");
}

/* ---- Refresh storms (issue 9.6) ------------------------------------------ */

/* Clicks "Refresh now" every @step_ms of the injected clock for @span_ms,
 * letting each answer arrive before the next click (the worst case: every
 * click finds the poller idle). Returns the requests sent. */
static guint
click_storm (Fixture *f,
             gint64   span_ms,
             gint64   step_ms)
{
  guint before = hits (f);

  for (gint64 t = 0; t < span_ms; t += step_ms)
    {
      mq_poller_refresh (f->poller);
      wait_idle (f);
      f->clock_ms += step_ms;
    }

  return hits (f) - before;
}

static void
test_storm_manual_burst (Fixture       *f,
                         gconstpointer  user_data)
{
  guint burst;
  guint per_minute;

  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 1);

  /* 100 clicks within the same instant (a held key, a script, launches in
   * a loop), the main loop running between them. */
  for (guint i = 0; i < 100; i++)
    {
      mq_poller_refresh (f->poller);
      spin_ms (1);
      wait_idle (f);
    }
  burst = hits (f) - 1;
  g_test_message ("100 clicks in a burst: %u requests", burst);
  g_assert_cmpuint (burst, <=, 1);
  g_assert_null (mq_poller_get_error (f->poller));
  g_assert_nonnull (mq_poller_get_snapshot (f->poller));

  /* Ten clicks a second for a minute: one request per 5 s at most. */
  f->clock_ms += S (5);
  per_minute = click_storm (f, S (60), 100);
  g_test_message ("10 clicks/s for a minute: %u requests", per_minute);
  g_assert_cmpuint (per_minute, >=, 11);
  g_assert_cmpuint (per_minute, <=, 12);

  /* A click 5 s after the last request is a request again. */
  f->clock_ms += S (5);
  mq_poller_refresh (f->poller);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
}

/* The answers fail: the floor holds all the same (a fast failure must not
 * turn clicks into a flood). */
static void
test_storm_manual_against_errors (Fixture       *f,
                                  gconstpointer  user_data)
{
  guint per_minute;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 500, "text/plain", "down", -1);
  mq_poller_start (f->poller);
  wait_idle (f);

  per_minute = click_storm (f, S (60), 100);
  g_test_message ("10 clicks/s for a minute against 500: %u requests", per_minute);
  g_assert_cmpuint (per_minute, <=, 12);
}

static void
test_storm_manual_rate_limited (Fixture       *f,
                                gconstpointer  user_data)
{
  gint64 limited_ms;
  guint storm;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 429, "application/json",
                            "{\"base_resp\":{\"status_code\":1002,\"status_msg\":\"rate limit\"}}", -1);
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", "3600");

  g_assert_cmpint (mq_poller_get_rate_limited_until_ms (f->poller), ==, 0);
  mq_poller_start (f->poller);
  wait_idle (f);
  g_assert_error (mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (hits (f), ==, 1);

  limited_ms = mq_poller_get_rate_limited_until_ms (f->poller);
  g_assert_cmpint (limited_ms, ==, f->clock_ms + S (3600));

  /* A burst, then a click every 10 s for the rest of the hour: nothing. */
  storm = click_storm (f, S (1), 10);
  storm += click_storm (f, S (3590), S (10));
  g_test_message ("clicks for an hour under Retry-After 3600: %u requests", storm);
  g_assert_cmpuint (storm, ==, 0);
  g_assert_cmpuint (hits (f), ==, 1);
  g_assert_false (mq_poller_get_busy (f->poller));
  g_assert_error (mq_poller_get_error (f->poller), MQ_ERROR, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpint (mq_poller_get_rate_limited_until_ms (f->poller), ==, limited_ms);

  /* Once it has ended, a click asks again, and the getter says so. */
  f->clock_ms = limited_ms;
  g_assert_cmpint (mq_poller_get_rate_limited_until_ms (f->poller), ==, 0);
  mq_test_server_set_route_fixture (f->server, MQ_PATH_CURRENT, 200, "current-percent-plan.json");
  mq_test_server_set_header (f->server, MQ_PATH_CURRENT, "Retry-After", NULL);
  mq_poller_refresh (f->poller);
  g_assert_true (mq_poller_get_busy (f->poller));
  wait_idle (f);
  g_assert_cmpuint (hits (f), ==, 2);
  g_assert_null (mq_poller_get_error (f->poller));
  g_assert_cmpint (mq_poller_get_rate_limited_until_ms (f->poller), ==, 0);
}

/* end_time null and remains_time 1 s in every answer: the window seems to
 * reset a second after each fetch. Times are real here (the client reads
 * remains_time against the real clock); timers are scaled down, and the
 * schedule's delays are summed as the time that would have passed. */
static void
test_storm_reset_every_second (Fixture       *f,
                               gconstpointer  user_data)
{
  const char *body =
    "{\"model_remains\":[{\"start_time\":null,\"end_time\":null,\"remains_time\":1000,"
    "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
    "\"model_name\":\"general\",\"current_interval_status\":1,"
    "\"current_interval_remaining_percent\":60}],"
    "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}";
  gint64 virtual_ms = 0;
  guint requests;
  double per_minute;

  mq_test_server_set_route (f->server, MQ_PATH_CURRENT, 200, "application/json", body, -1);
  mq_poller_set_clock_for_testing (f->poller, NULL, NULL);
  mq_poller_set_time_scale_for_testing (f->poller, 0.0002);

  mq_poller_start (f->poller);
  wait_updated (f, 1);

  /* Ten minutes as the schedule counts them. */
  while (virtual_ms < S (600))
    {
      gint64 delay = mq_poller_get_next_delay_ms (f->poller);

      g_assert_cmpint (delay, >, 0);
      virtual_ms += delay;
      wait_updated (f, f->n_updated + 1);
    }

  requests = f->n_updated - 1;
  per_minute = requests / (virtual_ms / 60000.0);
  g_test_message ("remains_time 1 s, end_time null: %u requests in %.1f min (%.2f/min)",
                  requests, virtual_ms / 60000.0, per_minute);
  g_assert_cmpfloat (per_minute, <=, 1.2);
  /* The reset rule still acts (the interval alone would be 1/3 min). */
  g_assert_cmpfloat (per_minute, >=, 0.8);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* The poller's "system bus" is a private bus: resume signals come from
   * the test, never from the machine's logind. */
  if (!g_test_subprocess ())
    {
      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);
    }

  ADD ("/poller/start/first-fetch", test_first_fetch_on_start);
  ADD ("/poller/refresh/joins-in-flight", test_refresh_joins_in_flight);
  ADD ("/poller/refresh/before-start", test_refresh_before_start);
  ADD ("/poller/failure/keeps-snapshot", test_failure_keeps_snapshot);
  ADD ("/poller/failure/retry-after-backoff", test_retry_after_backoff);
  ADD ("/poller/failure/no-key-no-retries", test_no_key_no_retries);
  ADD ("/poller/failure/retry-after-honoured", test_retry_after_honoured);
  ADD ("/poller/failure/retry-after-capped", test_retry_after_capped);
  ADD ("/poller/schedule/interval-timer", test_interval_timer);
  ADD ("/poller/schedule/low-cadence", test_low_cadence);
  ADD ("/poller/schedule/headline-model", test_headline_model);
  ADD ("/poller/schedule/exhausted", test_exhausted_cadence);
  ADD ("/poller/schedule/reset-timing", test_reset_timing);
  ADD ("/poller/schedule/past-reset-once", test_past_reset_refreshes_once);
  ADD ("/poller/schedule/reset-passes-once", test_reset_passes_once);
  ADD ("/poller/schedule/interval-clamped", test_interval_clamped);
  ADD ("/poller/schedule/clock-set-back", test_clock_set_back);
  ADD ("/poller/network/back-after-failure", test_network_back_after_failure);
  ADD ("/poller/network/back-fresh-or-stale", test_network_back_fresh_or_stale);
  ADD ("/poller/network/before-start", test_network_before_start);
  ADD ("/poller/restart/drops-in-flight", test_restart_drops_in_flight);
  ADD ("/poller/dispose/in-flight", test_dispose_in_flight);
  ADD ("/poller/resume/refreshes", test_resume_refreshes);
  g_test_add_func ("/poller/resume/no-system-bus", test_no_system_bus);
  ADD ("/poller/storm/manual-burst", test_storm_manual_burst);
  ADD ("/poller/storm/manual-against-errors", test_storm_manual_against_errors);
  ADD ("/poller/storm/manual-rate-limited", test_storm_manual_rate_limited);
  ADD ("/poller/storm/reset-every-second", test_storm_reset_every_second);

  status = g_test_run ();

  if (bus != NULL)
    {
      g_autoptr(GDBusConnection) system_bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, NULL);

      /* The shared connection must not take the process down with the bus. */
      if (system_bus != NULL)
        {
          g_dbus_connection_set_exit_on_close (system_bus, FALSE);
          g_dbus_connection_close_sync (system_bus, NULL, NULL);
        }
      g_test_dbus_down (bus);
    }

  return status;
}
