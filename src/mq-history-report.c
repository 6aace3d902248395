/* mq-history-report.c: the usage history as a table, CSV or JSON */
#define G_LOG_DOMAIN "mq-history-report"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-history.h"
#include "mq-history-report.h"
#include "mq-report.h"
#include "mq-wording.h"

/* One printed observation: a sample row, or the last time of its run. */
typedef struct {
  const MqHistorySample *sample;
  gint64                 time_ms;
} Line;

static GArray *
lines_of (const GArray *samples)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));

  for (guint i = 0; samples != NULL && i < samples->len; i++)
    {
      const MqHistorySample *sample = &g_array_index (samples, MqHistorySample, i);
      Line line = { sample, sample->time_ms };

      g_array_append_val (lines, line);
      if (sample->last_seen_ms > sample->time_ms)
        {
          line.time_ms = sample->last_seen_ms;
          g_array_append_val (lines, line);
        }
    }
  return lines;
}

/* Whole percents, rounded down; a last sliver is 1, never 0. */
static int
whole_percent (double percent)
{
  if (!(percent >= 0.0))
    return -1;
  if (percent > 0.0 && percent < 1.0)
    return 1;
  return (int) CLAMP (floor (percent), 0.0, 100.0);
}

/* The window's kind from its slot and length: "5-hour window", "Daily
 * quota", "Weekly cap", "Current window". */
