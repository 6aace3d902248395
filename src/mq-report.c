/* mq-report.c: a snapshot as JSON or as a text table */
#define G_LOG_DOMAIN "mq-report"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-report.h"
#include "mq-wording.h"

/* ------------------------------------------------------------------ */
/* JSON                                                                 */
/* ------------------------------------------------------------------ */

#define SECONDS_PER_HOUR 3600
#define SECONDS_PER_DAY  (24 * SECONDS_PER_HOUR)
#define SECONDS_PER_WEEK (7 * SECONDS_PER_DAY)

/* What kind of window it is, whatever its length today ("period" says the
 * length: the last 5-hour block of a day lasts 4 hours): "5-hour",
 * "daily", "weekly", or NULL when not known. */
static const char *
window_kind_to_string (const MqWindow *window,
                       MqSlot          slot)
{
  if (slot == MQ_SLOT_WEEKLY)
    return "weekly";

  switch (window->period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      return "5-hour";
    case MQ_PERIOD_DAILY:
      return "daily";
    case MQ_PERIOD_WEEKLY:
      return "weekly";
    case MQ_PERIOD_UNKNOWN:
    default:
      return NULL;
    }
}

/* What the window lasts, said by its own length when the answer gives one
 * ("4h" for a 4-hour window, "daily", "weekly"), else by the period the
 * answer names. NULL when neither is known. */
static char *
period_to_string (const MqWindow *window,
                  MqSlot          slot)
{
  gint64 seconds = window->period_seconds;

  if (seconds > 0)
    {
      if (seconds == SECONDS_PER_DAY)
        return g_strdup ("daily");
      if (seconds == SECONDS_PER_WEEK)
        return g_strdup ("weekly");
      if (seconds % SECONDS_PER_DAY == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "d", seconds / SECONDS_PER_DAY);
      if (seconds % SECONDS_PER_HOUR == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "h", seconds / SECONDS_PER_HOUR);
      if (seconds % 60 == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "m", seconds / 60);
      return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
    }

  switch (mq_wording_period (slot, window->period))
    {
    case MQ_PERIOD_FIVE_HOUR: return g_strdup ("5h");
    case MQ_PERIOD_DAILY: return g_strdup ("daily");
    case MQ_PERIOD_WEEKLY: return g_strdup ("weekly");
    case MQ_PERIOD_UNKNOWN:
    default: return NULL;
    }
}

/* The forecasts given to a report, found by model and window. */
typedef struct {
  const MqHistoryForecast *items;
  gsize                    n;
} Forecasts;

static const MqForecast *
find_forecast (const Forecasts *forecasts,
               const char      *model_name,
               MqSlot           slot)
{
  if (forecasts == NULL || model_name == NULL)
    return NULL;

  for (gsize i = 0; i < forecasts->n; i++)
    if (forecasts->items[i].slot == slot &&
        g_strcmp0 (forecasts->items[i].model, model_name) == 0)
      return &forecasts->items[i].forecast;

  return NULL;
}

