/* mq-alerts.c: quota notifications (GNotification), once per crossing */
#include "config.h"

#include <glib/gi18n.h>

#include "mq-alerts.h"
#include "mq-config.h"
#include "mq-format.h"

struct _MqAlerts {
  GObject         parent_instance;

  GWeakRef        app;        /* the application owns us: no strong ref */
  GSettings      *settings;
  MqAlertTracker *tracker;
  MqSnapshot     *snapshot;   /* the last fresh one, for "mute until reset" */
};

G_DEFINE_FINAL_TYPE (MqAlerts, mq_alerts, G_TYPE_OBJECT)

static void
mq_alerts_finalize (GObject *object)
{
  MqAlerts *self = MQ_ALERTS (object);

  g_weak_ref_clear (&self->app);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->tracker, mq_alert_tracker_free);
  g_clear_pointer (&self->snapshot, mq_snapshot_unref);

  G_OBJECT_CLASS (mq_alerts_parent_class)->finalize (object);
}

static void
mq_alerts_class_init (MqAlertsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mq_alerts_finalize;
}

static void
mq_alerts_init (MqAlerts *self)
{
  g_weak_ref_init (&self->app, NULL);
  self->tracker = mq_alert_tracker_new ();
}

MqAlerts *
mq_alerts_new (GApplication *app,
               GSettings    *settings)
{
  MqAlerts *self;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) muted = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MQ_TYPE_ALERTS, NULL);
  g_weak_ref_set (&self->app, app);
  self->settings = g_object_ref (settings);

  state = g_settings_get_value (settings, "alert-state");
  muted = g_settings_get_value (settings, "muted-until");
  mq_alert_tracker_load_state (self->tracker, state);
  mq_alert_tracker_load_muted (self->tracker, muted);

  return self;
}

/* Writes @value to @key unless it holds that already (no needless writes
 * to dconf on every poll). Sinks @value. */
static void
settings_update (GSettings  *settings,
                 const char *key,
                 GVariant   *value)
{
  g_autoptr(GVariant) sunk = g_variant_ref_sink (value);
  g_autoptr(GVariant) current = g_settings_get_value (settings, key);

  if (!g_variant_equal (current, sunk))
    g_settings_set_value (settings, key, sunk);
}

static void
save_state (MqAlerts *self,
            gint64    now_ms)
{
  settings_update (self->settings, "alert-state",
                   mq_alert_tracker_save_state (self->tracker, now_ms));
  settings_update (self->settings, "muted-until",
                   mq_alert_tracker_save_muted (self->tracker, now_ms));
}

char *
mq_alerts_notification_id (const char *window_key)
{
  g_return_val_if_fail (window_key != NULL, NULL);

  return g_strconcat ("quota-", window_key, NULL);
}

/* "of the 5-hour window", completing "18% left". */
static const char *
window_phrase (const MqAlert *alert)
{
  MqPeriod period = alert->period;

  if (alert->slot == MQ_SLOT_WEEKLY)
    period = MQ_PERIOD_WEEKLY;

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
      return _("of the weekly quota");
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: completes "Text models: 18% left" */
      return _("of the current window");
    }
}

/* "5-hour window", the window that is used up. */
static const char *
window_name (const MqAlert *alert)
{
  MqPeriod period = alert->period;

  if (alert->slot == MQ_SLOT_WEEKLY)
    period = MQ_PERIOD_WEEKLY;

  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: the window that is used up, in "5-hour window · resets at 16:30" */
      return _("5-hour window");
    case MQ_PERIOD_DAILY:
      /* Translators: the window that is used up, in "Daily quota · resets at 16:30" */
      return _("Daily quota");
    case MQ_PERIOD_WEEKLY:
      /* Translators: the window that is used up, in "Weekly quota · resets at Mon 08:00" */
      return _("Weekly quota");
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: the window that is used up, in "Current window · resets at 16:30" */
      return _("Current window");
    }
}

/* "100% of the 5-hour window left" */
static char *
refilled_body (const MqAlert *alert,
               const char    *percent)
{
  MqPeriod period = alert->period;

  if (alert->slot == MQ_SLOT_WEEKLY)
    period = MQ_PERIOD_WEEKLY;

  switch (period)
    {
    case MQ_PERIOD_FIVE_HOUR:
      /* Translators: %s is a percentage, e.g. "100%" */
      return g_strdup_printf (_("%s of the 5-hour window left"), percent);
    case MQ_PERIOD_DAILY:
      /* Translators: %s is a percentage, e.g. "100%" */
      return g_strdup_printf (_("%s of the daily quota left"), percent);
    case MQ_PERIOD_WEEKLY:
      /* Translators: %s is a percentage, e.g. "100%" */
      return g_strdup_printf (_("%s of the weekly quota left"), percent);
    case MQ_PERIOD_UNKNOWN:
    default:
      /* Translators: %s is a percentage, e.g. "100%" */
      return g_strdup_printf (_("%s of the current window left"), percent);
    }
}

static char *
join_parts (const char *first,
            const char *second)
{
  if (second == NULL)
    return g_strdup (first);

  /* Translators: joins two parts of a notification body,
   * e.g. "of the 5-hour window · resets in 2h 30m (16:30)" */
  return g_strdup_printf (C_("notification", "%s · %s"), first, second);
}

