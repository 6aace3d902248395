/* mq-response.c: what one answer of the remains endpoint means
 *
 * The HTTP side of reading an answer (status, Content-Type, Retry-After, a
 * web page where data was expected); the body itself is read by
 * mq_snapshot_parse(). Bodies are never echoed in a message.
 */
#define G_LOG_DOMAIN "mq-response"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-error.h"
#include "mq-response.h"

#define HTTP_TOO_MANY_REQUESTS 429

guint
mq_response_retry_after (SoupMessageHeaders *headers,
                         gint64              now_ms)
{
  const char *value;
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) when = NULL;
  guint64 seconds;
  gint64 span_ms;

  g_return_val_if_fail (headers != NULL, 0);

  value = soup_message_headers_get_one (headers, "Retry-After");
  if (value == NULL)
    return 0;

  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) MIN (seconds, MQ_RESPONSE_RETRY_AFTER_MAX);

  when = soup_date_time_new_from_http_string (text);
  if (when == NULL)
    return 0;

  /* HTTP dates have whole seconds. */
  span_ms = g_date_time_to_unix (when) * 1000 - now_ms;
  if (span_ms <= 0)
    return 0;

  return (guint) MIN ((span_ms + 999) / 1000, MQ_RESPONSE_RETRY_AFTER_MAX);
}

/* The one place that tells a web page from data. */
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
      guint seconds = mq_response_retry_after (headers, now_ms);

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
mq_response_needs_body (guint status)
{
  return status == SOUP_STATUS_OK ||
         status == SOUP_STATUS_UNAUTHORIZED ||
         status == SOUP_STATUS_FORBIDDEN;
}

typedef gpointer (*ParseFunc) (const char  *data,
                               gsize        length,
                               gint64       now_ms,
                               MqRegion     region,
                               GError     **error);

/* The HTTP side of an answer; its body goes to @parse. */
static gpointer
read_answer (guint                status,
             SoupMessageHeaders  *headers,
             GBytes              *body,
             const char          *host_name,
             gint64               now_ms,
             MqRegion             region,
             ParseFunc            parse,
             guint               *retry_after_s,
             GError             **error)
{
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GError) local_error = NULL;
  guint retry_after = 0;
  const char *data;
  gsize size = 0;
  gpointer result;

  g_return_val_if_fail (headers != NULL, NULL);
  g_return_val_if_fail (host_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (retry_after_s == NULL)
    retry_after_s = &retry_after;
  *retry_after_s = 0;

  if (!mq_response_needs_body (status))
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
  result = parse (data, size, now_ms, region, &local_error);
  if (result != NULL)
    return result;

  if (g_error_matches (local_error, MQ_ERROR, MQ_ERROR_RATE_LIMITED))
    *retry_after_s = mq_response_retry_after (headers, now_ms);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

MqSnapshot *
mq_response_read (guint                status,
                  SoupMessageHeaders  *headers,
                  GBytes              *body,
                  const char          *host_name,
                  gint64               now_ms,
                  MqRegion             region,
                  guint               *retry_after_s,
                  GError             **error)
{
  return read_answer (status, headers, body, host_name, now_ms, region,
                      (ParseFunc) mq_snapshot_parse, retry_after_s, error);
}

MqBalance *
mq_response_read_balance (guint                status,
                          SoupMessageHeaders  *headers,
                          GBytes              *body,
                          const char          *host_name,
                          gint64               now_ms,
                          MqRegion             region,
                          guint               *retry_after_s,
                          GError             **error)
{
  return read_answer (status, headers, body, host_name, now_ms, region,
                      (ParseFunc) mq_balance_parse, retry_after_s, error);
}

GError *
mq_response_transport_error (const GError *error,
                             const char   *host_name,
                             guint         connect_timeout_s)
{
  g_return_val_if_fail (error != NULL, NULL);
  g_return_val_if_fail (host_name != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (MQ_ERROR, MQ_ERROR_TIMEOUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "%s did not answer within %u second. Try again later.",
                                     "%s did not answer within %u seconds. Try again later.",
                                     connect_timeout_s),
                        host_name, connect_timeout_s);

  /* The server answered, but not in HTTP that libsoup can read (garbage,
   * endless header lines, a broken encoding): the network is fine. */
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    return g_error_new (MQ_ERROR, MQ_ERROR_UNREADABLE,
                        _("%s answered with something that is not a readable HTTP response. Check the base URL, or try again later."),
                        host_name);

  return g_error_new (MQ_ERROR, MQ_ERROR_NETWORK,
                      _("Could not reach %s: %s. Check your network connection."),
                      host_name, error->message);
}

GError *
mq_response_too_large_error (const char *host_name,
                             gsize       max_body)
{
  g_autofree char *size = g_format_size_full (max_body, G_FORMAT_SIZE_IEC_UNITS);

  g_return_val_if_fail (host_name != NULL, NULL);

  return g_error_new (MQ_ERROR, MQ_ERROR_UNREADABLE,
                      _("The response from %s was too large (over %s). Check the base URL, or try again later."),
                      host_name, size);
}
