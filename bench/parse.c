/* parse.c: how long mq_snapshot_parse() takes, and how it scales
 *
 * Generates remains responses of 50, 500, 5,000 and 50,000 rows shaped
 * like the real endpoint's (every field of a row present, model names of
 * every lane, limited, unlimited and not-in-plan windows), parses each one
 * --runs times after a warm-up and prints the median wall time (monotonic
 * clock) in ms and per row. The parse is the whole of mq_snapshot_parse():
 * the UTF-8 and nesting checks, json-glib, and interpreting every row.
 * Freeing the snapshot is not timed.
 *
 * Beside the wall time it prints the median CPU time of the parsing thread
 * (CLOCK_THREAD_CPUTIME_ID), which other processes on a busy machine do
 * not inflate by preempting it (they still share its caches).
 *
 * Usage: parse [--runs N] [--rows N]...
 *
 * Target (issue 6): 5,000 rows in under 50 ms, and time per row roughly
 * constant from 500 rows up (linear scaling).
 */
#include "config.h"

#include <time.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mq-snapshot.h"

#define NOW_MS    G_GINT64_CONSTANT (1780850000000)
#define START_MS  G_GINT64_CONSTANT (1780848000000)
#define HOUR_MS   G_GINT64_CONSTANT (3600000)
#define DAY_MS    (24 * HOUR_MS)

static const char * const lane_names[] = {
  "MiniMax-M2", "general", "video", "speech-hd", "image-01", "music-1.5",
};

static void
append_row (GString *json,
            guint    index)
{
  const char *base = lane_names[index % G_N_ELEMENTS (lane_names)];
  /* Every seventh row unlimited (status 3), every eleventh not in the plan
   * (totals 0, status 1), the rest limited with a varying use. */
  gboolean unlimited = index % 7 == 3;
  gboolean not_in_plan = !unlimited && index % 11 == 5;
  gint64 total = not_in_plan ? 0 : unlimited ? 0 : 1500 + (index % 5) * 500;
  gint64 used = total > 0 ? (index * 37) % total : 0;
  gint64 weekly_total = total * 10;
  gint64 weekly_used = weekly_total > 0 ? (index * 211) % weekly_total : 0;
  int status = unlimited ? 3 : 1;
  int percent = total > 0 ? (int) (100 - used * 100 / total) : 100;
  int weekly_percent = weekly_total > 0 ? (int) (100 - weekly_used * 100 / weekly_total) : 100;

  if (index > 0)
    g_string_append_c (json, ',');

  g_string_append_printf (json,
    "\n{\"model_name\":\"%s-%u\","
    "\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
    "\"remains_time\":%" G_GINT64_FORMAT ","
    "\"current_interval_total_count\":%" G_GINT64_FORMAT ","
    "\"current_interval_usage_count\":%" G_GINT64_FORMAT ","
    "\"current_weekly_total_count\":%" G_GINT64_FORMAT ","
    "\"current_weekly_usage_count\":%" G_GINT64_FORMAT ","
    "\"current_interval_status\":%d,\"current_weekly_status\":%d,"
    "\"current_interval_remaining_percent\":%d,"
    "\"current_weekly_remaining_percent\":%d,"
    "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
    "\"weekly_remains_time\":%" G_GINT64_FORMAT "}",
    base, index,
    START_MS, START_MS + 5 * HOUR_MS, START_MS + 5 * HOUR_MS - NOW_MS,
    total, used, weekly_total, weekly_used,
    status, status, percent, weekly_percent,
    START_MS, START_MS + 7 * DAY_MS, START_MS + 7 * DAY_MS - NOW_MS);
}

