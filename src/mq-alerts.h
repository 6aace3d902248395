/* mq-alerts.h: quota notifications (GNotification), once per crossing
 *
 * GIO only: GNotification reaches any freedesktop notification daemon,
 * GNOME Shell and the Flatpak notification portal. The decisions come from
 * MqAlertTracker; this object keeps its state in GSettings ("alert-state",
 * "muted-until"), reads the thresholds and "notifications-enabled" from
 * there, and sends the notifications. Give it fresh snapshots only.
 */
#pragma once

#include <gio/gio.h>

#include "mq-alert-tracker.h"
#include "mq-balance.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_ALERTS (mq_alerts_get_type ())
G_DECLARE_FINAL_TYPE (MqAlerts, mq_alerts, MQ, ALERTS, GObject)

/* At most this many quota notifications per refresh: the headline model's
 * first, then the most urgent. The rest become one summary notification
 * ("And 37 more models are low", id MQ_ALERTS_SUMMARY_ID); a crossing left
 * out is not announced again later. */
#define MQ_ALERTS_MAX_PER_REFRESH 3
#define MQ_ALERTS_SUMMARY_ID "quota-more-models"

MqAlerts *mq_alerts_new                 (GApplication *app,
                                         GSettings    *settings);

/* Evaluates a freshly fetched snapshot, saves the alert state when it
 * changed and, when notifications are enabled, sends what is due (capped:
 * see MQ_ALERTS_MAX_PER_REFRESH). Only in-plan, limited windows alert. */
void      mq_alerts_process             (MqAlerts     *self,
                                         MqSnapshot   *fresh_snapshot,
                                         gint64        now_ms);

/* As mq_alerts_process(), with the forecasts of the snapshot's windows
 * (@n_forecasts entries as mq_history_forecast() gives them; NULL: none):
 * when "forecast-alerts" is on, a window that runs out within
 * "forecast-lead-minutes" and before its reset gives one predictive
 * alert per window ("At this rate the 5-hour window runs out at 14:20, 2h
 * before it resets."), its state kept in "forecast-alert-state".
 *
 * The notifications go out once the session bus says a notification
 * service runs or can be started (asked without starting it); when none
 * can, they are dropped and one line says so on stderr, once per run. */
void      mq_alerts_process_with_forecasts (MqAlerts                *self,
                                            MqSnapshot              *fresh_snapshot,
                                            const MqHistoryForecast *forecasts,
                                            gsize                    n_forecasts,
                                            gint64                   now_ms);

/* As mq_alerts_process_with_forecasts(), for the account @account_name
 * of several (NULL: the single account, exactly as above): its own
 * tracker, its alerts name it, and its state is kept in the same
 * settings under account-prefixed keys ("<account>\x1f<model>/<slot>"). */
void      mq_alerts_process_account     (MqAlerts                *self,
                                         const char              *account_name,
                                         MqSnapshot              *fresh_snapshot,
                                         const MqHistoryForecast *forecasts,
                                         gsize                    n_forecasts,
                                         gint64                   now_ms);

/* A pay-as-you-go account's fresh @balance: one notification
 * (mq_alerts_build_balance_notification(), id of the window key
 * "<account>\x1fbalance") when "available" falls below the threshold
 * (mq_alerts_get_balance_threshold()), once per crossing. */
void      mq_alerts_process_balance     (MqAlerts   *self,
                                         const char *account_name,
                                         MqBalance  *balance);
/* The balance's own alert threshold when its switch is on, else the
 * "balance-alert-threshold" setting (0: none). */
double    mq_alerts_get_balance_threshold (MqAlerts  *self,
                                           MqBalance *balance);

/* How many refreshes had notifications due while no notification service
 * was there (they were dropped). */
guint     mq_alerts_get_n_missing_service (MqAlerts   *self);

/* Mutes the window "<model>/<interval|weekly>" (or an account's,
 * "<account>\x1f<model>/<interval|weekly>") until its reset (taken from
 * the last snapshot), and withdraws its notification. */
void      mq_alerts_mute_until_reset    (MqAlerts     *self,
                                         const char   *window_key);

/* The notification built for @alert, as mq_alerts_process() sends it:
 * the title "Text models: 18% left", a body of full sentences with the
 * reset's clock time ("18% of the 5-hour window is left. It resets at
 * 16:30."), the icon of mq_alerts_icon_name(). */
GNotification *mq_alerts_build_notification (const MqAlert *alert,
                                             const char    *app_id,
                                             gint64         now_ms);

/* An alert of one account of several (alert->account_name set) names
 * it: "team-2: Text models: 15% left", "team-2: 15% of the 5-hour window
 * is left. …". NULL for MQ_ALERT_BALANCE_LOW (see below). */

/* The notification of a low pay-as-you-go balance (MQ_ALERT_BALANCE_LOW):
 * "spare: balance low", "$4.00 is available, below your alert at
 * $10.00." (@available and @threshold as mq_balance_format_amount()
 * gives them). The threshold: the account's own balance_alert_threshold
 * when its balance_alert_switch is on, else "balance-alert-threshold". */
GNotification *mq_alerts_build_balance_notification (const char *account_name,
                                                     const char *available,
                                                     const char *threshold);

/* The summary of the alerts left out of one refresh, for @n_more_models
 * models, as mq_alerts_process() sends it. */
GNotification *mq_alerts_build_summary_notification (guint       n_more_models,
                                                     const char *app_id);

/* The notification id of a window: one notification per window, a newer
 * alert replaces the older one. Free with g_free(). */
char     *mq_alerts_notification_id     (const char   *window_key);

/* The id of a window's predictive alert ("quota-forecast-<key>"): apart
 * from its level alerts, so neither hides the other. */
char     *mq_alerts_forecast_notification_id (const char *window_key);

/* The themed icon of an alert: "dialog-warning-symbolic" (low, forecast),
 * "dialog-error-symbolic" (critical, used up), "emblem-ok-symbolic"
 * (available again). */
const char *mq_alerts_icon_name         (MqAlertKind   kind);

/* URGENT for critical and used up (the freedesktop urgency 2), else
 * NORMAL. */
GNotificationPriority mq_alerts_priority (MqAlertKind  kind);

G_END_DECLS
