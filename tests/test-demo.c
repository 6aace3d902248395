/* test-demo.c: the --demo sample and its loopback server */
#include "config.h"

#include <string.h>

#include "mq-client.h"
#include "mq-demo.h"
#include "mq-error.h"
#include "mq-snapshot.h"

#define NOW_MS G_GINT64_CONSTANT (1795435200000) /* 2026-11-23T12:00:00Z */

static MqSnapshot *
parse_step (guint step)
{
  g_autofree char *body = mq_demo_build_body (step, NOW_MS);
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot = mq_snapshot_parse (body, strlen (body), NOW_MS, MQ_REGION_GLOBAL, &error);

  g_assert_no_error (error);
  return snapshot;
}

/* The sample walks the text window through every state a user should see. */
static void
test_sample_crosses_every_threshold (void)
{
  const MqState expected[] = {
    MQ_STATE_OK, MQ_STATE_OK, MQ_STATE_OK, MQ_STATE_LOW, MQ_STATE_LOW,
    MQ_STATE_CRITICAL, MQ_STATE_EXHAUSTED, MQ_STATE_OK, MQ_STATE_OK,
  };
  double previous = 101;

  for (guint step = 0; step < G_N_ELEMENTS (expected); step++)
    {
      g_autoptr(MqSnapshot) snapshot = parse_step (step);
      MqHeadline headline;

      g_assert_true (mq_snapshot_get_headline (snapshot, NULL, NULL, &headline));
      g_assert_cmpstr (headline.model->name, ==, "general");
      g_assert_cmpint (headline.state, ==, expected[step]);
      g_assert_cmpint (headline.resets_at_ms, >, NOW_MS);
      if (step == 7)
        {
          /* A fresh 5-hour window: the weekly cap binds now. */
          g_assert_cmpint (headline.slot, ==, MQ_SLOT_WEEKLY);
          continue;
        }
      /* Resets in the future, within the 5-hour window. */
      g_assert_cmpint (headline.slot, ==, MQ_SLOT_INTERVAL);
      g_assert_cmpint (headline.resets_at_ms, <=, NOW_MS + 5 * 3600 * 1000);
      if (step > 0 && step < 7)
        g_assert_cmpfloat (headline.remaining_percent, <, previous);
      previous = headline.remaining_percent;
    }
}

static void
test_sample_shows_every_kind_of_row (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_step (2);
  const MqModel *video = mq_snapshot_find_model (snapshot, "video");
  const MqModel *image = mq_snapshot_find_model (snapshot, "image-01");
  const MqModel *speech = mq_snapshot_find_model (snapshot, "speech-hd");
  const MqModel *general = mq_snapshot_find_model (snapshot, "general");

  g_assert_nonnull (video);
  g_assert_false (video->in_plan);
  g_assert_cmpfloat (image->interval.boost, ==, 2.0);
  g_assert_true (speech->weekly.unlimited);
  g_assert_cmpint (speech->interval.period, ==, MQ_PERIOD_DAILY);
  g_assert_cmpint (general->interval.total, ==, 1500);
  g_assert_cmpint (general->interval.remaining, >=, 0);
  g_assert_false (general->interval.counts_unreliable);
  g_assert_cmpint (general->weekly.period, ==, MQ_PERIOD_WEEKLY);
  g_assert_cmpint (general->weekly.resets_at_ms, >, NOW_MS);
}

typedef struct {
  GMainLoop  *loop;
  MqSnapshot *snapshot;
  GError     *error;
} FetchData;

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FetchData *data = user_data;

  data->snapshot = mq_client_fetch_finish (MQ_CLIENT (source), result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
fetch (MqClient   *client,
       FetchData  *data)
{
  data->loop = g_main_loop_new (NULL, FALSE);
  mq_client_fetch_async (client, NULL, on_fetched, data);
  g_main_loop_run (data->loop);
  g_main_loop_unref (data->loop);
}

/* The applet's --demo path: the production client against the in-process
 * demo server on loopback. */
static void
test_demo_server_with_real_client (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqDemo) demo = mq_demo_new (&error);
  g_autoptr(MqClient) client = mq_client_new ();
  FetchData first = { 0 }, second = { 0 }, rejected = { 0 };
  MqHeadline a, b;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (mq_demo_get_base_url (demo), "http://127.0.0.1:"));

  g_assert_true (mq_client_set_base_url (client, mq_demo_get_base_url (demo), &error));
  mq_client_set_region (client, MQ_REGION_GLOBAL);
  mq_client_set_api_key (client, MQ_DEMO_API_KEY);

  fetch (client, &first);
  g_assert_no_error (first.error);
  fetch (client, &second);
  g_assert_no_error (second.error);
  g_assert_cmpuint (mq_demo_get_requests (demo), ==, 2);

  /* Each answer uses up more of the window. */
  g_assert_true (mq_snapshot_get_headline (first.snapshot, NULL, NULL, &a));
  g_assert_true (mq_snapshot_get_headline (second.snapshot, NULL, NULL, &b));
  g_assert_cmpfloat (b.remaining_percent, <, a.remaining_percent);

  /* Any other key is refused as MiniMax would. */
  mq_client_set_api_key (client, "sk-cp-some-other-key");
  fetch (client, &rejected);
  g_assert_error (rejected.error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  g_assert_null (rejected.snapshot);
  g_assert_cmpuint (mq_demo_get_requests (demo), ==, 2);

  mq_snapshot_unref (first.snapshot);
  mq_snapshot_unref (second.snapshot);
  g_clear_error (&rejected.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/sample/crosses-every-threshold", test_sample_crosses_every_threshold);
  g_test_add_func ("/demo/sample/every-kind-of-row", test_sample_shows_every_kind_of_row);
  g_test_add_func ("/demo/server/real-client", test_demo_server_with_real_client);

  return g_test_run ();
}
