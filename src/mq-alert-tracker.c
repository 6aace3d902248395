/* mq-alert-tracker.c: which quota alerts are due, once per crossing */
#define G_LOG_DOMAIN "mq-alert-tracker"

#include "config.h"

#include <string.h>

#include "mq-alert-tracker.h"

typedef struct {
  MqAlertLevel level;         /* announced; never NONE in the table */
  gint64       resets_at_ms;  /* of the window that level belongs to */
  gint64       absent_since_ms; /* first answer without the model; 0: listed */
} WindowState;

/* A predictive alert already shown. */
typedef struct {
  gint64       resets_at_ms;  /* of the window announced; 0 unknown */
  gint64       announced_ms;
} ForecastState;

struct _MqAlertTracker {
  GHashTable *windows;        /* key -> WindowState */
  GHashTable *muted;          /* key -> gint64 until_ms */
  GHashTable *forecasts;      /* key -> ForecastState */
  char       *account;        /* nullable: one account of several */
  gboolean    balance_below;  /* the balance alert was given, not yet re-armed */
};

static const MqSlot all_slots[] = { MQ_SLOT_INTERVAL, MQ_SLOT_WEEKLY };

void
mq_alert_free (MqAlert *alert)
{
  if (alert == NULL)
    return;

  g_free (alert->model_name);
  g_free (alert->window_key);
  g_free (alert->account_name);
  g_free (alert);
}

const char *
mq_alert_kind_to_string (MqAlertKind kind)
{
  switch (kind)
    {
    case MQ_ALERT_LOW: return "low";
    case MQ_ALERT_CRITICAL: return "critical";
    case MQ_ALERT_EXHAUSTED: return "exhausted";
    case MQ_ALERT_REFILLED: return "refilled";
    case MQ_ALERT_FORECAST: return "forecast";
    case MQ_ALERT_BALANCE_LOW: return "balance-low";
    default: return "unknown";
    }
}

char *
mq_alert_window_key (const char *model_name,
                     MqSlot      slot)
{
  g_return_val_if_fail (model_name != NULL, NULL);

  return g_strconcat (model_name, "/", mq_slot_to_string (slot), NULL);
}

gboolean
mq_alert_window_key_parse (const char  *window_key,
                           char       **out_model_name,
                           MqSlot      *out_slot)
{
  const char *slash;
  MqSlot slot;

  if (window_key == NULL)
    return FALSE;
  if (strstr (window_key, MQ_ALERT_ACCOUNT_SEPARATOR) != NULL)
    window_key = strstr (window_key, MQ_ALERT_ACCOUNT_SEPARATOR) + 1;

  slash = strrchr (window_key, '/');
  if (slash == NULL || slash == window_key)
    return FALSE;

  if (g_str_equal (slash + 1, mq_slot_to_string (MQ_SLOT_INTERVAL)))
    slot = MQ_SLOT_INTERVAL;
  else if (g_str_equal (slash + 1, mq_slot_to_string (MQ_SLOT_WEEKLY)))
    slot = MQ_SLOT_WEEKLY;
  else
    return FALSE;

  if (out_model_name != NULL)
    *out_model_name = g_strndup (window_key, slash - window_key);
  if (out_slot != NULL)
    *out_slot = slot;
  return TRUE;
}

MqAlertTracker *
mq_alert_tracker_new (void)
{
  MqAlertTracker *self = g_new0 (MqAlertTracker, 1);

  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->muted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->forecasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

void
mq_alert_tracker_free (MqAlertTracker *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->windows, g_hash_table_unref);
  g_clear_pointer (&self->muted, g_hash_table_unref);
  g_clear_pointer (&self->forecasts, g_hash_table_unref);
  g_free (self->account);
  g_free (self);
}

MqAlertTracker *
mq_alert_tracker_new_for_account (const char *account_name)
{
  MqAlertTracker *self = mq_alert_tracker_new ();

  g_return_val_if_fail (account_name != NULL, self);
  g_return_val_if_fail (strstr (account_name, MQ_ALERT_ACCOUNT_SEPARATOR) == NULL, self);

  self->account = g_strdup (account_name);
  return self;
}

const char *
mq_alert_tracker_get_account (MqAlertTracker *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->account;
}

