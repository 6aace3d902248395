/* mq-snapshot.c: the immutable quota snapshot and the interpretation rules
 *
 * Every rule of docs/API.md "Interpretation rules" lives here and nowhere else.
 * Pure: no GTK, no libsoup, no clock (now_ms is always passed in).
 */
#define G_LOG_DOMAIN "mq-snapshot"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mq-plan.h"
#include "mq-snapshot-private.h"

#define HOUR_MS   (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS    (24 * HOUR_MS)

/* How far apart a count-derived percent and the reported one may be for the
 * two to be taken as the same reading (rule 4). */
#define AGREEMENT_POINTS 1.0

struct _MqSnapshot {
  gatomicrefcount ref_count;
  GArray   *models;           /* MqModel */
  gint64    fetched_at_ms;
  MqRegion  region;
  char     *plan_title;       /* reported by the server, safe; nullable */
  GHashTable *by_name;        /* name -> first MqModel of that name; NULL for
                               * a handful of models (a scan is as fast) */
  guint     n_omitted;        /* readable rows of the answer not kept */
};

/* Above this many models, mq_snapshot_find_model() looks names up in an
 * index built once with the snapshot (a hostile answer of 20,000 rows
 * would otherwise make every per-model lookup downstream quadratic). */
#define INDEX_MIN_MODELS 16

G_DEFINE_BOXED_TYPE (MqSnapshot, mq_snapshot, mq_snapshot_ref, mq_snapshot_unref)

static void
model_clear (gpointer data)
{
  MqModel *model = data;

  g_clear_pointer (&model->name, g_free);
}

MqSnapshot *
mq_snapshot_new_take (GArray   *models,
                      gint64    fetched_at_ms,
                      MqRegion  region)
{
  MqSnapshot *self = g_new0 (MqSnapshot, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->models = models;
  g_array_set_clear_func (self->models, model_clear);
  if (models->len > INDEX_MIN_MODELS)
    {
      /* Built before the snapshot is shared: read-only afterwards, so
       * every thread may look up. The first model of a name wins, as the
       * scan does. */
      self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < models->len; i++)
        {
          MqModel *model = &g_array_index (models, MqModel, i);

          if (model->name != NULL && !g_hash_table_contains (self->by_name, model->name))
            g_hash_table_insert (self->by_name, model->name, model);
        }
    }
  self->fetched_at_ms = fetched_at_ms;
  self->region = region;

  return self;
}

void
mq_snapshot_set_plan_title_take (MqSnapshot *self,
                                 char       *title)
{
  g_return_if_fail (self != NULL);

  g_free (self->plan_title);
  self->plan_title = title;
}

void
mq_snapshot_set_n_omitted (MqSnapshot *self,
                           guint       n_omitted)
{
  g_return_if_fail (self != NULL);

  self->n_omitted = n_omitted;
}

MqSnapshot *
mq_snapshot_ref (MqSnapshot *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mq_snapshot_unref (MqSnapshot *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_clear_pointer (&self->by_name, g_hash_table_unref);
      g_array_unref (self->models);
      g_free (self->plan_title);
      g_free (self);
    }
}

guint
mq_snapshot_get_n_models (MqSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->models->len;
}

guint
mq_snapshot_get_n_omitted (MqSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_omitted;
}

const MqModel *
mq_snapshot_get_model (MqSnapshot *self,
                       guint       index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->models->len, NULL);

  return &g_array_index (self->models, MqModel, index);
}

const MqModel *
mq_snapshot_find_model (MqSnapshot *self,
                        const char *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (name == NULL)
    return NULL;
  if (self->by_name != NULL)
    return g_hash_table_lookup (self->by_name, name);

  for (guint i = 0; i < self->models->len; i++)
    {
      const MqModel *model = &g_array_index (self->models, MqModel, i);

      if (g_strcmp0 (model->name, name) == 0)
        return model;
    }

  return NULL;
}

gint64
mq_snapshot_get_fetched_at_ms (MqSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->fetched_at_ms;
}

MqRegion
mq_snapshot_get_region (MqSnapshot *self)
{
  g_return_val_if_fail (self != NULL, MQ_REGION_AUTO);

  return self->region;
}

