/* mq-client.c: fetches the remains endpoint with libsoup 3
 *
 * One fetch walks a plan: for each path (the current one, then the legacy
 * ones), for each host of the region (region AUTO: the remembered region's
 * hosts, then the other region's). It stops at the first snapshot, or at an
 * answer that another host cannot change (no plan, rate limited, a key
 * rejected outside AUTO). When everything failed it reports the most
 * meaningful error it met. Bodies are read by hand with a size cap, and a
 * deadline bounds the whole walk.
 *
 * The API key and the response bodies are never logged.
 */
#define G_LOG_DOMAIN "mq-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "mq-client.h"
#include "mq-client-private.h"
#include "mq-error.h"

#define USER_AGENT        "minimax-quota/" PACKAGE_VERSION
#define READ_CHUNK        (64 * 1024)
/* A Retry-After longer than a day is not believed. */
#define RETRY_AFTER_MAX   (24 * 60 * 60)
#define N_REGIONS         (MQ_REGION_CN + 1)
#define HTTP_TOO_MANY_REQUESTS 429

static const char * const paths[] = {
  MQ_PATH_CURRENT,
  MQ_PATH_LEGACY_1,
  MQ_PATH_LEGACY_2,
};

struct _MqClient
{
  GObject       parent_instance;

  SoupSession  *session;
  GCancellable *cancellable;      /* cancelled in dispose: ends every fetch */

  MqRegion      region;
  MqRegion      preferred_region;
  MqRegion      resolved_region;
  char         *base_url;         /* the override, or NULL */
  GStrv         region_hosts[N_REGIONS]; /* test overrides, or NULL */

  char         *api_key;          /* wiped when replaced and in finalize */

  guint         connect_timeout;
  guint         total_timeout;
  gsize         max_body;
  guint         retry_after;
};

G_DEFINE_FINAL_TYPE (MqClient, mq_client, G_TYPE_OBJECT)

/* How much an error tells the user, least first; the highest one met is
 * reported when every attempt failed. */
typedef enum {
  RANK_NOT_FOUND,
  RANK_NETWORK,
  RANK_TIMEOUT,
  RANK_UNREADABLE,
  RANK_SERVER,
  RANK_RATE_LIMITED,
  RANK_NO_PLAN,
  RANK_KEY_REJECTED,
} Rank;

/* What a failed attempt means for the rest of the plan. */
typedef enum {
  NEXT_HOST,          /* try the other hosts on this path */
  NEXT_HOST_AND_PATH, /* and this host again on the next path */
  NEXT_HOST_DEAD,     /* this host is unreachable: not on later paths */
  SKIP_REGION,        /* key rejected under AUTO: no more hosts of this region */
  STOP,               /* no other host can change the answer */
} Next;

typedef struct {
  char    *base_url;
  char    *name;          /* host[:port], for messages and debug logs */
  MqRegion region;
  gboolean dead;
  gboolean try_now;       /* on the current path */
  gboolean try_next;      /* on the next path */
} Host;

typedef struct {
  GPtrArray    *hosts;
  guint         path_index;
  guint         host_index;
  gboolean      auto_regions;     /* hosts of both regions, keys per region */
  gboolean      region_rejected[N_REGIONS];

  char         *authorization;    /* "Bearer <key>", wiped on free */
  guint         total_timeout;
  gsize         max_body;

  GCancellable *cancellable;      /* ours: the caller's, dispose and the deadline cancel it */
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GCancellable *client_cancellable;
  gulong        client_handler;
  GSource      *deadline;
  gboolean      timed_out;

  GError       *best_error;
  Rank          best_rank;

  /* the attempt in flight */
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
} FetchData;

static void fetch_next (GTask *task);

static void
wipe_string (char *secret)
{
  volatile char *p = secret;

  if (secret == NULL)
    return;

  while (*p != '\0')
    *p++ = '\0';
}

static void
wipe_free (char *secret)
{
  wipe_string (secret);
  g_free (secret);
}

