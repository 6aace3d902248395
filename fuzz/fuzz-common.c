/* fuzz-common.c: one input of each fuzz target, and what is checked */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fuzz-common.h"
#include "mq-balance.h"
#include "mq-error.h"
#include "mq-report.h"
#include "mq-response.h"
#include "mq-safe-text.h"

#define FUZZ_HOST_NAME "api.minimax.io"

void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

static void
check_percent (double percent)
{
  /* mq-snapshot.h: 0..100, or MQ_PERCENT_UNKNOWN; never NaN, never over
   * 100 (a tray icon over 100 % helps nobody). */
  g_assert_false (isnan (percent));
  g_assert_true (percent == MQ_PERCENT_UNKNOWN || (percent >= 0 && percent <= 100));
}

static void
check_count (gint64 count)
{
  g_assert_true (count == MQ_COUNT_UNKNOWN || count >= 0);
}

static void
check_window (const MqWindow *window)
{
  check_percent (window->remaining_percent);
  check_count (window->total);
  check_count (window->remaining);
  check_count (window->used);

  if (window->total >= 0 && window->remaining >= 0)
    g_assert_cmpint (window->remaining, <=, window->total);
  if (window->total >= 0 && window->used >= 0)
    g_assert_cmpint (window->used, <=, window->total);

  g_assert_true (isfinite (window->boost) && window->boost > 0);
  g_assert_cmpint (window->period_seconds, >=, 0);

  /* No limit, so no reset to count down to. */
  if (window->unlimited)
    {
      g_assert_true (window->known);
      g_assert_cmpint (window->resets_at_ms, ==, 0);
    }
}

static void
check_headline (MqSnapshot         *snapshot,
                const char         *model_name,
                const MqThresholds *thresholds)
{
  MqHeadline headline;
  gboolean found = mq_snapshot_get_headline (snapshot, model_name, thresholds, &headline);

  g_assert_true (found == (headline.model != NULL));
  check_percent (headline.remaining_percent);
  g_assert_cmpint (headline.state, >=, MQ_STATE_UNKNOWN);
  g_assert_cmpint (headline.state, <=, MQ_STATE_EXHAUSTED);
  g_assert_nonnull (mq_state_to_string (headline.state));
  g_assert_nonnull (mq_slot_to_string (headline.slot));
}

/* The JSON report parses back, with one entry per model, names intact. */
static void
check_json_report (MqSnapshot *snapshot,
                   const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *models;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (root, "headline"));
  models = json_object_get_array_member (root, "models");
  g_assert_nonnull (models);
  g_assert_cmpuint (json_array_get_length (models), ==, mq_snapshot_get_n_models (snapshot));

  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *entry = json_array_get_object_element (models, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==,
                       mq_snapshot_get_model (snapshot, i)->name);
    }
}

void
fuzz_check_snapshot (MqSnapshot *snapshot,
                     gint64      now_ms)
{
  static const MqThresholds custom = { 50, 10 };
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *colored = NULL;
  guint n_models = mq_snapshot_get_n_models (snapshot);
  gint64 next_reset;

  g_assert_cmpint (mq_snapshot_get_fetched_at_ms (snapshot), ==, now_ms);

  for (guint i = 0; i < n_models; i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      g_assert_nonnull (model->name);
      g_assert_true (g_utf8_validate (model->name, -1, NULL));
      g_assert_true (mq_lane_for_name (model->name) == model->lane);
      check_window (mq_model_get_window (model, MQ_SLOT_INTERVAL));
      check_window (mq_model_get_window (model, MQ_SLOT_WEEKLY));
      g_assert_cmpint (mq_state_for_window (&model->interval, NULL), <=, MQ_STATE_EXHAUSTED);
      g_assert_cmpint (mq_state_for_window (&model->weekly, &custom), <=, MQ_STATE_EXHAUSTED);
      g_assert_true (mq_snapshot_find_model (snapshot, model->name) != NULL);

      /* Not in plan is never shown as quota left (docs/API.md, rule 1). */
      if (!model->in_plan && mq_snapshot_find_model (snapshot, model->name) == model)
        {
          MqHeadline headline;

          g_assert_true (mq_snapshot_get_headline (snapshot, model->name, NULL, &headline));
          g_assert_true (headline.model == model);
          g_assert_true (headline.remaining_percent == MQ_PERCENT_UNKNOWN);
        }
    }

  next_reset = mq_snapshot_get_next_reset_ms (snapshot, now_ms);
  g_assert_true (next_reset == 0 || next_reset > now_ms);

  check_headline (snapshot, NULL, NULL);
  check_headline (snapshot, "general", &custom);
  if (n_models > 0)
    check_headline (snapshot, mq_snapshot_get_model (snapshot, n_models - 1)->name, &custom);

  json = mq_report_to_json (snapshot, NULL, NULL);
  check_json_report (snapshot, json);

  text = mq_report_to_text (snapshot, NULL, NULL, now_ms, FALSE);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_suffix (text, "\n"));
  colored = mq_report_to_text (snapshot, &custom, "video", now_ms + 1, TRUE);
  g_assert_true (g_utf8_validate (colored, -1, NULL));
}