char *
mq_alert_window_key_dup_account (const char *window_key)
{
  const char *separator;

  if (window_key == NULL)
    return NULL;
  separator = strstr (window_key, MQ_ALERT_ACCOUNT_SEPARATOR);
  return separator != NULL ? g_strndup (window_key, separator - window_key) : NULL;
}

/* The key of a window of this tracker's account. */
static char *
tracker_key (MqAlertTracker *self,
             const char     *model_name,
             MqSlot          slot)
{
  g_autofree char *key = mq_alert_window_key (model_name, slot);

  if (self->account == NULL)
    return g_steal_pointer (&key);
  return g_strconcat (self->account, MQ_ALERT_ACCOUNT_SEPARATOR, key, NULL);
}

/* Whether a saved @key is one of this tracker's: of its account, or
 * without an account for a tracker of one. */
static gboolean
key_is_own (MqAlertTracker *self,
            const char     *key)
{
  g_autofree char *account = mq_alert_window_key_dup_account (key);

  return g_strcmp0 (account, self->account) == 0;
}

MqAlert *
mq_alert_tracker_evaluate_balance (MqAlertTracker *self,
                                   double          available,
                                   double          threshold)
{
  MqAlert *alert;

  g_return_val_if_fail (self != NULL, NULL);

  if (threshold <= 0 || available >= threshold)
    {
      self->balance_below = FALSE;
      return NULL;
    }
  if (self->balance_below)
    return NULL;

  self->balance_below = TRUE;
  alert = g_new0 (MqAlert, 1);
  alert->kind = MQ_ALERT_BALANCE_LOW;
  alert->window_key = g_strconcat (self->account != NULL ? self->account : "",
                                   MQ_ALERT_ACCOUNT_SEPARATOR, "balance", NULL);
  alert->account_name = g_strdup (self->account);
  return alert;
}

/* The level of @window with every threshold raised by @extra points:
 * 0 gives the level the window is at, MQ_ALERT_HYSTERESIS_POINTS the most
 * severe level it has not clearly left. Matches mq_state_for_window(). */
static MqAlertLevel
level_for_window (const MqWindow     *window,
                  const MqThresholds *thresholds,
                  double              extra)
{
  double pct = window->remaining_percent;

  if (window->exhausted || pct <= extra)
    return MQ_ALERT_LEVEL_EXHAUSTED;
  if (pct <= thresholds->critical + extra)
    return MQ_ALERT_LEVEL_CRITICAL;
  if (pct <= thresholds->low + extra)
    return MQ_ALERT_LEVEL_LOW;
  return MQ_ALERT_LEVEL_NONE;
}

static MqAlertKind
kind_for_level (MqAlertLevel level)
{
  switch (level)
    {
    case MQ_ALERT_LEVEL_CRITICAL:
      return MQ_ALERT_CRITICAL;
    case MQ_ALERT_LEVEL_EXHAUSTED:
      return MQ_ALERT_EXHAUSTED;
    case MQ_ALERT_LEVEL_LOW:
    case MQ_ALERT_LEVEL_NONE:
    default:
      return MQ_ALERT_LOW;
    }
}

/* A window with a percentage to compare against the thresholds. */
static gboolean
window_is_trackable (const MqModel  *model,
                     const MqWindow *window)
{
  return model->usable && model->in_plan &&
         window->known && !window->unlimited &&
         (window->exhausted || window->remaining_percent >= 0);
}

typedef enum {
  KEY_LISTED,    /* the model is there, in the plan, the window limited */
  KEY_ABSENT,    /* the answer does not list the model */
  KEY_GONE,      /* listed, but not in the plan or unlimited: no alerts */
} KeyPresence;

/* Whether state kept for @key still has a window to belong to. A row that
 * is merely unreadable this time counts as listed, so that it does not
 * alert again when it reads well next time. */
static KeyPresence
key_presence (MqSnapshot *snapshot,
              const char *key)
{
  g_autofree char *name = NULL;
  const MqModel *model;
  MqSlot slot;

  if (!mq_alert_window_key_parse (key, &name, &slot))
    return KEY_GONE;

  model = mq_snapshot_find_model (snapshot, name);
  if (model == NULL)
    return KEY_ABSENT;
  if (!model->in_plan || mq_model_get_window (model, slot)->unlimited)
    return KEY_GONE;
  return KEY_LISTED;
}