static void
host_free (gpointer data)
{
  Host *host = data;

  g_free (host->base_url);
  g_free (host->name);
  g_free (host);
}

static Host *
host_new (const char *base_url,
          MqRegion    region)
{
  Host *host = g_new0 (Host, 1);
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  const char *name = uri != NULL ? g_uri_get_host (uri) : NULL;

  host->base_url = g_strdup (base_url);
  if (name == NULL || *name == '\0')
    host->name = g_strdup (base_url);
  else if (g_uri_get_port (uri) > 0)
    host->name = g_strdup_printf (strchr (name, ':') != NULL ? "[%s]:%d" : "%s:%d",
                                  name, g_uri_get_port (uri));
  else
    host->name = g_strdup (name);
  host->region = region;
  host->try_now = TRUE;

  return host;
}

static void
clear_deadline (FetchData *data)
{
  if (data->deadline != NULL)
    {
      g_source_destroy (data->deadline);
      g_clear_pointer (&data->deadline, g_source_unref);
    }
}

static void
close_stream (GInputStream *stream)
{
  /* Closing lets libsoup finish the message (and drop a connection whose
   * body was not read); nobody waits for it. */
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
clear_attempt (FetchData *data)
{
  if (data->stream != NULL)
    close_stream (data->stream);
  g_clear_object (&data->stream);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->body, g_byte_array_unref);
}

static void
fetch_data_free (gpointer user_data)
{
  FetchData *data = user_data;

  clear_deadline (data);
  clear_attempt (data);
  if (data->caller_cancellable != NULL)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  if (data->client_cancellable != NULL)
    g_cancellable_disconnect (data->client_cancellable, data->client_handler);
  g_clear_object (&data->client_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->hosts, g_ptr_array_unref);
  wipe_free (g_steal_pointer (&data->authorization));
  g_clear_error (&data->best_error);
  g_free (data);
}

static Host *
current_host (FetchData *data)
{
  return g_ptr_array_index (data->hosts, data->host_index);
}

static const char *
current_path (FetchData *data)
{
  return paths[data->path_index];
}

static Rank
rank_for_error (const GError *error)
{
  if (error->domain != MQ_ERROR)
    return RANK_NETWORK;

  switch ((MqError) error->code)
    {
    case MQ_ERROR_KEY_REJECTED: return RANK_KEY_REJECTED;
    case MQ_ERROR_NO_PLAN: return RANK_NO_PLAN;
    case MQ_ERROR_RATE_LIMITED: return RANK_RATE_LIMITED;
    case MQ_ERROR_SERVER: return RANK_SERVER;
    case MQ_ERROR_UNREADABLE: return RANK_UNREADABLE;
    case MQ_ERROR_TIMEOUT: return RANK_TIMEOUT;
    case MQ_ERROR_NO_KEY:
    case MQ_ERROR_INVALID_ARGUMENT:
    case MQ_ERROR_NETWORK:
    default: return RANK_NETWORK;
    }
}

/* Keeps @error (taken) when it says more than the best one so far; among
 * equals the first wins: it came from the host tried first. */
static void
record_error (FetchData *data,
              GError    *error,
              Rank       rank)
{
  if (data->best_error == NULL || rank > data->best_rank)
    {
      g_clear_error (&data->best_error);
      data->best_error = error;
      data->best_rank = rank;
    }
  else
    {
      g_error_free (error);
    }
}

static void
finish_failed (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  clear_deadline (data);
  clear_attempt (data);

  if (data->best_error == NULL)
    g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_NETWORK,
                             _("There is no MiniMax server to ask for this region. Check the region setting."));
  else
    g_task_return_error (task, g_steal_pointer (&data->best_error));
}

static void
finish_cancelled (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  if (data->timed_out)
    {
      record_error (data,
                    g_error_new (MQ_ERROR, MQ_ERROR_TIMEOUT,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "MiniMax did not answer within %u second. Try again later.",
                                              "MiniMax did not answer within %u seconds. Try again later.",
                                              data->total_timeout),
                                 data->total_timeout),
                    RANK_TIMEOUT);
      finish_failed (task);
      return;
    }

  clear_deadline (data);
  clear_attempt (data);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The quota check was cancelled."));
}