static GString *
make_response (guint n_rows)
{
  GString *json = g_string_sized_new ((gsize) n_rows * 520 + 128);

  g_string_append (json, "{\"model_remains\":[");
  for (guint i = 0; i < n_rows; i++)
    append_row (json, i);
  g_string_append (json, "],\n\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}\n");

  return json;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* One mq_snapshot_parse() of @json: wall time in microseconds, and CPU
 * time in @out_cpu_us; -1 when it fails or does not give one model per row. */
static gint64
parse_once (const GString *json,
            guint          n_rows,
            gint64        *out_cpu_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  gint64 start, elapsed, cpu_start;

  cpu_start = thread_cpu_us ();
  start = g_get_monotonic_time ();
  snapshot = mq_snapshot_parse (json->str, json->len, NOW_MS, MQ_REGION_GLOBAL, &error);
  elapsed = g_get_monotonic_time () - start;
  *out_cpu_us = thread_cpu_us () - cpu_start;

  if (snapshot == NULL)
    {
      g_printerr ("parse: %u rows failed: %s\n", n_rows, error->message);
      return -1;
    }
  /* Every row read: kept, or counted past MQ_SNAPSHOT_MAX_MODELS. */
  if (mq_snapshot_get_n_models (snapshot) + mq_snapshot_get_n_omitted (snapshot) != n_rows ||
      mq_snapshot_get_n_models (snapshot) != MIN (n_rows, MQ_SNAPSHOT_MAX_MODELS))
    {
      g_printerr ("parse: %u rows gave %u models and %u omitted\n", n_rows,
                  mq_snapshot_get_n_models (snapshot), mq_snapshot_get_n_omitted (snapshot));
      return -1;
    }
  return elapsed;
}

/* What json-glib alone takes for the same body, the part of the parse that
 * is not ours: building its tree (as mq_snapshot_parse() does, with a
 * mutable parser: sealing every node would cost more) and freeing it. */
static gint64
json_glib_once (const GString *json,
                guint          n_rows,
                gint64        *out_cpu_us)
{
  g_autoptr(GError) error = NULL;
  JsonParser *parser;
  gint64 start, elapsed, cpu_start;
  gboolean loaded;

  cpu_start = thread_cpu_us ();
  start = g_get_monotonic_time ();
  parser = json_parser_new ();
  loaded = json_parser_load_from_data (parser, json->str, (gssize) json->len, &error);
  g_object_unref (parser);
  elapsed = g_get_monotonic_time () - start;
  *out_cpu_us = thread_cpu_us () - cpu_start;

  if (!loaded)
    {
      g_printerr ("parse: json-glib failed on %u rows: %s\n", n_rows, error->message);
      return -1;
    }
  return elapsed;
}

typedef gint64 (*TimeOnce) (const GString *json, guint n_rows, gint64 *out_cpu_us);

typedef struct {
  gint64 median_us;     /* wall */
  gint64 min_us;        /* wall */
  gint64 cpu_median_us;
} Timing;

/* Sorts @samples and returns their median. */
static gint64
median (GArray *samples)
{
  guint n = samples->len;

  g_array_sort (samples, compare_gint64);
  if (n % 2 == 1)
    return g_array_index (samples, gint64, n / 2);
  return (g_array_index (samples, gint64, n / 2 - 1) + g_array_index (samples, gint64, n / 2)) / 2;
}

/* Medians of @runs timings by @once (after one warm-up run: page faults of
 * the first allocation of this size and cold caches are not what a running
 * applet sees); FALSE when a run fails. */
static gboolean
time_median (TimeOnce       once,
             const GString *json,
             guint          n_rows,
             guint          runs,
             Timing        *out)
{
  g_autoptr(GArray) wall = g_array_sized_new (FALSE, FALSE, sizeof (gint64), runs);
  g_autoptr(GArray) cpu = g_array_sized_new (FALSE, FALSE, sizeof (gint64), runs);

  for (guint run = 0; run <= runs; run++)
    {
      gint64 cpu_us = 0;
      gint64 elapsed = once (json, n_rows, &cpu_us);

      if (elapsed < 0)
        return FALSE;
      if (run > 0)
        {
          g_array_append_val (wall, elapsed);
          g_array_append_val (cpu, cpu_us);
        }
    }

  out->median_us = median (wall);
  out->min_us = g_array_index (wall, gint64, 0);
  out->cpu_median_us = median (cpu);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rows_args = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  int runs = 21;
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs,
      "Timed parses of each response (default 21), after one warm-up", "N" },
    { "rows", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &rows_args,
      "Rows in a response; repeat for several (default 50, 500, 5000, 50000)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- time mq_snapshot_parse() on generated responses");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("parse: %s\n", error->message);
      return 1;
    }
  if (runs < 1 || runs > 100000)
    {
      g_printerr ("parse: --runs must be 1..100000\n");
      return 1;
    }

  if (rows_args == NULL)
    {
      const guint defaults[] = { 50, 500, 5000, 50000 };

      g_array_append_vals (sizes, defaults, G_N_ELEMENTS (defaults));
    }
  for (guint i = 0; rows_args != NULL && rows_args[i] != NULL; i++)
    {
      guint64 value;
      guint n_rows;

      if (!g_ascii_string_to_unsigned (rows_args[i], 10, 1, 100000, &value, &error))
        {
          g_printerr ("parse: --rows: %s\n", error->message);
          return 1;
        }
      n_rows = (guint) value;
      g_array_append_val (sizes, n_rows);
    }

  g_print ("mq_snapshot_parse(), median of %d runs after a warm-up (wall time, and the\n"
           "parsing thread's CPU time); json-glib alone: its parser building and freeing\n"
           "the tree of the same body, the part that is not ours\n\n",
           runs);
  g_print ("| rows | response | median | fastest | per row | CPU time | json-glib alone | json-glib share |\n");
  g_print ("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");

  for (guint i = 0; i < sizes->len; i++)
    {
      guint n_rows = g_array_index (sizes, guint, i);
      g_autoptr(GString) json = make_response (n_rows);
      Timing ours, json_glib;

      if (!time_median (parse_once, json, n_rows, (guint) runs, &ours) ||
          !time_median (json_glib_once, json, n_rows, (guint) runs, &json_glib))
        return 1;

      g_print ("| %u | %.1f KiB | %.3f ms | %.3f ms | %.2f us | %.3f ms | %.3f ms | %.0f%% |\n",
               n_rows, json->len / 1024.0, ours.median_us / 1000.0, ours.min_us / 1000.0,
               (double) ours.median_us / n_rows, ours.cpu_median_us / 1000.0,
               json_glib.median_us / 1000.0,
               100.0 * json_glib.median_us / MAX (ours.median_us, 1));
    }

  return 0;
}
