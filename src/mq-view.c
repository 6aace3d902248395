/* mq-view.c: every string and flag the tray shows, built from one input */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-view.h"

struct _MqView {
  MqIconSpec icon;
  char      *icon_description;
  char      *label;
  char      *title;
  char      *header;
  char      *header_detail;
  GArray    *rows;
  char      *status;
  gboolean   show_upgrade;
  gboolean   show_set_key;
};

/* ------------------------------------------------------------------ */
/* Wording                                                              */
/* ------------------------------------------------------------------ */

static const char *
separator (void)
{
  /* Translators: separates the parts of a line, "63% left · resets 16:30" */
  return C_("separator", " · ");
}

/* The error's cause in a few plain words. */
static const char *
error_cause (const GError *error)
{
  if (error->domain != MQ_ERROR)
    return _("Offline");

  switch ((MqError) error->code)
    {
    case MQ_ERROR_NO_KEY:
      return _("No API key");
    case MQ_ERROR_KEY_REJECTED:
      return _("API key rejected");
    case MQ_ERROR_NO_PLAN:
      return _("No active Token Plan");
    case MQ_ERROR_RATE_LIMITED:
      return _("Rate limited");
    case MQ_ERROR_NETWORK:
      return _("Offline");
    case MQ_ERROR_TIMEOUT:
      return _("MiniMax did not answer in time");
    case MQ_ERROR_SERVER:
      return _("MiniMax server error");
    case MQ_ERROR_UNREADABLE:
      return _("Unreadable answer");
    case MQ_ERROR_INVALID_ARGUMENT:
      return _("Invalid setting");
    default:
      return _("Offline");
    }
}

static gboolean
error_is (const GError *error,
          MqError       code)
{
  return error != NULL && error->domain == MQ_ERROR && error->code == (int) code;
}

/* "63% of the 5-hour window left", "40% left today", "12% left this week". */
static char *
percent_left_sentence (MqPeriod    period,
                       const char *percent)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: %s is a percentage, "63% of the 5-hour window left" */
      return g_strdup_printf (_("%s of the 5-hour window left"), percent);
    case MQ_PERIOD_DAILY:
      /* Translators: %s is a percentage, "40% left today" */
      return g_strdup_printf (_("%s left today"), percent);
    case MQ_PERIOD_WEEKLY:
      /* Translators: %s is a percentage, "12% left this week" */
      return g_strdup_printf (_("%s left this week"), percent);
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: %s is a percentage, "63% left" */
      return g_strdup_printf (_("%s left"), percent);
    }
}

static char *
used_up_sentence (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      return g_strdup (_("The 5-hour window is used up"));
    case MQ_PERIOD_DAILY:
      return g_strdup (_("Nothing left today"));
    case MQ_PERIOD_WEEKLY:
      return g_strdup (_("Nothing left this week"));
    case MQ_PERIOD_UNKNOWN:
    default:
      return g_strdup (_("Nothing left"));
    }
}

/* A short name of a window for a model row: "5-hour", "daily". */
static const char *
period_short_name (MqPeriod period)
{
  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: the rolling 5-hour quota window, in a menu row */
      return _("5-hour");
    case MQ_PERIOD_DAILY:
      /* Translators: the daily quota window, in a menu row */
      return _("daily");
    case MQ_PERIOD_WEEKLY:
      /* Translators: the weekly quota window, in a menu row */
      return _("weekly");
    case MQ_PERIOD_UNKNOWN:
    default:
      return NULL;
    }
}

static char *
not_in_plan_text (const char *model_name)
{
  /* Translators: %s is a model, "Video — not in your plan" */
  return g_strdup_printf (_("%s — not in your plan"),
                          mq_format_model_display_name (model_name));
}

/* "63% left (945/1,500) · ×2 boost · resets in 2h 30m (16:30)" */
static char *
window_summary (const MqWindow *window,
                gint64          now_ms)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *counts = NULL;
  g_autofree char *boost = NULL;
  char *reset;

  if (!window->known)
    /* Translators: a quota window the response says nothing usable about */
    return g_strdup (_("no data"));

  if (window->unlimited)
    /* Translators: a quota window without a limit */
    return g_strdup (_("unlimited"));

  if (!window->counts_unreliable && window->total > 0 && window->remaining >= 0)
    {
      g_autofree char *remaining = mq_format_count (window->remaining);
      g_autofree char *total = mq_format_count (window->total);

      /* Translators: counts left of a limit, e.g. "945/1,500" */
      counts = g_strdup_printf (C_("counts", "%s/%s"), remaining, total);
    }

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
        /* Translators: %s is a percentage, "63% left" */
        g_ptr_array_add (parts, g_strdup_printf (_("%s left"), percent));
    }
  else if (counts != NULL)
    /* Translators: %s is "945/1,500" */
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

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (separator (), (char **) parts->pdata);
}