static void
finish_success (GTask      *task,
                MqSnapshot *snapshot)
{
  FetchData *data = g_task_get_task_data (task);
  MqClient *self = g_task_get_source_object (task);
  Host *host = current_host (data);

  self->resolved_region = host->region;
  if (self->region == MQ_REGION_AUTO && self->base_url == NULL)
    self->preferred_region = host->region;

  clear_deadline (data);
  clear_attempt (data);
  g_task_return_pointer (task, snapshot, (GDestroyNotify) mq_snapshot_unref);
}

/* Records @error (taken) and goes on with the plan as @next says. */
static void
fail_attempt (GTask  *task,
              GError *error,
              Rank    rank,
              Next    next)
{
  FetchData *data = g_task_get_task_data (task);
  Host *host = current_host (data);

  g_debug ("%s%s failed: %s", host->name, current_path (data), mq_error_code_nick (error));

  record_error (data, error, rank);
  clear_attempt (data);

  switch (next)
    {
    case STOP:
      finish_failed (task);
      return;
    case NEXT_HOST_AND_PATH:
      host->try_next = TRUE;
      break;
    case NEXT_HOST_DEAD:
      host->dead = TRUE;
      break;
    case SKIP_REGION:
      data->region_rejected[host->region] = TRUE;
      break;
    case NEXT_HOST:
    default:
      break;
    }

  data->host_index++;
  fetch_next (task);
}

static Next
next_after_key_rejected (FetchData *data)
{
  /* Keys are per region: under AUTO the other region may still accept it. */
  return data->auto_regions ? SKIP_REGION : STOP;
}

static void
transport_failed (GTask  *task,
                  GError *error_in)
{
  FetchData *data = g_task_get_task_data (task);
  MqClient *self = g_task_get_source_object (task);
  Host *host = current_host (data);
  g_autoptr(GError) error = error_in;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (data->cancellable))
    {
      finish_cancelled (task);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      fail_attempt (task,
                    g_error_new (MQ_ERROR, MQ_ERROR_TIMEOUT,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s did not answer within %u second. Try again later.",
                                              "%s did not answer within %u seconds. Try again later.",
                                              self->connect_timeout),
                                 host->name, self->connect_timeout),
                    RANK_TIMEOUT, NEXT_HOST_DEAD);
      return;
    }

  /* The server answered, but not in HTTP that libsoup can read (garbage,
   * endless header lines, a broken encoding): the network is fine. */
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    {
      fail_attempt (task,
                    g_error_new (MQ_ERROR, MQ_ERROR_UNREADABLE,
                                 _("%s answered with something that is not a readable HTTP response. Check the base URL, or try again later."),
                                 host->name),
                    RANK_UNREADABLE, NEXT_HOST_AND_PATH);
      return;
    }

  fail_attempt (task,
                g_error_new (MQ_ERROR, MQ_ERROR_NETWORK,
                             _("Could not reach %s: %s. Check your network connection."),
                             host->name, error->message),
                RANK_NETWORK, NEXT_HOST_DEAD);
}

/* Seconds from Retry-After (delta-seconds or an HTTP date); 0 when it is
 * absent, unreadable or past. */
static guint
parse_retry_after (SoupMessageHeaders *headers,
                   gint64              now_ms)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) when = NULL;
  guint64 seconds;
  gint64 span_ms;

  if (value == NULL)
    return 0;

  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) MIN (seconds, RETRY_AFTER_MAX);

  when = soup_date_time_new_from_http_string (text);
  if (when == NULL)
    return 0;

  /* HTTP dates have whole seconds. */
  span_ms = g_date_time_to_unix (when) * 1000 - now_ms;
  if (span_ms <= 0)
    return 0;

  return (guint) MIN ((span_ms + 999) / 1000, RETRY_AFTER_MAX);
}

