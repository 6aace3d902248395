/* mq-test-server.c: a loopback HTTP server for tests, benchmarks and e2e */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <libsoup/soup.h>

#include "mq-test-server.h"

#define NOT_FOUND_BODY "{\"error\":\"no route for this path\"}"

/* The streamed faults write the body in pieces of this size, and ask the
 * kernel for a send buffer of about this size, so that what they count as
 * sent is close to what the client took. */
#define STREAM_PIECE   (64 * 1024)
#define STALL_HEAD     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" \
                       "Content-Length: 4096\r\n\r\n"
#define HUGE_PREFIX    "{\"model_remains\":["
#define DRIP_MS        100
/* 64 bytes: a piece is 1,024 of these lines. */
#define HEADER_LINE    "X-Filler: 0123456789012345678901234567890123456789012345678901\r\n"
#define FAULT_STATUS   "{\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}"

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
  MqTestFault fault;
  char       *fault_argument;
  guint       fault_requests;  /* answered since the fault was set */
  GHashTable *key_answers;     /* API key -> KeyAnswer, or NULL */
  GHashTable *key_hits;        /* API key -> GUINT_TO_POINTER (count), or NULL */
} Route;

/* What a route answers to one API key. */
typedef struct {
  guint   status;
  char   *content_type;
  GBytes *body;
} KeyAnswer;

static void
key_answer_free (gpointer data)
{
  KeyAnswer *answer = data;

  g_free (answer->content_type);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer);
}

/* MiniMax's answer to a key it does not know. */
#define UNKNOWN_KEY_BODY "{\"base_resp\":{\"status_code\":2049,\"status_msg\":\"invalid api key\"}}"

/* The key of "Authorization: Bearer KEY", NULL without one. */
static const char *
request_key (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (value == NULL || !g_str_has_prefix (value, "Bearer "))
    return NULL;
  return value + strlen ("Bearer ");
}

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
  gboolean            https;

  GCancellable       *cancellable;  /* cancelled when freed: ends every Stream */
  GList              *streams;      /* Stream, connections written by hand */
  GHashTable         *streamed;     /* path -> guint64 *, bytes after the head */
  guint               held;         /* streams holding a stalled connection */
};

/* A connection taken from libsoup and written by hand: a head, then
 * either a body streamed piece by piece or nothing at all while the
 * connection is held open until the peer leaves. */
typedef struct {
  MqTestServer  *server;
  GIOStream     *stream;
  char          *path;
  GBytes        *head;
  guint64        body_size;
  guint64        body_done;      /* body bytes (without framing) handed out */
  gboolean       chunked;
  gboolean       hold;
  gboolean       held;
  gboolean       ending;         /* the final chunk was written */
  gboolean       header_lines;   /* the "body" is header lines */
  gboolean       drip;           /* one byte per DRIP_MS, for ever */
  GSource       *drip_source;
  char           chunk_head[32];
  GOutputVector  vectors[3];
  guint8         read_buffer[256];
} Stream;

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
  g_free (route->fault_argument);
  g_clear_pointer (&route->key_answers, g_hash_table_unref);
  g_clear_pointer (&route->key_hits, g_hash_table_unref);
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

/* ---- Connections written by hand, piece by piece ----------------------- */

static const char *
header_piece (void)
{
  static char piece[STREAM_PIECE];
  static gsize made = 0;

  G_STATIC_ASSERT (STREAM_PIECE % (sizeof HEADER_LINE - 1) == 0);

  if (g_once_init_enter (&made))
    {
      for (gsize i = 0; i < STREAM_PIECE; i += sizeof HEADER_LINE - 1)
        memcpy (piece + i, HEADER_LINE, sizeof HEADER_LINE - 1);
      g_once_init_leave (&made, 1);
    }

  return piece;
}

static const char *
filler_piece (gboolean first)
{
  static char first_piece[STREAM_PIECE];
  static char piece[STREAM_PIECE];
  static gsize made = 0;

  /* Spaces are valid JSON between tokens: the body reads as the start of
   * an answer that never ends. */
  if (g_once_init_enter (&made))
    {
      memset (piece, ' ', STREAM_PIECE);
      memset (first_piece, ' ', STREAM_PIECE);
      memcpy (first_piece, HUGE_PREFIX, strlen (HUGE_PREFIX));
      g_once_init_leave (&made, 1);
    }

  return first ? first_piece : piece;
}