static MqPeriod
sample_period (const MqHistorySample *sample)
{
  gint64 length_ms;

  if (sample->slot == MQ_SLOT_WEEKLY)
    return MQ_PERIOD_WEEKLY;

  length_ms = sample->window_end_ms - sample->window_start_ms;
  if (sample->window_start_ms <= 0 || sample->window_end_ms <= 0 || length_ms <= 0)
    return MQ_PERIOD_UNKNOWN;
  /* The last block of a day may be 4 h: up to 6 h is the 5-hour window. */
  if (length_ms <= G_GINT64_CONSTANT (6) * 3600 * 1000)
    return MQ_PERIOD_FIVE_HOUR;
  if (length_ms <= G_GINT64_CONSTANT (25) * 3600 * 1000)
    return MQ_PERIOD_DAILY;
  return MQ_PERIOD_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Table                                                                */
/* ------------------------------------------------------------------ */

static char *
local_time (gint64 epoch_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (epoch_ms / 1000);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("-");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
append_padded (GString    *out,
               const char *text,
               gsize       width,
               gboolean    right)
{
  gsize used = mq_format_display_width (text);

  if (right)
    for (gsize i = used; i < width; i++)
      g_string_append_c (out, ' ');
  g_string_append (out, text);
  if (!right)
    for (gsize i = used; i < width; i++)
      g_string_append_c (out, ' ');
}

#define N_COLUMNS 5

char *
mq_history_report_table (const GArray *samples,
                         gboolean      ascii)
{
  g_autoptr(GArray) lines = lines_of (samples);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  gsize widths[N_COLUMNS] = { 0 };
  const gboolean right[N_COLUMNS] = { FALSE, FALSE, FALSE, TRUE, TRUE };

  if (lines->len == 0)
    {
      /* Translators: `leeway --history` over a period without samples */
      g_string_append (out, _("No samples in this period"));
      g_string_append_c (out, '\n');
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  /* Translators: the columns of `leeway --history` */
  g_ptr_array_add (cells, g_strdup (_("Time")));
  g_ptr_array_add (cells, g_strdup (_("Model")));
  g_ptr_array_add (cells, g_strdup (_("Window")));
  g_ptr_array_add (cells, g_strdup (_("Left")));
  g_ptr_array_add (cells, g_strdup (_("Counts")));

  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);
      const MqHistorySample *sample = line->sample;
      int percent = whole_percent (sample->remaining_percent);

      g_ptr_array_add (cells, local_time (line->time_ms));
      g_ptr_array_add (cells, g_strdup (mq_format_model_display_name (sample->model)));
      g_ptr_array_add (cells, g_strdup (mq_wording_window_name (sample_period (sample))));
      g_ptr_array_add (cells, percent < 0 ? g_strdup (ascii ? "-" : "—")
                                          : g_strdup_printf ("%d%%", percent));
      if (sample->remaining_count >= 0 && sample->total_count > 0)
        {
          g_autofree char *left = mq_format_count (sample->remaining_count);
          g_autofree char *total = mq_format_count (sample->total_count);

          g_ptr_array_add (cells, g_strdup_printf ("%s/%s", left, total));
        }
      else
        g_ptr_array_add (cells, g_strdup (ascii ? "-" : "—"));
    }

  for (guint i = 0; i < cells->len; i++)
    widths[i % N_COLUMNS] = MAX (widths[i % N_COLUMNS],
                                 mq_format_display_width (g_ptr_array_index (cells, i)));

  for (guint i = 0; i < cells->len; i++)
    {
      guint column = i % N_COLUMNS;

      if (column > 0)
        g_string_append (out, "  ");
      if (column == N_COLUMNS - 1)
        {
          append_padded (out, g_ptr_array_index (cells, i), widths[column], right[column]);
          g_string_append_c (out, '\n');
        }
      else
        append_padded (out, g_ptr_array_index (cells, i), widths[column], right[column]);
    }

  if (ascii)
    {
      g_autofree char *text = g_string_free (g_steal_pointer (&out), FALSE);

      return mq_wording_to_ascii (text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------ */
/* CSV                                                                  */
/* ------------------------------------------------------------------ */

static void
append_csv_field (GString    *out,
                  const char *value)
{
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
iso_or_null (gint64 epoch_ms)
{
  return epoch_ms > 0 ? mq_format_iso8601_utc (epoch_ms) : NULL;
}

static char *
count_or_null (gint64 count)
{
  return count >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, count) : NULL;
}

char *
mq_history_report_csv (const GArray *samples)
{
  g_autoptr(GArray) lines = lines_of (samples);
  g_autoptr(GString) out = g_string_new (MQ_HISTORY_CSV_HEADER "\n");

  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);
      const MqHistorySample *sample = line->sample;
      g_autofree char *time = mq_format_iso8601_utc (line->time_ms);
      g_autofree char *percent = NULL;
      g_autofree char *remaining = count_or_null (sample->remaining_count);
      g_autofree char *total = count_or_null (sample->total_count);
      g_autofree char *start = iso_or_null (sample->window_start_ms);
      g_autofree char *end = iso_or_null (sample->window_end_ms);
      int whole = whole_percent (sample->remaining_percent);

      if (whole >= 0)
        percent = g_strdup_printf ("%d", whole);

      append_csv_field (out, time);
      g_string_append_c (out, ',');
      append_csv_field (out, sample->account);
      g_string_append_c (out, ',');
      append_csv_field (out, sample->model);
      g_string_append_c (out, ',');
      append_csv_field (out, mq_slot_to_string (sample->slot));
      g_string_append_c (out, ',');
      append_csv_field (out, percent);
      g_string_append_c (out, ',');
      append_csv_field (out, remaining);
      g_string_append_c (out, ',');
      append_csv_field (out, total);
      g_string_append_c (out, ',');
      append_csv_field (out, start);
      g_string_append_c (out, ',');
      append_csv_field (out, end);
      g_string_append_c (out, '\n');
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                 */
/* ------------------------------------------------------------------ */

static void
add_time_member (JsonBuilder *builder,
                 const char  *member,
                 gint64       epoch_ms)
{
  g_autofree char *text = iso_or_null (epoch_ms);

  mq_report_add_string_or_null (builder, member, text);
}

char *
mq_history_report_json (const GArray *samples)
{
  g_autoptr(GArray) lines = lines_of (samples);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);
      const MqHistorySample *sample = line->sample;
      int whole = whole_percent (sample->remaining_percent);

      json_builder_begin_object (builder);
      add_time_member (builder, "time", line->time_ms);
      json_builder_set_member_name (builder, "account");
      json_builder_add_string_value (builder, sample->account != NULL ? sample->account : "");
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, sample->model != NULL ? sample->model : "");
      json_builder_set_member_name (builder, "window");
      json_builder_add_string_value (builder, mq_slot_to_string (sample->slot));
      mq_report_add_count_or_null (builder, "remaining_percent", whole);
      mq_report_add_count_or_null (builder, "remaining", sample->remaining_count);
      mq_report_add_count_or_null (builder, "total", sample->total_count);
      add_time_member (builder, "window_start", sample->window_start_ms);
      add_time_member (builder, "window_end", sample->window_end_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return mq_report_node_to_string (root);
}

/* ------------------------------------------------------------------ */
/* --history=DURATION                                                   */
/* ------------------------------------------------------------------ */

gboolean
mq_history_parse_duration (const char  *text,
                           gint64      *out_ms,
                           GError     **error)
{
  static const struct {
    char   unit;
    gint64 ms;
  } units[] = {
    { 'm', G_GINT64_CONSTANT (60) * 1000 },
    { 'h', G_GINT64_CONSTANT (3600) * 1000 },
    { 'd', G_GINT64_CONSTANT (24) * 3600 * 1000 },
    { 'w', G_GINT64_CONSTANT (7) * 24 * 3600 * 1000 },
  };
  guint64 number = 0;
  const char *p = text;

  g_return_val_if_fail (out_ms != NULL, FALSE);

  if (text == NULL || !g_ascii_isdigit (*p))
    goto invalid;

  while (g_ascii_isdigit (*p))
    {
      number = number * 10 + (guint64) (*p - '0');
      /* Past any span allowed: stop before it overflows. */
      if (number > G_GUINT64_CONSTANT (1) << 40)
        goto too_long;
      p++;
    }

  if (number == 0 || p[0] == '\0' || p[1] != '\0')
    goto invalid;

  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (units[i].unit != g_ascii_tolower (p[0]))
        continue;
      if (number > (guint64) (MQ_HISTORY_DURATION_MAX_MS / units[i].ms))
        goto too_long;
      *out_ms = (gint64) number * units[i].ms;
      return TRUE;
    }

invalid:
  g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
               /* Translators: %s is what the user typed after --history= */
               _("“%s” is not a duration: use a number and m, h, d or w, as in 90m, 24h, 7d"),
               text != NULL ? text : "");
  return FALSE;

too_long:
  g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
               /* Translators: %s is what the user typed after --history= */
               _("“%s” is longer than the 400 days the history keeps"), text);
  return FALSE;
}