static gboolean
looks_like_html (SoupMessageHeaders *headers,
                 GBytes             *body)
{
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  gsize size = 0;
  const guchar *data = g_bytes_get_data (body, &size);
  gsize i;

  if (content_type != NULL &&
      (g_ascii_strcasecmp (content_type, "text/html") == 0 ||
       g_ascii_strcasecmp (content_type, "application/xhtml+xml") == 0))
    return TRUE;

  for (i = 0; i < size && g_ascii_isspace (data[i]); i++)
    ;

  return i < size && data[i] == '<';
}

/* The error of an answer whose body is not read. */
static GError *
status_error (guint               status,
              SoupMessageHeaders *headers,
              const char         *host_name,
              gint64              now_ms,
              guint              *retry_after_s)
{
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      /* Never followed: the key must not travel to another host. */
      return g_error_new (MQ_ERROR, MQ_ERROR_SERVER,
                          _("%s answered with an unexpected redirect (HTTP %u). Check the base URL and region."),
                          host_name, status);
    }

  if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_METHOD_NOT_ALLOWED)
    {
      return g_error_new (MQ_ERROR, MQ_ERROR_SERVER,
                          _("%s offers no quota information (HTTP %u). Check the base URL and region."),
                          host_name, status);
    }

  if (status == HTTP_TOO_MANY_REQUESTS)
    {
      guint seconds = parse_retry_after (headers, now_ms);

      *retry_after_s = seconds;
      if (seconds > 0)
        return g_error_new (MQ_ERROR, MQ_ERROR_RATE_LIMITED,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "MiniMax is limiting requests (HTTP 429). Try again in %u second.",
                                         "MiniMax is limiting requests (HTTP 429). Try again in %u seconds.",
                                         seconds),
                            seconds);
      return g_error_new_literal (MQ_ERROR, MQ_ERROR_RATE_LIMITED,
                                  _("MiniMax is limiting requests (HTTP 429). Try again in a few minutes."));
    }

  if (status == SOUP_STATUS_REQUEST_TIMEOUT || SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      return g_error_new (MQ_ERROR, MQ_ERROR_SERVER,
                          _("MiniMax had a problem answering (HTTP %u from %s). Try again later."),
                          status, host_name);
    }

  return g_error_new (MQ_ERROR, MQ_ERROR_SERVER,
                      _("%s answered with an unexpected status (HTTP %u). Try again later; if it persists, check the base URL."),
                      host_name, status);
}

gboolean
mq_client_response_needs_body (guint status)
{
  return status == SOUP_STATUS_OK ||
         status == SOUP_STATUS_UNAUTHORIZED ||
         status == SOUP_STATUS_FORBIDDEN;
}

MqSnapshot *
mq_client_interpret_response (guint                status,
                              SoupMessageHeaders  *headers,
                              GBytes              *body,
                              const char          *host_name,
                              gint64               now_ms,
                              MqRegion             region,
                              guint               *retry_after_s,
                              GError             **error)
{
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GError) local_error = NULL;
  guint retry_after = 0;
  const char *data;
  gsize size = 0;
  MqSnapshot *snapshot;

  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (host_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (retry_after_s == NULL)
    retry_after_s = &retry_after;
  *retry_after_s = 0;

  if (!mq_client_response_needs_body (status))
    {
      g_propagate_error (error, status_error (status, headers, host_name, now_ms, retry_after_s));
      return NULL;
    }

  if (body == NULL)
    body = empty = g_bytes_new_static ("", 0);

  if (looks_like_html (headers, body))
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE,
                   _("%s answered a web page instead of data (often a firewall/Cloudflare page). Try again later, or from another network."),
                   host_name);
      return NULL;
    }

  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                   _("The API key was rejected by %s (HTTP %u). Check the key and its region: keys are per region."),
                   host_name, status);
      return NULL;
    }

  data = g_bytes_get_data (body, &size);
  snapshot = mq_snapshot_parse (data, size, now_ms, region, &local_error);
  if (snapshot != NULL)
    return snapshot;

  if (g_error_matches (local_error, MQ_ERROR, MQ_ERROR_RATE_LIMITED))
    *retry_after_s = parse_retry_after (headers, now_ms);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* Goes on with the plan after @error (taken), what an answer with @status
 * meant (mq_client_interpret_response()). */
