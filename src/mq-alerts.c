/* mq-alerts.c: quota notifications (GNotification), once per crossing */
#define G_LOG_DOMAIN "mq-alerts"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mq-alerts.h"
#include "mq-config.h"
#include "mq-format.h"
#include "mq-wording.h"

struct _MqAlerts {
  GObject         parent_instance;

  GWeakRef        app;        /* the application owns us: no strong ref */
  GSettings      *settings;
  MqAlertTracker *tracker;
  /* Several accounts (issue 12): one tracker per account, by name; their
   * entries are merged into the same settings, account-prefixed. */
  GHashTable     *trackers;
  MqSnapshot     *snapshot;   /* the last fresh one, for "mute until reset" */

  GCancellable   *cancellable; /* the notification service checks */
  guint           n_missing_service; /* checks that found none */
  gboolean        told_missing_service; /* said so on stderr (once per run) */
};

G_DEFINE_FINAL_TYPE (MqAlerts, mq_alerts, G_TYPE_OBJECT)

static void
mq_alerts_finalize (GObject *object)
{
  MqAlerts *self = MQ_ALERTS (object);

  g_weak_ref_clear (&self->app);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->tracker, mq_alert_tracker_free);
  g_clear_pointer (&self->trackers, g_hash_table_unref);
  g_clear_pointer (&self->snapshot, mq_snapshot_unref);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

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
  self->trackers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) mq_alert_tracker_free);
  self->cancellable = g_cancellable_new ();
}

MqAlerts *
mq_alerts_new (GApplication *app,
               GSettings    *settings)
{
  MqAlerts *self;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) muted = NULL;
  g_autoptr(GVariant) forecast_state = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MQ_TYPE_ALERTS, NULL);
  g_weak_ref_set (&self->app, app);
  self->settings = g_object_ref (settings);

  state = g_settings_get_value (settings, "alert-state");
  muted = g_settings_get_value (settings, "muted-until");
  mq_alert_tracker_load_state (self->tracker, state);
  mq_alert_tracker_load_muted (self->tracker, muted);
  forecast_state = g_settings_get_value (settings, "forecast-alert-state");
  mq_alert_tracker_load_forecast_state (self->tracker, forecast_state);

  return self;
}

/* Writes @value to @key unless it holds that already (no needless writes
 * to dconf on every poll). Sinks @value. */
static void
settings_update (GSettings  *settings,
                 const char *key,
                 GVariant   *value)
{
  g_autoptr(GVariant) sunk = g_variant_take_ref (value);  /* floating or owned: ours now */
  g_autoptr(GVariant) current = g_settings_get_value (settings, key);

  if (!g_variant_equal (current, sunk))
    g_settings_set_value (settings, key, sunk);
}

typedef GVariant *(*SaveFunc) (MqAlertTracker *tracker,
                               gint64          now_ms);

/* Adds the entries of the dictionary @saved to @builder: those without
 * an account when @accounts is FALSE; else those of an account that has
 * no tracker yet (saved earlier, kept until that account's tracker). */
static void
add_entries (MqAlerts        *self,
             GVariantBuilder *builder,
             GVariant        *saved,
             gboolean         accounts)
{
  GVariantIter entries;
  GVariant *entry;

  g_variant_iter_init (&entries, saved);
  while ((entry = g_variant_iter_next_value (&entries)) != NULL)
    {
      g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
      g_autofree char *account = mq_alert_window_key_dup_account (g_variant_get_string (key, NULL));

      if (accounts ? account != NULL && !g_hash_table_contains (self->trackers, account)
                   : account == NULL)
        g_variant_builder_add_value (builder, entry);
      g_variant_unref (entry);
    }
}

/* One dictionary of @key: the single tracker's entries (those without an
 * account), every account tracker's (account-prefixed), and the saved
 * entries of accounts without a tracker yet. */