gboolean
mq_snapshot_get_plan (MqSnapshot   *self,
                      const char  **out_name,
                      gboolean     *out_inferred)
{
  static const MqThresholds thresholds = { MQ_THRESHOLD_LOW_DEFAULT, MQ_THRESHOLD_CRITICAL_DEFAULT };
  MqHeadline headline;
  const MqWindow *interval;
  const char *tier = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (out_name != NULL)
    *out_name = NULL;
  if (out_inferred != NULL)
    *out_inferred = FALSE;

  if (self->plan_title != NULL)
    {
      if (out_name != NULL)
        *out_name = self->plan_title;
      return TRUE;
    }

  /* The guess: the text lane's 5-hour allowance, exactly one of the
   * region's tiers. Not on a boosted window (its total is not the plan's
   * own allowance) nor on a percent-only one (no total). */
  if (!mq_snapshot_get_headline (self, NULL, &thresholds, &headline) ||
      !headline.model->usable || !headline.model->in_plan)
    return FALSE;

  interval = &headline.model->interval;
  if (interval->known && !interval->unlimited && interval->period == MQ_PERIOD_FIVE_HOUR &&
      interval->boost == 1.0 && interval->total > 0)
    tier = mq_plan_infer_tier (self->region, interval->total);

  if (tier == NULL)
    return FALSE;

  if (out_name != NULL)
    *out_name = tier;
  if (out_inferred != NULL)
    *out_inferred = TRUE;
  return TRUE;
}

const MqWindow *
mq_model_get_window (const MqModel *model,
                     MqSlot         slot)
{
  g_return_val_if_fail (model != NULL, NULL);

  return slot == MQ_SLOT_WEEKLY ? &model->weekly : &model->interval;
}

gint64
mq_snapshot_get_next_reset_ms (MqSnapshot *self,
                               gint64      now_ms)
{
  gint64 next = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->models->len; i++)
    {
      const MqModel *model = &g_array_index (self->models, MqModel, i);

      if (!model->usable || !model->in_plan)
        continue;

      for (int slot = MQ_SLOT_INTERVAL; slot <= MQ_SLOT_WEEKLY; slot++)
        {
          const MqWindow *window = mq_model_get_window (model, slot);

          if (!window->known || window->unlimited || window->resets_at_ms <= now_ms)
            continue;
          if (next == 0 || window->resets_at_ms < next)
            next = window->resets_at_ms;
        }
    }

  return next;
}

MqLane
mq_lane_for_name (const char *model_name)
{
  g_autofree char *lower = NULL;

  if (model_name == NULL)
    return MQ_LANE_OTHER;

  lower = g_ascii_strdown (model_name, -1);

  /* "M2.7-highspeed" is the High-Speed subscription's text row. */
  if (g_str_equal (lower, "general") || g_str_has_prefix (lower, "minimax-m") ||
      g_str_equal (lower, "text") || g_str_has_prefix (lower, "abab") ||
      g_str_has_prefix (lower, "m2") || g_str_equal (lower, MQ_MODEL_NAME_UNNAMED_TEXT))
    return MQ_LANE_TEXT;
  if (g_str_equal (lower, "video") || strstr (lower, "hailuo") != NULL ||
      g_str_has_prefix (lower, "video-") || g_str_has_prefix (lower, "t2v") ||
      g_str_has_prefix (lower, "i2v") || g_str_has_prefix (lower, "s2v"))
    return MQ_LANE_VIDEO;
  if (strstr (lower, "highspeed") != NULL)
    return MQ_LANE_TEXT;
  if (g_str_has_prefix (lower, "speech") || g_str_equal (lower, "tts"))
    return MQ_LANE_SPEECH;
  if (g_str_has_prefix (lower, "image"))
    return MQ_LANE_IMAGE;
  if (g_str_has_prefix (lower, "music"))
    return MQ_LANE_MUSIC;

  return MQ_LANE_OTHER;
}

const char *
mq_model_name_unnamed_display (const char *model_name)
{
  if (g_strcmp0 (model_name, MQ_MODEL_NAME_UNNAMED_TEXT) == 0)
    /* Translators: a quota row the server sent without a name, with the
     * 5-hour window of the text models */
    return _("Text models");
  if (g_strcmp0 (model_name, MQ_MODEL_NAME_UNNAMED_DAILY) == 0)
    /* Translators: a quota row the server sent without a name, with a
     * daily window */
    return _("Daily quota");

  return NULL;
}