static void
answer_failed (GTask  *task,
               guint   status,
               GError *error,
               guint   retry_after_s)
{
  FetchData *data = g_task_get_task_data (task);
  MqClient *self = g_task_get_source_object (task);

  if (error->domain != MQ_ERROR)
    {
      fail_attempt (task, error, rank_for_error (error), NEXT_HOST);
      return;
    }

  switch ((MqError) error->code)
    {
    case MQ_ERROR_KEY_REJECTED:
      fail_attempt (task, error, RANK_KEY_REJECTED, next_after_key_rejected (data));
      break;
    case MQ_ERROR_NO_PLAN:
      fail_attempt (task, error, RANK_NO_PLAN, STOP);
      break;
    case MQ_ERROR_RATE_LIMITED:
      self->retry_after = retry_after_s;
      fail_attempt (task, error, RANK_RATE_LIMITED, STOP);
      break;
    case MQ_ERROR_UNREADABLE:
      fail_attempt (task, error, RANK_UNREADABLE, NEXT_HOST_AND_PATH);
      break;
    case MQ_ERROR_SERVER:
      if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_METHOD_NOT_ALLOWED)
        fail_attempt (task, error, RANK_NOT_FOUND, NEXT_HOST_AND_PATH);
      else
        fail_attempt (task, error, RANK_SERVER, NEXT_HOST);
      break;
    case MQ_ERROR_NO_KEY:
    case MQ_ERROR_NETWORK:
    case MQ_ERROR_TIMEOUT:
    case MQ_ERROR_INVALID_ARGUMENT:
    default:
      fail_attempt (task, error, rank_for_error (error), NEXT_HOST);
      break;
    }
}

/* The answer is in: status and headers, and the body when it was read
 * (NULL otherwise). */
static void
answer_received (GTask  *task,
                 GBytes *body)
{
  FetchData *data = g_task_get_task_data (task);
  Host *host = current_host (data);
  guint status = soup_message_get_status (data->msg);
  g_autoptr(GError) error = NULL;
  guint retry_after = 0;
  MqSnapshot *snapshot;

  snapshot = mq_client_interpret_response (status, soup_message_get_response_headers (data->msg),
                                           body, host->name, g_get_real_time () / 1000,
                                           host->region, &retry_after, &error);
  if (snapshot != NULL)
    finish_success (task, snapshot);
  else
    answer_failed (task, status, g_steal_pointer (&error), retry_after);
}

static GError *
too_large_error (FetchData *data)
{
  g_autofree char *size = g_format_size_full (data->max_body, G_FORMAT_SIZE_IEC_UNITS);

  return g_error_new (MQ_ERROR, MQ_ERROR_UNREADABLE,
                      _("The response from %s was too large (over %s). Check the base URL, or try again later."),
                      current_host (data)->name, size);
}

/* The whole body of a 200, 401 or 403 is in data->body. */
static void
body_complete (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;

  g_debug ("%s%s: HTTP %u, %u bytes", current_host (data)->name, current_path (data),
           soup_message_get_status (data->msg), data->body->len);

  body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));
  answer_received (task, body);
}

static void read_more (GTask *task);

/* libsoup ends the body stream quietly when the connection closes early;
 * without a content coding the byte count must match Content-Length. */
static gboolean
body_cut_short (FetchData *data)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  const char *coding = soup_message_headers_get_one (headers, "Content-Encoding");

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return FALSE;
  if (coding != NULL && g_ascii_strcasecmp (coding, "identity") != 0)
    return FALSE;

  return (goffset) data->body->len < soup_message_headers_get_content_length (headers);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize size;

  if (bytes == NULL)
    {
      transport_failed (task, g_steal_pointer (&error));
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      if (body_cut_short (data))
        {
          Host *host = current_host (data);

          fail_attempt (task,
                        g_error_new (MQ_ERROR, MQ_ERROR_NETWORK,
                                     _("The connection to %s broke off before the whole answer arrived. Check your network connection."),
                                     host->name),
                        RANK_NETWORK, NEXT_HOST_DEAD);
          return;
        }
      body_complete (task);
      return;
    }

  if (size > data->max_body - data->body->len)
    {
      fail_attempt (task, too_large_error (data), RANK_UNREADABLE, NEXT_HOST_AND_PATH);
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (bytes, NULL), size);
  read_more (task);
}