static char *
data_time (MqSnapshot *snapshot,
           gint64      last_success_ms,
           gint64      now_ms)
{
  gint64 when = mq_snapshot_get_fetched_at_ms (snapshot);

  if (when <= 0)
    when = last_success_ms;
  if (when <= 0)
    return NULL;
  return mq_format_clock (when, now_ms);
}

/* ------------------------------------------------------------------ */
/* Rows                                                                 */
/* ------------------------------------------------------------------ */

static void
row_clear (gpointer data)
{
  MqViewRow *row = data;

  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->text, g_free);
}

/* Ids are stable across snapshots; a name seen twice (a hostile or broken
 * response) gets its position appended so that ids stay unique. */
static char *
unique_model_id (GHashTable *seen,
                 const char *name,
                 guint       index)
{
  char *id = g_strdup_printf ("model:%s", name);

  if (g_hash_table_contains (seen, id))
    {
      g_free (id);
      id = g_strdup_printf ("model:%s#%u", name, index);
    }
  g_hash_table_add (seen, g_strdup (id));
  return id;
}

static void
add_row (MqView   *view,
         char     *id,
         char     *text,
         guint     level,
         gboolean  not_in_plan,
         MqState   state)
{
  MqViewRow row = { id, text, level, not_in_plan, state };

  g_array_append_val (view->rows, row);
}

static void
build_rows (MqView            *view,
            const MqViewInput *input)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  MqSnapshot *snapshot = input->snapshot;

  for (guint i = 0; i < mq_snapshot_get_n_models (snapshot); i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);
      const char *name = mq_format_model_display_name (model->name);
      g_autofree char *id = unique_model_id (seen, model->name, i);
      g_autofree char *summary = NULL;
      const char *period;
      char *text;

      if (!model->usable)
        {
          /* Translators: %s is a model; its row in the response was broken */
          text = g_strdup_printf (_("%s: no usable data"), name);
          add_row (view, g_steal_pointer (&id), text, 0, FALSE, MQ_STATE_UNKNOWN);
          continue;
        }

      if (!model->in_plan)
        {
          view->show_upgrade = TRUE;
          add_row (view, g_steal_pointer (&id), not_in_plan_text (model->name), 0, TRUE,
                   MQ_STATE_UNKNOWN);
          continue;
        }

      summary = window_summary (&model->interval, input->now_ms);
      period = model->interval.known && !model->interval.unlimited
               ? period_short_name (model->interval.period) : NULL;
      if (period != NULL)
        /* Translators: a model row: the model, its window ("5-hour"),
         * what is left: "Text models (5-hour): 63% left · resets in 2h" */
        text = g_strdup_printf (_("%s (%s): %s"), name, period, summary);
      else
        /* Translators: a model row: "Text models: unlimited" */
        text = g_strdup_printf (_("%s: %s"), name, summary);
      add_row (view, g_strdup (id), text, 0, FALSE,
               mq_state_for_window (&model->interval, &input->thresholds));

      if (model->weekly.known)
        {
          g_autofree char *weekly = window_summary (&model->weekly, input->now_ms);

          /* Translators: the weekly limit of the model above, in a sub-row:
           * "Weekly cap: 96% left · resets in 6d 18h (Mon 08:00)" */
          text = g_strdup_printf (_("Weekly cap: %s"), weekly);
          add_row (view, g_strconcat (id, ":weekly", NULL), text, 1, FALSE,
                   mq_state_for_window (&model->weekly, &input->thresholds));
        }
    }
}

/* ------------------------------------------------------------------ */
/* Headline, icon, title                                                */
/* ------------------------------------------------------------------ */

static int
icon_percent (double remaining_percent)
{
  if (remaining_percent > 0.0 && remaining_percent < 1.0)
    return 1;
  return (int) CLAMP (floor (remaining_percent), 0.0, 100.0);
}

/* Sets the icon, label, header, title and description from the snapshot's
 * headline. */
