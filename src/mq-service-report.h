/* mq-service-report.h: the Quota1 properties of one answer
 *
 * GIO only. Sets io.github.leewayapp.Leeway.Quota1's properties (MqQuotaService)
 * from the last good snapshot and its forecasts, so that Report is exactly
 * the document `leeway --once --json` prints for that answer: the
 * same thresholds, headline model and forecasts, as of its fetch time.
 */
#pragma once

#include "mq-history.h"
#include "mq-quota-service.h"

G_BEGIN_DECLS

/* @snapshot NULL: no good answer yet (empty Report, unknown, -1, 0).
 * @headline_model NULL or "": the text lane. @forecasts: @n_forecasts
 * entries as mq_history_forecast() gives them for @snapshot, or NULL.
 * RemainingPercent is the headline's whole percent
 * (mq_format_percent_whole()); Error is @error's message or empty. */
void mq_service_report_publish (MqQuotaService          *service,
                                MqSnapshot              *snapshot,
                                const MqThresholds      *thresholds,
                                const char              *headline_model,
                                const MqHistoryForecast *forecasts,
                                gsize                    n_forecasts,
                                gboolean                 stale,
                                const GError            *error);

/* As mq_service_report_publish(), with @document (nullable: the one of
 * @snapshot) as Report: with stored accounts, the whole `--once --json`
 * document with its "accounts" array (mq_applet_accounts_report_json());
 * the other properties follow @snapshot (the displayed account). */
void mq_service_report_publish_document (MqQuotaService          *service,
                                         const char              *document,
                                         MqSnapshot              *snapshot,
                                         const MqThresholds      *thresholds,
                                         const char              *headline_model,
                                         const MqHistoryForecast *forecasts,
                                         gsize                    n_forecasts,
                                         gboolean                 stale,
                                         const GError            *error);

G_END_DECLS