static GVariant *
merged_state (MqAlerts   *self,
              const char *key,
              SaveFunc    save,
              gint64      now_ms)
{
  g_autoptr(GVariant) own = g_variant_ref_sink (save (self->tracker, now_ms));
  g_autoptr(GVariant) current = NULL;
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->trackers) == 0)
    return g_steal_pointer (&own);

  g_variant_builder_init (&builder, g_variant_get_type (own));
  add_entries (self, &builder, own, FALSE);
  current = g_settings_get_value (self->settings, key);
  add_entries (self, &builder, current, TRUE);

  g_hash_table_iter_init (&iter, self->trackers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_autoptr(GVariant) saved = g_variant_ref_sink (save (value, now_ms));
      GVariantIter entries;
      GVariant *entry;

      g_variant_iter_init (&entries, saved);
      while ((entry = g_variant_iter_next_value (&entries)) != NULL)
        {
          g_variant_builder_add_value (&builder, entry);
          g_variant_unref (entry);
        }
    }
  return g_variant_builder_end (&builder);
}

static void
save_state (MqAlerts *self,
            gint64    now_ms)
{
  settings_update (self->settings, "alert-state",
                   merged_state (self, "alert-state", mq_alert_tracker_save_state, now_ms));
  settings_update (self->settings, "muted-until",
                   merged_state (self, "muted-until", mq_alert_tracker_save_muted, now_ms));
  settings_update (self->settings, "forecast-alert-state",
                   merged_state (self, "forecast-alert-state", mq_alert_tracker_save_forecast_state, now_ms));
}

/* The tracker of @account_name (NULL: the single one), made and loaded
 * from the saved dictionaries when first asked for. */
static MqAlertTracker *
tracker_for (MqAlerts   *self,
             const char *account_name)
{
  MqAlertTracker *tracker;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) muted = NULL;
  g_autoptr(GVariant) forecast_state = NULL;

  if (account_name == NULL)
    return self->tracker;

  tracker = g_hash_table_lookup (self->trackers, account_name);
  if (tracker != NULL)
    return tracker;

  tracker = mq_alert_tracker_new_for_account (account_name);
  state = g_settings_get_value (self->settings, "alert-state");
  muted = g_settings_get_value (self->settings, "muted-until");
  forecast_state = g_settings_get_value (self->settings, "forecast-alert-state");
  mq_alert_tracker_load_state (tracker, state);
  mq_alert_tracker_load_muted (tracker, muted);
  mq_alert_tracker_load_forecast_state (tracker, forecast_state);
  g_hash_table_insert (self->trackers, g_strdup (account_name), tracker);
  return tracker;
}

char *
mq_alerts_notification_id (const char *window_key)
{
  g_return_val_if_fail (window_key != NULL, NULL);

  return g_strconcat ("quota-", window_key, NULL);
}

char *
mq_alerts_forecast_notification_id (const char *window_key)
{
  g_return_val_if_fail (window_key != NULL, NULL);

  return g_strconcat ("quota-forecast-", window_key, NULL);
}

/* Two sentences of a notification body, "19% of the 5-hour window is
 * left. It resets at 03:00."; the first alone when @second is NULL. */
static char *
join_sentences (const char *first,
                const char *second)
{
  if (second == NULL)
    return g_strdup (first);

  /* Translators: joins two sentences of a notification body; use no
   * space if your language writes none between sentences */
  return g_strdup_printf (C_("notification", "%s %s"), first, second);
}

const char *
mq_alerts_icon_name (MqAlertKind kind)
{
  switch (kind)
    {
    case MQ_ALERT_CRITICAL:
    case MQ_ALERT_EXHAUSTED:
      return "dialog-error-symbolic";
    case MQ_ALERT_REFILLED:
      return "emblem-ok-symbolic";
    case MQ_ALERT_LOW:
    case MQ_ALERT_FORECAST:
    default:
      return "dialog-warning-symbolic";
    }
}