static void
stream_free (Stream *stream)
{
  if (stream->server != NULL)
    {
      stream->server->streams = g_list_remove (stream->server->streams, stream);
      if (stream->held)
        stream->server->held--;
    }
  if (stream->drip_source != NULL)
    {
      g_source_destroy (stream->drip_source);
      g_clear_pointer (&stream->drip_source, g_source_unref);
    }
  if (stream->stream != NULL)
    g_io_stream_close (stream->stream, NULL, NULL);
  g_clear_object (&stream->stream);
  g_clear_pointer (&stream->head, g_bytes_unref);
  g_free (stream->path);
  g_free (stream);
}

static void
stream_count (Stream *stream,
              gsize   bytes)
{
  guint64 *total;

  if (stream->server == NULL || bytes == 0)
    return;

  total = g_hash_table_lookup (stream->server->streamed, stream->path);
  if (total == NULL)
    {
      total = g_new0 (guint64, 1);
      g_hash_table_insert (stream->server->streamed, g_strdup (stream->path), total);
    }
  *total += bytes;
}

static void stream_write_piece (Stream *stream);

static gboolean
on_drip (gpointer user_data)
{
  Stream *stream = user_data;

  g_clear_pointer (&stream->drip_source, g_source_unref);
  if (stream->server == NULL)
    stream_free (stream);
  else
    stream_write_piece (stream);

  return G_SOURCE_REMOVE;
}

static void
on_peer_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Stream *stream = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  /* Anything the client sends on a stalled connection is ignored; end of
   * stream, an error or the server going away ends the hold. */
  if (n > 0 && stream->server != NULL)
    {
      g_input_stream_read_async (g_io_stream_get_input_stream (stream->stream),
                                 stream->read_buffer, sizeof stream->read_buffer,
                                 G_PRIORITY_DEFAULT, stream->server->cancellable,
                                 on_peer_read, stream);
      return;
    }

  stream_free (stream);
}

static void
on_piece_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Stream *stream = user_data;
  gsize written = 0;
  gboolean ok;

  ok = g_output_stream_writev_all_finish (G_OUTPUT_STREAM (source), result, &written, NULL);
  stream_count (stream, written);

  /* Stopped by the client closing (a broken pipe or a reset), or by the
   * server going away. */
  if (!ok || stream->server == NULL || stream->ending)
    {
      stream_free (stream);
      return;
    }

  if (stream->drip)
    {
      stream->drip_source = g_timeout_source_new (DRIP_MS);
      g_source_set_callback (stream->drip_source, on_drip, stream, NULL);
      g_source_attach (stream->drip_source, stream->server->context);
      return;
    }

  stream_write_piece (stream);
}

static void
stream_write_piece (Stream *stream)
{
  GOutputStream *output = g_io_stream_get_output_stream (stream->stream);
  gsize size = (gsize) MIN (stream->body_size - stream->body_done, STREAM_PIECE);
  guint n = 0;

  if (stream->drip)
    {
      stream->vectors[n].buffer = "1\r\n \r\n";
      stream->vectors[n++].size = 6;
      g_output_stream_writev_all_async (output, stream->vectors, n, G_PRIORITY_DEFAULT,
                                        stream->server->cancellable, on_piece_written, stream);
      return;
    }

  if (size == 0 && !stream->chunked)
    {
      stream_free (stream);
      return;
    }

  if (size == 0)
    {
      stream->ending = TRUE;
      stream->vectors[n].buffer = "0\r\n\r\n";
      stream->vectors[n++].size = 5;
    }
  else
    {
      if (stream->chunked)
        {
          g_snprintf (stream->chunk_head, sizeof stream->chunk_head, "%" G_GSIZE_MODIFIER "x\r\n", size);
          stream->vectors[n].buffer = stream->chunk_head;
          stream->vectors[n++].size = strlen (stream->chunk_head);
        }
      stream->vectors[n].buffer = stream->header_lines ? header_piece ()
                                                       : filler_piece (stream->body_done == 0);
      stream->vectors[n++].size = size;
      if (stream->chunked)
        {
          stream->vectors[n].buffer = "\r\n";
          stream->vectors[n++].size = 2;
        }
      stream->body_done += size;
    }

  g_output_stream_writev_all_async (output, stream->vectors, n, G_PRIORITY_DEFAULT,
                                    stream->server->cancellable, on_piece_written, stream);
}

