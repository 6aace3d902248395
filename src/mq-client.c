/* mq-client.c: fetches the remains (or balance) endpoint with libsoup 3
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
#include "mq-fetch-plan.h"
#include "mq-response.h"
#include "mq-secret.h"

#define USER_AGENT        "leeway/" PACKAGE_VERSION
#define READ_CHUNK        (64 * 1024)
#define N_REGIONS         (MQ_REGION_CN + 1)

static const char * const paths[] = {
  MQ_PATH_CURRENT,
  MQ_PATH_LEGACY_1,
  MQ_PATH_LEGACY_2,
  NULL,
};

/* Pay-as-you-go keys: one path, no legacy ones. */
static const char * const balance_paths[] = {
  MQ_PATH_BALANCE,
  NULL,
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
};

G_DEFINE_FINAL_TYPE (MqClient, mq_client, G_TYPE_OBJECT)

typedef struct {
  MqFetchPlan  *plan;
  gboolean      balance;          /* the balance endpoint: an MqBalance */
  guint         retry_after;      /* of the answer that stopped the walk */

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

  /* the attempt in flight */
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
} FetchData;

static void fetch_next (GTask *task);

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
  g_clear_pointer (&data->plan, mq_fetch_plan_free);
  mq_secret_free_key (g_steal_pointer (&data->authorization));
  g_free (data);
}

static const char *
current_host_name (FetchData *data)
{
  return mq_fetch_plan_get_host_name (data->plan);
}

static const char *
current_path (FetchData *data)
{
  return mq_fetch_plan_get_path (data->plan);
}

static void
finish_failed (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  GError *error;

  clear_deadline (data);
  clear_attempt (data);

  error = mq_fetch_plan_take_error (data->plan);
  if (error == NULL)
    g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_NETWORK,
                             _("There is no MiniMax server to ask for this region. Check the region setting."));
  else
    g_task_return_error (task, error);
}

static void
finish_cancelled (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  if (data->timed_out)
    {
      mq_fetch_plan_record (data->plan,
                            g_error_new (MQ_ERROR, MQ_ERROR_TIMEOUT,
                                         g_dngettext (GETTEXT_PACKAGE,
                                                      "MiniMax did not answer within %u second. Try again later.",
                                                      "MiniMax did not answer within %u seconds. Try again later.",
                                                      data->total_timeout),
                                         data->total_timeout));
      finish_failed (task);
      return;
    }

  clear_deadline (data);
  clear_attempt (data);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The quota check was cancelled."));
}

static void
finish_success (GTask          *task,
                gpointer        result,
                GDestroyNotify  result_free)
{
  FetchData *data = g_task_get_task_data (task);
  MqClient *self = g_task_get_source_object (task);
  MqRegion region = mq_fetch_plan_get_region (data->plan);

  self->resolved_region = region;
  if (self->region == MQ_REGION_AUTO && self->base_url == NULL)
    self->preferred_region = region;

  clear_deadline (data);
  clear_attempt (data);
  g_task_return_pointer (task, result, result_free);
}

/* Records @error (taken), met on an answer with @status (0: none), and
 * goes on with the plan. */
static void
fail_attempt (GTask  *task,
              GError *error,
              guint   status)
{
  FetchData *data = g_task_get_task_data (task);
  gboolean go_on;

  g_debug ("%s%s failed: %s", current_host_name (data), current_path (data),
           mq_error_code_nick (error));

  go_on = mq_fetch_plan_fail (data->plan, error, status);
  clear_attempt (data);

  if (go_on)
    fetch_next (task);
  else
    finish_failed (task);
}

static void
transport_failed (GTask  *task,
                  GError *error_in)
{
  FetchData *data = g_task_get_task_data (task);
  MqClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = error_in;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (data->cancellable))
    {
      finish_cancelled (task);
      return;
    }

  fail_attempt (task,
                mq_response_transport_error (error, current_host_name (data), self->connect_timeout),
                0);
}