static void
read_more (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  /* Whole chunks even near the cap: libsoup's chunked decoder cannot read
   * fewer than three bytes at a time. At most one chunk goes past the cap
   * before on_read() refuses the body. */
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK,
                                   G_PRIORITY_DEFAULT, data->cancellable,
                                   on_read, g_object_ref (task));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  SoupMessageHeaders *headers;
  guint status;

  if (stream == NULL)
    {
      transport_failed (task, g_steal_pointer (&error));
      return;
    }

  data->stream = g_steal_pointer (&stream);
  status = soup_message_get_status (data->msg);
  headers = soup_message_get_response_headers (data->msg);

  if (!mq_client_response_needs_body (status))
    {
      g_debug ("%s%s: HTTP %u", current_host (data)->name, current_path (data), status);
      answer_received (task, NULL);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) data->max_body)
    {
      g_debug ("%s%s: HTTP %u, Content-Length %" G_GOFFSET_FORMAT " over the cap",
               current_host (data)->name, current_path (data), status,
               soup_message_headers_get_content_length (headers));
      fail_attempt (task, too_large_error (data), RANK_UNREADABLE, NEXT_HOST_AND_PATH);
      return;
    }

  data->body = g_byte_array_new ();
  read_more (task);
}

static void
start_request (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  MqClient *self = g_task_get_source_object (task);
  Host *host = current_host (data);
  g_autofree char *uri = g_strconcat (host->base_url, current_path (data), NULL);
  SoupMessageHeaders *headers;

  data->msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (data->msg == NULL)
    {
      fail_attempt (task,
                    g_error_new (MQ_ERROR, MQ_ERROR_NETWORK,
                                 _("“%s” is not a valid address. Check the base URL."),
                                 host->base_url),
                    RANK_NETWORK, NEXT_HOST_DEAD);
      return;
    }

  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Authorization", data->authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");

  g_debug ("GET %s%s", host->name, current_path (data));
  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT,
                           data->cancellable, on_sent, g_object_ref (task));
}

/* Moves to the next path with the hosts that earned another try there.
 * FALSE when there is none. */
static gboolean
advance_path (FetchData *data)
{
  gboolean any = FALSE;

  if (data->path_index + 1 >= G_N_ELEMENTS (paths))
    return FALSE;

  data->path_index++;
  data->host_index = 0;

  for (guint i = 0; i < data->hosts->len; i++)
    {
      Host *host = g_ptr_array_index (data->hosts, i);

      host->try_now = host->try_next && !host->dead && !data->region_rejected[host->region];
      host->try_next = FALSE;
      any = any || host->try_now;
    }

  return any;
}

static void
fetch_next (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (data->cancellable))
    {
      finish_cancelled (task);
      return;
    }

  for (;;)
    {
      Host *host;

      if (data->host_index >= data->hosts->len)
        {
          if (!advance_path (data))
            {
              finish_failed (task);
              return;
            }
          continue;
        }

      host = current_host (data);
      if (host->try_now && !host->dead && !data->region_rejected[host->region])
        break;
      data->host_index++;
    }

  start_request (task);
}

static gboolean
on_deadline (gpointer user_data)
{
  FetchData *data = user_data;

  g_debug ("total deadline of %u s reached", data->total_timeout);
  data->timed_out = TRUE;
  g_clear_pointer (&data->deadline, g_source_unref);
  g_cancellable_cancel (data->cancellable);

  return G_SOURCE_REMOVE;
}

