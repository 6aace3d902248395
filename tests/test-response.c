/* test-response.c: what one answer means (mq-response.h), without a network */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "mq-client.h"
#include "mq-error.h"
#include "mq-response.h"

/* 2026-06-08T13:13:20Z */
#define NOW_MS G_GINT64_CONSTANT (1780924400000)
#define HOST   "api.minimax.io"
#define GOOD   "{\"model_remains\":[{\"model_name\":\"general\",\"current_interval_remaining_percent\":63}],\"base_resp\":{\"status_code\":0}}"

static MqSnapshot *
read_answer (guint        status,
             const char  *content_type,
             const char  *retry_after,
             const char  *body,
             guint       *retry_after_s,
             GError     **error)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  if (content_type != NULL)
    soup_message_headers_set_content_type (headers, content_type, NULL);
  if (retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", retry_after);

  return mq_response_read (status, headers,
                           mq_response_needs_body (status) ? bytes : NULL,
                           HOST, NOW_MS, MQ_REGION_GLOBAL, retry_after_s, error);
}

static void
test_success (void)
{
  g_autoptr(GError) error = NULL;
  guint retry_after = G_MAXUINT;
  g_autoptr(MqSnapshot) snapshot = read_answer (200, "application/json", "30", GOOD,
                                                &retry_after, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  g_assert_cmpuint (retry_after, ==, 0);
  g_assert_cmpint (mq_snapshot_get_fetched_at_ms (snapshot), ==, NOW_MS);
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, 1);
}

/* One sniff, one message, whether the page says so in Content-Type or only
 * in its first byte, on 200 as on 403; the body is never echoed. */
static void
test_web_page_one_message (void)
{
  struct { guint status; const char *type; const char *body; } cases[] = {
    { 200, "text/html", GOOD },
    { 200, "application/json", "  <html><title>Just a moment...</title></html>" },
    { 200, NULL, "<!DOCTYPE html><p>Just a moment...</p>" },
    { 403, "text/html; charset=UTF-8", "<html>Just a moment...</html>" },
    { 401, "application/xhtml+xml", "{}" },
  };
  g_autofree char *first = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MqSnapshot) snapshot = read_answer (cases[i].status, cases[i].type, NULL,
                                                    cases[i].body, NULL, &error);

      g_assert_null (snapshot);
      g_assert_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE);
      g_assert_nonnull (strstr (error->message, "web page"));
      g_assert_nonnull (strstr (error->message, HOST));
      g_assert_null (strstr (error->message, "Just a moment"));
      if (first == NULL)
        first = g_strdup (error->message);
      g_assert_cmpstr (error->message, ==, first);
    }
}

static void
test_statuses (void)
{
  struct { guint status; MqError code; } cases[] = {
    { 401, MQ_ERROR_KEY_REJECTED },
    { 403, MQ_ERROR_KEY_REJECTED },
    { 404, MQ_ERROR_SERVER },
    { 302, MQ_ERROR_SERVER },
    { 500, MQ_ERROR_SERVER },
    { 408, MQ_ERROR_SERVER },
    { 431, MQ_ERROR_SERVER },
    { 429, MQ_ERROR_RATE_LIMITED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MqSnapshot) snapshot = read_answer (cases[i].status, "application/json", NULL,
                                                    "{}", NULL, &error);

      g_assert_null (snapshot);
      g_assert_error (error, MQ_ERROR, (gint) cases[i].code);
    }
}

/* Retry-After comes back with the answer: HTTP 429 and MiniMax code 1002. */
static void
test_retry_after (void)
{
  g_autoptr(GDateTime) later = g_date_time_new_from_unix_utc (NOW_MS / 1000 + 3600);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  struct { guint status; const char *value; guint seconds; } cases[] = {
    { 429, "120", 120 },
    { 429, " 7 ", 7 },
    { 429, date, 3600 },
    { 429, "Wed, 01 Jan 2020 00:00:00 GMT", 0 },
    { 429, "soon", 0 },
    { 429, "99999999999", MQ_RESPONSE_RETRY_AFTER_MAX },
    { 200, "30", 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      guint retry_after = G_MAXUINT;
      g_autoptr(MqSnapshot) snapshot = read_answer (
          cases[i].status, "application/json", cases[i].value,
          "{\"base_resp\":{\"status_code\":1002,\"status_msg\":\"rate limit\"}}",
          &retry_after, &error);

      g_assert_null (snapshot);
      g_assert_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED);
      g_assert_cmpuint (retry_after, ==, cases[i].seconds);
    }
}

