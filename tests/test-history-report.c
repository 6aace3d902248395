/* test-history-report.c: the history as a table, CSV and JSON; --history=DURATION */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "mq-error.h"
#include "mq-history.h"
#include "mq-history-report.h"

#define HOUR_MS G_GINT64_CONSTANT (3600000)
/* 2026-06-07 16:00:00 UTC */
#define T0 G_GINT64_CONSTANT (1780848000000)

static void
sample_clear (gpointer data)
{
  MqHistorySample *sample = data;

  g_free (sample->account);
  g_free (sample->model);
}

static GArray *
samples_new (void)
{
  GArray *samples = g_array_new (FALSE, TRUE, sizeof (MqHistorySample));

  g_array_set_clear_func (samples, sample_clear);
  return samples;
}

static void
add (GArray     *samples,
     gint64      time_ms,
     gint64      last_seen_ms,
     const char *account,
     const char *model,
     MqSlot      slot,
     double      percent,
     gint64      remaining,
     gint64      total,
     gint64      start_ms,
     gint64      end_ms)
{
  MqHistorySample sample = { 0 };

  sample.time_ms = time_ms;
  sample.last_seen_ms = last_seen_ms;
  sample.polls = last_seen_ms > time_ms ? 3 : 1;
  sample.account = g_strdup (account);
  sample.model = g_strdup (model);
  sample.slot = slot;
  sample.remaining_percent = percent;
  sample.remaining_count = remaining;
  sample.total_count = total;
  sample.window_start_ms = start_ms;
  sample.window_end_ms = end_ms;
  g_array_append_val (samples, sample);
}

static GArray *
some_samples (void)
{
  GArray *samples = samples_new ();

  /* A run of three identical polls over 6 minutes, a falling one, a
   * weekly cap with counts, and a model with nothing known but the percent. */
  add (samples, T0, T0 + 6 * 60000, "default", "general", MQ_SLOT_INTERVAL, 63.0, 945, 1500,
       T0, T0 + 5 * HOUR_MS);
  add (samples, T0 + 9 * 60000, T0 + 9 * 60000, "default", "general", MQ_SLOT_INTERVAL,
       62.666, 940, 1500, T0, T0 + 5 * HOUR_MS);
  add (samples, T0 + 9 * 60000, T0 + 9 * 60000, "default", "general", MQ_SLOT_WEEKLY, 0.2, 30,
       15000, T0, T0 + 168 * HOUR_MS);
  add (samples, T0 + 9 * 60000, T0 + 9 * 60000, "work, \"team\"", "video", MQ_SLOT_INTERVAL,
       100, MQ_COUNT_UNKNOWN, MQ_COUNT_UNKNOWN, 0, 0);
  return samples;
}

static void
test_csv (void)
{
  g_autoptr(GArray) samples = some_samples ();
  g_autofree char *csv = mq_history_report_csv (samples);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);

  g_assert_cmpstr (lines[0], ==,
                   "time,account,model,window,remaining_percent,remaining,total,window_start,window_end");
  /* A run: its first and last time. */
  g_assert_cmpstr (lines[1], ==, "2026-06-07T16:00:00Z,default,general,interval,63,945,1500,"
                                 "2026-06-07T16:00:00Z,2026-06-07T21:00:00Z");
  g_assert_cmpstr (lines[2], ==, "2026-06-07T16:06:00Z,default,general,interval,63,945,1500,"
                                 "2026-06-07T16:00:00Z,2026-06-07T21:00:00Z");
  /* Whole percents, rounded down; a sliver is 1, not 0. */
  g_assert_cmpstr (lines[3], ==, "2026-06-07T16:09:00Z,default,general,interval,62,940,1500,"
                                 "2026-06-07T16:00:00Z,2026-06-07T21:00:00Z");
  g_assert_cmpstr (lines[4], ==, "2026-06-07T16:09:00Z,default,general,weekly,1,30,15000,"
                                 "2026-06-07T16:00:00Z,2026-06-14T16:00:00Z");
  /* Quoted as RFC 4180 says; unknown fields empty. */
  g_assert_cmpstr (lines[5], ==, "2026-06-07T16:09:00Z,\"work, \"\"team\"\"\",video,interval,100,,,,");
  g_assert_cmpstr (lines[6], ==, "");
  g_assert_null (lines[7]);
}

static void
test_csv_empty (void)
{
  g_autoptr(GArray) samples = samples_new ();
  g_autofree char *csv = mq_history_report_csv (samples);

  g_assert_cmpstr (csv, ==, MQ_HISTORY_CSV_HEADER "\n");
}

