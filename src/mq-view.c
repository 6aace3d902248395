/* mq-view.c: every string and flag the tray shows, built from one input */
#define G_LOG_DOMAIN "mq-view"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-history.h"
#include "mq-view.h"
#include "mq-view-private.h"
#include "mq-wording.h"


/* ------------------------------------------------------------------ */
/* Wording                                                              */
/* ------------------------------------------------------------------ */

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
  g_clear_pointer (&row->detail, g_free);
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
         MqState   state,
         gboolean  inert,
         char     *detail)
{
  MqViewRow row = { id, text, level, not_in_plan, state, inert, detail };

  g_array_append_val (view->rows, row);
}

static const MqForecast *
find_forecast (const MqViewInput *input,
               const char        *model_name,
               MqSlot             slot)
{
  if (input->forecasts == NULL)
    return NULL;

  for (guint i = 0; i < input->forecasts->len; i++)
    {
      const MqHistoryForecast *f = &g_array_index (input->forecasts, MqHistoryForecast, i);

      if (f->slot == slot && g_strcmp0 (f->model, model_name) == 0)
        return &f->forecast;
    }
  return NULL;
}

static gboolean
window_reset_due (const MqWindow *window,
                  gint64          now_ms)
{
  return window->known && !window->unlimited &&
         window->resets_at_ms > 0 && window->resets_at_ms <= now_ms;
}

/* A window, short, for the first line of a row: "63% left · resets 21:00",
 * "used up · resets Mon 08:00", "unlimited", "no data", "63% left · reset
 * due — refreshing". */
static char *
reset_part (MqView         *view,
            const MqWindow *window,
            gboolean        countdown,
            gint64          now_ms)
{
  g_autofree char *clock = NULL;

  if (window_reset_due (window, now_ms))
    {
      view->reset_due = TRUE;
      return g_strdup (mq_wording_reset_due (FALSE));
    }
  if (!window->known || window->unlimited || window->resets_at_ms <= 0)
    return NULL;

  /* Days away (the weekly cap): "resets in 6d 21h (Sun 16:00)". */
  if (countdown)
    return mq_format_reset (window->resets_at_ms, now_ms);

  clock = mq_format_clock (window->resets_at_ms, now_ms);
  /* Translators: when a window resets, by the clock, "resets 21:00" */
  return g_strdup_printf (_("resets %s"), clock);
}

static char *
window_short (MqView         *view,
              const MqWindow *window,
              gboolean        with_reset,
              gboolean        countdown,
              gint64          now_ms)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *boost = NULL;

  if (!window->known)
    return g_strdup (_("no data"));
  if (window->unlimited)
    return g_strdup (_("unlimited"));

  if (window->exhausted)
    g_ptr_array_add (parts, g_strdup (_("used up")));
  else if (window->remaining_percent >= 0)
    {
      g_autofree char *percent = mq_format_percent (window->remaining_percent);

      g_ptr_array_add (parts, g_strdup_printf (_("%s left"), percent));
    }
  else if (window->remaining >= 0 && window->total > 0)
    {
      g_autofree char *left = mq_format_count (window->remaining);
      g_autofree char *total = mq_format_count (window->total);

      /* Translators: counts in a menu row, "945/1,500 left" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s/%s left"), left, total));
    }
  else
    g_ptr_array_add (parts, g_strdup (_("no data")));

  boost = mq_format_boost (window->boost);
  if (boost != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("%s boost"), boost));

  if (with_reset)
    {
      char *reset = reset_part (view, window, countdown, now_ms);

      if (reset != NULL)
        g_ptr_array_add (parts, reset);
    }

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (mq_wording_separator (FALSE), (char **) parts->pdata);
}

/* The second line of a window: its counts (when the first line shows a
 * percent), the forecast and, for the weekly cap, the pace. NULL when
 * there is nothing to add. */
static char *
window_detail (MqView           *view,
               const MqWindow   *window,
               const MqForecast *forecast,
               gboolean          with_pace,
               gboolean          with_reset,
               gint64            now_ms)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  char *text;

  if (!window->known || window->unlimited)
    return NULL;

  if (with_reset)
    {
      text = reset_part (view, window, FALSE, now_ms);
      if (text != NULL)
        g_ptr_array_add (parts, text);
    }

  if (window->remaining_percent >= 0 && !window->counts_unreliable &&
      window->remaining >= 0 && window->total > 0)
    {
      g_autofree char *left = mq_format_count (window->remaining);
      g_autofree char *total = mq_format_count (window->total);

      g_ptr_array_add (parts, g_strdup_printf (_("%s/%s left"), left, total));
    }

  if (!window->exhausted && !window_reset_due (window, now_ms))
    {
      text = mq_wording_forecast (forecast, now_ms);
      if (text != NULL)
        g_ptr_array_add (parts, text);
    }

  if (with_pace)
    {
      text = mq_wording_pace (forecast);
      if (text != NULL)
        g_ptr_array_add (parts, text);
    }

  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (mq_wording_separator (FALSE), (char **) parts->pdata);
}

