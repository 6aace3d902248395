/* mq-service-report.c: the Quota1 properties of one answer */
#define G_LOG_DOMAIN "mq-service-report"

#include "config.h"

#include "mq-format.h"
#include "mq-report.h"
#include "mq-service-report.h"

void
mq_service_report_publish (MqQuotaService          *service,
                           MqSnapshot              *snapshot,
                           const MqThresholds      *thresholds,
                           const char              *headline_model,
                           const MqHistoryForecast *forecasts,
                           gsize                    n_forecasts,
                           gboolean                 stale,
                           const GError            *error)
{
  mq_service_report_publish_document (service, NULL, snapshot, thresholds, headline_model,
                                      forecasts, n_forecasts, stale, error);
}

void
mq_service_report_publish_document (MqQuotaService          *service,
                                    const char              *document,
                                    MqSnapshot              *snapshot,
                                    const MqThresholds      *thresholds,
                                    const char              *headline_model,
                                    const MqHistoryForecast *forecasts,
                                    gsize                    n_forecasts,
                                    gboolean                 stale,
                                    const GError            *error)
{
  g_autofree char *report = NULL;
  MqHeadline headline;
  const char *state = "unknown";
  int percent = -1;
  gint64 updated_at = 0;

  g_return_if_fail (MQ_IS_QUOTA_SERVICE (service));

  if (headline_model != NULL && headline_model[0] == '\0')
    headline_model = NULL;

  if (snapshot != NULL)
    {
      gint64 fetched_at_ms = mq_snapshot_get_fetched_at_ms (snapshot);

      if (document == NULL)
        report = mq_report_to_json_with_forecasts (snapshot, thresholds, headline_model,
                                                   forecasts, n_forecasts, fetched_at_ms);
      if (mq_snapshot_get_headline (snapshot, headline_model, thresholds, &headline) &&
          headline.model != NULL)
        {
          state = mq_state_to_string (headline.state);
          if (headline.remaining_percent >= 0)
            percent = mq_format_percent_whole (headline.remaining_percent);
        }
      updated_at = fetched_at_ms / 1000;
    }

  if (document != NULL)
    report = g_strdup (document);

  mq_quota_service_update (service, report, state, percent, stale, updated_at,
                           error != NULL ? error->message : NULL);
}