static void
test_json (void)
{
  g_autoptr(GArray) samples = some_samples ();
  g_autofree char *text = mq_history_report_json (samples);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *first, *weekly, *video;

  g_assert_true (g_str_has_suffix (text, "]\n"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 5);

  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "time"), ==, "2026-06-07T16:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (first, "account"), ==, "default");
  g_assert_cmpstr (json_object_get_string_member (first, "model"), ==, "general");
  g_assert_cmpstr (json_object_get_string_member (first, "window"), ==, "interval");
  g_assert_cmpint (json_object_get_int_member (first, "remaining_percent"), ==, 63);
  g_assert_cmpint (json_object_get_int_member (first, "remaining"), ==, 945);
  g_assert_cmpint (json_object_get_int_member (first, "total"), ==, 1500);
  g_assert_cmpstr (json_object_get_string_member (first, "window_end"), ==, "2026-06-07T21:00:00Z");

  weekly = json_array_get_object_element (array, 3);
  g_assert_cmpstr (json_object_get_string_member (weekly, "window"), ==, "weekly");
  /* A whole number, not 0.2. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (weekly, "remaining_percent")),
                   ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (weekly, "remaining_percent"), ==, 1);

  video = json_array_get_object_element (array, 4);
  g_assert_true (json_object_get_null_member (video, "remaining"));
  g_assert_true (json_object_get_null_member (video, "total"));
  g_assert_true (json_object_get_null_member (video, "window_start"));
  g_assert_true (json_object_get_null_member (video, "window_end"));
  g_assert_cmpstr (json_object_get_string_member (video, "account"), ==, "work, \"team\"");
}

static void
test_json_empty (void)
{
  g_autoptr(GArray) samples = samples_new ();
  g_autofree char *text = mq_history_report_json (samples);

  g_assert_cmpstr (text, ==, "[]\n");
}

static void
test_table (void)
{
  g_autoptr(GArray) samples = some_samples ();
  g_autofree char *table = mq_history_report_table (samples, FALSE);
  g_autofree char *ascii = mq_history_report_table (samples, TRUE);
  g_auto(GStrv) lines = g_strsplit (table, "\n", -1);
  gsize width = strlen (lines[0]);

  g_test_message ("%s", table);

  /* A header, five lines (the run: two), all of one width (aligned). */
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  g_assert_true (g_str_has_prefix (lines[0], "Time"));
  g_assert_nonnull (strstr (lines[0], "Model"));
  g_assert_nonnull (strstr (lines[0], "Left"));
  g_assert_true (g_str_has_prefix (lines[1], "2026-06-07 16:00  Text models  5-hour window"));
  g_assert_true (g_str_has_suffix (lines[1], "  63%  945/1,500"));
  g_assert_true (g_str_has_prefix (lines[2], "2026-06-07 16:06"));
  g_assert_nonnull (strstr (lines[4], "Weekly cap"));
  g_assert_nonnull (strstr (lines[5], "Video"));
  g_assert_true (g_str_has_suffix (lines[5], "—"));
  for (guint i = 1; i < 5; i++)
    g_assert_cmpuint (strlen (lines[i]), ==, width);

  /* ASCII: no dash a C locale cannot show. */
  for (const char *p = ascii; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 128);
}

static void
test_table_empty (void)
{
  g_autoptr(GArray) samples = samples_new ();
  g_autofree char *table = mq_history_report_table (samples, FALSE);

  g_assert_cmpstr (table, ==, "No samples in this period\n");
}

static void
test_duration (void)
{
  static const struct {
    const char *text;
    gint64      ms;
  } good[] = {
    { "90m", G_GINT64_CONSTANT (90) * 60000 },
    { "24h", 24 * HOUR_MS },
    { "7d", 7 * 24 * HOUR_MS },
    { "30d", 30 * 24 * HOUR_MS },
    { "2w", 14 * 24 * HOUR_MS },
    { "1H", HOUR_MS },
    { "400d", 400 * 24 * HOUR_MS },
  };
  static const char *bad[] = {
    "", "24", "h", "0h", "-1h", "1.5h", "24 h", " 24h", "24hours", "7x", "1y", "401d", "58w",
    "99999999999999999999999h", "１h",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = -1;

      g_assert_true (mq_history_parse_duration (good[i].text, &ms, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ms, ==, good[i].ms);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = -1;

      if (mq_history_parse_duration (bad[i], &ms, &error))
        g_error ("\"%s\" parsed as %" G_GINT64_FORMAT " ms", bad[i], ms);
      g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
      g_assert_cmpint (ms, ==, -1);
    }
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/history-report/csv", test_csv);
  g_test_add_func ("/history-report/csv-empty", test_csv_empty);
  g_test_add_func ("/history-report/json", test_json);
  g_test_add_func ("/history-report/json-empty", test_json_empty);
  g_test_add_func ("/history-report/table", test_table);
  g_test_add_func ("/history-report/table-empty", test_table_empty);
  g_test_add_func ("/history-report/duration", test_duration);

  return g_test_run ();
}