void
mq_report_add_string_or_null (JsonBuilder *builder,
                               const char  *member,
                               const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
mq_report_add_count_or_null (JsonBuilder *builder,
                              const char  *member,
                              gint64       value)
{
  json_builder_set_member_name (builder, member);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* A whole number as every output rounds it (mq_format_percent_whole():
 * down, but at least 1 while anything is left); null when unknown. */
static void
add_percent_or_null (JsonBuilder *builder,
                     const char  *member,
                     double       percent)
{
  int whole = mq_format_percent_whole (percent);

  json_builder_set_member_name (builder, member);
  if (whole < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, whole);
}

static void
add_time_or_null (JsonBuilder *builder,
                  const char  *member,
                  gint64       epoch_ms)
{
  g_autofree char *text = NULL;

  if (epoch_ms != 0)
    text = mq_format_iso8601_utc (epoch_ms);
  mq_report_add_string_or_null (builder, member, text);
}

/* "resets_in_seconds" from @fetched_at_ms, and "reset_due": TRUE when
 * the reset time has passed (stale data: the window has reset since;
 * "resets_in_seconds" is then 0). */
static void
add_resets_in_or_null (JsonBuilder *builder,
                       gint64       resets_at_ms,
                       gint64       fetched_at_ms,
                       gint64       now_ms)
{
  gboolean due = resets_at_ms != 0 && (resets_at_ms <= fetched_at_ms || resets_at_ms <= now_ms);

  json_builder_set_member_name (builder, "resets_in_seconds");
  if (resets_at_ms != 0)
    json_builder_add_int_value (builder, due ? 0 : (resets_at_ms - fetched_at_ms) / 1000);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reset_due");
  json_builder_add_boolean_value (builder, due);
}

/* "forecast": {"rate_percent_per_hour", "runs_out_at", "lasts_until_reset",
 * "samples"} and "pace": {"expected_remaining_percent", "delta_percent"},
 * each null when not known. */
static void
add_forecast (JsonBuilder      *builder,
              const MqForecast *forecast,
              double            remaining_percent)
{
  json_builder_set_member_name (builder, "forecast");
  if (forecast == NULL || !forecast->has_forecast)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "rate_percent_per_hour");
      json_builder_add_double_value (builder, round (forecast->rate_percent_per_hour * 10.0) / 10.0);
      add_time_or_null (builder, "runs_out_at",
                        forecast->lasts_until_reset ? 0 : forecast->runs_out_at_ms);
      json_builder_set_member_name (builder, "lasts_until_reset");
      json_builder_add_boolean_value (builder, forecast->lasts_until_reset);
      json_builder_set_member_name (builder, "samples");
      json_builder_add_int_value (builder, forecast->samples_used);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "pace");
  if (forecast == NULL || !forecast->has_pace)
    json_builder_add_null_value (builder);
  else
    {
      /* Whole numbers that add up: remaining = expected + delta. */
      int expected = MAX (mq_format_percent_whole (forecast->expected_remaining_percent), 0);
      int remaining = mq_format_percent_whole (remaining_percent);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "expected_remaining_percent");
      json_builder_add_int_value (builder, expected);
      json_builder_set_member_name (builder, "delta_percent");
      if (remaining >= 0)
        json_builder_add_int_value (builder, remaining - expected);
      else
        json_builder_add_int_value (builder, (gint64) floor (forecast->delta_percent));
      json_builder_end_object (builder);
    }
}

static void
add_window (JsonBuilder        *builder,
            const char         *member,
            const MqModel      *model,
            MqSlot              slot,
            const MqThresholds *thresholds,
            const Forecasts    *forecasts,
            gint64              fetched_at_ms,
            gint64              now_ms)
{
  const MqWindow *window = mq_model_get_window (model, slot);
  g_autofree char *period = NULL;

  json_builder_set_member_name (builder, member);

  if (!model->usable || !model->in_plan || !window->known)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  add_percent_or_null (builder, "remaining_percent", window->remaining_percent);
  mq_report_add_count_or_null (builder, "total", window->total);
  mq_report_add_count_or_null (builder, "remaining", window->remaining);
  mq_report_add_count_or_null (builder, "used", window->used);
  json_builder_set_member_name (builder, "unlimited");
  json_builder_add_boolean_value (builder, window->unlimited);
  json_builder_set_member_name (builder, "exhausted");
  json_builder_add_boolean_value (builder, window->exhausted);
  json_builder_set_member_name (builder, "boost");
  json_builder_add_double_value (builder, window->boost);
  json_builder_set_member_name (builder, "boosted");
  json_builder_add_boolean_value (builder, fabs (window->boost - 1.0) >= 0.0005);
  json_builder_set_member_name (builder, "counts_unreliable");
  json_builder_add_boolean_value (builder, window->counts_unreliable);
  json_builder_set_member_name (builder, "period_seconds");
  if (window->period_seconds > 0)
    json_builder_add_int_value (builder, window->period_seconds);
  else
    json_builder_add_null_value (builder);
  period = period_to_string (window, slot);
  mq_report_add_string_or_null (builder, "period", period);
  mq_report_add_string_or_null (builder, "window_kind", window_kind_to_string (window, slot));
  add_time_or_null (builder, "resets_at", window->resets_at_ms);
  add_resets_in_or_null (builder, window->resets_at_ms, fetched_at_ms, now_ms);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder,
                                 mq_state_to_string (mq_state_for_window (window, thresholds)));
  add_forecast (builder,
                window->unlimited ? NULL : find_forecast (forecasts, model->name, slot),
                window->exhausted ? 0.0 : window->remaining_percent);
  json_builder_end_object (builder);
}