static void
add_model_rows (MqView            *view,
                const MqViewInput *input,
                GHashTable        *seen,
                const MqModel     *model,
                guint              index)
{
  const char *name = mq_format_model_display_name (model->name);
  g_autofree char *id = unique_model_id (seen, model->name, index);
  g_autofree char *summary = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  gboolean moved_reset = FALSE;
  const char *period;

  if (!model->usable)
    {
      add_row (view, g_steal_pointer (&id), mq_wording_unusable (model->name), 0, FALSE,
               MQ_STATE_UNKNOWN, TRUE, NULL);
      return;
    }

  if (!model->in_plan)
    {
      /* Not inert: the row offers the upgrade. */
      add_row (view, g_steal_pointer (&id), mq_wording_not_in_plan (model->name), 0, TRUE,
               MQ_STATE_UNKNOWN, FALSE, NULL);
      return;
    }

  period = model->interval.known && !model->interval.unlimited
           ? mq_wording_period_short_name (model->interval.period) : NULL;
  /* A long model name: the reset moves to the second line. */
  for (int with_reset = 1; with_reset >= 0; with_reset--)
    {
      g_free (summary);
      summary = window_short (view, &model->interval, with_reset, FALSE, input->now_ms);
      g_free (text);
      if (period != NULL)
        /* Translators: a model row: the model, its window ("5-hour"),
         * what is left: "Text models (5-hour): 63% left · resets 21:00" */
        text = g_strdup_printf (_("%s (%s): %s"), name, period, summary);
      else
        /* Translators: a model row: "Text models: unlimited" */
        text = g_strdup_printf (_("%s: %s"), name, summary);
      moved_reset = !with_reset;
      if (mq_format_display_width (text) <= MQ_VIEW_ROW_COLUMNS)
        break;
    }
  detail = window_detail (view, &model->interval,
                          find_forecast (input, model->name, MQ_SLOT_INTERVAL),
                          FALSE, moved_reset, input->now_ms);
  add_row (view, g_strdup (id), g_steal_pointer (&text), 0, FALSE,
           mq_state_for_window (&model->interval, &input->thresholds), TRUE,
           g_steal_pointer (&detail));

  if (model->weekly.known)
    {
      /* By the clock, as the rows above: "resets Mon 08:00" (a countdown
       * as well made this the widest row of the menu; the window has it). */
      g_autofree char *weekly = window_short (view, &model->weekly, TRUE, FALSE, input->now_ms);

      /* Translators: the weekly cap of the model above, in a sub-row:
       * "Weekly cap: 96% left · resets Mon 08:00" */
      text = g_strdup_printf (_("Weekly cap: %s"), weekly);
      detail = window_detail (view, &model->weekly,
                              find_forecast (input, model->name, MQ_SLOT_WEEKLY),
                              TRUE, FALSE, input->now_ms);
      add_row (view, g_strconcat (id, ":weekly", NULL), g_steal_pointer (&text), 1, FALSE,
               mq_state_for_window (&model->weekly, &input->thresholds), TRUE,
               g_steal_pointer (&detail));
    }
}

/* Which models get a row when there are more than MQ_VIEW_MAX_MODELS: the
 * headline's model, then those in the plan, then unreadable rows, then
 * those not in the plan. */
typedef enum {
  RANK_HEADLINE,
  RANK_IN_PLAN,
  RANK_UNUSABLE,
  RANK_NOT_IN_PLAN,
  N_RANKS
} Rank;

