/* mq-cli-bar.c: status bars: --waybar, --format=…, --watch
 *
 * From the running applet's Report (io.github.minimaxquota.Quota1, read by
 * mq-bar-client) when there is one: no network request. Without an applet,
 * a fetch as --once does (recorded in the history too); --watch then polls
 * by itself every refresh interval and follows the applet once it appears.
 */
#include "config.h"

#include "mq-bar-client.h"
#include "mq-cli.h"
#include "mq-report.h"

/* --watch without an applet: the "refresh-interval" setting's default and
 * range (as the applet's schedule has them). */
#define WATCH_INTERVAL_DEFAULT_S 180u
#define WATCH_INTERVAL_MIN_S     30u
#define WATCH_INTERVAL_MAX_S     3600u

/* Fetches as --once does (recording the history) and formats the answer,
 * or the failure, for a bar. A failure is also said on stderr. */
static char *
fetch_bar_line (MqConfig    *config,
                MqBarFormat  format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GArray) forecasts = NULL;
  g_autofree char *document = NULL;
  gint64 now_ms;

  snapshot = mq_cli_fetch_snapshot (config, &error);
  now_ms = g_get_real_time () / 1000;
  if (snapshot == NULL)
    {
      mq_cli_print_error_line (error->message);
      document = mq_report_error_to_json (error);
    }
  else
    {
      forecasts = mq_cli_record_history (snapshot, now_ms);
      document = mq_cli_report_json (snapshot, forecasts, now_ms);
    }

  return mq_bar_format (format, document, FALSE, NULL, now_ms);
}

/* Waybar's JSON and the report are UTF-8 whatever the locale; Polybar's
 * and i3blocks' text follows the locale as the table does. */
static gboolean
bar_converts (MqBarFormat format)
{
  return format == MQ_BAR_FORMAT_POLYBAR || format == MQ_BAR_FORMAT_I3BLOCKS;
}

/* One line for a bar: from the running applet when there is one (no
 * network request), else fetched. With --once, always fetched. The
 * status is 0 whenever a line was written, an error line too: bars hide
 * or flag a module whose command fails, and the line says what is wrong. */
int
mq_cli_run_bar (const MqCliOptions *options,
         MqBarFormat    format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autofree char *line = NULL;

  if (!options->once)
    {
      g_autoptr(MqBarReport) report = mq_bar_client_get_report (MQ_BAR_CLIENT_TIMEOUT_MS, &error);

      if (report != NULL)
        {
          line = mq_bar_format (format, report->report, report->stale, report->error,
                                g_get_real_time () / 1000);
          return mq_cli_write_report (line, bar_converts (format));
        }
      g_debug ("No applet to answer (%s): asking the server", error->message);
      g_clear_error (&error);
    }

  config = mq_config_new (options->region, options->base_url, NULL, &error);
  if (config == NULL)
    return mq_cli_fail (error, FALSE);

  line = fetch_bar_line (config, format);
  return mq_cli_write_report (line, bar_converts (format));
}

typedef struct {
  MqBarFormat   format;
  GCancellable *cancellable;
  int           status;
} WatchPrint;

static void
on_watch_report (const MqBarReport *report,
                 gpointer           user_data)
{
  WatchPrint *print = user_data;
  g_autofree char *line = mq_bar_format (print->format, report->report, report->stale,
                                         report->error, g_get_real_time () / 1000);
  gboolean gone;

  print->status = mq_cli_write_output (line, bar_converts (print->format), &gone);
  if (gone)
    g_cancellable_cancel (print->cancellable);
}

/* Follows the running applet: TRUE and @out_status when the watch ended
 * (the applet quit: 0; the reader went away: 0; a write error), FALSE
 * when there is no applet to follow. */
static gboolean
watch_applet (MqBarFormat  format,
              int         *out_status)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  WatchPrint print = { format, cancellable, 0 };

  if (mq_bar_client_watch (MQ_BAR_CLIENT_TIMEOUT_MS, cancellable, on_watch_report,
                           &print, &error))
    {
      g_debug ("The applet quit: the watch ends");
      *out_status = 0;
      return TRUE;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      *out_status = print.status;
      return TRUE;
    }

  g_debug ("No applet to follow (%s)", error->message);
  return FALSE;
}

/* --interval, else the "refresh-interval" setting, never under 30 s. */
static guint
watch_interval_s (const MqCliOptions *options,
                  MqConfig      *config)
{
  GSettings *settings = mq_config_get_settings (config);
  guint seconds = WATCH_INTERVAL_DEFAULT_S;

  if (options->interval > 0)
    seconds = (guint) options->interval;
  else if (settings != NULL)
    {
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (settings, "settings-schema", &schema, NULL);
      if (schema != NULL && g_settings_schema_has_key (schema, "refresh-interval"))
        seconds = g_settings_get_uint (settings, "refresh-interval");
    }

  return CLAMP (seconds, WATCH_INTERVAL_MIN_S, WATCH_INTERVAL_MAX_S);
}

/* --watch: the applet's line now and on every change it announces (no
 * polling), until it quits. Without an applet, polls the server by itself
 * every interval and prints a line when it changed; follows the applet as
 * soon as one appears. */
int
mq_cli_run_watch (const MqCliOptions *options,
           MqBarFormat    format)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autofree char *last = NULL;
  int status;
  guint interval_s;

  if (watch_applet (format, &status))
    return status;

  config = mq_config_new (options->region, options->base_url, NULL, &error);
  if (config == NULL)
    return mq_cli_fail (error, FALSE);
  interval_s = watch_interval_s (options, config);
  g_debug ("Polling the server every %u s", interval_s);

  for (;;)
    {
      g_autofree char *line = fetch_bar_line (config, format);

      if (last == NULL || !g_str_equal (last, line))
        {
          gboolean gone;

          status = mq_cli_write_output (line, bar_converts (format), &gone);
          if (gone)
            return status;
          g_free (last);
          last = g_steal_pointer (&line);
        }

      g_usleep ((gulong) interval_s * G_USEC_PER_SEC);

      if (watch_applet (format, &status))
        return status;
    }
}