static void
add_headline (JsonBuilder        *builder,
              MqSnapshot         *snapshot,
              const MqThresholds *thresholds,
              const char         *headline_model,
              gint64              now_ms)
{
  MqHeadline headline;
  const MqWindow *window;
  gboolean measured;
  g_autofree char *period = NULL;

  json_builder_set_member_name (builder, "headline");
  json_builder_begin_object (builder);

  if (mq_snapshot_get_headline (snapshot, headline_model, thresholds, &headline) &&
      headline.model != NULL)
    {
      measured = headline.remaining_percent >= 0;
      window = mq_model_get_window (headline.model, headline.slot);

      mq_report_add_string_or_null (builder, "model", headline.model->name);
      mq_report_add_string_or_null (builder, "window",
                                    measured ? mq_slot_to_string (headline.slot) : NULL);
      add_percent_or_null (builder, "remaining_percent", headline.remaining_percent);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, mq_state_to_string (headline.state));
      if (measured)
        period = period_to_string (window, headline.slot);
      mq_report_add_string_or_null (builder, "period", period);
      mq_report_add_string_or_null (builder, "window_kind",
                                    measured ? window_kind_to_string (window, headline.slot) : NULL);
      json_builder_set_member_name (builder, "unlimited");
      json_builder_add_boolean_value (builder, headline.unlimited);
      json_builder_set_member_name (builder, "in_plan");
      json_builder_add_boolean_value (builder, headline.model->in_plan);
      add_time_or_null (builder, "resets_at", headline.resets_at_ms);
      add_resets_in_or_null (builder, headline.resets_at_ms,
                             mq_snapshot_get_fetched_at_ms (snapshot), now_ms);
    }

  json_builder_end_object (builder);
}

char *
mq_report_node_to_string (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}


char *
mq_report_to_json (MqSnapshot         *snapshot,
                   const MqThresholds *thresholds,
                   const char         *headline_model)
{
  g_return_val_if_fail (snapshot != NULL, NULL);

  return mq_report_to_json_with_forecasts (snapshot, thresholds, headline_model, NULL, 0,
                                           mq_snapshot_get_fetched_at_ms (snapshot));
}

char *
mq_report_to_json_with_forecasts (MqSnapshot              *snapshot,
                                  const MqThresholds      *thresholds,
                                  const char              *headline_model,
                                  const MqHistoryForecast *forecasts,
                                  gsize                    n_forecasts,
                                  gint64                   now_ms)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (snapshot != NULL, NULL);

  root = mq_report_build_json (snapshot, thresholds, headline_model, forecasts,
                               n_forecasts, now_ms);
  return mq_report_node_to_string (root);
}