void
fuzz_check_error (const GError *error)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  int exit_code;

  g_assert_nonnull (error);
  g_assert_true (error->domain == MQ_ERROR);
  g_assert_nonnull (error->message);
  g_assert_true (*error->message != '\0');
  g_assert_true (g_utf8_validate (error->message, -1, NULL));

  exit_code = mq_error_exit_code (error);
  g_assert_cmpint (exit_code, >=, 2);
  g_assert_cmpint (exit_code, <=, 4);
  g_assert_cmpstr (mq_error_code_nick (error), !=, "unknown");

  json = mq_report_error_to_json (error);
  json_parser_load_from_data (parser, json, -1, &parse_error);
  g_assert_no_error (parse_error);
}

/* The plan's name, whatever the body: safe text of a bounded length, a
 * guess only ever one of the known tiers. */
static void
fuzz_check_plan (MqSnapshot *snapshot)
{
  const char *name = NULL;
  gboolean inferred = FALSE;

  if (!mq_snapshot_get_plan (snapshot, &name, &inferred))
    {
      g_assert_null (name);
      g_assert_false (inferred);
      return;
    }

  g_assert_nonnull (name);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (name, -1), <=, MQ_SAFE_TEXT_NAME_MAX);
  g_assert_cmpuint (g_utf8_strlen (name, -1), >, 0);
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
  if (inferred)
    g_assert_true (g_str_equal (name, "Starter") || g_str_equal (name, "Plus") ||
                   g_str_equal (name, "Max") || g_str_equal (name, "Ultra"));
}

/* The same body read as a pay-as-you-go balance: finite amounts within
 * bounds, printable as money. */
static void
fuzz_balance_input (const guint8 *data,
                    gsize         size,
                    MqRegion      region)
{
  g_autoptr(MqBalance) balance = NULL;
  g_autoptr(GError) error = NULL;

  balance = mq_balance_parse ((const char *) data, size, FUZZ_NOW_MS, region, &error);
  if (balance == NULL)
    {
      fuzz_check_error (error);
      return;
    }

  g_assert_no_error (error);
  for (guint i = 0; i < MQ_BALANCE_N_AMOUNTS; i++)
    {
      double amount = 0;

      if (mq_balance_get_amount (balance, i, &amount))
        {
          g_autofree char *money = mq_balance_format_amount (amount, mq_balance_get_currency (balance));

          g_assert_true (isfinite (amount));
          g_assert_cmpfloat (fabs (amount), <=, 1e15);
          g_assert_true (g_utf8_validate (money, -1, NULL));
        }
    }
}

void
fuzz_parse_input (const guint8 *data,
                  gsize         size)
{
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  /* The weekly window starts at midnight UTC+8 in cn, UTC in global. */
  MqRegion region = size % 2 == 0 ? MQ_REGION_GLOBAL : MQ_REGION_CN;

  fuzz_balance_input (data, size, region);

  snapshot = mq_snapshot_parse ((const char *) data, size, FUZZ_NOW_MS, region, &error);

  if (snapshot == NULL)
    {
      fuzz_check_error (error);
      return;
    }

  g_assert_no_error (error);
  g_assert_true (mq_snapshot_get_region (snapshot) == region);
  fuzz_check_snapshot (snapshot, FUZZ_NOW_MS);
  fuzz_check_plan (snapshot);
}

/* Where the body starts: after the first empty line. 0 when there is none. */
static gsize
head_length (const char *data,
             gsize       size)
{
  for (gsize i = 0; i + 1 < size; i++)
    {
      if (data[i] != '\n')
        continue;
      if (data[i + 1] == '\n')
        return i + 2;
      if (i + 2 < size && data[i + 1] == '\r' && data[i + 2] == '\n')
        return i + 3;
    }
  return 0;
}

void
fuzz_response_input (const guint8 *data,
                     gsize         size)
{
  const char *text = (const char *) data;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  guint status = SOUP_STATUS_OK;
  guint retry_after = G_MAXUINT;
  MqRegion region = size % 2 == 0 ? MQ_REGION_GLOBAL : MQ_REGION_CN;

  if (size >= 5 && memcmp (text, "HTTP/", 5) == 0)
    {
      gsize head = head_length (text, size);
      g_autofree char *reason = NULL;
      SoupHTTPVersion version;

      /* No complete head: libsoup fails the request before we see it. */
      if (head == 0 || head > G_MAXINT ||
          !soup_headers_parse_response (text, (int) head, headers, &version, &status, &reason))
        return;
      body = g_bytes_new (text + head, size - head);
    }
  else
    {
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      body = g_bytes_new (text, size);
    }

  snapshot = mq_response_read (status, headers,
                               mq_response_needs_body (status) ? body : NULL,
                               FUZZ_HOST_NAME, FUZZ_NOW_MS, region,
                               &retry_after, &error);

  g_assert_cmpuint (retry_after, <=, MQ_RESPONSE_RETRY_AFTER_MAX);

  if (snapshot == NULL)
    {
      fuzz_check_error (error);
      if (retry_after > 0)
        g_assert_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (retry_after, ==, 0);
  fuzz_check_snapshot (snapshot, FUZZ_NOW_MS);
}