const char *
mq_state_to_string (MqState state)
{
  switch (state)
    {
    case MQ_STATE_OK: return "ok";
    case MQ_STATE_LOW: return "low";
    case MQ_STATE_CRITICAL: return "critical";
    case MQ_STATE_EXHAUSTED: return "exhausted";
    case MQ_STATE_UNKNOWN:
    default: return "unknown";
    }
}

const char *
mq_slot_to_string (MqSlot slot)
{
  return slot == MQ_SLOT_WEEKLY ? "weekly" : "interval";
}

static const MqThresholds default_thresholds = {
  MQ_THRESHOLD_LOW_DEFAULT,
  MQ_THRESHOLD_CRITICAL_DEFAULT,
};

MqState
mq_state_for_window (const MqWindow     *window,
                     const MqThresholds *thresholds)
{
  g_return_val_if_fail (window != NULL, MQ_STATE_UNKNOWN);

  if (thresholds == NULL)
    thresholds = &default_thresholds;

  if (!window->known)
    return MQ_STATE_UNKNOWN;
  if (window->unlimited)
    return MQ_STATE_OK;
  if (window->exhausted)
    return MQ_STATE_EXHAUSTED;
  if (window->remaining_percent < 0)
    return MQ_STATE_UNKNOWN;
  if (window->remaining_percent <= 0)
    return MQ_STATE_EXHAUSTED;
  if (window->remaining_percent <= thresholds->critical)
    return MQ_STATE_CRITICAL;
  if (window->remaining_percent <= thresholds->low)
    return MQ_STATE_LOW;
  return MQ_STATE_OK;
}

/* A window with a percent to compare: limited, known, with a percent. */
static gboolean
window_is_measured (const MqWindow *window)
{
  return window->known && !window->unlimited && window->remaining_percent >= 0;
}

gboolean
mq_snapshot_get_headline (MqSnapshot         *self,
                          const char         *model_name,
                          const MqThresholds *thresholds,
                          MqHeadline         *out_headline)
{
  const MqModel *model = NULL;
  const MqWindow *interval, *weekly, *binding = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_headline != NULL, FALSE);

  memset (out_headline, 0, sizeof *out_headline);
  out_headline->remaining_percent = MQ_PERCENT_UNKNOWN;
  out_headline->state = MQ_STATE_UNKNOWN;
  out_headline->slot = MQ_SLOT_INTERVAL;

  if (model_name != NULL && *model_name != '\0')
    model = mq_snapshot_find_model (self, model_name);

  /* The text lane: "general" on current plans, "MiniMax-M*" on older ones. */
  for (guint i = 0; model == NULL && i < self->models->len; i++)
    {
      const MqModel *candidate = &g_array_index (self->models, MqModel, i);

      if (candidate->lane == MQ_LANE_TEXT)
        model = candidate;
    }

  /* Whatever the name, a row with a measured 5-hour window is the text
   * lane (the FAQ: text models have the 5-hour window, others daily). */
  for (guint i = 0; model == NULL && i < self->models->len; i++)
    {
      const MqModel *candidate = &g_array_index (self->models, MqModel, i);

      if (candidate->usable && candidate->interval.period == MQ_PERIOD_FIVE_HOUR &&
          candidate->interval.period_seconds > 0)
        model = candidate;
    }

  if (model == NULL)
    return FALSE;

  out_headline->model = model;

  if (!model->usable || !model->in_plan)
    return TRUE;

  interval = &model->interval;
  weekly = &model->weekly;

  /* Rule 7: the tighter window binds; exhausted beats everything, a tie
   * goes to the 5-hour window since it resets first. */
  if (window_is_measured (interval))
    binding = interval;
  if (window_is_measured (weekly) &&
      (binding == NULL ||
       (weekly->exhausted && !binding->exhausted) ||
       (weekly->exhausted == binding->exhausted &&
        weekly->remaining_percent < binding->remaining_percent)))
    binding = weekly;

  if (binding == NULL)
    {
      gboolean interval_unlimited = interval->known && interval->unlimited;
      gboolean weekly_unlimited = weekly->known && weekly->unlimited;

      if (interval_unlimited && (weekly_unlimited || !weekly->known))
        {
          out_headline->unlimited = TRUE;
          out_headline->state = MQ_STATE_OK;
        }
      return TRUE;
    }

  out_headline->slot = binding == weekly ? MQ_SLOT_WEEKLY : MQ_SLOT_INTERVAL;
  out_headline->remaining_percent = binding->remaining_percent;
  out_headline->resets_at_ms = binding->resets_at_ms;
  out_headline->state = mq_state_for_window (binding, thresholds);

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Interpretation of one row                                            */
/* ------------------------------------------------------------------ */