JsonNode *
mq_report_build_json (MqSnapshot              *snapshot,
                      const MqThresholds      *thresholds,
                      const char              *headline_model,
                      const MqHistoryForecast *forecasts,
                      gsize                    n_forecasts,
                      gint64                   now_ms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Forecasts given = { forecasts, forecasts != NULL ? n_forecasts : 0 };
  gint64 fetched_at_ms;

  g_return_val_if_fail (snapshot != NULL, NULL);

  fetched_at_ms = mq_snapshot_get_fetched_at_ms (snapshot);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder,
                                 mq_region_to_string (mq_snapshot_get_region (snapshot)));
  add_time_or_null (builder, "fetched_at", fetched_at_ms);

  add_headline (builder, snapshot, thresholds, headline_model, now_ms);

  json_builder_set_member_name (builder, "models");
  json_builder_begin_array (builder);
  for (guint i = 0; i < mq_snapshot_get_n_models (snapshot); i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      json_builder_begin_object (builder);
      mq_report_add_string_or_null (builder, "name", model->name);
      mq_report_add_string_or_null (builder, "display_name",
                                    mq_format_model_display_name (model->name));
      json_builder_set_member_name (builder, "in_plan");
      json_builder_add_boolean_value (builder, model->in_plan);
      /* Usable: the row was read and the plan includes the model, so
       * its windows can be used (docs/API.md). */
      json_builder_set_member_name (builder, "usable");
      json_builder_add_boolean_value (builder, model->usable && model->in_plan);
      add_window (builder, "interval", model, MQ_SLOT_INTERVAL, thresholds, &given,
                  fetched_at_ms, now_ms);
      add_window (builder, "weekly", model, MQ_SLOT_WEEKLY, thresholds, &given,
                  fetched_at_ms, now_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* Readable rows of the answer past the MQ_SNAPSHOT_MAX_MODELS kept. */
  json_builder_set_member_name (builder, "models_omitted");
  json_builder_add_int_value (builder, mq_snapshot_get_n_omitted (snapshot));

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
mq_report_error_to_json (const GError *error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  root = mq_report_build_error_json (error);
  return mq_report_node_to_string (root);
}

JsonNode *
mq_report_build_error_json (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (error != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, mq_error_code_nick (error));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_set_member_name (builder, "exit_status");
  json_builder_add_int_value (builder, mq_error_exit_code (error));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* ------------------------------------------------------------------ */
/* Text                                                                 */
/* ------------------------------------------------------------------ */

typedef enum {
  STYLE_PLAIN,
  STYLE_BOLD,
  STYLE_DIM,
  STYLE_OK,
  STYLE_LOW,
  STYLE_CRITICAL,
} Style;

/* Model, the current window, its reset, the weekly cap, its reset, and
 * the forecast (only when forecasts are given). */
#define N_COLUMNS 6
#define FORECAST_COLUMN 5

typedef struct {
  char    *cells[N_COLUMNS];
  Style    styles[N_COLUMNS];
  /* When set, the row has only its first cell and this text, spanning the
   * other columns (not in plan, unusable). */
  char    *span;
  Style    span_style;
} Row;

static void
row_clear (gpointer data)
{
  Row *row = data;

  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_pointer (&row->cells[i], g_free);
  g_clear_pointer (&row->span, g_free);
}

static Style
style_for_state (MqState state)
{
  switch (state)
    {
    case MQ_STATE_OK: return STYLE_OK;
    case MQ_STATE_LOW: return STYLE_LOW;
    case MQ_STATE_CRITICAL:
    case MQ_STATE_EXHAUSTED: return STYLE_CRITICAL;
    case MQ_STATE_UNKNOWN:
    default: return STYLE_PLAIN;
    }
}

static void
append_styled (GString    *out,
               const char *text,
               Style       style,
               gboolean    color)
{
  static const char * const codes[] = {
    [STYLE_PLAIN] = NULL,
    [STYLE_BOLD] = "\033[1m",
    [STYLE_DIM] = "\033[2m",
    [STYLE_OK] = "\033[32m",
    [STYLE_LOW] = "\033[33m",
    [STYLE_CRITICAL] = "\033[31m",
  };
  const char *code = color ? codes[style] : NULL;

  if (code != NULL && *text != '\0')
    g_string_append_printf (out, "%s%s\033[0m", code, text);
  else
    g_string_append (out, text);
}

static void
append_spaces (GString *out,
               gsize    n)
{
  for (gsize i = 0; i < n; i++)
    g_string_append_c (out, ' ');
}

static char *
reset_cell (const MqWindow *window,
            gint64          now_ms)
{
  char *text = NULL;

  if (window->known && !window->unlimited)
    text = mq_format_countdown (window->resets_at_ms, now_ms);

  return text != NULL ? text : g_strdup ("");
}

/* What one text report is made from. */
typedef struct {
  MqSnapshot         *snapshot;
  const MqThresholds *thresholds;
  const char         *headline_model;
  gint64              now_ms;
  gboolean            color;
  gboolean            ascii;    /* the locale is not UTF-8 */
  const Forecasts    *forecasts; /* NULL: no forecast column */
} TextInput;

/* The forecast of a row: the window that runs out first, else "lasts"
 * when some window has a forecast; NULL when none has. */
static char *
forecast_cell (const MqModel   *model,
               const TextInput *in)
{
  const MqForecast *chosen = NULL;
  static const MqSlot slots[] = { MQ_SLOT_INTERVAL, MQ_SLOT_WEEKLY };

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      const MqWindow *window = mq_model_get_window (model, slots[i]);
      const MqForecast *forecast;

      if (!window->known || window->unlimited)
        continue;
      forecast = find_forecast (in->forecasts, model->name, slots[i]);
      if (forecast == NULL || !forecast->has_forecast)
        continue;

      if (chosen == NULL)
        chosen = forecast;
      else if (!forecast->lasts_until_reset &&
               (chosen->lasts_until_reset || forecast->runs_out_at_ms < chosen->runs_out_at_ms))
        chosen = forecast;
    }

  return mq_wording_forecast_cell (chosen, in->now_ms);
}

static void
fill_row (Row             *row,
          const MqModel   *model,
          const TextInput *in)
{
  row->cells[0] = g_strdup (mq_format_model_display_name (model->name));
  row->styles[0] = STYLE_PLAIN;

  if (!model->usable)
    {
      row->span = g_strdup (_("no usable data in the response"));
      row->span_style = STYLE_DIM;
      row->styles[0] = STYLE_DIM;
      return;
    }

  if (!model->in_plan)
    {
      /* Translators: %s is the web address of the plan upgrade page */
      row->span = g_strdup_printf (_("not in plan — upgrade: %s"),
                                   mq_region_get_plan_url (mq_snapshot_get_region (in->snapshot)));
      row->span_style = STYLE_DIM;
      row->styles[0] = STYLE_DIM;
      return;
    }

  row->cells[1] = mq_wording_window_cell (&model->interval, in->ascii);
  row->styles[1] = style_for_state (mq_state_for_window (&model->interval, in->thresholds));
  row->cells[2] = reset_cell (&model->interval, in->now_ms);
  row->styles[2] = STYLE_PLAIN;
  row->cells[3] = mq_wording_window_cell (&model->weekly, in->ascii);
  row->styles[3] = style_for_state (mq_state_for_window (&model->weekly, in->thresholds));
  row->cells[4] = reset_cell (&model->weekly, in->now_ms);
  row->styles[4] = STYLE_PLAIN;
  if (in->forecasts != NULL)
    {
      row->cells[FORECAST_COLUMN] = forecast_cell (model, in);
      row->styles[FORECAST_COLUMN] = STYLE_PLAIN;
    }
}

static void
append_headline (GString         *out,
                 const TextInput *in)
{
  MqWordedHeadline worded;
  g_autofree char *reset = NULL;
  Style style = STYLE_BOLD;

  mq_wording_headline (in->snapshot, in->headline_model, in->thresholds, &worded);

  if (worded.kind == MQ_HEADLINE_PERCENT)
    {
      reset = mq_format_reset (worded.headline.resets_at_ms, in->now_ms);
      style = style_for_state (worded.headline.state);
    }

  append_styled (out, worded.sentence, style, in->color);
  if (reset != NULL)
    {
      g_string_append (out, mq_wording_separator (in->ascii));
      g_string_append (out, reset);
    }
  g_string_append_c (out, '\n');

  mq_worded_headline_clear (&worded);
}

/* The text, with ASCII stand-ins for "·", "—", "×" when @ascii. */
static char *
finish_text (GString  *out,
             gboolean  ascii)
{
  if (ascii)
    return mq_wording_to_ascii (out->str);
  return g_strdup (out->str);
}

char *
mq_report_to_text (MqSnapshot         *snapshot,
                   const MqThresholds *thresholds,
                   const char         *headline_model,
                   gint64              now_ms,
                   gboolean            color)
{
  return mq_report_to_text_with_forecasts (snapshot, thresholds, headline_model,
                                           NULL, 0, now_ms, color);
}

char *
mq_report_to_text_with_forecasts (MqSnapshot              *snapshot,
                                  const MqThresholds      *thresholds,
                                  const char              *headline_model,
                                  const MqHistoryForecast *forecasts,
                                  gsize                    n_forecasts,
                                  gint64                   now_ms,
                                  gboolean                 color)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  gsize widths[N_COLUMNS] = { 0 };
  const char *gap = "  ";
  Row header = { 0 };
  Forecasts given = { forecasts, n_forecasts };
  g_autofree char *omitted = NULL;
  TextInput in = { snapshot, thresholds, headline_model, now_ms, color, FALSE,
                   forecasts != NULL ? &given : NULL };
  gboolean ascii;

  g_return_val_if_fail (snapshot != NULL, NULL);

  /* A terminal whose locale is not UTF-8 (LC_ALL=C) would show "·" as
   * "?": ASCII separators there. */
  in.ascii = ascii = !g_get_charset (NULL);
  g_array_set_clear_func (rows, row_clear);

  append_headline (out, &in);
  g_string_append_c (out, '\n');

  if (mq_snapshot_get_n_models (snapshot) == 0)
    {
      g_string_append (out, _("The response lists no models."));
      g_string_append_c (out, '\n');
      return finish_text (out, ascii);
    }

  header.cells[0] = g_strdup (_("Model"));
  /* The 5-hour window or the daily quota, whichever the row has. */
  header.cells[1] = g_strdup (mq_wording_window_name (MQ_PERIOD_UNKNOWN));
  /* Translators: table heading: time until the window on the left resets */
  header.cells[2] = g_strdup (_("Resets in"));
  header.cells[3] = g_strdup (mq_wording_window_name (MQ_PERIOD_WEEKLY));
  header.cells[4] = g_strdup (_("Resets in"));
  if (in.forecasts != NULL)
    /* Translators: table heading: when the quota runs out at this rate */
    header.cells[FORECAST_COLUMN] = g_strdup (_("Forecast"));
  for (guint c = 0; c < N_COLUMNS; c++)
    header.styles[c] = STYLE_BOLD;
  g_array_append_val (rows, header);

  for (guint i = 0; i < mq_snapshot_get_n_models (snapshot); i++)
    {
      Row row = { 0 };

      fill_row (&row, mq_snapshot_get_model (snapshot, i), &in);
      g_array_append_val (rows, row);
    }

  /* Column widths by display width; a spanning text does not widen them. */
  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = &g_array_index (rows, Row, r);

      for (guint c = 0; c < N_COLUMNS; c++)
        if (row->cells[c] != NULL && (row->span == NULL || c == 0))
          widths[c] = MAX (widths[c], mq_format_display_width (row->cells[c]));
    }

  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = &g_array_index (rows, Row, r);
      guint last = 0;
      gsize pending = 0;

      /* The last non-empty cell ends the line: no trailing spaces. */
      for (guint c = 0; c < N_COLUMNS; c++)
        if (row->cells[c] != NULL && *row->cells[c] != '\0')
          last = c;

      for (guint c = 0; c <= last; c++)
        {
          const char *text = row->cells[c] != NULL ? row->cells[c] : "";

          append_spaces (out, pending);
          if (c > 0)
            g_string_append (out, gap);
          append_styled (out, text, row->styles[c], color);
          pending = widths[c] - MIN (widths[c], mq_format_display_width (text));
        }

      if (row->span != NULL)
        {
          append_spaces (out, pending);
          g_string_append (out, gap);
          append_styled (out, row->span, row->span_style, color);
        }

      g_string_append_c (out, '\n');
    }

  omitted = mq_wording_models_omitted (snapshot);
  if (omitted != NULL)
    {
      g_string_append (out, omitted);
      g_string_append_c (out, '\n');
    }

  return finish_text (out, ascii);
}
