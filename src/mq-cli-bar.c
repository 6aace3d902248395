/* mq-cli-bar.c: status bars: --waybar, --format=…, --watch
 *
 * From the running applet's Report (io.github.leewayapp.Leeway.Quota1, read by
 * mq-bar-client) when there is one: no network request. Without an applet,
 * a fetch as --once does (recorded in the history too); --watch then polls
 * by itself every refresh interval and follows the applet once it appears.
 */
#define G_LOG_DOMAIN "mq-cli-bar"

#include "config.h"

#include <json-glib/json-glib.h>

#include <glib/gi18n.h>

#include "mq-bar-client.h"
#include "mq-error.h"
#include "mq-cli.h"
#include "mq-report.h"

/* --watch without an applet: the "refresh-interval" setting's default and
 * range (as the applet's schedule has them). */
#define WATCH_INTERVAL_DEFAULT_S 180u
#define WATCH_INTERVAL_MIN_S     30u
#define WATCH_INTERVAL_MAX_S     3600u

/* Fetches as --once does (recording the history) and formats the answer
 * of the tightest Token Plan account (or --account's), or the failure,
 * for a bar. A failure is also said on stderr. */
static char *
fetch_bar_line (MqConfig           *config,
                const MqCliOptions *options,
                MqBarFormat         format)
{
  g_autoptr(GError) error = NULL;
  g_auto(MqCliAccounts) accounts = { 0 };
  g_autoptr(GArray) outcomes = NULL;
  g_autofree MqReportAccount *report = NULL;
  g_autofree char *document = NULL;
  gint64 now_ms;

  if (!mq_cli_resolve_accounts (config, options->account, &accounts, &error))
    {
      mq_cli_print_error_line (error->message);
      document = mq_report_error_to_json (error);
      return mq_bar_format (format, document, FALSE, NULL, g_get_real_time () / 1000);
    }

  outcomes = mq_cli_fetch_accounts (config, accounts.accounts);
  now_ms = g_get_real_time () / 1000;
  mq_cli_record_outcomes (outcomes, accounts.stored, now_ms);
  report = mq_cli_report_accounts (outcomes, FALSE);

  {
    guint shown = mq_cli_pick_bar_outcome (outcomes);

    if (report[shown].error != NULL)
      mq_cli_print_error_line (report[shown].error->message);
    document = mq_report_accounts_to_json (&report[shown], 1, FALSE, now_ms);
  }

  return mq_bar_format (format, document, FALSE, NULL, now_ms);
}

/* The applet's report narrowed to the account @name, from its "accounts"
 * array: a new document, or NULL when the report has no such entry. */
static char *
applet_account_document (const char *report,
                         const char *name)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *accounts;

  if (report == NULL || !json_parser_load_from_data (parser, report, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "accounts") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "accounts")))
    return NULL;

  accounts = json_object_get_array_member (root, "accounts");
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonNode *element = json_array_get_element (accounts, i);
      JsonObject *entry;
      JsonNode *error;
      g_autoptr(JsonNode) document = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      entry = json_node_get_object (element);
      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "name", NULL), name) != 0)
        continue;

      error = json_object_get_member (entry, "error");
      if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
        {
          JsonObject *wrapper = json_object_new ();

          json_object_set_member (wrapper, "error", json_node_copy (error));
          document = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (document, wrapper);
        }
      else
        document = json_node_copy (element);
      return mq_report_node_to_string (document);
    }

  return NULL;
}

/* The applet's line, for --account that account's. NULL when the
 * applet's report does not list it (the command then fetches). */
static char *
applet_line (const MqCliOptions *options,
             MqBarFormat         format,
             const MqBarReport  *report)
{
  g_autofree char *document = NULL;
  gint64 now_ms = g_get_real_time () / 1000;

  if (options->account == NULL)
    return mq_bar_format (format, report->report, report->stale, report->error, now_ms);

  document = applet_account_document (report->report, options->account);
  if (document == NULL)
    return NULL;
  return mq_bar_format (format, document, report->stale, NULL, now_ms);
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
          line = applet_line (options, format, report);
          if (line != NULL)
            return mq_cli_write_report (line, bar_converts (format));
          g_debug ("The applet does not report the account “%s”: asking the server",
                   options->account);
        }
      else
        {
          g_debug ("No applet to answer (%s): asking the server", error->message);
          g_clear_error (&error);
        }
    }

  config = mq_config_new (options->region, options->base_url, NULL, &error);
  if (config == NULL)
    return mq_cli_fail (error, FALSE);

  line = fetch_bar_line (config, options, format);
  return mq_cli_write_report (line, bar_converts (format));
}

typedef struct {
  const MqCliOptions *options;
  MqBarFormat         format;
  GCancellable       *cancellable;
  int                 status;
} WatchPrint;

static void
on_watch_report (const MqBarReport *report,
                 gpointer           user_data)
{
  WatchPrint *print = user_data;
  g_autofree char *line = applet_line (print->options, print->format, report);
  gboolean gone;

  if (line == NULL)
    {
      g_autoptr(GError) error =
        g_error_new (MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                     _("The running applet does not report the account “%s”."),
                     print->options->account);
      g_autofree char *document = mq_report_error_to_json (error);

      line = mq_bar_format (print->format, document, report->stale, NULL,
                            g_get_real_time () / 1000);
    }

  print->status = mq_cli_write_output (line, bar_converts (print->format), &gone);
  if (gone)
    g_cancellable_cancel (print->cancellable);
}

/* Follows the running applet: TRUE and @out_status when the watch ended
 * (the applet quit: 0; the reader went away: 0; a write error), FALSE
 * when there is no applet to follow. */
static gboolean
watch_applet (const MqCliOptions *options,
              MqBarFormat         format,
              int                *out_status)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  WatchPrint print = { options, format, cancellable, 0 };

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

  if (watch_applet (options, format, &status))
    return status;

  config = mq_config_new (options->region, options->base_url, NULL, &error);
  if (config == NULL)
    return mq_cli_fail (error, FALSE);
  interval_s = watch_interval_s (options, config);
  g_debug ("Polling the server every %u s", interval_s);

  for (;;)
    {
      g_autofree char *line = fetch_bar_line (config, options, format);

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

      if (watch_applet (options, format, &status))
        return status;
    }
}