/* The answer is in: status and headers, and the body when it was read
 * (NULL otherwise). */
static void
answer_received (GTask  *task,
                 GBytes *body)
{
  FetchData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->msg);
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  gint64 now_ms = g_get_real_time () / 1000;
  MqRegion region = mq_fetch_plan_get_region (data->plan);
  g_autoptr(GError) error = NULL;
  gpointer result;
  GDestroyNotify result_free;

  if (data->balance)
    {
      result = mq_response_read_balance (status, headers, body, current_host_name (data),
                                         now_ms, region, &data->retry_after, &error);
      result_free = (GDestroyNotify) mq_balance_unref;
    }
  else
    {
      result = mq_response_read (status, headers, body, current_host_name (data),
                                 now_ms, region, &data->retry_after, &error);
      result_free = (GDestroyNotify) mq_snapshot_unref;
    }

  if (result != NULL)
    finish_success (task, result, result_free);
  else
    fail_attempt (task, g_steal_pointer (&error), status);
}

static GError *
too_large_error (FetchData *data)
{
  return mq_response_too_large_error (current_host_name (data), data->max_body);
}

/* The whole body of a 200, 401 or 403 is in data->body. */
static void
body_complete (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;

  g_debug ("%s%s: HTTP %u, %u bytes", current_host_name (data), current_path (data),
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
          fail_attempt (task,
                        g_error_new (MQ_ERROR, MQ_ERROR_NETWORK,
                                     _("The connection to %s broke off before the whole answer arrived. Check your network connection."),
                                     current_host_name (data)),
                        soup_message_get_status (data->msg));
          return;
        }
      body_complete (task);
      return;
    }

  if (size > data->max_body - data->body->len)
    {
      fail_attempt (task, too_large_error (data), soup_message_get_status (data->msg));
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

  if (!mq_response_needs_body (status))
    {
      g_debug ("%s%s: HTTP %u", current_host_name (data), current_path (data), status);
      answer_received (task, NULL);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) data->max_body)
    {
      g_debug ("%s%s: HTTP %u, Content-Length %" G_GOFFSET_FORMAT " over the cap",
               current_host_name (data), current_path (data), status,
               soup_message_headers_get_content_length (headers));
      fail_attempt (task, too_large_error (data), soup_message_get_status (data->msg));
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
  const char *base_url = mq_fetch_plan_get_base_url (data->plan);
  g_autofree char *uri = g_strconcat (base_url, current_path (data), NULL);
  SoupMessageHeaders *headers;

  data->msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (data->msg == NULL)
    {
      fail_attempt (task,
                    g_error_new (MQ_ERROR, MQ_ERROR_NETWORK,
                                 _("“%s” is not a valid address. Check the base URL."),
                                 base_url),
                    0);
      return;
    }

  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Authorization", data->authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");

  g_debug ("GET %s%s", current_host_name (data), current_path (data));
  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT,
                           data->cancellable, on_sent, g_object_ref (task));
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

  if (!mq_fetch_plan_next (data->plan))
    {
      finish_failed (task);
      return;
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
add_region_hosts (MqClient    *self,
                  MqFetchPlan *plan,
                  MqRegion     region)
{
  const char * const *bases = self->region_hosts[region] != NULL
    ? (const char * const *) self->region_hosts[region]
    : mq_region_get_base_urls (region);

  for (guint i = 0; bases[i] != NULL; i++)
    mq_fetch_plan_add_host (plan, bases[i], region);
}

static MqRegion
first_region (MqClient *self)
{
  return self->preferred_region == MQ_REGION_CN ? MQ_REGION_CN : MQ_REGION_GLOBAL;
}

gboolean
mq_api_key_check (const char  *key,
                  GError     **error)
{
  gsize length;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  length = strlen (key);
  if (length > MQ_API_KEY_MAX_LENGTH)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                   _("The API key is %lu characters long, far longer than a MiniMax key. Copy the key again, whole and alone."),
                   (unsigned long) length);
      return FALSE;
    }

  for (const char *p = key; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || (guchar) *p == 0x7f)
      {
        g_set_error_literal (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                             _("The API key contains spaces or control characters. Copy the key again, whole and alone."));
        return FALSE;
      }

  return TRUE;
}