GNotificationPriority
mq_alerts_priority (MqAlertKind kind)
{
  /* GLib maps HIGH to the urgency "normal" on the freedesktop backend
   * (2.74): only URGENT reaches the daemon as critical (issue 10.3). */
  return kind == MQ_ALERT_CRITICAL || kind == MQ_ALERT_EXHAUSTED
         ? G_NOTIFICATION_PRIORITY_URGENT
         : G_NOTIFICATION_PRIORITY_NORMAL;
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
  g_autofree char *resets = NULL;
  const char *model;
  MqPeriod period;

  g_return_val_if_fail (alert != NULL, NULL);
  g_return_val_if_fail (app_id != NULL, NULL);

  /* A balance alert has its amounts: mq_alerts_build_balance_notification(). */
  if (alert->kind == MQ_ALERT_BALANCE_LOW)
    return NULL;

  model = mq_format_model_display_name (alert->model_name);
  percent = mq_format_percent (alert->percent);
  period = mq_wording_period (alert->slot, alert->period);
  /* The clock time, not a countdown that goes stale on screen. */
  resets = mq_wording_reset_sentence (alert->resets_at_ms, now_ms);

  switch (alert->kind)
    {
    case MQ_ALERT_EXHAUSTED:
      /* Translators: %s is a model, e.g. "Text models: used up" */
      title = g_strdup_printf (_("%s: used up"), model);
      body = join_sentences (mq_wording_used_up_sentence (period), resets);
      break;

    case MQ_ALERT_REFILLED:
      /* Translators: %s is a model, e.g. "Text models: available again" */
      title = g_strdup_printf (_("%s: available again"), model);
      body = mq_wording_left_sentence (period, percent);
      break;

    case MQ_ALERT_FORECAST:
      /* Translators: a model and a percentage, e.g. "Text models: 18% left" */
      title = g_strdup_printf (_("%s: %s left"), model, percent);
      body = mq_wording_forecast_alert (period, alert->runs_out_at_ms, alert->resets_at_ms, now_ms);
      break;

    case MQ_ALERT_LOW:
    case MQ_ALERT_CRITICAL:
    default:
      {
        g_autofree char *left = mq_wording_left_sentence (period, percent);

        /* Translators: a model and a percentage, e.g. "Text models: 18% left" */
        title = g_strdup_printf (_("%s: %s left"), model, percent);
        body = join_sentences (left, resets);
      }
      break;
    }

  /* Several accounts: the alert names its account. */
  if (alert->account_name != NULL)
    {
      char *named;

      /* Translators: an alert of one account of several, "team-2: 15% of
       * the 5-hour window is left. It resets at 16:30." */
      named = g_strdup_printf (_("%s: %s"), alert->account_name, body);
      g_free (body);
      body = named;
      named = g_strdup_printf (_("%s: %s"), alert->account_name, title);
      g_free (title);
      title = named;
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);

  icon = g_themed_icon_new (mq_alerts_icon_name (alert->kind));
  g_notification_set_icon (notification, icon);

  g_notification_set_priority (notification, mq_alerts_priority (alert->kind));

  g_notification_add_button (notification, _("Open dashboard"), "app.open-dashboard");
  if (alert->kind != MQ_ALERT_REFILLED && alert->resets_at_ms != 0)
    g_notification_add_button_with_target (notification, _("Mute until reset"),
                                           "app.mute-until-reset", "s", alert->window_key);

  return g_steal_pointer (&notification);
}

/* How urgent an alert is: a used-up window before a critical one before a
 * low one before a forecast; "available again" last. */
static int
alert_rank (const MqAlert *alert)
{
  switch (alert->kind)
    {
    case MQ_ALERT_EXHAUSTED: return 0;
    case MQ_ALERT_CRITICAL: return 1;
    case MQ_ALERT_LOW: return 2;
    case MQ_ALERT_FORECAST: return 3;
    case MQ_ALERT_REFILLED:
    default: return 4;
    }
}