/* Drops the state of windows the answer says no longer alert. A model
 * missing from one answer keeps its state (an answer may list fewer
 * models now and then) until the reset of its window has passed, or until
 * it has been missing for MQ_ALERT_KEEP_ABSENT_MS. */
static void
prune_windows (MqAlertTracker *self,
               MqSnapshot     *snapshot,
               gint64          now_ms)
{
  GHashTableIter iter;
  const char *key;
  WindowState *state;

  g_hash_table_iter_init (&iter, self->windows);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &state))
    switch (key_presence (snapshot, key))
      {
      case KEY_LISTED:
        state->absent_since_ms = 0;
        break;
      case KEY_GONE:
        g_hash_table_iter_remove (&iter);
        break;
      case KEY_ABSENT:
      default:
        if (state->absent_since_ms == 0)
          state->absent_since_ms = now_ms;
        if ((state->resets_at_ms != 0 && state->resets_at_ms <= now_ms) ||
            now_ms - state->absent_since_ms >= MQ_ALERT_KEEP_ABSENT_MS)
          g_hash_table_iter_remove (&iter);
        break;
      }
}

/* A mute ends at its own time (the window's reset), or when the answer
 * says the window no longer alerts; never because the model is missing. */
static void
prune_gone_mutes (MqAlertTracker *self,
                  MqSnapshot     *snapshot)
{
  GHashTableIter iter;
  const char *key;

  g_hash_table_iter_init (&iter, self->muted);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (key_presence (snapshot, key) == KEY_GONE)
      g_hash_table_iter_remove (&iter);
}

static void
prune_expired_mutes (MqAlertTracker *self,
                     gint64          now_ms)
{
  GHashTableIter iter;
  gint64 *until_ms;

  g_hash_table_iter_init (&iter, self->muted);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &until_ms))
    if (*until_ms <= now_ms)
      g_hash_table_iter_remove (&iter);
}

static gboolean
is_new_window (const WindowState *state,
               const MqWindow    *window)
{
  gint64 diff;

  if (state == NULL || state->resets_at_ms == 0 || window->resets_at_ms == 0)
    return FALSE;

  diff = window->resets_at_ms - state->resets_at_ms;
  return diff > MQ_ALERT_RESET_TOLERANCE_MS || diff < -MQ_ALERT_RESET_TOLERANCE_MS;
}

static MqAlert *
alert_new (MqAlertKind     kind,
           const MqModel  *model,
           MqSlot          slot,
           const MqWindow *window,
           const char     *key)
{
  MqAlert *alert = g_new0 (MqAlert, 1);

  alert->kind = kind;
  alert->model_name = g_strdup (model->name);
  alert->slot = slot;
  alert->period = window->period;
  alert->percent = window->exhausted ? 0.0 : CLAMP (window->remaining_percent, 0.0, 100.0);
  alert->resets_at_ms = window->resets_at_ms;
  alert->window_key = g_strdup (key);

  return alert;
}

static void
evaluate_window (MqAlertTracker     *self,
                 const MqModel      *model,
                 MqSlot              slot,
                 const MqThresholds *thresholds,
                 gint64              now_ms,
                 GPtrArray          *alerts)
{
  const MqWindow *window = mq_model_get_window (model, slot);
  g_autofree char *key = tracker_key (self, model->name, slot);
  WindowState *state;
  MqAlertLevel announced, current;
  gboolean refilled = FALSE;
  MqAlert *alert = NULL;

  if (!window_is_trackable (model, window))
    return;

  state = g_hash_table_lookup (self->windows, key);
  announced = state != NULL ? state->level : MQ_ALERT_LEVEL_NONE;
  current = level_for_window (window, thresholds, 0.0);

  if (is_new_window (state, window))
    {
      /* A new window re-arms every level, and ends a mute "until reset". */
      refilled = current == MQ_ALERT_LEVEL_NONE;
      announced = MQ_ALERT_LEVEL_NONE;
      g_hash_table_remove (self->muted, key);
    }
  else
    {
      /* Re-arm the levels the window has clearly left (hysteresis). */
      MqAlertLevel held = level_for_window (window, thresholds, MQ_ALERT_HYSTERESIS_POINTS);

      if (held < announced)
        {
          refilled = held == MQ_ALERT_LEVEL_NONE;
          announced = held;
        }
    }

  if (current > announced)
    {
      alert = alert_new (kind_for_level (current), model, slot, window, key);
      announced = current;
    }
  else if (refilled)
    alert = alert_new (MQ_ALERT_REFILLED, model, slot, window, key);

  if (announced == MQ_ALERT_LEVEL_NONE)
    g_hash_table_remove (self->windows, key);
  else
    {
      if (state == NULL)
        {
          state = g_new0 (WindowState, 1);
          g_hash_table_insert (self->windows, g_strdup (key), state);
        }
      state->level = announced;
      if (window->resets_at_ms != 0)
        state->resets_at_ms = window->resets_at_ms;
    }

  if (alert == NULL)
    return;
  alert->account_name = g_strdup (self->account);

  if (mq_alert_tracker_is_muted (self, key, now_ms))
    mq_alert_free (alert);
  else
    g_ptr_array_add (alerts, alert);
}

