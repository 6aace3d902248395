/* mq-bar-probe.c: the bars' D-Bus path on its own, for scripts and benchmarks
 *
 *   mq-bar-probe [--format=waybar|polybar|i3blocks|json] [--watch]
 *     reads the running applet's Report over the session bus and prints
 *     it as `leeway --waybar` / `--format=…` will (exit 0), or
 *     exits 3 when the applet is not running (or no session bus), 1 on
 *     another error;
 *
 *   mq-bar-exporter --serve FIXTURE
 *     (the same source built with the applet's logic library) plays the applet: exports MqQuotaService with the report of FIXTURE
 *     (a remains response body) under the applet's bus name and runs
 *     until SIGTERM or SIGINT; prints "ready" once it owns the name.
 *
 * Not installed. mq-bar-probe links only the command line's core library,
 * as `leeway` does. bench/bar.py uses both until the command line
 * has --waybar.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib-unix.h>

#include "mq-bar-client.h"
#include "mq-bar.h"
#include "mq-quota-service.h"
#include "mq-report.h"

#ifdef MQ_BAR_EXPORTER

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  puts ("ready");
  fflush (stdout);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  g_printerr ("mq-bar-probe: could not own %s\n", name);
  g_main_loop_quit (user_data);
}

static int
serve (const char *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(MqQuotaService) service = mq_quota_service_new ();
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *body = NULL;
  gsize length;
  guint owner;

  if (!g_file_get_contents (fixture, &body, &length, &error) ||
      (snapshot = mq_snapshot_parse (body, length, g_get_real_time () / 1000,
                                     MQ_REGION_GLOBAL, &error)) == NULL ||
      (connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error)) == NULL ||
      !mq_quota_service_export (service, connection, MQ_QUOTA_SERVICE_OBJECT_PATH, &error))
    {
      g_printerr ("mq-bar-probe: %s\n", error->message);
      return 1;
    }
  mq_quota_service_set_snapshot (service, snapshot, NULL, NULL, FALSE, NULL);

  owner = g_bus_own_name_on_connection (connection, MQ_QUOTA_SERVICE_BUS_NAME,
                                        G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                        on_name_acquired, on_name_lost, loop, NULL);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);

  g_bus_unown_name (owner);
  mq_quota_service_unexport (service);
  return 0;
}
#endif

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *fixture = NULL;
  gboolean watch = FALSE;
  int timeout_ms = MQ_BAR_CLIENT_TIMEOUT_MS;
  MqBarFormat format = MQ_BAR_FORMAT_WAYBAR;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      "waybar (default), polybar, i3blocks or json", "FORMAT" },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch,
      "Print a line on every change until the applet quits", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_ms,
      "Milliseconds to wait for the applet", "MS" },
    { "serve", 0, 0, G_OPTION_ARG_FILENAME, &fixture,
      "Play the applet with the report of FIXTURE", "FIXTURE" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- the bars' D-Bus path alone");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (format_name != NULL && !mq_bar_format_from_string (format_name, &format)))
    {
      g_printerr ("mq-bar-probe: %s\n", error != NULL ? error->message : "unknown format");
      return 1;
    }

  if (fixture != NULL)
    {
#ifdef MQ_BAR_EXPORTER
      return serve (fixture);
#else
      g_printerr ("mq-bar-probe: --serve is mq-bar-exporter's\n");
      return 1;
#endif
    }

  if (watch)
    {
      if (mq_bar_client_watch_print (format, timeout_ms, NULL, &error))
        return 0;
    }
  else
    {
      g_autoptr(MqBarReport) report = mq_bar_client_get_report (timeout_ms, &error);

      if (report != NULL)
        {
          g_autofree char *line = mq_bar_format (format, report->report, report->stale,
                                                 report->error, g_get_real_time () / 1000);

          fputs (line, stdout);
          return 0;
        }
    }

  g_printerr ("mq-bar-probe: %s\n", error->message);
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ? 3 : 1;
}