static void
on_head_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Stream *stream = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL) ||
      stream->server == NULL)
    {
      stream_free (stream);
      return;
    }

  if (stream->hold)
    {
      stream->held = TRUE;
      stream->server->held++;
      g_input_stream_read_async (g_io_stream_get_input_stream (stream->stream),
                                 stream->read_buffer, sizeof stream->read_buffer,
                                 G_PRIORITY_DEFAULT, stream->server->cancellable,
                                 on_peer_read, stream);
      return;
    }

  stream_write_piece (stream);
}

/* Takes the connection of @msg from libsoup and writes @head, then the
 * body or the hold. */
static Stream *
stream_start (MqTestServer      *self,
              SoupServerMessage *msg,
              const char        *path,
              const char        *head,
              guint64            body_size,
              gboolean           chunked,
              gboolean           hold)
{
  GIOStream *io_stream = soup_server_message_steal_connection (msg);
  Stream *stream;

  if (io_stream == NULL)
    return NULL;

  if (G_IS_SOCKET_CONNECTION (io_stream))
    {
      GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (io_stream));

      /* Best effort: a small send buffer keeps the count honest. */
      g_socket_set_option (socket, SOL_SOCKET, SO_SNDBUF, STREAM_PIECE, NULL);
    }

  stream = g_new0 (Stream, 1);
  stream->server = self;
  stream->stream = io_stream;
  stream->path = g_strdup (path);
  stream->head = g_bytes_new (head, strlen (head));
  stream->body_size = body_size;
  stream->chunked = chunked;
  stream->hold = hold;
  self->streams = g_list_prepend (self->streams, stream);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (io_stream),
                                   g_bytes_get_data (stream->head, NULL),
                                   g_bytes_get_size (stream->head),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   on_head_written, stream);
  return stream;
}

static guint64
huge_size (const Route *route)
{
  guint64 size;

  if (route->fault_argument != NULL &&
      g_ascii_string_to_unsigned (route->fault_argument, 10, 0, G_MAXUINT64, &size, NULL))
    return size;

  return MQ_TEST_FAULT_HUGE_SIZE;
}

/* MQ_TEST_FAULT_HUGE_SIZE bytes of spaces after HUGE_PREFIX, gzipped once
 * (about 50 KB) and kept. */
static GBytes *
gzip_bomb_body (void)
{
  static GBytes *bomb;
  static gsize made = 0;

  if (g_once_init_enter (&made))
    {
      g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
      g_autoptr(GByteArray) out = g_byte_array_new ();
      guint8 buffer[STREAM_PIECE];
      guint64 fed = 0;
      GConverterResult result;

      do
        {
          gsize size = (gsize) MIN (MQ_TEST_FAULT_HUGE_SIZE - fed, STREAM_PIECE);
          gsize bytes_read = 0, bytes_written = 0;
          g_autoptr(GError) error = NULL;

          result = g_converter_convert (G_CONVERTER (compressor), filler_piece (fed == 0), size,
                                        buffer, sizeof buffer,
                                        fed + size == MQ_TEST_FAULT_HUGE_SIZE ? G_CONVERTER_INPUT_AT_END
                                                                              : G_CONVERTER_NO_FLAGS,
                                        &bytes_read, &bytes_written, &error);
          if (result == G_CONVERTER_ERROR)
            g_error ("mq-test-server: gzip: %s", error->message);
          fed += bytes_read;
          g_byte_array_append (out, buffer, bytes_written);
        }
      while (result != G_CONVERTER_FINISHED);

      bomb = g_byte_array_free_to_bytes (g_steal_pointer (&out));
      g_once_init_leave (&made, 1);
    }

  return g_bytes_ref (bomb);
}

static GBytes *
invalid_utf8_body (void)
{
  /* A quota answer in every other respect: only the encoding is wrong. */
  static const char body[] =
    "{\"model_remains\":[{\"model_name\":\"general\xff\xfe\","
    "\"current_interval_total_count\":1500,\"current_interval_usage_count\":945,"
    "\"current_interval_remaining_percent\":63}],"
    "\"base_resp\":{\"status_code\":0,\"status_msg\":\"succ\xc0\xaf" "ess\"}}";

  return g_bytes_new_static (body, sizeof body - 1);
}

static GBytes *
deep_nesting_body (void)
{
  GString *body = g_string_new ("{\"model_remains\":");

  for (guint i = 0; i < MQ_TEST_FAULT_NESTING_DEPTH; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < MQ_TEST_FAULT_NESTING_DEPTH; i++)
    g_string_append_c (body, ']');
  g_string_append (body, ",\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}");

  return g_string_free_to_bytes (body);
}

