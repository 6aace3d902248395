/* mq-test-server.c: a loopback HTTP server for tests, benchmarks and e2e */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "mq-test-server.h"

#define NOT_FOUND_BODY "{\"error\":\"no route for this path\"}"

typedef struct {
  guint       status;
  char       *content_type;
  GBytes     *body;            /* a fixed body, or NULL */
  char       *filename;        /* read on every request when set */
  gboolean    has_answer;      /* set_route*() was called */
  GHashTable *headers;         /* name -> value */
  guint       delay_ms;
  gboolean    drop;
  gssize      truncate;        /* -1: off */
  gboolean    chunked;
} Route;

struct _MqTestServer {
  SoupServer         *server;
  GMainContext       *context;
  GHashTable         *routes;       /* path -> Route */
  GHashTable         *hits;         /* path -> GUINT_TO_POINTER (count) */
  guint               total_hits;
  SoupMessageHeaders *last_headers;
  char               *last_path;
  GList              *pending;      /* Pending, answers waiting for a delay */
  guint               port;
};

typedef struct {
  MqTestServer      *server;
  SoupServerMessage *msg;
  char              *path;
  GSource           *source;
  gulong             finished_id;
  gulong             disconnected_id;
} Pending;

typedef struct {
  GIOStream *stream;
  GBytes    *data;
} RawWrite;

static void
route_free (gpointer data)
{
  Route *route = data;

  g_free (route->content_type);
  g_clear_pointer (&route->body, g_bytes_unref);
  g_free (route->filename);
  g_hash_table_unref (route->headers);
  g_free (route);
}

static Route *
ensure_route (MqTestServer *self,
              const char   *path)
{
  Route *route = g_hash_table_lookup (self->routes, path);

  if (route == NULL)
    {
      route = g_new0 (Route, 1);
      route->status = SOUP_STATUS_NOT_FOUND;
      route->truncate = -1;
      route->headers = g_hash_table_new_full (g_str_hash, g_str_equal,
                                              g_free, g_free);
      g_hash_table_insert (self->routes, g_strdup (path), route);
    }

  return route;
}

static const char *
content_type_for_filename (const char *filename)
{
  if (g_str_has_suffix (filename, ".json"))
    return "application/json";
  if (g_str_has_suffix (filename, ".html") || g_str_has_suffix (filename, ".htm"))
    return "text/html; charset=UTF-8";
  return "text/plain; charset=UTF-8";
}

static const char *
reason_phrase (guint status)
{
  /* libsoup 3.2 has no phrase for 429. */
  if (status == 429)
    return "Too Many Requests";
  return soup_status_get_phrase (status);
}

static void
raw_write_free (RawWrite *raw)
{
  g_clear_object (&raw->stream);
  g_clear_pointer (&raw->data, g_bytes_unref);
  g_free (raw);
}

static void
raw_write_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawWrite *raw = user_data;

  /* The peer may have gone already; either way the connection ends here. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close (raw->stream, NULL, NULL);
  raw_write_free (raw);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* Writes the head with the full Content-Length and only part of the body by
 * hand on the stolen connection, then closes it. */
static void
send_truncated (SoupServerMessage *msg,
                guint              status,
                const char        *content_type,
                GBytes            *body,
                GHashTable        *headers,
                gsize              bytes)
{
  g_autoptr(GString) raw = g_string_new (NULL);
  GIOStream *stream;
  GHashTableIter iter;
  gpointer key, value;
  gsize body_len = body != NULL ? g_bytes_get_size (body) : 0;
  RawWrite *write;

  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\n", status, reason_phrase (status));
  if (content_type != NULL)
    g_string_append_printf (raw, "Content-Type: %s\r\n", content_type);
  g_hash_table_iter_init (&iter, headers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (raw, "%s: %s\r\n", (const char *) key, (const char *) value);
  g_string_append_printf (raw, "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n", body_len);
  if (body != NULL)
    g_string_append_len (raw, g_bytes_get_data (body, NULL), MIN (bytes, body_len));

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  write = g_new0 (RawWrite, 1);
  write->stream = stream;
  write->data = g_string_free_to_bytes (g_steal_pointer (&raw));
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (write->data, NULL),
                                   g_bytes_get_size (write->data),
                                   G_PRIORITY_DEFAULT, NULL,
                                   raw_write_done, write);
}

/* Fills in the answer of @path. Returns FALSE when the connection was taken
 * away from the server (dropped or written by hand): @msg may be gone. */