/* Puts the alerts of the headline model first (the window that binds
 * first of all), then the others by urgency; stable otherwise. */
static void
order_alerts (GPtrArray          *alerts,
              MqSnapshot         *snapshot,
              const MqThresholds *thresholds,
              const char         *icon_model)
{
  g_autoptr(GPtrArray) ordered = g_ptr_array_new ();
  MqHeadline headline = { 0 };
  const char *headline_name = NULL;

  if (mq_snapshot_get_headline (snapshot, icon_model, thresholds, &headline) &&
      headline.model != NULL)
    headline_name = headline.model->name;

  for (int pass = 0; pass < 7; pass++)
    for (guint i = 0; i < alerts->len; i++)
      {
        const MqAlert *alert = g_ptr_array_index (alerts, i);
        gboolean of_headline = g_strcmp0 (alert->model_name, headline_name) == 0;
        int wanted;

        if (of_headline)
          wanted = alert->slot == headline.slot ? 0 : 1;
        else
          wanted = 2 + alert_rank (alert);
        if (wanted == pass)
          g_ptr_array_add (ordered, g_ptr_array_index (alerts, i));
      }

  g_assert (ordered->len == alerts->len);
  for (guint i = 0; i < ordered->len; i++)
    alerts->pdata[i] = ordered->pdata[i];
}

/* How many models the alerts from @first on are low or worse for. */
static guint
count_low_models (GPtrArray *alerts,
                  guint      first)
{
  g_autoptr(GHashTable) models = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = first; i < alerts->len; i++)
    {
      const MqAlert *alert = g_ptr_array_index (alerts, i);

      if (alert->kind != MQ_ALERT_REFILLED)
        g_hash_table_add (models, alert->model_name);
    }
  return g_hash_table_size (models);
}

GNotification *
mq_alerts_build_summary_notification (guint       n_more_models,
                                      const char *app_id)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (app_id != NULL, NULL);

  /* Translators: after the first few quota alerts of one refresh, one
   * notification for the rest, e.g. "And 37 more models are low" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "And %u more model is low",
                                        "And %u more models are low", n_more_models),
                           n_more_models);
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("The quota menu lists every model."));
  icon = g_themed_icon_new (app_id);
  g_notification_set_icon (notification, icon);
  g_notification_add_button (notification, _("Open dashboard"), "app.open-dashboard");

  return g_steal_pointer (&notification);
}

/* ---------------- no notification service (issue 10) ---------------- */

/* GNotification reports no error when nothing shows it: before the
 * notifications of a refresh go out, the bus is asked (without starting
 * anything) whether a notification service owns its name or can be
 * started. When none can, they are dropped and one clear line goes to
 * stderr, once per run. */

static const char * const notification_services[] = {
  "org.gtk.Notifications",
  "org.freedesktop.Notifications",
};

typedef struct {
  GWeakRef      alerts;
  GApplication *app;
  GPtrArray    *ids;            /* char * */
  GPtrArray    *notifications;  /* GNotification * */
  gboolean      asked_activatable;
} PendingSend;

static void
pending_send_free (PendingSend *pending)
{
  g_weak_ref_clear (&pending->alerts);
  g_clear_object (&pending->app);
  g_clear_pointer (&pending->ids, g_ptr_array_unref);
  g_clear_pointer (&pending->notifications, g_ptr_array_unref);
  g_free (pending);
}

static void
pending_send_now (PendingSend *pending)
{
  for (guint i = 0; i < pending->ids->len; i++)
    g_application_send_notification (pending->app, g_ptr_array_index (pending->ids, i),
                                     g_ptr_array_index (pending->notifications, i));
}

static gboolean
names_include_service (GVariant *reply)
{
  g_autofree const char **names = NULL;

  g_variant_get (reply, "(^a&s)", &names);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (notification_services); j++)
      if (g_str_equal (names[i], notification_services[j]))
        return TRUE;
  return FALSE;
}