static void
answer_fixed (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, reason_phrase (status));
  if (content_type != NULL)
    soup_message_headers_set_content_type (headers, content_type, NULL);
  if (body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

/* Answers a fault that does not need the route's own answer. Returns
 * FALSE when @route's answer is still to be given (HALF_BODY, and the good
 * turns of ALTERNATE); sets *@taken when the connection was taken away. */
static gboolean
answer_fault (MqTestServer      *self,
              SoupServerMessage *msg,
              const char        *path,
              Route             *route,
              gboolean          *taken)
{
  g_autoptr(GBytes) body = NULL;
  const char *argument = route->fault_argument;

  *taken = FALSE;
  route->fault_requests++;

  switch (route->fault)
    {
    case MQ_TEST_FAULT_STALL:
      stream_start (self, msg, path, STALL_HEAD, 0, FALSE, TRUE);
      *taken = TRUE;
      return TRUE;

    case MQ_TEST_FAULT_HUGE_CHUNKED:
    case MQ_TEST_FAULT_HUGE_LENGTH:
      {
        gboolean chunked = route->fault == MQ_TEST_FAULT_HUGE_CHUNKED;
        g_autofree char *head = NULL;

        if (chunked)
          head = g_strdup ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        else
          head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  "Content-Length: %" G_GUINT64_FORMAT "\r\n"
                                  "Connection: close\r\n\r\n", huge_size (route));
        stream_start (self, msg, path, head, huge_size (route), chunked, FALSE);
        *taken = TRUE;
        return TRUE;
      }

    case MQ_TEST_FAULT_DRIP:
      {
        Stream *stream = stream_start (self, msg, path,
                                       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n",
                                       0, TRUE, FALSE);

        if (stream != NULL)
          stream->drip = TRUE;
        *taken = TRUE;
        return TRUE;
      }

    case MQ_TEST_FAULT_HUGE_HEADERS:
      {
        Stream *stream = stream_start (self, msg, path,
                                       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n",
                                       huge_size (route), FALSE, FALSE);

        if (stream != NULL)
          stream->header_lines = TRUE;
        *taken = TRUE;
        return TRUE;
      }

    case MQ_TEST_FAULT_GZIP_BOMB:
      body = gzip_bomb_body ();
      answer_fixed (msg, SOUP_STATUS_OK, "application/json", body);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Content-Encoding", "gzip");
      return TRUE;

    case MQ_TEST_FAULT_REDIRECT:
      answer_fixed (msg, SOUP_STATUS_FOUND, "text/plain; charset=UTF-8", NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Location", argument != NULL ? argument : "/");
      return TRUE;

    case MQ_TEST_FAULT_INVALID_UTF8:
      body = invalid_utf8_body ();
      answer_fixed (msg, SOUP_STATUS_OK, "application/json", body);
      return TRUE;

    case MQ_TEST_FAULT_DEEP_NESTING:
      body = deep_nesting_body ();
      answer_fixed (msg, SOUP_STATUS_OK, "application/json", body);
      return TRUE;

    case MQ_TEST_FAULT_RATE_LIMITED:
      body = g_bytes_new_static (FAULT_STATUS, strlen (FAULT_STATUS));
      answer_fixed (msg, 429, "application/json", body);
      if (argument == NULL || *argument != '\0')
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After",
                                      argument != NULL ? argument : MQ_TEST_FAULT_RETRY_AFTER);
      return TRUE;

    case MQ_TEST_FAULT_ALTERNATE:
      if (route->fault_requests % 2 == 1)
        return FALSE;
      answer_fixed (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain; charset=UTF-8", NULL);
      return TRUE;

    case MQ_TEST_FAULT_HALF_BODY:
    case MQ_TEST_FAULT_NONE:
    default:
      return FALSE;
    }
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

  if (route != NULL && route->fault != MQ_TEST_FAULT_NONE)
    {
      gboolean taken = FALSE;

      if (answer_fault (self, msg, path, route, &taken))
        return !taken;
    }

  if (route != NULL && route->key_answers != NULL &&
      (request_key (msg) == NULL ||
       !g_hash_table_contains (route->key_answers, request_key (msg))) &&
      !route->has_answer)
    {
      /* Answers per key, and this key is not one of them. */
      status = SOUP_STATUS_OK;
      content_type = "application/json";
      body = g_bytes_new_static (UNKNOWN_KEY_BODY, strlen (UNKNOWN_KEY_BODY));
    }
  else if (route != NULL && route->key_answers != NULL && request_key (msg) != NULL &&
           g_hash_table_contains (route->key_answers, request_key (msg)))
    {
      KeyAnswer *key_answer = g_hash_table_lookup (route->key_answers, request_key (msg));

      status = key_answer->status;
      content_type = key_answer->content_type;
      body = key_answer->body != NULL ? g_bytes_ref (key_answer->body) : NULL;
    }
  else if (route == NULL || !route->has_answer)
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

  if (route != NULL && route->fault == MQ_TEST_FAULT_HALF_BODY)
    {
      send_truncated (msg, status, content_type, body, route->headers,
                      body != NULL ? g_bytes_get_size (body) / 2 : 0);
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
  if (route != NULL && route->key_hits != NULL && request_key (msg) != NULL)
    {
      const char *key = request_key (msg);
      guint key_hits = GPOINTER_TO_UINT (g_hash_table_lookup (route->key_hits, key));

      g_hash_table_replace (route->key_hits, g_strdup (key), GUINT_TO_POINTER (key_hits + 1));
    }
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

static MqTestServer *
server_new (guint             port,
            GTlsCertificate  *certificate,
            GError          **error)
{
  g_autoptr(MqTestServer) self = g_new0 (MqTestServer, 1);
  g_autoslist(GUri) uris = NULL;
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;

  self->context = g_main_context_ref_thread_default ();
  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  self->hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->streamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  self->server = soup_server_new ("server-header", "mq-test-server ",
                                  "tls-certificate", certificate,
                                  NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  if (certificate != NULL)
    {
      self->https = TRUE;
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  if (!soup_server_listen_local (self->server, port, options, error))
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
mq_test_server_new_on_port (guint    port,
                            GError **error)
{
  g_return_val_if_fail (port <= G_MAXUINT16, NULL);

  return server_new (port, NULL, error);
}

MqTestServer *
mq_test_server_new_https (const char  *cert_file,
                          const char  *key_file,
                          GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (cert_file != NULL, NULL);
  g_return_val_if_fail (key_file != NULL, NULL);

  certificate = g_tls_certificate_new_from_files (cert_file, key_file, error);
  if (certificate == NULL)
    return NULL;

  return server_new (0, certificate, error);
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

  return g_strdup_printf ("%s://127.0.0.1:%u", self->https ? "https" : "http", self->port);
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
mq_test_server_set_key_route (MqTestServer *self,
                              const char   *path,
                              const char   *key,
                              guint         status,
                              const char   *content_type,
                              const char   *body,
                              gssize        len)
{
  Route *route;
  KeyAnswer *key_answer;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL && key != NULL);

  route = ensure_route (self, path);
  if (route->key_answers == NULL)
    {
      route->key_answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, key_answer_free);
      route->key_hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }

  key_answer = g_new0 (KeyAnswer, 1);
  key_answer->status = status;
  key_answer->content_type = g_strdup (content_type);
  if (body != NULL)
    key_answer->body = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);
  g_hash_table_replace (route->key_answers, g_strdup (key), key_answer);
}

void
mq_test_server_set_key_route_fixture (MqTestServer *self,
                                      const char   *path,
                                      const char   *key,
                                      guint         status,
                                      const char   *fixture)
{
  g_autofree char *filename = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_return_if_fail (fixture != NULL);

  if (g_test_initialized ())
    filename = g_test_build_filename (G_TEST_DIST, "data", fixture, NULL);
  else
    {
      const char *srcdir = g_getenv ("G_TEST_SRCDIR");

      filename = g_build_filename (srcdir != NULL ? srcdir : MQ_TEST_SRCDIR,
                                   "data", fixture, NULL);
    }

  if (!g_file_get_contents (filename, &contents, &length, &error))
    g_error ("mq-test-server: %s", error->message);

  mq_test_server_set_key_route (self, path, key, status,
                                content_type_for_filename (filename), contents, (gssize) length);
}

guint
mq_test_server_get_key_hits (MqTestServer *self,
                             const char   *path,
                             const char   *key)
{
  Route *route;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (path != NULL && key != NULL, 0);

  route = g_hash_table_lookup (self->routes, path);
  if (route == NULL || route->key_hits == NULL)
    return 0;
  return GPOINTER_TO_UINT (g_hash_table_lookup (route->key_hits, key));
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

static const struct {
  MqTestFault fault;
  const char *name;
} fault_names[] = {
  { MQ_TEST_FAULT_NONE, "none" },
  { MQ_TEST_FAULT_STALL, "stall" },
  { MQ_TEST_FAULT_HALF_BODY, "half-body" },
  { MQ_TEST_FAULT_HUGE_CHUNKED, "huge" },
  { MQ_TEST_FAULT_HUGE_LENGTH, "huge-length" },
  { MQ_TEST_FAULT_REDIRECT, "redirect" },
  { MQ_TEST_FAULT_INVALID_UTF8, "invalid-utf8" },
  { MQ_TEST_FAULT_DEEP_NESTING, "deep-nesting" },
  { MQ_TEST_FAULT_RATE_LIMITED, "rate-limited" },
  { MQ_TEST_FAULT_ALTERNATE, "alternate" },
  { MQ_TEST_FAULT_DRIP, "drip" },
  { MQ_TEST_FAULT_HUGE_HEADERS, "huge-headers" },
  { MQ_TEST_FAULT_GZIP_BOMB, "gzip-bomb" },
};

const char *
mq_test_fault_to_string (MqTestFault fault)
{
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (fault_names[i].fault == fault)
      return fault_names[i].name;

  return NULL;
}

gboolean
mq_test_fault_parse (const char   *spec,
                     MqTestFault  *fault,
                     char        **argument,
                     GError      **error)
{
  const char *eq;
  g_autofree char *name = NULL;
  g_autofree char *arg = NULL;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (fault != NULL, FALSE);
  g_return_val_if_fail (argument != NULL, FALSE);

  eq = strchr (spec, '=');
  name = eq != NULL ? g_strndup (spec, eq - spec) : g_strdup (spec);
  arg = eq != NULL ? g_strdup (eq + 1) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    {
      MqTestFault found = fault_names[i].fault;

      if (!g_str_equal (name, fault_names[i].name))
        continue;

      if (found == MQ_TEST_FAULT_REDIRECT && (arg == NULL || *arg == '\0'))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "the redirect fault wants redirect=URL, got \"%s\"", spec);
          return FALSE;
        }
      if ((found == MQ_TEST_FAULT_HUGE_CHUNKED || found == MQ_TEST_FAULT_HUGE_LENGTH ||
           found == MQ_TEST_FAULT_HUGE_HEADERS) &&
          arg != NULL &&
          !g_ascii_string_to_unsigned (arg, 10, 0, G_MAXUINT64, NULL, error))
        return FALSE;

      *fault = found;
      *argument = g_steal_pointer (&arg);
      return TRUE;
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "unknown fault \"%s\" (stall, half-body, huge, huge-length, redirect=URL, "
               "invalid-utf8, deep-nesting, rate-limited[=SECONDS], alternate, drip, "
               "huge-headers, gzip-bomb, none)",
               name);
  return FALSE;
}

void
mq_test_server_set_fault (MqTestServer *self,
                          const char   *path,
                          MqTestFault   fault,
                          const char   *argument)
{
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (mq_test_fault_to_string (fault) != NULL);

  route = ensure_route (self, path);
  route->fault = fault;
  g_free (route->fault_argument);
  route->fault_argument = g_strdup (argument);
  route->fault_requests = 0;
}

guint64
mq_test_server_get_bytes_streamed (MqTestServer *self,
                                   const char   *path)
{
  guint64 *total;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  total = g_hash_table_lookup (self->streamed, path);
  return total != NULL ? *total : 0;
}

guint
mq_test_server_get_held_connections (MqTestServer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->held;
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

  /* Streams end in their callbacks: cancel them, forget the server, and
   * let the context deliver the cancellations. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  for (GList *l = self->streams; l != NULL; l = l->next)
    ((Stream *) l->data)->server = NULL;
  while (self->streams != NULL)
    {
      Stream *stream = self->streams->data;

      self->streams = g_list_delete_link (self->streams, self->streams);
      /* Closing makes any pending read or write finish soon. */
      g_io_stream_close (stream->stream, NULL, NULL);
    }

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  g_clear_pointer (&self->routes, g_hash_table_unref);
  g_clear_pointer (&self->hits, g_hash_table_unref);
  g_clear_pointer (&self->streamed, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  g_free (self->last_path);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self);
}