static gboolean
answer (MqTestServer      *self,
        SoupServerMessage *msg,
        const char        *path)
{
  Route *route = g_hash_table_lookup (self->routes, path);
  g_autoptr(GBytes) body = NULL;
  const char *content_type;
  guint status;
  SoupMessageHeaders *response_headers;
  GHashTableIter iter;
  gpointer key, value;

  if (route != NULL && route->drop)
    {
      drop_connection (msg);
      return FALSE;
    }

  if (route == NULL || !route->has_answer)
    {
      status = SOUP_STATUS_NOT_FOUND;
      content_type = "application/json";
      body = g_bytes_new_static (NOT_FOUND_BODY, strlen (NOT_FOUND_BODY));
    }
  else if (route->filename != NULL)
    {
      g_autoptr(GError) error = NULL;
      char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (route->filename, &contents, &length, &error))
        {
          status = route->status;
          content_type = route->content_type;
          body = g_bytes_new_take (contents, length);
        }
      else
        {
          g_autofree char *text = g_strdup_printf ("test server: %s\n", error->message);

          g_warning ("mq-test-server: %s", error->message);
          status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
          content_type = "text/plain; charset=UTF-8";
          body = g_bytes_new (text, strlen (text));
        }
    }
  else
    {
      status = route->status;
      content_type = route->content_type;
      body = route->body != NULL ? g_bytes_ref (route->body) : NULL;
    }

  if (route != NULL && route->truncate >= 0)
    {
      send_truncated (msg, status, content_type, body, route->headers,
                      (gsize) route->truncate);
      return FALSE;
    }

  soup_server_message_set_status (msg, status, reason_phrase (status));
  response_headers = soup_server_message_get_response_headers (msg);

  if (route != NULL)
    {
      g_hash_table_iter_init (&iter, route->headers);
      while (g_hash_table_iter_next (&iter, &key, &value))
        soup_message_headers_replace (response_headers, key, value);
    }

  if (content_type != NULL)
    soup_message_headers_set_content_type (response_headers, content_type, NULL);

  if (route != NULL && route->chunked)
    {
      SoupMessageBody *response_body = soup_server_message_get_response_body (msg);

      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      if (body != NULL && g_bytes_get_size (body) > 0)
        soup_message_body_append_bytes (response_body, body);
      soup_message_body_complete (response_body);
    }
  else if (body != NULL)
    {
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
    }

  return TRUE;
}

static void
pending_free (Pending *pending)
{
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_source_unref (pending->source);
    }
  g_clear_object (&pending->msg);
  g_free (pending->path);
  g_free (pending);
}

static void
pending_forget (Pending *pending)
{
  pending->server->pending = g_list_remove (pending->server->pending, pending);
  pending_free (pending);
}

/* The client went away before the delay ran out: nothing left to answer. */
static void
pending_gone (SoupServerMessage *msg,
              gpointer           user_data)
{
  pending_forget (user_data);
}

static gboolean
pending_fire (gpointer user_data)
{
  Pending *pending = user_data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  MqTestServer *self = pending->server;
  g_autofree char *path = g_strdup (pending->path);

  /* Forget first: answer() may free the message's connection. */
  pending_forget (pending);

  if (answer (self, msg, path))
    soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  MqTestServer *self = user_data;
  Route *route = g_hash_table_lookup (self->routes, path);
  guint hits = GPOINTER_TO_UINT (g_hash_table_lookup (self->hits, path));

  g_hash_table_replace (self->hits, g_strdup (path), GUINT_TO_POINTER (hits + 1));
  self->total_hits++;
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  g_free (self->last_path);
  self->last_path = g_strdup (path);

  if (route != NULL && route->delay_ms > 0)
    {
      Pending *pending = g_new0 (Pending, 1);

      pending->server = self;
      pending->msg = g_object_ref (msg);
      pending->path = g_strdup (path);
      pending->source = g_timeout_source_new (route->delay_ms);
      g_source_set_callback (pending->source, pending_fire, pending, NULL);
      g_source_attach (pending->source, self->context);
      pending->finished_id = g_signal_connect (msg, "finished",
                                               G_CALLBACK (pending_gone), pending);
      pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                                   G_CALLBACK (pending_gone), pending);
      self->pending = g_list_prepend (self->pending, pending);
      soup_server_message_pause (msg);
      return;
    }

  answer (self, msg, path);
}

MqTestServer *
mq_test_server_new_on_port (guint    port,
                            GError **error)
{
  g_autoptr(MqTestServer) self = g_new0 (MqTestServer, 1);
  g_autoslist(GUri) uris = NULL;

  g_return_val_if_fail (port <= G_MAXUINT16, NULL);

  self->context = g_main_context_ref_thread_default ();
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  self->hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->server = soup_server_new ("server-header", "mq-test-server ", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "the test server has no listening address");
      return NULL;
    }
  self->port = (guint) g_uri_get_port (uris->data);

  return g_steal_pointer (&self);
}

