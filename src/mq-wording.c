/* mq-wording.c: the words for quota facts, one vocabulary for every output */
#define G_LOG_DOMAIN "mq-wording"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mq-format.h"
#include "mq-wording.h"

const char *
mq_wording_separator (gboolean ascii)
{
  if (ascii)
    return " - ";

  /* Translators: separates the parts of a line, "63% left · resets 16:30" */
  return C_("separator", " · ");
}

MqPeriod
mq_wording_period (MqSlot   slot,
                   MqPeriod period)
{
  return slot == MQ_SLOT_WEEKLY ? MQ_PERIOD_WEEKLY : period;
}

const char *
mq_wording_window_name (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: the rolling 5-hour quota window of text models */
      return _("5-hour window");
    case MQ_PERIOD_DAILY:
      /* Translators: the quota that resets every day (video, speech…) */
      return _("Daily quota");
    case MQ_PERIOD_WEEKLY:
      /* Translators: the weekly limit on top of the 5-hour window */
      return _("Weekly cap");
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: a quota window of unknown length; also a table
       * heading for the 5-hour window or the daily quota */
      return _("Current window");
    }
}

const char *
mq_wording_period_short_name (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: the 5-hour window, short, in a menu row */
      return _("5-hour");
    case MQ_PERIOD_DAILY:
      /* Translators: the daily quota, short, in a menu row */
      return _("daily");
    case MQ_PERIOD_WEEKLY:
      /* Translators: the weekly cap, short, in a menu row */
      return _("weekly");
    case MQ_PERIOD_UNKNOWN:
    default:
      return NULL;
    }
}

const char *
mq_wording_of_window (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: completes "Text models: 18% left" */
      return _("of the 5-hour window");
    case MQ_PERIOD_DAILY:
      /* Translators: completes "Video: 18% left" */
      return _("of the daily quota");
    case MQ_PERIOD_WEEKLY:
      /* Translators: completes "Text models: 18% left" */
      return _("of the weekly cap");
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: completes "Text models: 18% left" */
      return _("of the current window");
    }
}

char *
mq_wording_percent_left (MqPeriod    period,
                         const char *percent)
{
  g_return_val_if_fail (percent != NULL, NULL);

  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: %s is a percentage, "63% of the 5-hour window left" */
      return g_strdup_printf (_("%s of the 5-hour window left"), percent);
    case MQ_PERIOD_DAILY:
      /* Translators: %s is a percentage, "40% of the daily quota left" */
      return g_strdup_printf (_("%s of the daily quota left"), percent);
    case MQ_PERIOD_WEEKLY:
      /* Translators: %s is a percentage, "12% of the weekly cap left" */
      return g_strdup_printf (_("%s of the weekly cap left"), percent);
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: %s is a percentage, "63% of the current window left" */
      return g_strdup_printf (_("%s of the current window left"), percent);
    }
}

const char *
mq_wording_used_up (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      return _("The 5-hour window is used up");
    case MQ_PERIOD_DAILY:
      return _("The daily quota is used up");
    case MQ_PERIOD_WEEKLY:
      return _("The weekly cap is used up");
    case MQ_PERIOD_UNKNOWN:
    default:
      return _("The current window is used up");
    }
}

char *
mq_wording_not_in_plan (const char *model_name)
{
  /* Translators: %s is a model, "Video — not in your plan" */
  return g_strdup_printf (_("%s — not in your plan"),
                          mq_format_model_display_name (model_name));
}

char *
mq_wording_unusable (const char *model_name)
{
  /* Translators: %s is a model; its row in the response was broken */
  return g_strdup_printf (_("%s: no usable data"),
                          mq_format_model_display_name (model_name));
}