static void ask_bus (PendingSend     *pending,
                     GDBusConnection *connection,
                     const char      *method);

static void
names_listed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  PendingSend *pending = user_data;
  g_autoptr(MqAlerts) self = g_weak_ref_get (&pending->alerts);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      pending_send_free (pending);
      return;
    }

  if (reply == NULL)
    {
      /* The bus would not say: send, as without the check. */
      g_debug ("cannot list bus names: %s", error->message);
      pending_send_now (pending);
      pending_send_free (pending);
      return;
    }

  if (names_include_service (reply))
    {
      pending_send_now (pending);
      pending_send_free (pending);
      return;
    }

  if (!pending->asked_activatable)
    {
      /* Not running, but the bus may start one on the first call. */
      pending->asked_activatable = TRUE;
      ask_bus (pending, G_DBUS_CONNECTION (source), "ListActivatableNames");
      return;
    }

  self->n_missing_service++;
  if (!self->told_missing_service)
    {
      self->told_missing_service = TRUE;
      g_printerr ("%s\n", _("No notification service is running: alerts cannot be shown. "
                            "Install a notification daemon such as dunst or use a desktop "
                            "that has one."));
    }
  g_debug ("%u notifications dropped: no notification service", pending->ids->len);
  pending_send_free (pending);
}

static void
ask_bus (PendingSend     *pending,
         GDBusConnection *connection,
         const char      *method)
{
  g_autoptr(MqAlerts) self = g_weak_ref_get (&pending->alerts);

  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", method, NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000,
                          self != NULL ? self->cancellable : NULL,
                          names_listed, pending);
}

/* Sends @pending now, or once the bus says a notification service is
 * there. Inside Flatpak the portal shows them: no check. */
static void
send_when_service (PendingSend *pending)
{
  GDBusConnection *connection = g_application_get_dbus_connection (pending->app);

  if (connection == NULL || g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      pending_send_now (pending);
      pending_send_free (pending);
      return;
    }

  ask_bus (pending, connection, "ListNames");
}

guint
mq_alerts_get_n_missing_service (MqAlerts *self)
{
  g_return_val_if_fail (MQ_IS_ALERTS (self), 0);

  return self->n_missing_service;
}

/* ---------------- processing ---------------- */

void
mq_alerts_process (MqAlerts   *self,
                   MqSnapshot *fresh_snapshot,
                   gint64      now_ms)
{
  mq_alerts_process_with_forecasts (self, fresh_snapshot, NULL, 0, now_ms);
}

void
mq_alerts_process_with_forecasts (MqAlerts                *self,
                                  MqSnapshot              *fresh_snapshot,
                                  const MqHistoryForecast *forecasts,
                                  gsize                    n_forecasts,
                                  gint64                   now_ms)
{
  mq_alerts_process_account (self, NULL, fresh_snapshot, forecasts, n_forecasts, now_ms);
}