static MqPeriod
period_for_duration (gint64 duration_ms)
{
  if (duration_ms >= 3 * HOUR_MS + HOUR_MS / 2 && duration_ms <= 6 * HOUR_MS)
    return MQ_PERIOD_FIVE_HOUR;
  if (duration_ms >= 20 * HOUR_MS && duration_ms <= 28 * HOUR_MS)
    return MQ_PERIOD_DAILY;
  if (duration_ms >= 6 * DAY_MS + DAY_MS / 2 && duration_ms <= 7 * DAY_MS + DAY_MS / 2)
    return MQ_PERIOD_WEEKLY;
  return MQ_PERIOD_UNKNOWN;
}

static void
interpret_times (const MqRawWindow *raw,
                 MqSlot             slot,
                 MqLane             lane,
                 gint64             now_ms,
                 MqWindow          *window)
{
  MqPeriod period = MQ_PERIOD_UNKNOWN;

  if (raw->has_start && raw->has_end && raw->end_ms > raw->start_ms)
    {
      window->period_seconds = (raw->end_ms - raw->start_ms) / 1000;
      period = period_for_duration (raw->end_ms - raw->start_ms);
    }

  /* The server's own countdown first: end_time read against a local
   * clock that is 2 h fast would say "resets in 34m" for 2h 34m (issue
   * 9 overrides rule 6 here). Else end_time when valid. */
  if (raw->has_remains && raw->remains_ms > 0)
    window->resets_at_ms = now_ms + raw->remains_ms;
  else if (raw->has_end && (!raw->has_start || raw->end_ms > raw->start_ms))
    window->resets_at_ms = raw->end_ms;

  if (period == MQ_PERIOD_UNKNOWN)
    {
      if (slot == MQ_SLOT_WEEKLY)
        period = MQ_PERIOD_WEEKLY;
      else
        period = lane == MQ_LANE_TEXT ? MQ_PERIOD_FIVE_HOUR : MQ_PERIOD_DAILY;
    }

  window->period = period;
}

static gboolean
close_to (double a,
          double b)
{
  return fabs (a - b) <= AGREEMENT_POINTS + 1e-9;
}

/* Rule 4: which count is remaining. */
static void
interpret_counts (const MqRawWindow *raw,
                  MqWindow          *window)
{
  gint64 total = raw->has_total ? raw->total : 0;

  if (total > 0)
    window->total = total;

  if (raw->has_remaining_alias)
    {
      window->remaining = raw->remaining_alias;
      if (total > 0)
        window->used = MAX (total - raw->remaining_alias, 0);
      if (raw->has_used_alias)
        window->used = raw->used_alias;
    }
  else if (raw->has_used_alias)
    {
      window->used = raw->used_alias;
      if (total > 0)
        window->remaining = MAX (total - raw->used_alias, 0);
    }
  else if (total > 0 && raw->has_usage && raw->usage <= total)
    {
      double as_remaining = (double) raw->usage / (double) total * 100.0;
      double as_used = 100.0 - as_remaining;

      if (!raw->has_percent || close_to (as_remaining, raw->percent))
        {
          window->remaining = raw->usage;
          window->used = total - raw->usage;
        }
      else if (close_to (as_used, raw->percent))
        {
          window->used = raw->usage;
          window->remaining = total - raw->usage;
        }
      else
        window->counts_unreliable = TRUE;
    }
  else if (total > 0 && raw->has_usage)
    {
      /* More used or remaining than the limit: neither reading holds. */
      window->counts_unreliable = TRUE;
    }

  /* An alias beyond the limit means neither count can be trusted. */
  if (window->total > 0 &&
      (window->remaining > window->total || window->used > window->total))
    window->counts_unreliable = TRUE;

  if (window->counts_unreliable)
    {
      window->total = MQ_COUNT_UNKNOWN;
      window->remaining = MQ_COUNT_UNKNOWN;
      window->used = MQ_COUNT_UNKNOWN;
    }
}

