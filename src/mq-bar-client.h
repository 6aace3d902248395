/* mq-bar-client.h: the command line's side of io.github.leewayapp.Leeway.Quota1
 *
 * GIO only. Reads the running applet's Report, Stale and Error properties
 * over the session bus, so `--waybar` and `--format=…` answer without a
 * network request, and follows PropertiesChanged for `--watch` without
 * polling. Never starts the applet (no D-Bus activation) and never
 * launches a session bus: without one, or without the applet, it fails
 * quickly and the caller fetches by itself.
 *
 * Wiring in main.c:
 *
 *   g_autoptr(MqBarReport) report = mq_bar_client_get_report (MQ_BAR_CLIENT_TIMEOUT_MS, &error);
 *   if (report != NULL)
 *     line = mq_bar_format (format, report->report, report->stale, report->error, now_ms);
 *   else
 *     ... fetch as --once does, then mq_bar_format (format, mq_report_to_json (...), FALSE, NULL, now_ms)
 *
 *   if (!mq_bar_client_watch_print (format, MQ_BAR_CLIENT_TIMEOUT_MS, NULL, &error)
 *       && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
 *     ... no applet: poll by itself at the configured interval
 */
#pragma once

#include <gio/gio.h>

#include "mq-bar.h"

G_BEGIN_DECLS

/* How long a bar waits for the applet's answer before fetching itself. */
#define MQ_BAR_CLIENT_TIMEOUT_MS 500

/**
 * MqBarReport:
 * @report: the Report property (the `--once --json` document), "" before
 *   the applet's first good answer
 * @stale: the Stale property
 * @error: the Error property, "" when the last fetch went well
 *
 * What the running applet says, as mq_bar_format() takes it.
 */
typedef struct {
  char     *report;
  gboolean  stale;
  char     *error;
} MqBarReport;

void         mq_bar_report_free         (MqBarReport   *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqBarReport, mq_bar_report_free)

/* The applet's report, from one GetAll call. Fails with G_IO_ERROR_NOT_FOUND
 * when there is no session bus or the applet is not running on it,
 * G_IO_ERROR_TIMED_OUT after @timeout_ms, or another error (e.g. an
 * applet without the interface). Any failure means "fetch it yourself". */
MqBarReport *mq_bar_client_get_report   (int            timeout_ms,
                                         GError       **error);

typedef void (*MqBarWatchFunc) (const MqBarReport *report,
                                gpointer           user_data);

/* Calls @func with the applet's report at once, then again on every
 * PropertiesChanged it emits, without polling. Runs its own main loop (in
 * a context of its own, pushed as this thread's default) and returns:
 *   TRUE  when the applet's name vanished (it quit) after it was seen;
 *   FALSE with G_IO_ERROR_NOT_FOUND when the applet is not running (or
 *         there is no session bus) at the start;
 *   FALSE with G_IO_ERROR_CANCELLED when @cancellable is cancelled;
 *   FALSE with another error when the first read fails. */
gboolean     mq_bar_client_watch        (int            timeout_ms,
                                         GCancellable  *cancellable,
                                         MqBarWatchFunc func,
                                         gpointer       user_data,
                                         GError       **error);

/* mq_bar_client_watch() printing mq_bar_format (@format, ...) on standard
 * output (flushed) at once and on every change. */
gboolean     mq_bar_client_watch_print  (MqBarFormat    format,
                                         int            timeout_ms,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