static void
test_transport_errors (void)
{
  g_autoptr(GError) timeout = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "x");
  g_autoptr(GError) garbage = g_error_new_literal (SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING, "x");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
  g_autoptr(GError) a = mq_response_transport_error (timeout, HOST, 10);
  g_autoptr(GError) b = mq_response_transport_error (garbage, HOST, 10);
  g_autoptr(GError) c = mq_response_transport_error (refused, HOST, 10);
  g_autoptr(GError) d = mq_response_too_large_error (HOST, 4 * 1024 * 1024);

  g_assert_error (a, MQ_ERROR, MQ_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (a->message, "10 seconds"));
  g_assert_error (b, MQ_ERROR, MQ_ERROR_UNREADABLE);
  g_assert_error (c, MQ_ERROR, MQ_ERROR_NETWORK);
  g_assert_nonnull (strstr (c->message, HOST));
  g_assert_error (d, MQ_ERROR, MQ_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (d->message, "MiB"));
}

/* Keys that no server should see: refused before sending, naming the fix. */
static void
test_api_key_check (void)
{
  g_autofree char *huge = g_strnfill (100 * 1024, 'k');
  g_autofree char *longest = g_strnfill (MQ_API_KEY_MAX_LENGTH, 'k');
  const char *bad[] = { huge, "sk-cp-a b", "sk-cp-\x1b[2J", "sk-cp-\x7f", "sk-cp-\n" };

  g_assert_true (mq_api_key_check ("sk-cp-abc.DEF_123-xyz", NULL));
  g_assert_true (mq_api_key_check (longest, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (mq_api_key_check (bad[i], &error));
      g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
      g_assert_nonnull (strstr (error->message, "Copy the key again"));
      g_assert_null (strstr (error->message, "kkkk"));
    }
}

static MqBalance *
read_balance (guint        status,
              const char  *content_type,
              const char  *retry_after,
              const char  *body,
              MqRegion     region,
              guint       *retry_after_s,
              GError     **error)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  if (content_type != NULL)
    soup_message_headers_set_content_type (headers, content_type, NULL);
  if (retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", retry_after);

  return mq_response_read_balance (status, headers,
                                   mq_response_needs_body (status) ? bytes : NULL,
                                   HOST, NOW_MS, region, retry_after_s, error);
}

/* The balance endpoint's answers are read as the quota endpoint's: the
 * same statuses, web pages and Retry-After; the body as a balance. */
static void
test_balance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqBalance) balance = NULL;
  guint retry_after = G_MAXUINT;
  double available = 0;

  balance = read_balance (200, "application/json", NULL,
                          "{\"available_amount\":\"12.5\",\"base_resp\":{\"status_code\":0}}",
                          MQ_REGION_CN, &retry_after, &error);
  g_assert_no_error (error);
  g_assert_nonnull (balance);
  g_assert_cmpuint (retry_after, ==, 0);
  g_assert_true (mq_balance_get_amount (balance, MQ_BALANCE_AVAILABLE, &available));
  g_assert_cmpfloat (available, ==, 12.5);
  g_assert_cmpstr (mq_balance_get_currency (balance), ==, "CNY");
  g_assert_cmpint (mq_balance_get_fetched_at_ms (balance), ==, NOW_MS);
  g_clear_pointer (&balance, mq_balance_unref);

  /* A quota answer is no balance. */
  balance = read_balance (200, "application/json", NULL, GOOD, MQ_REGION_GLOBAL, NULL, &error);
  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE);
  g_clear_error (&error);

  balance = read_balance (429, "application/json", "45", "{}", MQ_REGION_GLOBAL, &retry_after, &error);
  g_assert_null (balance);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (retry_after, ==, 45);
  g_clear_error (&error);

  balance = read_balance (200, "application/json", "20",
                          "{\"base_resp\":{\"status_code\":1002}}", MQ_REGION_GLOBAL, &retry_after, &error);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED);
  g_assert_cmpuint (retry_after, ==, 20);
  g_clear_error (&error);

  balance = read_balance (403, "text/html", NULL, "<html>Just a moment</html>", MQ_REGION_GLOBAL, NULL, &error);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE);
  g_assert_null (strstr (error->message, "Just a moment"));
  g_clear_error (&error);

  balance = read_balance (401, "application/json", NULL, "{}", MQ_REGION_GLOBAL, NULL, &error);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  g_clear_error (&error);

  balance = read_balance (503, NULL, NULL, NULL, MQ_REGION_GLOBAL, NULL, &error);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_SERVER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/response/success", test_success);
  g_test_add_func ("/response/web-page", test_web_page_one_message);
  g_test_add_func ("/response/statuses", test_statuses);
  g_test_add_func ("/response/retry-after", test_retry_after);
  g_test_add_func ("/response/transport-errors", test_transport_errors);
  g_test_add_func ("/response/api-key-check", test_api_key_check);
  g_test_add_func ("/response/balance", test_balance);

  return g_test_run ();
}
