/* mq-cli.c: --once (fetch, record the history, print with forecasts) and --history
 *
 * See mq-cli.h. The key is resolved here and handed to the client; it is
 * never printed, logged or written to the history.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "mq-cli.h"
#include "mq-client.h"
#include "mq-error.h"
#include "mq-history-report.h"
#include "mq-history.h"
#include "mq-report.h"
#include "mq-secret.h"

typedef struct {
  GMainLoop  *loop;
  MqSnapshot *snapshot;
  GError     *error;
} FetchState;

/* One line on stderr: "minimax-quota: <message>", line breaks flattened. */
void
mq_cli_print_error_line (const char *message)
{
  g_autofree char *flat = g_strdup (message);

  g_strdelimit (flat, "\r\n", ' ');
  g_printerr ("%s: %s\n", g_get_prgname (), flat);
}

int
mq_cli_fail (const GError *error,
      gboolean      json)
{
  if (json)
    {
      g_autofree char *text = mq_report_error_to_json (error);

      fputs (text, stdout);
      fflush (stdout);
    }

  mq_cli_print_error_line (error->message);
  return mq_error_exit_code (error);
}

/* ------------------------------------------------------------------ */
/* The key                                                              */
/* ------------------------------------------------------------------ */

/* Whether asking the keyring can answer at once. Without a session bus,
 * GIO would try to autolaunch one; the environment is the only source. */
static gboolean
keyring_reachable (void)
{
  const char *runtime_dir;
  g_autofree char *bus = NULL;

  if (g_getenv ("SECRET_BACKEND") != NULL)
    return TRUE;
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return TRUE;

  runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  if (runtime_dir == NULL)
    return FALSE;

  bus = g_build_filename (runtime_dir, "bus", NULL);
  return g_file_test (bus, G_FILE_TEST_EXISTS);
}

/* The keyring's key (asked for at most 1.5 s, never unlocking anything),
 * else the environment's, as @config decides. */
static char *
resolve_key (MqConfig *config)
{
  char *keyring_key = NULL;
  char *key;

  if (keyring_reachable ())
    {
      g_autoptr(GError) error = NULL;

      keyring_key = mq_secret_lookup_sync (NULL, &error);
      if (error != NULL)
        g_debug ("The keyring could not be asked, using the environment: %s",
                 error->message);
    }
  else
    g_debug ("No session bus: not asking the keyring");

  key = mq_config_resolve_key (config, keyring_key);
  mq_secret_free_key (keyring_key);

  return key;
}

gboolean
mq_cli_use_color (void)
{
  const char *no_color = g_getenv ("NO_COLOR");
  const char *term = g_getenv ("TERM");

  if (no_color != NULL && *no_color != '\0')
    return FALSE;
  if (term == NULL || g_str_equal (term, "dumb"))
    return FALSE;
  return isatty (STDOUT_FILENO);
}

/* ------------------------------------------------------------------ */
/* --once                                                               */
/* ------------------------------------------------------------------ */

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FetchState *state = user_data;

  state->snapshot = mq_client_fetch_finish (MQ_CLIENT (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

/* Writes @text on stdout, converted like g_print() when @convert and the
 * locale is not UTF-8. A reader that went away (EPIPE: `| head -c1`) is
 * not a failure: the command exits quietly with status 0 (@out_gone, if
 * not NULL, says so: a --watch stops). Any other error (a full disk, a
 * closed stdout) gets MQ_CLI_EXIT_WRITE and one line. */
int
mq_cli_write_output (const char *text,
              gboolean    convert,
              gboolean   *out_gone)
{
  g_autofree char *converted = NULL;
  const char *charset;
  int saved_errno = 0;

  if (out_gone != NULL)
    *out_gone = FALSE;

  if (convert && !g_get_charset (&charset))
    {
      converted = g_convert_with_fallback (text, -1, charset, "UTF-8", "?",
                                           NULL, NULL, NULL);
      if (converted != NULL)
        text = converted;
    }

  errno = 0;
  if (fputs (text, stdout) == EOF || fflush (stdout) != 0 || ferror (stdout))
    saved_errno = errno != 0 ? errno : EIO;

  if (saved_errno == 0)
    return 0;

  if (out_gone != NULL)
    *out_gone = TRUE;

  if (saved_errno == EPIPE)
    {
      g_debug ("The reader of the report went away: %s", g_strerror (saved_errno));
      return 0;
    }

  {
    g_autofree char *message =
      g_strdup_printf (_("Could not write the report: %s"), g_strerror (saved_errno));

    mq_cli_print_error_line (message);
  }
  return MQ_CLI_EXIT_WRITE;
}

int
mq_cli_write_report (const char *text,
              gboolean    convert)
{
  return mq_cli_write_output (text, convert, NULL);
}

/* Fetches the quota once with @config: the snapshot, or NULL and @error. */
MqSnapshot *
mq_cli_fetch_snapshot (MqConfig  *config,
                GError   **error)
{
  g_autoptr(MqClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  FetchState state = { 0 };
  char *key;

  key = resolve_key (config);
  if (key == NULL)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_NO_KEY,
                   _("No API key found. Store one in the applet’s preferences, or set MINIMAX_API_KEY (MINIMAX_CN_API_KEY for the China region)."));
      return NULL;
    }

  client = mq_client_new ();
  mq_client_set_api_key (client, key);
  mq_secret_free_key (key);

  /* With "auto": a key that names its region (MINIMAX_CN_API_KEY) decides
   * where to ask first, else the region that answered the applet last. */
  if (!mq_config_apply_to_client (config, client, error))
    return NULL;

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  mq_client_fetch_async (client, NULL, on_fetched, &state);
  g_main_loop_run (loop);

  if (state.snapshot == NULL)
    {
      if (state.error != NULL)
        g_propagate_error (error, state.error);
      else
        g_set_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE,
                     _("The server’s answer could not be read. Try again later."));
      return NULL;
    }

  return state.snapshot;
}