void
mq_alerts_process_account (MqAlerts                *self,
                           const char              *account_name,
                           MqSnapshot              *fresh_snapshot,
                           const MqHistoryForecast *forecasts,
                           gsize                    n_forecasts,
                           gint64                   now_ms)
{
  MqAlertTracker *tracker;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *icon_model = NULL;
  MqThresholds thresholds;
  PendingSend *pending;
  const char *app_id;
  guint n_shown, n_more;

  g_return_if_fail (MQ_IS_ALERTS (self));
  g_return_if_fail (fresh_snapshot != NULL);

  tracker = tracker_for (self, account_name);
  if (account_name == NULL)
    {
      g_clear_pointer (&self->snapshot, mq_snapshot_unref);
      self->snapshot = mq_snapshot_ref (fresh_snapshot);
    }

  /* Clamped as for the tray: mq-config is the one place that does it. */
  thresholds = mq_config_thresholds_from_settings (self->settings);

  /* Every crossing is recorded as announced, also those the cap below
   * leaves out: they are not announced again on the next refresh. */
  alerts = mq_alert_tracker_evaluate (tracker, fresh_snapshot, &thresholds, now_ms);

  if (forecasts != NULL && g_settings_get_boolean (self->settings, "forecast-alerts"))
    {
      gint64 lead_ms = (gint64) g_settings_get_uint (self->settings, "forecast-lead-minutes") * 60 * 1000;
      GPtrArray *predicted =
        mq_alert_tracker_evaluate_forecasts (tracker, fresh_snapshot, forecasts,
                                             n_forecasts, lead_ms, now_ms);

      g_ptr_array_extend_and_steal (alerts, predicted);
    }
  save_state (self, now_ms);

  if (alerts->len == 0 || !g_settings_get_boolean (self->settings, "notifications-enabled"))
    return;

  app = g_weak_ref_get (&self->app);
  if (app == NULL || !g_application_get_is_registered (app) || g_application_get_is_remote (app))
    {
      g_debug ("%u due, but no registered application to show them", alerts->len);
      return;
    }

  app_id = g_application_get_application_id (app);
  if (app_id == NULL)
    app_id = APP_ID;

  icon_model = g_settings_get_string (self->settings, "icon-model");
  order_alerts (alerts, fresh_snapshot, &thresholds,
                icon_model[0] != '\0' ? icon_model : NULL);

  pending = g_new0 (PendingSend, 1);
  g_weak_ref_init (&pending->alerts, self);
  pending->app = g_object_ref (app);
  pending->ids = g_ptr_array_new_with_free_func (g_free);
  pending->notifications = g_ptr_array_new_with_free_func (g_object_unref);

  n_shown = MIN (alerts->len, MQ_ALERTS_MAX_PER_REFRESH);
  for (guint i = 0; i < n_shown; i++)
    {
      const MqAlert *alert = g_ptr_array_index (alerts, i);

      g_debug ("%s for %s", mq_alert_kind_to_string (alert->kind), alert->window_key);
      g_ptr_array_add (pending->ids, alert->kind == MQ_ALERT_FORECAST
                                     ? mq_alerts_forecast_notification_id (alert->window_key)
                                     : mq_alerts_notification_id (alert->window_key));
      g_ptr_array_add (pending->notifications, mq_alerts_build_notification (alert, app_id, now_ms));
    }

  n_more = count_low_models (alerts, n_shown);
  if (n_more > 0)
    {
      g_debug ("%u more windows, %u models, in one summary", alerts->len - n_shown, n_more);
      g_ptr_array_add (pending->ids, g_strdup (MQ_ALERTS_SUMMARY_ID));
      g_ptr_array_add (pending->notifications,
                       mq_alerts_build_summary_notification (n_more, app_id));
    }

  send_when_service (pending);
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
  g_autofree char *account_name = NULL;
  MqAlertTracker *tracker;
  const char *bare_key;

  g_return_if_fail (MQ_IS_ALERTS (self));
  g_return_if_fail (window_key != NULL);

  /* "<account>\x1f<model>/<slot>": that account's tracker. */
  account_name = mq_alert_window_key_dup_account (window_key);
  tracker = tracker_for (self, account_name);
  bare_key = account_name != NULL
             ? strstr (window_key, MQ_ALERT_ACCOUNT_SEPARATOR) + 1
             : window_key;

  if (!mq_alert_window_key_parse (bare_key, &model_name, &slot))
    {
      g_warning ("cannot mute “%s”: not a quota window", window_key);
      return;
    }

  if (account_name == NULL && self->snapshot != NULL)
    {
      const MqModel *model = mq_snapshot_find_model (self->snapshot, model_name);

      if (model != NULL)
        until_ms = mq_model_get_window (model, slot)->resets_at_ms;
    }
  if (until_ms == 0)
    until_ms = mq_alert_tracker_get_resets_at (tracker, window_key);

  if (until_ms <= now_ms)
    {
      g_debug ("%s has no reset ahead, nothing to mute", window_key);
      return;
    }

  mq_alert_tracker_mute (tracker, window_key, until_ms);
  save_state (self, now_ms);

  app = g_weak_ref_get (&self->app);
  id = mq_alerts_notification_id (window_key);
  if (app != NULL && g_application_get_is_registered (app))
    {
      g_application_withdraw_notification (app, id);
      if (mq_alert_tracker_forecast_announced (tracker, window_key))
        {
          g_autofree char *forecast_id = mq_alerts_forecast_notification_id (window_key);

          g_application_withdraw_notification (app, forecast_id);
        }
    }
}