GPtrArray *
mq_alert_tracker_evaluate (MqAlertTracker     *self,
                           MqSnapshot         *snapshot,
                           const MqThresholds *thresholds,
                           gint64              now_ms)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_alert_free);
  MqThresholds defaults = { MQ_THRESHOLD_LOW_DEFAULT, MQ_THRESHOLD_CRITICAL_DEFAULT };

  g_return_val_if_fail (self != NULL, alerts);
  g_return_val_if_fail (snapshot != NULL, alerts);

  if (thresholds == NULL)
    thresholds = &defaults;

  if (now_ms - mq_snapshot_get_fetched_at_ms (snapshot) > MQ_ALERT_STALE_MS)
    return alerts;

  prune_expired_mutes (self, now_ms);

  for (guint i = 0; i < mq_snapshot_get_n_models (snapshot); i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);

      /* A name listed twice: only its first row counts (as everywhere). */
      if (mq_snapshot_find_model (snapshot, model->name) != model)
        continue;

      for (guint s = 0; s < G_N_ELEMENTS (all_slots); s++)
        evaluate_window (self, model, all_slots[s], thresholds, now_ms, alerts);
    }

  prune_windows (self, snapshot, now_ms);
  prune_gone_mutes (self, snapshot);

  return alerts;
}

MqAlertLevel
mq_alert_tracker_get_level (MqAlertTracker *self,
                            const char     *window_key)
{
  WindowState *state;

  g_return_val_if_fail (self != NULL, MQ_ALERT_LEVEL_NONE);
  g_return_val_if_fail (window_key != NULL, MQ_ALERT_LEVEL_NONE);

  state = g_hash_table_lookup (self->windows, window_key);
  return state != NULL ? state->level : MQ_ALERT_LEVEL_NONE;
}

gint64
mq_alert_tracker_get_resets_at (MqAlertTracker *self,
                                const char     *window_key)
{
  WindowState *state;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (window_key != NULL, 0);

  state = g_hash_table_lookup (self->windows, window_key);
  return state != NULL ? state->resets_at_ms : 0;
}

void
mq_alert_tracker_mute (MqAlertTracker *self,
                       const char     *window_key,
                       gint64          until_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (window_key != NULL);

  if (until_ms <= 0)
    {
      g_hash_table_remove (self->muted, window_key);
      return;
    }

  g_hash_table_insert (self->muted, g_strdup (window_key), g_memdup2 (&until_ms, sizeof until_ms));
}

gboolean
mq_alert_tracker_is_muted (MqAlertTracker *self,
                           const char     *window_key,
                           gint64          now_ms)
{
  const gint64 *until_ms;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (window_key != NULL, FALSE);

  until_ms = g_hash_table_lookup (self->muted, window_key);
  return until_ms != NULL && *until_ms > now_ms;
}

