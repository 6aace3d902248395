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

/* Mutes the window "<model>/<interval|weekly>" until its reset (taken from
 * the last snapshot), and withdraws its notification. */
void      mq_alerts_mute_until_reset    (MqAlerts     *self,
                                         const char   *window_key);

/* The notification built for @alert, as mq_alerts_process() sends it.
 * @app_id names the icon. */
GNotification *mq_alerts_build_notification (const MqAlert *alert,
                                             const char    *app_id,
                                             gint64         now_ms);

/* The summary of the alerts left out of one refresh, for @n_more_models
 * models, as mq_alerts_process() sends it. */
GNotification *mq_alerts_build_summary_notification (guint       n_more_models,
                                                     const char *app_id);

/* The notification id of a window: one notification per window, a newer
 * alert replaces the older one. Free with g_free(). */
char     *mq_alerts_notification_id     (const char   *window_key);

G_END_DECLS