char *
mq_wording_more_models (MqSnapshot *snapshot,
                        guint       shown)
{
  guint listed, more;

  g_return_val_if_fail (snapshot != NULL, NULL);

  listed = mq_snapshot_get_n_models (snapshot) + mq_snapshot_get_n_omitted (snapshot);
  if (listed <= shown)
    return NULL;
  more = listed - shown;

  /* Translators: the last row of a list of models when the answer lists
   * more than are shown; it opens the dashboard, e.g. "37 more models…" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more model…", "%u more models…", more),
                          more);
}

char *
mq_wording_models_omitted (MqSnapshot *snapshot)
{
  guint omitted;

  g_return_val_if_fail (snapshot != NULL, NULL);

  omitted = mq_snapshot_get_n_omitted (snapshot);
  if (omitted == 0)
    return NULL;

  /* Translators: under the table of models, when MiniMax's answer listed
   * more models than any plan has; the second number is the most Leeway
   * keeps, e.g. "19744 more models in MiniMax’s answer are not shown
   * (Leeway keeps at most 256)." */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u more model in MiniMax’s answer is not shown (Leeway keeps at most %u).",
                                       "%u more models in MiniMax’s answer are not shown (Leeway keeps at most %u).",
                                       omitted),
                          omitted, (guint) MQ_SNAPSHOT_MAX_MODELS);
}

char *
mq_wording_resets_at (gint64 resets_at_ms,
                      gint64 now_ms)
{
  g_autofree char *clock = NULL;

  if (resets_at_ms == 0)
    return NULL;

  clock = mq_format_clock (resets_at_ms, now_ms);
  /* Translators: %s is a time, e.g. "resets at 16:30" */
  return g_strdup_printf (_("resets at %s"), clock);
}

/* "945/1,500"; NULL when the counts are not to be shown. */
static char *
counts_text (const MqWindow *window)
{
  g_autofree char *remaining = NULL;
  g_autofree char *total = NULL;

  if (window->counts_unreliable || window->total <= 0 || window->remaining < 0)
    return NULL;

  remaining = mq_format_count (window->remaining);
  total = mq_format_count (window->total);
  /* Translators: counts left of a limit, e.g. "945/1,500" */
  return g_strdup_printf (C_("counts", "%s/%s"), remaining, total);
}

static char *
join_parts (GPtrArray *parts,
            gboolean   ascii)
{
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (mq_wording_separator (ascii), (char **) parts->pdata);
}

char *
mq_wording_window_summary (const MqWindow *window,
                           gint64          now_ms)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *counts = NULL;
  g_autofree char *boost = NULL;
  char *reset;

  g_return_val_if_fail (window != NULL, NULL);

  if (!window->known)
    /* Translators: a quota window the response says nothing usable about */
    return g_strdup (_("no data"));

  if (window->unlimited)
    /* Translators: a quota window without a limit */
    return g_strdup (_("unlimited"));

  counts = counts_text (window);

  if (window->exhausted)
    {
      if (counts != NULL)
        /* Translators: a window with nothing left; %s is "0/1,500" */
        g_ptr_array_add (parts, g_strdup_printf (_("used up (%s)"), counts));
      else
        /* Translators: a quota window with nothing left */
        g_ptr_array_add (parts, g_strdup (_("used up")));
    }
  else if (window->remaining_percent >= 0)
    {
      g_autofree char *percent = mq_format_percent (window->remaining_percent);

      if (counts != NULL)
        /* Translators: "63% left (945/1,500)" */
        g_ptr_array_add (parts, g_strdup_printf (_("%s left (%s)"), percent, counts));
      else
        /* Translators: %s is a percentage ("63% left") or counts ("945/1,500 left") */
        g_ptr_array_add (parts, g_strdup_printf (_("%s left"), percent));
    }
  else if (counts != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("%s left"), counts));
  else
    g_ptr_array_add (parts, g_strdup (_("no data")));

  boost = mq_format_boost (window->boost);
  if (boost != NULL)
    /* Translators: %s is a multiplier, "×2 boost" */
    g_ptr_array_add (parts, g_strdup_printf (_("%s boost"), boost));

  reset = mq_format_reset (window->resets_at_ms, now_ms);
  if (reset != NULL)
    g_ptr_array_add (parts, reset);

  return join_parts (parts, FALSE);
}

char *
mq_wording_window_cell (const MqWindow *window,
                        gboolean        ascii)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *boost = NULL;
  const char *none = ascii ? "-" : C_("percent", "—");
  char *counts;

  g_return_val_if_fail (window != NULL, NULL);

  if (!window->known)
    return g_strdup (none);

  if (window->unlimited)
    return g_strdup (_("unlimited"));

  counts = counts_text (window);
  if (counts != NULL)
    g_ptr_array_add (parts, counts);

  if (window->remaining_percent >= 0)
    g_ptr_array_add (parts, mq_format_percent (window->remaining_percent));

  if (window->exhausted)
    g_ptr_array_add (parts, g_strdup (_("used up")));

  boost = mq_format_boost (window->boost);
  if (boost != NULL)
    g_ptr_array_add (parts, ascii ? g_str_to_ascii (boost, "C") : g_steal_pointer (&boost));

  if (parts->len == 0)
    return g_strdup (none);

  return join_parts (parts, ascii);
}