static void
build_headline (MqView            *view,
                const MqViewInput *input)
{
  MqHeadline headline;
  const MqModel *model;
  const MqWindow *window;
  g_autofree char *sentence = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *countdown = NULL;

  view->icon.kind = MQ_ICON_UNKNOWN;
  view->icon.state = MQ_STATE_UNKNOWN;

  if (!mq_snapshot_get_headline (input->snapshot, input->icon_model,
                                 &input->thresholds, &headline) ||
      headline.model == NULL)
    {
      view->header = g_strdup (_("No text model quota in the response"));
      view->title = g_strdup (view->header);
      view->icon_description = g_strdup (_("Quota not known"));
      return;
    }

  model = headline.model;

  if (!model->usable)
    sentence = g_strdup_printf (_("%s: no usable data"),
                                mq_format_model_display_name (model->name));
  else if (!model->in_plan)
    {
      sentence = not_in_plan_text (model->name);
      view->show_upgrade = TRUE;
    }
  else if (headline.unlimited)
    {
      /* Translators: %s is a model, "Text models: unlimited" */
      sentence = g_strdup_printf (_("%s: unlimited"),
                                  mq_format_model_display_name (model->name));
      view->icon.kind = MQ_ICON_UNLIMITED;
      view->icon.state = MQ_STATE_OK;
      /* Translators: the tray label of a quota without a limit */
      view->label = g_strdup (C_("label", "∞"));
      view->icon_description = g_strdup (_("Unlimited"));
    }
  else if (headline.remaining_percent < 0)
    /* Translators: %s is a model */
    sentence = g_strdup_printf (_("%s: the quota left is not known"),
                                mq_format_model_display_name (model->name));
  else
    {
      window = mq_model_get_window (model, headline.slot);
      percent = mq_format_percent (headline.remaining_percent);

      if (headline.state == MQ_STATE_EXHAUSTED)
        sentence = used_up_sentence (window->period);
      else
        sentence = percent_left_sentence (window->period, percent);

      /* Name the model when the headline is not the text lane. */
      if (model->lane != MQ_LANE_TEXT)
        {
          char *named = g_strdup_printf (_("%s: %s"),
                                         mq_format_model_display_name (model->name),
                                         sentence);
          g_free (sentence);
          sentence = named;
        }

      view->icon.kind = MQ_ICON_PERCENT;
      view->icon.percent = icon_percent (headline.remaining_percent);
      view->icon.state = headline.state;
      view->label = g_strdup (percent);
      if (headline.state == MQ_STATE_EXHAUSTED)
        view->icon_description = g_strdup (_("Used up"));
      else
        view->icon_description = g_strdup_printf (_("%s left"), percent);

      if (headline.resets_at_ms != 0)
        {
          clock = mq_format_clock (headline.resets_at_ms, input->now_ms);
          countdown = mq_format_countdown (headline.resets_at_ms, input->now_ms);
        }
    }

  view->header = g_strdup (sentence);

  if (countdown != NULL)
    {
      if (headline.slot == MQ_SLOT_WEEKLY)
        /* Translators: %s is "2d 4h (Mon 08:00)" */
        view->header_detail = g_strdup_printf (_("The weekly cap binds · resets in %s"),
                                               countdown);
      else
        /* Translators: %s is "2h 30m (16:30)" */
        view->header_detail = g_strdup_printf (_("Resets in %s"), countdown);
    }

  if (clock != NULL)
    /* Translators: the tray tooltip: the headline, then the reset time,
     * "63% of the 5-hour window left · resets 16:30" */
    view->title = g_strdup_printf (_("%s · resets %s"), sentence, clock);
  else
    view->title = g_strdup (sentence);

  if (view->icon_description == NULL)
    view->icon_description = g_strdup (_("Quota not known"));
}

static void
build_status (MqView            *view,
              const MqViewInput *input)
{
  g_autofree char *when = NULL;

  if (input->snapshot != NULL)
    when = data_time (input->snapshot, input->last_success_ms, input->now_ms);

  if (input->error != NULL)
    {
      if (when != NULL)
        /* Translators: first %s is the cause ("Offline"), second a time:
         * "Offline — showing data from 14:02" */
        view->status = g_strdup_printf (_("%s — showing data from %s"),
                                        error_cause (input->error), when);
      else
        view->status = g_strdup (error_cause (input->error));
      return;
    }

  if (when != NULL)
    {
      if (input->busy)
        /* Translators: %s is a time, "Updated 14:32 · refreshing…" */
        view->status = g_strdup_printf (_("Updated %s · refreshing…"), when);
      else
        /* Translators: %s is a time, "Updated 14:32" */
        view->status = g_strdup_printf (_("Updated %s"), when);
      return;
    }

  if (input->busy)
    view->status = g_strdup (_("Checking your quota…"));
  else
    view->status = g_strdup (_("No data yet"));
}