static void
interpret_window (const MqRawWindow *raw,
                  const MqRawWindow *other,
                  MqSlot             slot,
                  MqLane             lane,
                  gboolean           row_has_status,
                  gint64             now_ms,
                  MqWindow          *window)
{
  memset (window, 0, sizeof *window);
  window->remaining_percent = MQ_PERCENT_UNKNOWN;
  window->total = MQ_COUNT_UNKNOWN;
  window->remaining = MQ_COUNT_UNKNOWN;
  window->used = MQ_COUNT_UNKNOWN;
  window->boost = 1.0;

  if (raw->has_boost && raw->boost_permille > 0)
    window->boost = raw->boost_permille / 1000.0;

  interpret_times (raw, slot, lane, now_ms, window);

  /* Rule 2: status 3 means no limit applies to this window. */
  if (raw->has_status && raw->status == 3)
    {
      window->known = TRUE;
      window->unlimited = TRUE;
      window->resets_at_ms = 0;
      return;
    }

  /* Rule 2, old count-based format: a weekly total of 0 beside a real
   * interval total means there is no weekly limit, not "0% left". */
  if (!row_has_status && slot == MQ_SLOT_WEEKLY && !raw->has_percent &&
      raw->has_total && raw->total == 0 &&
      !raw->has_remaining_alias && !raw->has_used_alias &&
      other->has_total && other->total > 0)
    {
      window->known = TRUE;
      window->unlimited = TRUE;
      window->resets_at_ms = 0;
      return;
    }

  interpret_counts (raw, window);

  if (raw->has_percent)
    window->remaining_percent = raw->percent;
  else if (window->total > 0 && window->remaining >= 0 && !window->counts_unreliable)
    window->remaining_percent = (double) window->remaining / (double) window->total * 100.0;

  /* Rule 3: exhausted on status 2, or nothing left. */
  if (raw->has_status && raw->status == 2)
    {
      window->exhausted = TRUE;
      window->remaining_percent = 0;
    }
  else if (window->remaining_percent == 0 ||
           (window->total > 0 && window->remaining == 0))
    window->exhausted = TRUE;

  if (window->exhausted && window->remaining_percent < 0)
    window->remaining_percent = 0;

  window->known = window->remaining_percent >= 0 || window->total > 0 ||
                  (raw->has_status && (raw->status == 1 || raw->status == 2));

  if (!window->known)
    window->resets_at_ms = 0;
}

void
mq_model_interpret (const MqRawRow *raw,
                    gint64          now_ms,
                    MqModel        *out)
{
  const MqRawWindow *ri = &raw->interval;
  const MqRawWindow *rw = &raw->weekly;
  gboolean row_has_status;

  memset (out, 0, sizeof *out);
  out->name = g_strdup (raw->name != NULL ? raw->name : "");
  out->lane = mq_lane_for_name (out->name);
  out->in_plan = TRUE;
  out->usable = !raw->malformed;

  row_has_status = ri->has_status || rw->has_status;

  /* Rule 1: not in plan. Both totals 0 and both statuses 3; the server
   * still says 100% for such rows, which must never be shown. */
  if (ri->has_status && rw->has_status && ri->status == 3 && rw->status == 3 &&
      (!ri->has_total || ri->total == 0) && (!rw->has_total || rw->total == 0) &&
      !ri->has_remaining_alias && !rw->has_remaining_alias)
    out->in_plan = FALSE;

  if (!out->usable || !out->in_plan)
    {
      interpret_window (&(MqRawWindow) { 0 }, &(MqRawWindow) { 0 },
                        MQ_SLOT_INTERVAL, out->lane, FALSE, now_ms, &out->interval);
      interpret_window (&(MqRawWindow) { 0 }, &(MqRawWindow) { 0 },
                        MQ_SLOT_WEEKLY, out->lane, FALSE, now_ms, &out->weekly);
      out->interval.period = MQ_PERIOD_UNKNOWN;
      out->weekly.period = MQ_PERIOD_UNKNOWN;
      return;
    }

  interpret_window (ri, rw, MQ_SLOT_INTERVAL, out->lane, row_has_status, now_ms, &out->interval);
  interpret_window (rw, ri, MQ_SLOT_WEEKLY, out->lane, row_has_status, now_ms, &out->weekly);
}