/* ------------------------------------------------------------------ */
/* The headline                                                         */
/* ------------------------------------------------------------------ */

void
mq_wording_headline (MqSnapshot         *snapshot,
                     const char         *model_name,
                     const MqThresholds *thresholds,
                     MqWordedHeadline   *out)
{
  MqHeadline *headline;
  const MqModel *model;
  const char *name;

  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  headline = &out->headline;
  out->period = MQ_PERIOD_UNKNOWN;

  if (!mq_snapshot_get_headline (snapshot, model_name, thresholds, headline) ||
      headline->model == NULL)
    {
      out->kind = MQ_HEADLINE_NONE;
      out->sentence = g_strdup (_("No text model quota in the response"));
      return;
    }

  model = headline->model;
  name = mq_format_model_display_name (model->name);

  if (!model->usable)
    {
      out->kind = MQ_HEADLINE_UNUSABLE;
      out->sentence = mq_wording_unusable (model->name);
    }
  else if (!model->in_plan)
    {
      out->kind = MQ_HEADLINE_NOT_IN_PLAN;
      out->sentence = mq_wording_not_in_plan (model->name);
    }
  else if (headline->unlimited)
    {
      out->kind = MQ_HEADLINE_UNLIMITED;
      /* Translators: %s is a model, "Text models: unlimited" */
      out->sentence = g_strdup_printf (_("%s: unlimited"), name);
    }
  else if (headline->remaining_percent < 0)
    {
      out->kind = MQ_HEADLINE_UNKNOWN;
      /* Translators: %s is a model */
      out->sentence = g_strdup_printf (_("%s: the quota left is not known"), name);
    }
  else
    {
      const MqWindow *window = mq_model_get_window (model, headline->slot);
      g_autofree char *sentence = NULL;

      out->kind = MQ_HEADLINE_PERCENT;
      out->period = mq_wording_period (headline->slot, window->period);
      out->percent = mq_format_percent (headline->remaining_percent);

      if (headline->state == MQ_STATE_EXHAUSTED)
        sentence = g_strdup (mq_wording_used_up (out->period));
      else
        sentence = mq_wording_percent_left (out->period, out->percent);

      /* Name the model when the headline is not the text lane. */
      if (model->lane != MQ_LANE_TEXT)
        /* Translators: a model and what is left of it,
         * "Video: 100% of the daily quota left" */
        out->sentence = g_strdup_printf (_("%s: %s"), name, sentence);
      else
        out->sentence = g_steal_pointer (&sentence);
    }
}

void
mq_worded_headline_clear (MqWordedHeadline *headline)
{
  if (headline == NULL)
    return;

  g_clear_pointer (&headline->percent, g_free);
  g_clear_pointer (&headline->sentence, g_free);
}

char *
mq_wording_headline_detail (const MqWordedHeadline *headline,
                            gint64                  now_ms)
{
  g_autofree char *countdown = NULL;

  g_return_val_if_fail (headline != NULL, NULL);

  if (headline->kind != MQ_HEADLINE_PERCENT || headline->headline.resets_at_ms == 0)
    return NULL;

  if (headline->headline.resets_at_ms <= now_ms)
    {
      /* Stale data: the window has reset since (issue 10.7). */
      if (headline->headline.slot == MQ_SLOT_WEEKLY)
        /* Translators: the weekly cap binds, and its reset time has passed */
        return g_strdup (_("The weekly cap is the tighter limit · reset due"));
      /* Translators: the reset time has passed; fresh numbers are due */
      return g_strdup (_("Reset due — refreshing"));
    }

  countdown = mq_format_countdown (headline->headline.resets_at_ms, now_ms);
  if (headline->headline.slot == MQ_SLOT_WEEKLY)
    /* Translators: the weekly cap is lower than what the 5-hour window
     * would allow; %s is "2d 4h (Mon 08:00)" */
    return g_strdup_printf (_("The weekly cap is the tighter limit · resets in %s"), countdown);

  /* Translators: %s is "2h 30m (16:30)" */
  return g_strdup_printf (_("Resets in %s"), countdown);
}