MqView *
mq_view_build (const MqViewInput *input)
{
  MqView *view;

  g_return_val_if_fail (input != NULL, NULL);

  view = g_new0 (MqView, 1);
  view->rows = g_array_new (FALSE, TRUE, sizeof (MqViewRow));
  g_array_set_clear_func (view->rows, row_clear);

  view->show_set_key = !input->has_key ||
                       error_is (input->error, MQ_ERROR_NO_KEY) ||
                       error_is (input->error, MQ_ERROR_KEY_REJECTED);
  view->show_upgrade = error_is (input->error, MQ_ERROR_NO_PLAN);

  if (!input->has_key || error_is (input->error, MQ_ERROR_NO_KEY))
    {
      /* Without a key any snapshot belongs to a key that is gone. */
      view->icon.kind = MQ_ICON_NO_KEY;
      view->icon.state = MQ_STATE_UNKNOWN;
      view->icon_description = g_strdup (_("No API key"));
      view->header = g_strdup (_("No API key set"));
      view->header_detail = g_strdup (_("Set a MiniMax Token Plan API key to see your quota"));
      /* Translators: the tray tooltip when no key is set */
      view->title = g_strdup (_("MiniMax Quota: no API key set"));
      view->status = g_strdup (_("No API key"));
      view->label = g_strdup ("");
      return view;
    }

  if (input->snapshot == NULL)
    {
      if (input->error != NULL)
        {
          view->icon.kind = MQ_ICON_ERROR;
          view->icon_description = g_strdup (error_cause (input->error));
          view->header = g_strdup (_("Cannot read your quota"));
          view->header_detail = g_strdup (input->error->message);
          /* Translators: the tray tooltip on an error; %s is the cause */
          view->title = g_strdup_printf (_("MiniMax Quota: %s"), error_cause (input->error));
        }
      else
        {
          view->icon.kind = MQ_ICON_UNKNOWN;
          view->icon_description = g_strdup (_("Quota not known"));
          view->header = g_strdup (input->busy ? _("Checking your quota…") : _("No data yet"));
          view->title = g_strdup_printf (_("MiniMax Quota: %s"), view->header);
        }
      view->icon.state = MQ_STATE_UNKNOWN;
      view->label = g_strdup ("");
      build_status (view, input);
      return view;
    }

  build_headline (view, input);
  build_rows (view, input);
  build_status (view, input);

  if (view->label == NULL)
    view->label = g_strdup ("");

  if (input->error != NULL)
    {
      char *title;

      view->icon.stale = TRUE;
      title = g_strconcat (view->title, separator (), view->status, NULL);
      g_free (view->title);
      view->title = title;
    }

  return view;
}

void
mq_view_free (MqView *view)
{
  if (view == NULL)
    return;

  g_free (view->icon_description);
  g_free (view->label);
  g_free (view->title);
  g_free (view->header);
  g_free (view->header_detail);
  g_array_unref (view->rows);
  g_free (view->status);
  g_free (view);
}

const MqIconSpec *
mq_view_get_icon (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  return &view->icon;
}

const char *
mq_view_get_icon_description (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  return view->icon_description;
}

const char *
mq_view_get_label (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  return view->label;
}

const char *
mq_view_get_label_guide (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  /* Translators: the widest tray label, used to reserve its space */
  return C_("label", "100%");
}

const char *
mq_view_get_title (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  return view->title;
}

const char *
mq_view_get_header (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  return view->header;
}

const char *
mq_view_get_header_detail (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  return view->header_detail;
}

guint
mq_view_get_n_rows (const MqView *view)
{
  g_return_val_if_fail (view != NULL, 0);
  return view->rows->len;
}

const MqViewRow *
mq_view_get_row (const MqView *view,
                 guint         index)
{
  g_return_val_if_fail (view != NULL, NULL);
  g_return_val_if_fail (index < view->rows->len, NULL);
  return &g_array_index (view->rows, MqViewRow, index);
}

const char *
mq_view_get_status (const MqView *view)
{
  g_return_val_if_fail (view != NULL, NULL);
  return view->status;
}

gboolean
mq_view_get_show_upgrade (const MqView *view)
{
  g_return_val_if_fail (view != NULL, FALSE);
  return view->show_upgrade;
}

gboolean
mq_view_get_show_set_key (const MqView *view)
{
  g_return_val_if_fail (view != NULL, FALSE);
  return view->show_set_key;
}