GNotification *
mq_alerts_build_notification (const MqAlert *alert,
                              const char    *app_id,
                              gint64         now_ms)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *percent = NULL;
  const char *model;

  g_return_val_if_fail (alert != NULL, NULL);
  g_return_val_if_fail (app_id != NULL, NULL);

  model = mq_format_model_display_name (alert->model_name);
  percent = mq_format_percent (alert->percent);

  switch (alert->kind)
    {
    case MQ_ALERT_EXHAUSTED:
      {
        g_autofree char *clock = NULL;
        g_autofree char *resets = NULL;

        /* Translators: %s is a model, e.g. "Text models: used up" */
        title = g_strdup_printf (_("%s: used up"), model);
        if (alert->resets_at_ms != 0)
          {
            clock = mq_format_clock (alert->resets_at_ms, now_ms);
            /* Translators: %s is a time, e.g. "resets at 16:30" */
            resets = g_strdup_printf (_("resets at %s"), clock);
          }
        body = join_parts (window_name (alert), resets);
      }
      break;

    case MQ_ALERT_REFILLED:
      /* Translators: %s is a model, e.g. "Text models: available again" */
      title = g_strdup_printf (_("%s: available again"), model);
      body = refilled_body (alert, percent);
      break;

    case MQ_ALERT_LOW:
    case MQ_ALERT_CRITICAL:
    default:
      {
        g_autofree char *resets = mq_format_reset (alert->resets_at_ms, now_ms);

        /* Translators: a model and a percentage, e.g. "Text models: 18% left" */
        title = g_strdup_printf (_("%s: %s left"), model, percent);
        body = join_parts (window_phrase (alert), resets);
      }
      break;
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);

  icon = g_themed_icon_new (app_id);
  g_notification_set_icon (notification, icon);

  g_notification_set_priority (notification,
                               alert->kind == MQ_ALERT_CRITICAL || alert->kind == MQ_ALERT_EXHAUSTED
                               ? G_NOTIFICATION_PRIORITY_HIGH
                               : G_NOTIFICATION_PRIORITY_NORMAL);

  g_notification_add_button (notification, _("Open dashboard"), "app.open-dashboard");
  if (alert->kind != MQ_ALERT_REFILLED && alert->resets_at_ms != 0)
    g_notification_add_button_with_target (notification, _("Mute until reset"),
                                           "app.mute-until-reset", "s", alert->window_key);

  return g_steal_pointer (&notification);
}

void
mq_alerts_process (MqAlerts   *self,
                   MqSnapshot *fresh_snapshot,
                   gint64      now_ms)
{
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  MqThresholds thresholds;
  const char *app_id;

  g_return_if_fail (MQ_IS_ALERTS (self));
  g_return_if_fail (fresh_snapshot != NULL);

  g_clear_pointer (&self->snapshot, mq_snapshot_unref);
  self->snapshot = mq_snapshot_ref (fresh_snapshot);

  /* Clamped as for the tray: mq-config is the one place that does it. */
  thresholds = mq_config_thresholds_from_settings (self->settings);

  alerts = mq_alert_tracker_evaluate (self->tracker, fresh_snapshot, &thresholds, now_ms);
  save_state (self, now_ms);

  if (alerts->len == 0 || !g_settings_get_boolean (self->settings, "notifications-enabled"))
    return;

  app = g_weak_ref_get (&self->app);
  if (app == NULL || !g_application_get_is_registered (app) || g_application_get_is_remote (app))
    {
      g_debug ("Alerts: %u due, but no registered application to show them", alerts->len);
      return;
    }

  app_id = g_application_get_application_id (app);
  if (app_id == NULL)
    app_id = APP_ID;

  for (guint i = 0; i < alerts->len; i++)
    {
      const MqAlert *alert = g_ptr_array_index (alerts, i);
      g_autoptr(GNotification) notification = mq_alerts_build_notification (alert, app_id, now_ms);
      g_autofree char *id = mq_alerts_notification_id (alert->window_key);

      g_debug ("Alerts: %s for %s", mq_alert_kind_to_string (alert->kind), alert->window_key);
      g_application_send_notification (app, id, notification);
    }
}

void
mq_alerts_mute_until_reset (MqAlerts   *self,
                            const char *window_key)
{
  g_autoptr(GApplication) app = NULL;
  g_autofree char *model_name = NULL;
  g_autofree char *id = NULL;
  gint64 now_ms = g_get_real_time () / 1000;
  gint64 until_ms = 0;
  MqSlot slot;

  g_return_if_fail (MQ_IS_ALERTS (self));
  g_return_if_fail (window_key != NULL);

  if (!mq_alert_window_key_parse (window_key, &model_name, &slot))
    {
      g_warning ("Alerts: cannot mute “%s”: not a quota window", window_key);
      return;
    }

  if (self->snapshot != NULL)
    {
      const MqModel *model = mq_snapshot_find_model (self->snapshot, model_name);

      if (model != NULL)
        until_ms = mq_model_get_window (model, slot)->resets_at_ms;
    }
  if (until_ms == 0)
    until_ms = mq_alert_tracker_get_resets_at (self->tracker, window_key);

  if (until_ms <= now_ms)
    {
      g_debug ("Alerts: %s has no reset ahead, nothing to mute", window_key);
      return;
    }

  mq_alert_tracker_mute (self->tracker, window_key, until_ms);
  save_state (self, now_ms);

  app = g_weak_ref_get (&self->app);
  id = mq_alerts_notification_id (window_key);
  if (app != NULL && g_application_get_is_registered (app))
    g_application_withdraw_notification (app, id);
}