static void
chain_cancel (GCancellable *cancellable,
              gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
add_region_hosts (MqClient  *self,
                  GPtrArray *hosts,
                  MqRegion   region)
{
  const char * const *bases = self->region_hosts[region] != NULL
    ? (const char * const *) self->region_hosts[region]
    : mq_region_get_base_urls (region);

  for (guint i = 0; bases[i] != NULL; i++)
    g_ptr_array_add (hosts, host_new (bases[i], region));
}

static MqRegion
first_region (MqClient *self)
{
  return self->preferred_region == MQ_REGION_CN ? MQ_REGION_CN : MQ_REGION_GLOBAL;
}

static gboolean
key_is_sendable (const char *key)
{
  for (const char *p = key; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || (guchar) *p == 0x7f)
      return FALSE;

  return TRUE;
}

void
mq_client_fetch_async (MqClient            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchData *data;

  g_return_if_fail (MQ_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mq_client_fetch_async);
  g_task_set_name (task, "mq_client_fetch_async");

  self->retry_after = 0;

  if (self->api_key == NULL)
    {
      g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_NO_KEY,
                               _("No MiniMax API key is set. Add one in Preferences or set MINIMAX_API_KEY."));
      return;
    }

  if (!key_is_sendable (self->api_key))
    {
      g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                               _("The API key contains spaces or control characters. Copy the key again, whole and alone."));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (FetchData, 1);
  g_task_set_task_data (task, data, fetch_data_free);

  data->hosts = g_ptr_array_new_with_free_func (host_free);
  if (self->base_url != NULL)
    {
      MqRegion region = self->region != MQ_REGION_AUTO ? self->region : first_region (self);

      g_ptr_array_add (data->hosts, host_new (self->base_url, region));
    }
  else if (self->region == MQ_REGION_AUTO)
    {
      MqRegion first = first_region (self);

      add_region_hosts (self, data->hosts, first);
      add_region_hosts (self, data->hosts,
                        first == MQ_REGION_GLOBAL ? MQ_REGION_CN : MQ_REGION_GLOBAL);
      data->auto_regions = TRUE;
    }
  else
    {
      add_region_hosts (self, data->hosts, self->region);
    }

  data->authorization = g_strconcat ("Bearer ", self->api_key, NULL);
  data->total_timeout = self->total_timeout;
  data->max_body = self->max_body;

  data->cancellable = g_cancellable_new ();
  data->client_cancellable = g_object_ref (self->cancellable);
  data->client_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (chain_cancel),
                                                data->cancellable, NULL);
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (chain_cancel),
                                                    data->cancellable, NULL);
    }

  data->deadline = g_timeout_source_new (self->total_timeout * 1000);
  g_source_set_callback (data->deadline, on_deadline, data, NULL);
  g_source_set_static_name (data->deadline, "[mq-client] deadline");
  g_source_attach (data->deadline, g_task_get_context (task));

  fetch_next (task);
}

MqSnapshot *
mq_client_fetch_finish (MqClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_client_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MqClient *
mq_client_new (void)
{
  return g_object_new (MQ_TYPE_CLIENT, NULL);
}

void
mq_client_set_region (MqClient *self,
                      MqRegion  region)
{
  g_return_if_fail (MQ_IS_CLIENT (self));
  g_return_if_fail (region <= MQ_REGION_CN);

  if (self->region == region)
    return;

  self->region = region;
  self->resolved_region = MQ_REGION_AUTO;
}

MqRegion
mq_client_get_region (MqClient *self)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), MQ_REGION_AUTO);

  return self->region;
}

MqRegion
mq_client_get_resolved_region (MqClient *self)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), MQ_REGION_AUTO);

  return self->resolved_region;
}

void
mq_client_set_preferred_region (MqClient *self,
                                MqRegion  region)
{
  g_return_if_fail (MQ_IS_CLIENT (self));
  g_return_if_fail (region <= MQ_REGION_CN);

  self->preferred_region = region == MQ_REGION_AUTO ? MQ_REGION_GLOBAL : region;
}