/* ------------------------------------------------------------------ */
/* History                                                              */
/* ------------------------------------------------------------------ */

/* MINIMAX_QUOTA_NO_HISTORY=1 (any value but "" and "0") turns recording
 * off, for benchmarks and for those who want no trace. */
static gboolean
history_enabled (void)
{
  const char *value = g_getenv ("MINIMAX_QUOTA_NO_HISTORY");

  return value == NULL || *value == '\0' || g_str_equal (value, "0");
}

/* The one thing about the history a user hears of on stderr: a damaged
 * database was moved aside (and where to). */
static void
say_history_notice (MqHistory *history)
{
  g_autoptr(GError) notice = mq_history_take_notice (history);

  if (notice != NULL)
    mq_cli_print_error_line (notice->message);
}

/* Records @snapshot as seen at @now_ms and returns its forecasts (an array
 * of MqHistoryForecast), or NULL when history is off or cannot be used.
 * Never fails the command: a read-only folder, a full disk or a busy
 * database only pause history (said in debug output). */
GArray *
mq_cli_record_history (MqSnapshot *snapshot,
                       gint64      now_ms)
{
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  GArray *forecasts;

  if (!history_enabled ())
    {
      g_debug ("History is off (MINIMAX_QUOTA_NO_HISTORY)");
      return NULL;
    }

  history = mq_history_open (NULL, &error);
  if (history == NULL)
    {
      g_debug ("History paused: %s", error->message);
      return NULL;
    }
  say_history_notice (history);
  mq_history_keep_wal (history);

  if (!mq_history_record (history, MQ_CLI_HISTORY_ACCOUNT, snapshot, now_ms, &error))
    {
      g_debug ("This answer was not recorded in the history: %s", error->message);
      g_clear_error (&error);
    }

  forecasts = mq_history_forecast (history, MQ_CLI_HISTORY_ACCOUNT, snapshot, now_ms, &error);
  if (forecasts == NULL)
    g_debug ("No forecast from the history: %s", error->message);
  say_history_notice (history);

  return forecasts;
}

char *
mq_cli_report_json (MqSnapshot *snapshot,
             GArray     *forecasts,
             gint64      now_ms)
{
  return mq_report_to_json_with_forecasts (snapshot, NULL, NULL,
                                           forecasts != NULL ? (MqHistoryForecast *) (gpointer) forecasts->data : NULL,
                                           forecasts != NULL ? forecasts->len : 0,
                                           now_ms);
}

static gboolean
any_forecast (GArray *forecasts)
{
  for (guint i = 0; forecasts != NULL && i < forecasts->len; i++)
    if (g_array_index (forecasts, MqHistoryForecast, i).forecast.has_forecast)
      return TRUE;
  return FALSE;
}

int
mq_cli_run_once (const MqCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(GArray) forecasts = NULL;
  g_autofree char *output = NULL;
  gint64 now_ms;

  config = mq_config_new (options->region, options->base_url, NULL, &error);
  if (config == NULL)
    return mq_cli_fail (error, options->json);

  snapshot = mq_cli_fetch_snapshot (config, &error);
  if (snapshot == NULL)
    return mq_cli_fail (error, options->json);

  now_ms = g_get_real_time () / 1000;
  forecasts = mq_cli_record_history (snapshot, now_ms);

  if (options->json)
    {
      output = mq_cli_report_json (snapshot, forecasts, now_ms);
      /* JSON is UTF-8 whatever the locale: write the bytes as they are. */
      return mq_cli_write_report (output, FALSE);
    }

  /* The table has a Forecast column once some window has a forecast. */
  if (!any_forecast (forecasts))
    output = mq_report_to_text (snapshot, NULL, NULL, now_ms, mq_cli_use_color ());
  else
    output = mq_report_to_text_with_forecasts (snapshot, NULL, NULL,
                                               (MqHistoryForecast *) (gpointer) forecasts->data,
                                               forecasts->len, now_ms, mq_cli_use_color ());
  return mq_cli_write_report (output, TRUE);
}

/* --history[=DURATION]: the samples of the last DURATION, of every
 * account, as a table, CSV or JSON. No network, no key. A history that
 * does not exist yet is an empty one (and is not created). */
int
mq_cli_run_history (const MqCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autofree char *path = mq_history_default_path ();
  g_autofree char *output = NULL;
  gint64 span_ms;
  gint64 now_ms = g_get_real_time () / 1000;

  if (!mq_history_parse_duration (options->history, &span_ms, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s. See “%s --help”."), error->message, g_get_prgname ());

      mq_cli_print_error_line (message);
      return MQ_CLI_EXIT_USAGE;
    }

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      history = mq_history_open (path, &error);
      if (history != NULL)
        {
          say_history_notice (history);
          samples = mq_history_list (history, NULL, now_ms - span_ms, &error);
        }
      if (samples == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("Could not read the history in %s: %s"), path, error->message);

          mq_cli_print_error_line (message);
          return MQ_CLI_EXIT_HISTORY;
        }
    }
  else
    {
      g_debug ("No history yet at %s", path);
      samples = g_array_new (FALSE, TRUE, sizeof (MqHistorySample));
    }

  if (options->json)
    output = mq_history_report_json (samples);
  else if (options->csv)
    output = mq_history_report_csv (samples);
  else
    {
      output = mq_history_report_table (samples, !g_get_charset (NULL));
      return mq_cli_write_report (output, TRUE);
    }

  return mq_cli_write_report (output, FALSE);
}
