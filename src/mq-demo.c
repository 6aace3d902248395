/* mq-demo.c: a built-in, changing sample served on loopback for --demo
 *
 * The applet talks to this server with its production client, so a new
 * user sees every part work (icon, menu, alerts, not-in-plan) without a key.
 */
#define G_LOG_DOMAIN "mq-demo"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "mq-demo.h"
#include "mq-region.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS  (24 * HOUR_MS)

/* The 5-hour text window drains by this many points per answer. */
#define DEMO_STEP_POINTS 7
#define DEMO_START_PERCENT 40

struct _MqDemo {
  GObject     parent_instance;

  SoupServer *server;
  char       *base_url;
  guint       requests;
};

G_DEFINE_FINAL_TYPE (MqDemo, mq_demo, G_TYPE_OBJECT)

static gint64
floor_to (gint64 value,
          gint64 step)
{
  return value - (value % step);
}

char *
mq_demo_build_body (guint  step,
                    gint64 now_ms)
{
  /* 40, 33, 26, 19 (low), 12, 5 (critical), 0 (used up), then a fresh
   * window at 100, and again. */
  guint cycle = step % 8;
  int percent = cycle == 7 ? 100 : MAX (DEMO_START_PERCENT - (int) cycle * DEMO_STEP_POINTS, 0);
  gint64 window_start = floor_to (now_ms, 5 * HOUR_MS);
  gint64 window_end = window_start + 5 * HOUR_MS;
  gint64 day_start = floor_to (now_ms, DAY_MS);
  gint64 week_start = floor_to (now_ms - 4 * DAY_MS, 7 * DAY_MS) + 4 * DAY_MS; /* Monday */
  gint64 week_end = week_start + 7 * DAY_MS;
  int total = 1500;
  int remaining = total * percent / 100;
  int weekly_total = 15000;
  int weekly_remaining = weekly_total * 86 / 100 - (int) cycle * 40;
  int speech_used = (int) (cycle * 1700);

  return g_strdup_printf (
      "{\"model_remains\":["
      "{\"model_name\":\"general\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
      "\"remains_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":%d,\"current_interval_usage_count\":%d,"
      "\"current_interval_remaining_percent\":%d,\"current_interval_status\":%d,"
      "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
      "\"weekly_remains_time\":%" G_GINT64_FORMAT ","
      "\"current_weekly_total_count\":%d,\"current_weekly_usage_count\":%d,"
      "\"current_weekly_remaining_percent\":%d,\"current_weekly_status\":1,"
      "\"interval_boost_permille\":1000},"
      "{\"model_name\":\"speech-hd\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":19000,\"current_interval_usage_count\":%d,"
      "\"current_interval_remaining_percent\":%d,\"current_interval_status\":1,"
      "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
      "\"current_weekly_status\":3,\"current_weekly_remaining_percent\":100},"
      "{\"model_name\":\"image-01\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
      "\"current_interval_remaining_percent\":72,\"current_interval_status\":1,"
      "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
      "\"current_weekly_status\":3,\"current_weekly_remaining_percent\":100,"
      "\"interval_boost_permille\":2000},"
      "{\"model_name\":\"video\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
      "\"current_interval_remaining_percent\":100,\"current_interval_status\":3,"
      "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
      "\"current_weekly_status\":3,\"current_weekly_remaining_percent\":100}],"
      "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
      window_start, window_end, window_end - now_ms,
      total, remaining, percent, percent == 0 ? 2 : 1,
      week_start, week_end, week_end - now_ms,
      weekly_total, weekly_remaining, weekly_remaining * 100 / weekly_total,
      day_start, day_start + DAY_MS, 19000 - speech_used, (19000 - speech_used) * 100 / 19000,
      day_start, day_start + DAY_MS,
      day_start, day_start + DAY_MS);
}

static void
demo_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  MqDemo *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (request_headers, "Authorization");
  g_autofree char *body = NULL;
  gsize length;

  if (!g_str_equal (path, MQ_PATH_CURRENT))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (g_strcmp0 (authorization, "Bearer " MQ_DEMO_API_KEY) != 0)
    body = g_strdup ("{\"base_resp\":{\"status_code\":2049,\"status_msg\":\"invalid api key\"}}");
  else
    body = mq_demo_build_body (self->requests++, g_get_real_time () / 1000);

  length = strlen (body);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), length);
}

static void
mq_demo_dispose (GObject *object)
{
  MqDemo *self = MQ_DEMO (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (mq_demo_parent_class)->dispose (object);
}

static void
mq_demo_finalize (GObject *object)
{
  MqDemo *self = MQ_DEMO (object);

  g_free (self->base_url);

  G_OBJECT_CLASS (mq_demo_parent_class)->finalize (object);
}

static void
mq_demo_class_init (MqDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_demo_dispose;
  object_class->finalize = mq_demo_finalize;
}

static void
mq_demo_init (MqDemo *self)
{
}

MqDemo *
mq_demo_new (GError **error)
{
  g_autoptr(MqDemo) self = g_object_new (MQ_TYPE_DEMO, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  self->server = soup_server_new ("server-header", "leeway-demo", NULL);
  soup_server_add_handler (self->server, NULL, demo_handler, self, NULL);

  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    {
      GUri *uri = uris->data;

      self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&self);
}

const char *
mq_demo_get_base_url (MqDemo *self)
{
  g_return_val_if_fail (MQ_IS_DEMO (self), NULL);

  return self->base_url;
}

guint
mq_demo_get_requests (MqDemo *self)
{
  g_return_val_if_fail (MQ_IS_DEMO (self), 0);

  return self->requests;
}