static Rank
model_rank (const MqModel *model,
            const MqModel *headline_model)
{
  if (model == headline_model)
    return RANK_HEADLINE;
  if (!model->usable)
    return RANK_UNUSABLE;
  if (!model->in_plan)
    return RANK_NOT_IN_PLAN;
  return RANK_IN_PLAN;
}

static void
build_rows (MqView            *view,
            const MqViewInput *input)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  MqSnapshot *snapshot = input->snapshot;
  guint n_models = mq_snapshot_get_n_models (snapshot);
  guint per_rank[N_RANKS] = { 0 };
  guint quota[N_RANKS] = { 0 };
  guint left = MQ_VIEW_MAX_MODELS;
  MqHeadline headline;
  g_autofree char *more = NULL;

  mq_snapshot_get_headline (snapshot, input->icon_model, &input->thresholds, &headline);

  for (guint i = 0; i < n_models; i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      per_rank[model_rank (model, headline.model)]++;
      if (model->usable && !model->in_plan)
        view->show_upgrade = TRUE;
    }

  /* How many of each rank are shown, the better ranks first. */
  for (guint r = 0; r < N_RANKS; r++)
    {
      quota[r] = MIN (per_rank[r], left);
      left -= quota[r];
    }

  /* Shown in the order of the answer. */
  for (guint i = 0; i < n_models; i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);
      Rank rank = model_rank (model, headline.model);

      if (quota[rank] == 0)
        continue;
      quota[rank]--;
      add_model_rows (view, input, seen, model, i);
    }

  more = mq_wording_more_models (snapshot, MIN (n_models, MQ_VIEW_MAX_MODELS));
  if (more != NULL)
    add_row (view, g_strdup ("more-models"), g_steal_pointer (&more),
             0, FALSE, MQ_STATE_UNKNOWN, FALSE, NULL);
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
 * headline (worded by mq_wording_headline(), as the command line does). */
static void
build_headline (MqView            *view,
                const MqViewInput *input)
{
  MqWordedHeadline worded;

  mq_wording_headline (input->snapshot, input->icon_model, &input->thresholds, &worded);

  view->icon.kind = MQ_ICON_UNKNOWN;
  view->icon.state = MQ_STATE_UNKNOWN;

  switch (worded.kind)
    {
    case MQ_HEADLINE_NOT_IN_PLAN:
      view->show_upgrade = TRUE;
      break;
    case MQ_HEADLINE_UNLIMITED:
      view->icon.kind = MQ_ICON_UNLIMITED;
      view->icon.state = MQ_STATE_OK;
      /* Translators: the tray label of a quota without a limit */
      view->label = g_strdup (C_("label", "∞"));
      view->icon_description = g_strdup (_("Unlimited"));
      break;
    case MQ_HEADLINE_PERCENT:
      view->icon.kind = MQ_ICON_PERCENT;
      view->icon.percent = icon_percent (worded.headline.remaining_percent);
      view->icon.state = worded.headline.state;
      view->label = g_strdup (worded.percent);
      if (worded.headline.state == MQ_STATE_EXHAUSTED)
        view->icon_description = g_strdup (_("Used up"));
      else
        view->icon_description = g_strdup_printf (_("%s left"), worded.percent);
      break;
    case MQ_HEADLINE_NONE:
    case MQ_HEADLINE_UNUSABLE:
    case MQ_HEADLINE_UNKNOWN:
    default:
      break;
    }

  view->header = g_strdup (worded.sentence);

  if (worded.kind == MQ_HEADLINE_PERCENT && worded.headline.resets_at_ms > 0 &&
      worded.headline.resets_at_ms <= input->now_ms)
    {
      /* Stale: never "resets in now". */
      view->reset_due = TRUE;
      view->header_detail = g_strdup (mq_wording_reset_due (TRUE));
      view->title = g_strconcat (worded.sentence, mq_wording_separator (FALSE),
                                 mq_wording_reset_due (FALSE), NULL);
    }
  else
    {
      g_autofree char *forecast = NULL;

      view->header_detail = mq_wording_headline_detail (&worded, input->now_ms);
      view->title = mq_wording_headline_title (&worded, input->now_ms);

      if (worded.kind == MQ_HEADLINE_PERCENT && worded.headline.state != MQ_STATE_EXHAUSTED)
        forecast = mq_wording_forecast (find_forecast (input, worded.headline.model->name,
                                                       worded.headline.slot),
                                        input->now_ms);
      if (forecast != NULL)
        {
          char *joined;

          joined = view->header_detail == NULL
                   ? g_strdup (forecast)
                   : g_strconcat (view->header_detail, mq_wording_separator (FALSE), forecast, NULL);
          g_free (view->header_detail);
          view->header_detail = joined;
          joined = g_strconcat (view->title, mq_wording_separator (FALSE), forecast, NULL);
          g_free (view->title);
          view->title = joined;
        }
    }

  if (view->icon_description == NULL)
    view->icon_description = g_strdup (_("Quota not known"));

  mq_worded_headline_clear (&worded);
}