void
mq_alert_tracker_load_state (MqAlertTracker *self,
                             GVariant       *alert_state)
{
  GVariantIter iter;
  const char *key;
  guint32 level;
  gint64 resets_at_ms;

  g_return_if_fail (self != NULL);

  g_hash_table_remove_all (self->windows);

  if (alert_state == NULL || !g_variant_is_of_type (alert_state, G_VARIANT_TYPE ("a{s(ux)}")))
    return;

  g_variant_iter_init (&iter, alert_state);
  while (g_variant_iter_next (&iter, "{&s(ux)}", &key, &level, &resets_at_ms))
    {
      WindowState *state;

      if (level < MQ_ALERT_LEVEL_LOW || level > MQ_ALERT_LEVEL_EXHAUSTED ||
          resets_at_ms < 0 || !mq_alert_window_key_parse (key, NULL, NULL) ||
          !key_is_own (self, key))
        continue;

      state = g_new0 (WindowState, 1);
      state->level = (MqAlertLevel) level;
      state->resets_at_ms = resets_at_ms;
      g_hash_table_insert (self->windows, g_strdup (key), state);
    }
}

void
mq_alert_tracker_load_muted (MqAlertTracker *self,
                             GVariant       *muted_until)
{
  GVariantIter iter;
  const char *key;
  gint64 until_ms;

  g_return_if_fail (self != NULL);

  g_hash_table_remove_all (self->muted);

  if (muted_until == NULL || !g_variant_is_of_type (muted_until, G_VARIANT_TYPE ("a{sx}")))
    return;

  g_variant_iter_init (&iter, muted_until);
  while (g_variant_iter_next (&iter, "{&sx}", &key, &until_ms))
    if (until_ms > 0 && mq_alert_window_key_parse (key, NULL, NULL) && key_is_own (self, key))
      mq_alert_tracker_mute (self, key, until_ms);
}

static int
compare_key_pointers (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);

  g_ptr_array_sort (keys, compare_key_pointers);
  return keys;
}

GVariant *
mq_alert_tracker_save_state (MqAlertTracker *self,
                             gint64          now_ms)
{
  g_autoptr(GPtrArray) keys = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(ux)}"));
  keys = sorted_keys (self->windows);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const WindowState *state = g_hash_table_lookup (self->windows, key);

      if (state->resets_at_ms != 0 &&
          state->resets_at_ms < now_ms - MQ_ALERT_KEEP_AFTER_RESET_MS)
        continue;

      g_variant_builder_add (&builder, "{s(ux)}", key,
                             (guint32) state->level, state->resets_at_ms);
    }

  return g_variant_builder_end (&builder);
}

GVariant *
mq_alert_tracker_save_muted (MqAlertTracker *self,
                             gint64          now_ms)
{
  g_autoptr(GPtrArray) keys = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sx}"));
  keys = sorted_keys (self->muted);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const gint64 *until_ms = g_hash_table_lookup (self->muted, key);

      if (*until_ms > now_ms)
        g_variant_builder_add (&builder, "{sx}", key, *until_ms);
    }

  return g_variant_builder_end (&builder);
}

/* ------------------------------------------------------------------ */
/* Predictive alerts (issue 11)                                         */
/* ------------------------------------------------------------------ */

/* Whether @state announced the window that resets at @resets_at_ms. */
static gboolean
forecast_still_announced (const ForecastState *state,
                          gint64               resets_at_ms,
                          gint64               now_ms)
{
  gint64 diff;

  if (state == NULL)
    return FALSE;

  if (state->resets_at_ms == 0 || resets_at_ms == 0)
    return state->resets_at_ms == resets_at_ms &&
           now_ms - state->announced_ms < MQ_ALERT_KEEP_ABSENT_MS;

  if (state->resets_at_ms <= now_ms)
    return FALSE;

  diff = resets_at_ms - state->resets_at_ms;
  return diff <= MQ_ALERT_RESET_TOLERANCE_MS && diff >= -MQ_ALERT_RESET_TOLERANCE_MS;
}

static gboolean
forecast_is_due (const MqForecast *forecast,
                 const MqWindow   *window,
                 gint64            lead_ms,
                 gint64            now_ms)
{
  if (!forecast->has_forecast || forecast->lasts_until_reset || forecast->runs_out_at_ms == 0)
    return FALSE;

  /* Already out: the "used up" alert says so. */
  if (window->exhausted || forecast->runs_out_at_ms <= now_ms)
    return FALSE;

  if (forecast->runs_out_at_ms - now_ms > lead_ms)
    return FALSE;

  return window->resets_at_ms == 0 || forecast->runs_out_at_ms < window->resets_at_ms;
}