MqTestServer *
mq_test_server_new (void)
{
  g_autoptr(GError) error = NULL;
  MqTestServer *self = mq_test_server_new_on_port (0, &error);

  if (self == NULL)
    g_error ("mq-test-server: cannot listen on 127.0.0.1: %s", error->message);

  return self;
}

char *
mq_test_server_get_base_url (MqTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

guint
mq_test_server_get_port (MqTestServer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

void
mq_test_server_set_route (MqTestServer *self,
                          const char   *path,
                          guint         status,
                          const char   *content_type,
                          const char   *body,
                          gssize        len)
{
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  route = ensure_route (self, path);
  route->has_answer = TRUE;
  route->status = status;
  g_free (route->content_type);
  route->content_type = g_strdup (content_type);
  g_clear_pointer (&route->filename, g_free);
  g_clear_pointer (&route->body, g_bytes_unref);
  if (body != NULL)
    route->body = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);
}

void
mq_test_server_set_route_file (MqTestServer *self,
                               const char   *path,
                               guint         status,
                               const char   *filename)
{
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (filename != NULL);

  route = ensure_route (self, path);
  route->has_answer = TRUE;
  route->status = status;
  g_free (route->content_type);
  route->content_type = g_strdup (content_type_for_filename (filename));
  g_clear_pointer (&route->body, g_bytes_unref);
  g_free (route->filename);
  route->filename = g_strdup (filename);
}

void
mq_test_server_set_route_fixture (MqTestServer *self,
                                  const char   *path,
                                  guint         status,
                                  const char   *fixture)
{
  g_autofree char *filename = NULL;

  g_return_if_fail (fixture != NULL);

  if (g_test_initialized ())
    {
      filename = g_test_build_filename (G_TEST_DIST, "data", fixture, NULL);
    }
  else
    {
      const char *srcdir = g_getenv ("G_TEST_SRCDIR");

      filename = g_build_filename (srcdir != NULL ? srcdir : MQ_TEST_SRCDIR,
                                   "data", fixture, NULL);
    }

  if (!g_file_test (filename, G_FILE_TEST_IS_REGULAR))
    g_error ("mq-test-server: no fixture %s", filename);

  mq_test_server_set_route_file (self, path, status, filename);
}

void
mq_test_server_remove_route (MqTestServer *self,
                             const char   *path)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  g_hash_table_remove (self->routes, path);
}

void
mq_test_server_set_header (MqTestServer *self,
                           const char   *path,
                           const char   *name,
                           const char   *value)
{
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (name != NULL);

  route = ensure_route (self, path);
  if (value != NULL)
    g_hash_table_replace (route->headers, g_strdup (name), g_strdup (value));
  else
    g_hash_table_remove (route->headers, name);
}

void
mq_test_server_set_delay_ms (MqTestServer *self,
                             const char   *path,
                             guint         ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  ensure_route (self, path)->delay_ms = ms;
}

void
mq_test_server_set_drop (MqTestServer *self,
                         const char   *path,
                         gboolean      drop)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  ensure_route (self, path)->drop = drop;
}

void
mq_test_server_set_truncate (MqTestServer *self,
                             const char   *path,
                             gssize        bytes)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  ensure_route (self, path)->truncate = bytes < 0 ? -1 : bytes;
}

void
mq_test_server_set_chunked (MqTestServer *self,
                            const char   *path,
                            gboolean      chunked)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);

  ensure_route (self, path)->chunked = chunked;
}

guint
mq_test_server_get_hits (MqTestServer *self,
                         const char   *path)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->hits, path));
}

guint
mq_test_server_get_total_hits (MqTestServer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->total_hits;
}

char *
mq_test_server_dup_last_header (MqTestServer *self,
                                const char   *name)
{
  const char *value;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (self->last_headers == NULL)
    return NULL;

  value = soup_message_headers_get_list (self->last_headers, name);
  return g_strdup (value);
}

char *
mq_test_server_dup_last_path (MqTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup (self->last_path);
}

void
mq_test_server_free (MqTestServer *self)
{
  if (self == NULL)
    return;

  g_list_free_full (g_steal_pointer (&self->pending), (GDestroyNotify) pending_free);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  g_clear_pointer (&self->routes, g_hash_table_unref);
  g_clear_pointer (&self->hits, g_hash_table_unref);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  g_free (self->last_path);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self);
}