static void
build_status (MqView            *view,
              const MqViewInput *input)
{
  g_autofree char *when = NULL;

  if (input->snapshot != NULL)
    when = data_time (input->snapshot, input->last_success_ms, input->now_ms);

  if (input->rate_limited_until_ms > input->now_ms)
    {
      g_autofree char *until = mq_format_clock (input->rate_limited_until_ms, input->now_ms);

      if (when != NULL)
        /* Translators: "Rate limited until 15:40 · data from 14:02" */
        view->status = g_strdup_printf (_("Rate limited until %s · data from %s"), until, when);
      else
        /* Translators: %s is a time, "Rate limited until 15:40" */
        view->status = g_strdup_printf (_("Rate limited until %s"), until);
      return;
    }

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

  /* Several accounts: one section each (mq-view-accounts.c). */
  if (mq_view_has_account_sections (input))
    return mq_view_build_accounts (input);

  view = g_new0 (MqView, 1);
  view->rows = g_array_new (FALSE, TRUE, sizeof (MqViewRow));
  g_array_set_clear_func (view->rows, row_clear);

  view->show_set_key = !input->has_key ||
                       error_is (input->error, MQ_ERROR_NO_KEY) ||
                       error_is (input->error, MQ_ERROR_KEY_REJECTED);
  view->show_upgrade = error_is (input->error, MQ_ERROR_NO_PLAN);
  view->can_refresh = input->has_key;

  if (!input->has_key || error_is (input->error, MQ_ERROR_NO_KEY))
    {
      /* Without a key any snapshot belongs to a key that is gone. */
      view->icon.kind = MQ_ICON_NO_KEY;
      view->icon.state = MQ_STATE_UNKNOWN;
      view->icon_description = g_strdup (_("No API key"));
      /* One line: what is needed. */
      view->header = g_strdup (_("No API key set — add one to see your quota"));
      view->header_detail = NULL;
      /* Translators: the tray tooltip when no key is set */
      view->title = g_strdup (_("Leeway: no API key set"));
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
          view->title = g_strdup_printf (_("Leeway: %s"), error_cause (input->error));
        }
      else
        {
          view->icon.kind = MQ_ICON_UNKNOWN;
          view->icon_description = g_strdup (_("Quota not known"));
          view->header = g_strdup (input->busy ? _("Checking your quota…") : _("No data yet"));
          view->title = g_strdup_printf (_("Leeway: %s"), view->header);
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

  if (input->error != NULL || input->rate_limited_until_ms > input->now_ms)
    {
      char *title;

      view->icon.stale = TRUE;
      title = g_strconcat (view->title, mq_wording_separator (FALSE), view->status, NULL);
      g_free (view->title);
      view->title = title;
    }

  if (view->icon.stale || view->reset_due)
    {
      g_autofree char *when = data_time (input->snapshot, input->last_success_ms, input->now_ms);
      char *description;

      if (when != NULL)
        /* Translators: the icon's description for screen readers when its
         * number is old: "63% left — last updated 14:02, not current" */
        description = g_strdup_printf (_("%s — last updated %s, not current"),
                                       view->icon_description, when);
      else
        /* Translators: the icon's description when its number is old */
        description = g_strdup_printf (_("%s — not current"), view->icon_description);
      g_free (view->icon_description);
      view->icon_description = description;
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
mq_view_get_can_refresh (const MqView *view)
{
  g_return_val_if_fail (view != NULL, FALSE);
  return view->can_refresh;
}

gboolean
mq_view_get_reset_due (const MqView *view)
{
  g_return_val_if_fail (view != NULL, FALSE);
  return view->reset_due;
}

gboolean
mq_view_get_show_set_key (const MqView *view)
{
  g_return_val_if_fail (view != NULL, FALSE);
  return view->show_set_key;
}