GPtrArray *
mq_alert_tracker_evaluate_forecasts (MqAlertTracker          *self,
                                     MqSnapshot              *snapshot,
                                     const MqHistoryForecast *forecasts,
                                     gsize                    n_forecasts,
                                     gint64                   lead_ms,
                                     gint64                   now_ms)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_alert_free);

  g_return_val_if_fail (self != NULL, alerts);
  g_return_val_if_fail (snapshot != NULL, alerts);

  if (forecasts == NULL ||
      now_ms - mq_snapshot_get_fetched_at_ms (snapshot) > MQ_ALERT_STALE_MS)
    return alerts;

  for (gsize i = 0; i < n_forecasts; i++)
    {
      const MqHistoryForecast *entry = &forecasts[i];
      const MqModel *model;
      const MqWindow *window;
      g_autofree char *key = NULL;
      ForecastState *state;
      MqAlert *alert;

      if (entry->model == NULL)
        continue;
      model = mq_snapshot_find_model (snapshot, entry->model);
      if (model == NULL)
        continue;
      window = mq_model_get_window (model, entry->slot);
      if (!window_is_trackable (model, window) ||
          !forecast_is_due (&entry->forecast, window, lead_ms, now_ms))
        continue;

      key = tracker_key (self, model->name, entry->slot);
      state = g_hash_table_lookup (self->forecasts, key);
      if (forecast_still_announced (state, window->resets_at_ms, now_ms))
        continue;

      state = g_new0 (ForecastState, 1);
      state->resets_at_ms = window->resets_at_ms;
      state->announced_ms = now_ms;
      g_hash_table_insert (self->forecasts, g_strdup (key), state);

      if (mq_alert_tracker_is_muted (self, key, now_ms))
        continue;

      alert = alert_new (MQ_ALERT_FORECAST, model, entry->slot, window, key);
      alert->runs_out_at_ms = entry->forecast.runs_out_at_ms;
      alert->account_name = g_strdup (self->account);
      g_ptr_array_add (alerts, alert);
    }

  return alerts;
}

gboolean
mq_alert_tracker_forecast_announced (MqAlertTracker *self,
                                     const char     *window_key)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (window_key != NULL, FALSE);

  return g_hash_table_contains (self->forecasts, window_key);
}

void
mq_alert_tracker_load_forecast_state (MqAlertTracker *self,
                                      GVariant       *state)
{
  GVariantIter iter;
  const char *key;
  gint64 resets_at_ms, announced_ms;

  g_return_if_fail (self != NULL);

  g_hash_table_remove_all (self->forecasts);

  if (state == NULL || !g_variant_is_of_type (state, G_VARIANT_TYPE ("a{s(xx)}")))
    return;

  g_variant_iter_init (&iter, state);
  while (g_variant_iter_next (&iter, "{&s(xx)}", &key, &resets_at_ms, &announced_ms))
    {
      ForecastState *entry;

      if (resets_at_ms < 0 || announced_ms <= 0 || !mq_alert_window_key_parse (key, NULL, NULL) ||
          !key_is_own (self, key))
        continue;

      entry = g_new0 (ForecastState, 1);
      entry->resets_at_ms = resets_at_ms;
      entry->announced_ms = announced_ms;
      g_hash_table_insert (self->forecasts, g_strdup (key), entry);
    }
}

GVariant *
mq_alert_tracker_save_forecast_state (MqAlertTracker *self,
                                      gint64          now_ms)
{
  g_autoptr(GPtrArray) keys = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(xx)}"));
  keys = sorted_keys (self->forecasts);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const ForecastState *state = g_hash_table_lookup (self->forecasts, key);

      if (state->resets_at_ms != 0 &&
          state->resets_at_ms < now_ms - MQ_ALERT_KEEP_AFTER_RESET_MS)
        continue;
      if (state->resets_at_ms == 0 && now_ms - state->announced_ms >= MQ_ALERT_KEEP_ABSENT_MS)
        continue;

      g_variant_builder_add (&builder, "{s(xx)}", key, state->resets_at_ms, state->announced_ms);
    }

  return g_variant_builder_end (&builder);
}