char *
mq_wording_headline_title (const MqWordedHeadline *headline,
                           gint64                  now_ms)
{
  g_autofree char *clock = NULL;

  g_return_val_if_fail (headline != NULL, NULL);

  if (headline->kind != MQ_HEADLINE_PERCENT || headline->headline.resets_at_ms == 0)
    return g_strdup (headline->sentence);

  if (headline->headline.resets_at_ms <= now_ms)
    /* Translators: the tray tooltip when the reset time has passed,
     * "63% of the 5-hour window left · reset due" */
    return g_strdup_printf (_("%s · reset due"), headline->sentence);

  clock = mq_format_clock (headline->headline.resets_at_ms, now_ms);
  /* Translators: the tray tooltip: the headline, then the reset time,
   * "63% of the 5-hour window left · resets 16:30" */
  return g_strdup_printf (_("%s · resets %s"), headline->sentence, clock);
}

char *
mq_wording_to_ascii (const char *text)
{
  static const struct {
    const char *from;
    const char *to;
  } stand_ins[] = {
    { "\u00b7", "-" },    /* · */
    { "\u2014", "-" },    /* — */
    { "\u2013", "-" },    /* – */
    { "\u00d7", "x" },    /* × */
    { "\u2026", "..." },  /* … */
    { "\u221e", "inf" },  /* ∞ */
  };
  g_autoptr(GString) out = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new (text);
  for (gsize i = 0; i < G_N_ELEMENTS (stand_ins); i++)
    g_string_replace (out, stand_ins[i].from, stand_ins[i].to, 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------ */
/* Sentences: notifications and forecasts (issues 10 and 11)            */
/* ------------------------------------------------------------------ */

/* "the 5-hour window", inside a sentence. */
static const char *
the_window (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: inside a sentence, "At this rate the 5-hour window runs out…" */
      return _("the 5-hour window");
    case MQ_PERIOD_DAILY:
      /* Translators: inside a sentence, "At this rate the daily quota runs out…" */
      return _("the daily quota");
    case MQ_PERIOD_WEEKLY:
      /* Translators: inside a sentence, "At this rate the weekly cap runs out…" */
      return _("the weekly cap");
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: inside a sentence, "At this rate the current window runs out…" */
      return _("the current window");
    }
}

char *
mq_wording_when (gint64 epoch_ms,
                 gint64 now_ms)
{
  return mq_format_local_time (epoch_ms, now_ms,
                               /* xgettext:no-c-format */
                               /* Translators: a time today inside a sentence, in g_date_time_format()
                                * syntax: "It resets at 03:00." */
                               C_("when", "at %H:%M"),
                               /* xgettext:no-c-format */
                               /* Translators: a weekday and time inside a sentence, in
                                * g_date_time_format() syntax: "It resets on Tue at 03:00." */
                               C_("when", "on %a at %H:%M"),
                               /* xgettext:no-c-format */
                               /* Translators: a date and time inside a sentence, in
                                * g_date_time_format() syntax: "It resets on Nov 30 at 03:00." */
                               C_("when", "on %b %-d at %H:%M"));
}

char *
mq_wording_left_sentence (MqPeriod    period,
                          const char *percent)
{
  g_return_val_if_fail (percent != NULL, NULL);

  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: %s is a percentage: "19% of the 5-hour window is left." */
      return g_strdup_printf (_("%s of the 5-hour window is left."), percent);
    case MQ_PERIOD_DAILY:
      /* Translators: %s is a percentage: "19% of the daily quota is left." */
      return g_strdup_printf (_("%s of the daily quota is left."), percent);
    case MQ_PERIOD_WEEKLY:
      /* Translators: %s is a percentage: "19% of the weekly cap is left." */
      return g_strdup_printf (_("%s of the weekly cap is left."), percent);
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: %s is a percentage: "19% of the current window is left." */
      return g_strdup_printf (_("%s of the current window is left."), percent);
    }
}

const char *
mq_wording_used_up_sentence (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      return _("The 5-hour window is used up.");
    case MQ_PERIOD_DAILY:
      return _("The daily quota is used up.");
    case MQ_PERIOD_WEEKLY:
      return _("The weekly cap is used up.");
    case MQ_PERIOD_UNKNOWN:
    default:
      return _("The current window is used up.");
    }
}