gboolean
mq_client_set_base_url (MqClient    *self,
                        const char  *base_url,
                        GError     **error)
{
  g_autofree char *trimmed = NULL;
  gsize len;

  g_return_val_if_fail (MQ_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (base_url == NULL || *base_url == '\0')
    {
      g_clear_pointer (&self->base_url, g_free);
      return TRUE;
    }

  if (!mq_base_url_validate (base_url, error))
    return FALSE;

  trimmed = g_strdup (base_url);
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';

  g_free (self->base_url);
  self->base_url = g_steal_pointer (&trimmed);
  return TRUE;
}

const char *
mq_client_get_base_url (MqClient *self)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), NULL);

  return self->base_url;
}

void
mq_client_set_api_key (MqClient   *self,
                       const char *api_key)
{
  char *copy = NULL;

  g_return_if_fail (MQ_IS_CLIENT (self));

  if (api_key != NULL)
    {
      copy = g_strstrip (g_strdup (api_key));
      if (*copy == '\0')
        g_clear_pointer (&copy, wipe_free);
    }

  wipe_free (self->api_key);
  self->api_key = copy;
}

gboolean
mq_client_has_api_key (MqClient *self)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), FALSE);

  return self->api_key != NULL;
}

void
mq_client_set_timeouts (MqClient *self,
                        guint     connect_seconds,
                        guint     total_seconds)
{
  g_return_if_fail (MQ_IS_CLIENT (self));

  self->connect_timeout = connect_seconds > 0 ? connect_seconds : MQ_CLIENT_DEFAULT_CONNECT_TIMEOUT;
  self->total_timeout = total_seconds > 0 ? total_seconds : MQ_CLIENT_DEFAULT_TOTAL_TIMEOUT;
  soup_session_set_timeout (self->session, self->connect_timeout);
}

void
mq_client_set_max_body_size (MqClient *self,
                             gsize     max_bytes)
{
  g_return_if_fail (MQ_IS_CLIENT (self));

  self->max_body = max_bytes > 0 ? max_bytes : MQ_CLIENT_DEFAULT_MAX_BODY;
}

guint
mq_client_get_retry_after (MqClient *self)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), 0);

  return self->retry_after;
}

void
mq_client_override_hosts (MqClient           *self,
                          MqRegion            region,
                          const char * const *base_urls)
{
  g_return_if_fail (MQ_IS_CLIENT (self));
  g_return_if_fail (region == MQ_REGION_GLOBAL || region == MQ_REGION_CN);

  g_clear_pointer (&self->region_hosts[region], g_strfreev);
  self->region_hosts[region] = g_strdupv ((char **) base_urls);
}

static void
mq_client_dispose (GObject *object)
{
  MqClient *self = MQ_CLIENT (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (mq_client_parent_class)->dispose (object);
}

static void
mq_client_finalize (GObject *object)
{
  MqClient *self = MQ_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->base_url, g_free);
  for (guint i = 0; i < N_REGIONS; i++)
    g_clear_pointer (&self->region_hosts[i], g_strfreev);
  g_clear_pointer (&self->api_key, wipe_free);

  G_OBJECT_CLASS (mq_client_parent_class)->finalize (object);
}

static void
mq_client_class_init (MqClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_client_dispose;
  object_class->finalize = mq_client_finalize;
}

static void
mq_client_init (MqClient *self)
{
  self->region = MQ_REGION_AUTO;
  self->preferred_region = MQ_REGION_GLOBAL;
  self->resolved_region = MQ_REGION_AUTO;
  self->connect_timeout = MQ_CLIENT_DEFAULT_CONNECT_TIMEOUT;
  self->total_timeout = MQ_CLIENT_DEFAULT_TOTAL_TIMEOUT;
  self->max_body = MQ_CLIENT_DEFAULT_MAX_BODY;
  self->cancellable = g_cancellable_new ();
  self->session = soup_session_new_with_options ("user-agent", USER_AGENT,
                                                 "timeout", self->connect_timeout,
                                                 NULL);
}