/* One fetch of the quota (@balance FALSE) or of the balance: the same
 * hosts, deadline, caps and key checks; only the paths and the reading
 * of the body differ. */
static void
start_fetch (MqClient            *self,
             gboolean             balance,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  FetchData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  if (balance)
    {
      g_task_set_source_tag (task, mq_client_fetch_balance_async);
      g_task_set_name (task, "mq_client_fetch_balance_async");
    }
  else
    {
      g_task_set_source_tag (task, mq_client_fetch_async);
      g_task_set_name (task, "mq_client_fetch_async");
    }

  if (self->api_key == NULL)
    {
      g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_NO_KEY,
                               _("No MiniMax API key is set. Add one in Preferences or set MINIMAX_API_KEY."));
      return;
    }

  /* Refused before sending: a server would only answer with a status
   * that does not say why (a 100 KB key gets HTTP 431). */
  if (!mq_api_key_check (self->api_key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (FetchData, 1);
  g_task_set_task_data (task, data, fetch_data_free);

  data->balance = balance;
  data->plan = mq_fetch_plan_new (balance ? balance_paths : paths,
                                  self->base_url == NULL && self->region == MQ_REGION_AUTO);
  if (self->base_url != NULL)
    {
      MqRegion region = self->region != MQ_REGION_AUTO ? self->region : first_region (self);

      mq_fetch_plan_add_host (data->plan, self->base_url, region);
    }
  else if (self->region == MQ_REGION_AUTO)
    {
      MqRegion first = first_region (self);

      add_region_hosts (self, data->plan, first);
      add_region_hosts (self, data->plan,
                        first == MQ_REGION_GLOBAL ? MQ_REGION_CN : MQ_REGION_GLOBAL);
    }
  else
    {
      add_region_hosts (self, data->plan, self->region);
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

void
mq_client_fetch_async (MqClient            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (MQ_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_fetch (self, FALSE, cancellable, callback, user_data);
}

void
mq_client_fetch_balance_async (MqClient            *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (MQ_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_fetch (self, TRUE, cancellable, callback, user_data);
}

/* The seconds of Retry-After of a failed fetch, 0 otherwise. */
static guint
task_retry_after (GTask *task)
{
  /* No task data: the fetch ended before any request (no key, cancelled). */
  FetchData *data = g_task_get_task_data (task);

  return data != NULL && g_task_had_error (task) ? data->retry_after : 0;
}

MqBalance *
mq_client_fetch_balance_finish (MqClient      *self,
                                GAsyncResult  *result,
                                guint         *retry_after_s,
                                GError       **error)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_client_fetch_balance_async, NULL);

  if (retry_after_s != NULL)
    *retry_after_s = task_retry_after (G_TASK (result));

  return g_task_propagate_pointer (G_TASK (result), error);
}

MqSnapshot *
mq_client_fetch_finish_full (MqClient      *self,
                             GAsyncResult  *result,
                             guint         *retry_after_s,
                             GError       **error)
{
  g_return_val_if_fail (MQ_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_client_fetch_async, NULL);

  if (retry_after_s != NULL)
    *retry_after_s = task_retry_after (G_TASK (result));

  return g_task_propagate_pointer (G_TASK (result), error);
}

MqSnapshot *
mq_client_fetch_finish (MqClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return mq_client_fetch_finish_full (self, result, NULL, error);
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
        g_clear_pointer (&copy, mq_secret_free_key);
    }

  mq_secret_free_key (self->api_key);
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
  g_clear_pointer (&self->api_key, mq_secret_free_key);

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