GNotification *
mq_alerts_build_balance_notification (const char *account_name,
                                      const char *available,
                                      const char *threshold)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (account_name != NULL, NULL);
  g_return_val_if_fail (available != NULL && threshold != NULL, NULL);

  /* Translators: %s is an account, "spare: balance low" */
  title = g_strdup_printf (_("%s: balance low"), account_name);
  /* Translators: amounts of money, "$4.00 is available, below your alert at $10.00." */
  body = g_strdup_printf (_("%s is available, below your alert at %s."), available, threshold);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  icon = g_themed_icon_new ("dialog-warning-symbolic");
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_add_button (notification, _("Open dashboard"), "app.open-dashboard");

  return g_steal_pointer (&notification);
}

/* The threshold of @balance's alert: its own when its switch is on, else
 * "balance-alert-threshold" (0: none). */
static double
balance_threshold (MqAlerts  *self,
                   MqBalance *balance)
{
  double own = 0;

  if (mq_balance_get_alert_enabled (balance, NULL) &&
      mq_balance_get_amount (balance, MQ_BALANCE_ALERT_THRESHOLD, &own) && own > 0)
    return own;
  return g_settings_get_double (self->settings, "balance-alert-threshold");
}

double
mq_alerts_get_balance_threshold (MqAlerts  *self,
                                 MqBalance *balance)
{
  g_return_val_if_fail (MQ_IS_ALERTS (self), 0);
  g_return_val_if_fail (balance != NULL, 0);

  return balance_threshold (self, balance);
}

void
mq_alerts_process_balance (MqAlerts   *self,
                           const char *account_name,
                           MqBalance  *balance)
{
  g_autoptr(GApplication) app = NULL;
  g_autoptr(MqAlert) alert = NULL;
  g_autofree char *available_text = NULL;
  g_autofree char *threshold_text = NULL;
  PendingSend *pending;
  double available, threshold;

  g_return_if_fail (MQ_IS_ALERTS (self));
  g_return_if_fail (account_name != NULL);
  g_return_if_fail (balance != NULL);

  if (!mq_balance_get_amount (balance, MQ_BALANCE_AVAILABLE, &available))
    return;
  threshold = balance_threshold (self, balance);
  alert = mq_alert_tracker_evaluate_balance (tracker_for (self, account_name), available, threshold);
  if (alert == NULL || !g_settings_get_boolean (self->settings, "notifications-enabled"))
    return;

  app = g_weak_ref_get (&self->app);
  if (app == NULL || !g_application_get_is_registered (app) || g_application_get_is_remote (app))
    return;

  available_text = mq_balance_format_amount (available, mq_balance_get_currency (balance));
  threshold_text = mq_balance_format_amount (threshold, mq_balance_get_currency (balance));
  g_debug ("balance low for %s", account_name);

  pending = g_new0 (PendingSend, 1);
  g_weak_ref_init (&pending->alerts, self);
  pending->app = g_object_ref (app);
  pending->ids = g_ptr_array_new_with_free_func (g_free);
  pending->notifications = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (pending->ids, mq_alerts_notification_id (alert->window_key));
  g_ptr_array_add (pending->notifications,
                   mq_alerts_build_balance_notification (account_name, available_text,
                                                         threshold_text));
  send_when_service (pending);
}
