/* mq-cli.c: --once (fetch, record the history, print with forecasts) and --history
 *
 * See mq-cli.h. The key is resolved here and handed to the client; it is
 * never printed, logged or written to the history.
 */
#define G_LOG_DOMAIN "mq-cli"

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

/* One line on stderr: "leeway: <message>", line breaks flattened. */
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

/* ------------------------------------------------------------------ */
/* History                                                              */
/* ------------------------------------------------------------------ */

/* LEEWAY_NO_HISTORY=1 (any value but "" and "0") turns recording
 * off, for benchmarks and for those who want no trace. */
static gboolean
history_enabled (void)
{
  const char *value = g_getenv ("LEEWAY_NO_HISTORY");

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
mq_cli_record_history (const char *account,
                       MqSnapshot *snapshot,
                       gint64      now_ms)
{
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  GArray *forecasts;

  if (!history_enabled ())
    {
      g_debug ("History is off (LEEWAY_NO_HISTORY)");
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

  if (!mq_history_record (history, account, snapshot, now_ms, &error))
    {
      g_debug ("This answer was not recorded in the history: %s", error->message);
      g_clear_error (&error);
    }

  forecasts = mq_history_forecast (history, account, snapshot, now_ms, &error);
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

/* Each failed account's message on stderr, named when accounts are
 * stored ("work: The API key was rejected…"). */
static void
say_failures (GArray   *outcomes,
              gboolean  stored)
{
  for (guint i = 0; i < outcomes->len; i++)
    {
      MqCliOutcome *outcome = &g_array_index (outcomes, MqCliOutcome, i);

      if (outcome->error == NULL)
        continue;
      if (stored)
        {
          g_autofree char *line =
            /* Translators: an account's name, then what went wrong with it */
            g_strdup_printf (_("%s: %s"), mq_account_get_name (outcome->account),
                             outcome->error->message);

          mq_cli_print_error_line (line);
        }
      else
        mq_cli_print_error_line (outcome->error->message);
    }
}

/* --once and --json: every account (or --account's), fetched side by
 * side, recorded in the history, reported; the exit status is the worst
 * account's. With a single key and no stored account, the report is the
 * one it always was. */
int
mq_cli_run_once (const MqCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_auto(MqCliAccounts) accounts = { 0 };
  g_autoptr(GArray) outcomes = NULL;
  g_autofree MqReportAccount *report = NULL;
  g_autofree char *output = NULL;
  MqCliOutcome *first;
  gint64 now_ms;
  int status;
  int write_status;

  config = mq_config_new (options->region, options->base_url, NULL, &error);
  if (config == NULL)
    return mq_cli_fail (error, options->json);

  if (!mq_cli_resolve_accounts (config, options->account, &accounts, &error))
    {
      if (g_error_matches (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT))
        {
          mq_cli_print_error_line (error->message);
          return MQ_CLI_EXIT_USAGE;
        }
      return mq_cli_fail (error, options->json);
    }

  outcomes = mq_cli_fetch_accounts (config, accounts.accounts);
  first = &g_array_index (outcomes, MqCliOutcome, 0);

  /* One key and no stored account: exactly as before accounts. */
  if (!accounts.stored && first->error != NULL)
    return mq_cli_fail (first->error, options->json);

  now_ms = g_get_real_time () / 1000;
  mq_cli_record_outcomes (outcomes, accounts.stored, now_ms);
  report = mq_cli_report_accounts (outcomes, !options->json);
  status = mq_report_accounts_exit_status (report, outcomes->len);

  if (options->json)
    {
      output = mq_report_accounts_to_json (report, outcomes->len, accounts.stored, now_ms);
      /* JSON is UTF-8 whatever the locale: write the bytes as they are. */
      write_status = mq_cli_write_report (output, FALSE);
    }
  else
    {
      output = mq_report_accounts_to_text (report, outcomes->len, accounts.stored, now_ms,
                                           mq_cli_use_color ());
      write_status = mq_cli_write_report (output, TRUE);
    }

  say_failures (outcomes, accounts.stored);

  return write_status != 0 ? write_status : status;
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

  if (options->account != NULL)
    {
      g_autoptr(MqConfig) config = mq_config_new (options->region, options->base_url, NULL, &error);

      if (config == NULL || !mq_cli_check_account_name (config, options->account, &error))
        {
          mq_cli_print_error_line (error->message);
          return MQ_CLI_EXIT_USAGE;
        }
    }

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
          samples = mq_history_list (history, options->account, now_ms - span_ms, &error);
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