char *
mq_wording_reset_sentence (gint64 resets_at_ms,
                           gint64 now_ms)
{
  g_autofree char *when = NULL;

  if (resets_at_ms == 0)
    return NULL;

  if (resets_at_ms <= now_ms)
    /* Translators: the reset time of the window has passed */
    return g_strdup (_("Its reset is due."));

  when = mq_wording_when (resets_at_ms, now_ms);
  /* Translators: %s is "at 03:00" or "on Tue at 03:00" */
  return g_strdup_printf (_("It resets %s."), when);
}

char *
mq_wording_forecast_alert (MqPeriod period,
                           gint64   runs_out_at_ms,
                           gint64   resets_at_ms,
                           gint64   now_ms)
{
  g_autofree char *when = mq_wording_when (runs_out_at_ms, now_ms);
  g_autofree char *margin = NULL;

  if (resets_at_ms == 0 || resets_at_ms <= runs_out_at_ms)
    /* Translators: first %s is "the 5-hour window", second "at 14:20" */
    return g_strdup_printf (_("At this rate %s runs out %s."), the_window (period), when);

  margin = mq_format_duration ((resets_at_ms - runs_out_at_ms) / 1000);
  /* Translators: first %s is "the 5-hour window", second "at 14:20", third
   * a duration ("2h"): "At this rate the 5-hour window runs out at 14:20,
   * 2h before it resets." */
  return g_strdup_printf (_("At this rate %s runs out %s, %s before it resets."),
                          the_window (period), when, margin);
}

char *
mq_wording_forecast_cell (const MqForecast *forecast,
                          gint64            now_ms)
{
  g_autofree char *clock = NULL;

  if (forecast == NULL || !forecast->has_forecast)
    return NULL;

  if (forecast->lasts_until_reset || forecast->runs_out_at_ms == 0)
    /* Translators: a forecast in a table cell: the window lasts until it resets */
    return g_strdup (C_("forecast", "lasts"));

  if (forecast->runs_out_at_ms <= now_ms)
    /* Translators: a forecast in a table cell: nothing is left now */
    return g_strdup (C_("forecast", "ran out"));

  clock = mq_format_clock (forecast->runs_out_at_ms, now_ms);
  /* Translators: a forecast in a table cell, %s is a time: "runs out ~14:20" */
  return g_strdup_printf (C_("forecast", "runs out ~%s"), clock);
}

/* ------------------------------------------------------------------ */
/* Forecast, pace and stale resets (issues 10 and 11: the menu)         */
/* ------------------------------------------------------------------ */

const char *
mq_wording_reset_due (gboolean sentence)
{
  if (sentence)
    /* Translators: a window whose reset time has passed: the data is old
     * and a refresh is on its way; a line of its own */
    return _("Reset due — refreshing");

  /* Translators: as "Reset due — refreshing", within a line: "63% left ·
   * reset due — refreshing" */
  return _("reset due — refreshing");
}

char *
mq_wording_forecast (const MqForecast *forecast,
                     gint64            now_ms)
{
  g_autofree char *clock = NULL;

  if (forecast == NULL || !forecast->has_forecast)
    return NULL;

  if (forecast->lasts_until_reset || forecast->runs_out_at_ms <= 0)
    /* Translators: the forecast of a quota window: at the current rate it
     * will not run out before it resets */
    return g_strdup (_("lasts until reset"));

  clock = mq_format_clock (MAX (forecast->runs_out_at_ms, now_ms), now_ms);
  /* Translators: the forecast of a quota window: at the current rate it
   * runs out at about this time, "runs out ~14:20" */
  return g_strdup_printf (_("runs out ~%s"), clock);
}

char *
mq_wording_pace (const MqForecast *forecast)
{
  double delta;
  int points;

  if (forecast == NULL || !forecast->has_pace)
    return NULL;

  delta = forecast->delta_percent;
  points = (int) (delta < 0 ? -delta : delta);
  if (points < 1)
    /* Translators: the weekly cap is used exactly as fast as even use would */
    return g_strdup (_("on pace"));

  if (delta > 0)
    /* Translators: more is left than even use would leave, "5% ahead of pace" */
    return g_strdup_printf (_("%d%% ahead of pace"), points);

  /* Translators: less is left than even use would leave, "5% behind pace" */
  return g_strdup_printf (_("%d%% behind pace"), points);
}
