/* mq-view.c: every string and flag the tray shows, built from one input */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-view.h"
#include "mq-wording.h"

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
add_model_rows (MqView            *view,
                const MqViewInput *input,
                GHashTable        *seen,
                const MqModel     *model,
                guint              index)
{
  const char *name = mq_format_model_display_name (model->name);
  g_autofree char *id = unique_model_id (seen, model->name, index);
  g_autofree char *summary = NULL;
  const char *period;
  char *text;

  if (!model->usable)
    {
      add_row (view, g_steal_pointer (&id), mq_wording_unusable (model->name), 0, FALSE,
               MQ_STATE_UNKNOWN);
      return;
    }

  if (!model->in_plan)
    {
      add_row (view, g_steal_pointer (&id), mq_wording_not_in_plan (model->name), 0, TRUE,
               MQ_STATE_UNKNOWN);
      return;
    }

  summary = mq_wording_window_summary (&model->interval, input->now_ms);
  period = model->interval.known && !model->interval.unlimited
           ? mq_wording_period_short_name (model->interval.period) : NULL;
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
      g_autofree char *weekly = mq_wording_window_summary (&model->weekly, input->now_ms);

      /* Translators: the weekly cap of the model above, in a sub-row:
       * "Weekly cap: 96% left · resets in 6d 18h (Mon 08:00)" */
      text = g_strdup_printf (_("Weekly cap: %s"), weekly);
      add_row (view, g_strconcat (id, ":weekly", NULL), text, 1, FALSE,
               mq_state_for_window (&model->weekly, &input->thresholds));
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

  if (n_models > MQ_VIEW_MAX_MODELS)
    {
      guint more = n_models - MQ_VIEW_MAX_MODELS;

      /* Translators: the last menu row when the answer lists more models
       * than the menu shows; it opens the dashboard, e.g. "37 more models…" */
      add_row (view, g_strdup ("more-models"),
               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more model…", "%u more models…",
                                             more), more),
               0, FALSE, MQ_STATE_UNKNOWN);
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
  view->header_detail = mq_wording_headline_detail (&worded, input->now_ms);
  view->title = mq_wording_headline_title (&worded, input->now_ms);

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
      title = g_strconcat (view->title, mq_wording_separator (FALSE), view->status, NULL);
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
