/* main.c: the `leeway` command
 *
 * Parses the options and picks a mode: --once / --json (mq-cli.c: fetch,
 * record the history, print with the forecasts), --history (mq-cli.c),
 * --waybar / --format / --watch (mq-cli-bar.c), --add-account,
 * --remove-account, --list-accounts (mq-cli-accounts.c). The command line links
 * only GLib, libsoup, json-glib, libsecret and SQLite so that it starts
 * fast. Without any of these options, it replaces itself with the GTK tray
 * applet, which lives in its own executable for the same reason.
 */
#define G_LOG_DOMAIN "leeway"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "mq-bar.h"
#include "mq-cli.h"
#include "mq-heap.h"

#define APPLET_NAME "leeway-applet"

/* ------------------------------------------------------------------ */
/* Starting the applet                                                  */
/* ------------------------------------------------------------------ */

static gboolean
is_executable_file (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

/* Next to our own executable first (the build directory, a relocated
 * install), then the configured libexecdir. */
static char *
find_applet (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *installed = NULL;

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, APPLET_NAME, NULL);

      if (is_executable_file (beside))
        return g_steal_pointer (&beside);
    }

  installed = g_build_filename (LIBEXECDIR, APPLET_NAME, NULL);
  if (is_executable_file (installed))
    return g_steal_pointer (&installed);

  return NULL;
}

static int
exec_applet (char **original_argv)
{
  g_autofree char *applet = find_applet ();
  int saved_errno;

  if (applet == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The tray applet (%s) is not installed in %s. Reinstall Leeway, or run “%s --once” for a one-off report."),
                         APPLET_NAME, LIBEXECDIR, g_get_prgname ());

      mq_cli_print_error_line (message);
      return MQ_CLI_EXIT_USAGE;
    }

  g_free (original_argv[0]);
  original_argv[0] = g_strdup (applet);
  mq_heap_prepare_exec ();
  execv (applet, original_argv);
  saved_errno = errno;

  {
    g_autofree char *message =
      g_strdup_printf (_("Could not start the tray applet %s: %s"),
                       applet, g_strerror (saved_errno));

    mq_cli_print_error_line (message);
  }
  return MQ_CLI_EXIT_USAGE;
}

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

/* --history takes its duration optionally: "--history" or "--history=7d". */
static gboolean
on_history_option (const char  *name,
                   const char  *value,
                   gpointer     user_data,
                   GError     **error)
{
  MqCliOptions *options = user_data;

  g_free (options->history);
  options->history = g_strdup (value != NULL ? value : MQ_CLI_HISTORY_DEFAULT_DURATION);
  return TRUE;
}

static GOptionContext *
build_context (MqCliOptions *options)
{
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &options->once,
      N_("Fetch the quota once, print it and exit"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print JSON instead of a table (implies --once)"), NULL },
    { "history", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, (gpointer) on_history_option,
      N_("Print the recorded samples of the last DURATION (default 24h; 90m, 7d, 2w…)"), N_("DURATION") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &options->csv,
      N_("With --history: print CSV"), NULL },
    { "waybar", 0, 0, G_OPTION_ARG_NONE, &options->waybar,
      N_("Print one line for Waybar (same as --format=waybar)"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format,
      N_("Print one status-bar line, from the running applet when there is one"), "waybar|polybar|i3blocks|json" },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &options->watch,
      N_("With --waybar, --format or --json: print a new line on every change"), NULL },
    { "region", 0, 0, G_OPTION_ARG_STRING, &options->region,
      N_("MiniMax region of the API key"), "auto|global|cn" },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &options->base_url,
      N_("Ask this server instead (https://, or http:// on this computer)"), N_("URL") },
    { "interval", 0, 0, G_OPTION_ARG_INT, &options->interval,
      N_("Applet, and --watch without the applet: refresh every SECONDS"), N_("SECONDS") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options->demo,
      N_("Applet: show sample data instead of asking the server"), NULL },
    { "account", 0, 0, G_OPTION_ARG_STRING, &options->account,
      N_("Report this account only (--once, --json, --history, bars)"), N_("NAME") },
    { "add-account", 0, 0, G_OPTION_ARG_STRING, &options->add_account,
      N_("Add an account; its API key is read from standard input and checked with the server"), N_("NAME") },
    { "remove-account", 0, 0, G_OPTION_ARG_STRING, &options->remove_account,
      N_("Remove an account and its key"), N_("NAME") },
    { "list-accounts", 0, 0, G_OPTION_ARG_NONE, &options->list_accounts,
      N_("List the accounts: name, region, kind of key (never the key)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    { NULL },
  };
  GOptionContext *context = g_option_context_new (NULL);
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, options, NULL);

  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, entries);
  g_option_context_set_main_group (context, group);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* The applet has options of its own (GTK's among them): leave what we
   * do not know in argv, and refuse it only for --once. */
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_summary (context,
    N_("Shows how much of your MiniMax Token Plan quota is left.\n"
       "\n"
       "Without --once, --json, --history, --waybar or --format, starts the\n"
       "tray applet with the same options."));
  g_option_context_set_description (context,
    N_("The API key comes from the keyring (where the applet stores it), else\n"
       "from MINIMAX_CN_API_KEY (China region), MINIMAX_API_KEY or\n"
       "MINIMAX_API_TOKEN. MINIMAX_REGION and MINIMAX_BASE_URL stand in for\n"
       "--region and --base-url. NO_COLOR=1 turns colours off.\n"
       "\n"
       "Accounts: one key each (a Token Plan key per Team, a China key, a\n"
       "pay-as-you-go sk-api- key), kept in the keyring. “--add-account=work\n"
       "--region=cn” reads the key from standard input (never from the command\n"
       "line), checks it with the server and stores it. Once accounts are\n"
       "stored, reports cover every one (--account=NAME: one) and --json adds\n"
       "an \"accounts\" array; the environment's keys are used only while none is.\n"
       "\n"
       "Every successful fetch is recorded in\n"
       "$XDG_STATE_HOME/leeway/history.db (~/.local/state when unset),\n"
       "from which the report forecasts when a window runs out;\n"
       "LEEWAY_NO_HISTORY=1 turns recording off.\n"
       "\n"
       "--waybar and --format answer from the running applet without a\n"
       "network request, else fetch as --once does (--once with them: always\n"
       "fetch). --watch prints the applet's changes as they come, or without\n"
       "an applet polls every refresh interval (30 s at least).\n"
       "\n"
       "On failure one line on standard error names the cause and the fix;\n"
       "with --json, standard output also gets\n"
       "  {\"error\": {\"code\": \"key-rejected\", \"message\": \"…\", \"exit_status\": 2}}\n"
       "\n"
       "Exit status: 0 success (also when the reader of the output goes away,\n"
       "as with “| head -1”; with --waybar or --format, whenever a line was\n"
       "printed, an error line too), 1 wrong usage, 2 no API key or key\n"
       "rejected, 3 network, server or rate limit, 4 unreadable response,\n"
       "5 the report could not be written (closed standard output, full disk),\n"
       "6 --history could not read the history.\n"));

  return context;
}

static void
options_clear (MqCliOptions *options)
{
  g_clear_pointer (&options->region, g_free);
  g_clear_pointer (&options->base_url, g_free);
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->history, g_free);
  g_clear_pointer (&options->account, g_free);
  g_clear_pointer (&options->add_account, g_free);
  g_clear_pointer (&options->remove_account, g_free);
}

/* A usage error: one line, status MQ_CLI_EXIT_USAGE. */
static int
usage_error (const char *message)
{
  mq_cli_print_error_line (message);
  return MQ_CLI_EXIT_USAGE;
}

/* Which mode the options ask for, and whether they fit together. */
typedef enum {
  MODE_APPLET,
  MODE_ONCE,
  MODE_HISTORY,
  MODE_BAR,
  MODE_WATCH,
  MODE_ADD_ACCOUNT,
  MODE_REMOVE_ACCOUNT,
  MODE_LIST_ACCOUNTS,
} Mode;

/* --add-account, --remove-account and --list-accounts: one at a time, on
 * their own (--region and --base-url for the key's check; --json for
 * the list). */
static gboolean
choose_account_mode (MqCliOptions *options,
                     Mode         *out_mode,
                     char        **out_message)
{
  const char *prgname = g_get_prgname ();
  int n = (options->add_account != NULL) + (options->remove_account != NULL) +
          (options->list_accounts ? 1 : 0);
  gboolean others = options->once || options->csv || options->history != NULL ||
                    options->waybar || options->format != NULL || options->watch ||
                    options->account != NULL || options->demo || options->interval != -1;

  if (n > 1 || others || (options->json && !options->list_accounts))
    {
      *out_message = g_strdup_printf (_("--add-account, --remove-account and --list-accounts go alone (--add-account with --region, --list-accounts with --json). See “%s --help”."),
                                      prgname);
      return FALSE;
    }

  if (options->add_account != NULL)
    *out_mode = MODE_ADD_ACCOUNT;
  else if (options->remove_account != NULL)
    *out_mode = MODE_REMOVE_ACCOUNT;
  else
    *out_mode = MODE_LIST_ACCOUNTS;
  return TRUE;
}

static gboolean
choose_mode (MqCliOptions *options,
             int           argc,
             char        **argv,
             Mode         *out_mode,
             MqBarFormat  *out_format,
             char        **out_message)
{
  const char *prgname = g_get_prgname ();
  gboolean bar = options->waybar || options->format != NULL;

  *out_format = MQ_BAR_FORMAT_WAYBAR;

  if (options->add_account != NULL || options->remove_account != NULL || options->list_accounts)
    {
      if (argc > 1)
        {
          *out_message = g_strdup_printf (_("Unknown option or argument “%s”. See “%s --help”."),
                                          argv[1], prgname);
          return FALSE;
        }
      return choose_account_mode (options, out_mode, out_message);
    }

  /* "--history 7d" reads as "--history=7d". */
  if (options->history != NULL && argc == 2 &&
      g_str_equal (options->history, MQ_CLI_HISTORY_DEFAULT_DURATION) &&
      g_ascii_isdigit (argv[1][0]))
    {
      g_free (options->history);
      options->history = g_strdup (argv[1]);
      argc = 1;
    }

  if (options->csv && options->history == NULL)
    {
      *out_message = g_strdup_printf (_("--csv is for --history. See “%s --help”."), prgname);
      return FALSE;
    }

  if (options->history != NULL)
    {
      if (options->once || bar || options->watch || (options->csv && options->json))
        {
          *out_message = g_strdup_printf (_("--history prints the history as a table, --csv or --json; it does not go with --once, --waybar, --format or --watch. See “%s --help”."),
                                          prgname);
          return FALSE;
        }
      *out_mode = MODE_HISTORY;
    }
  else if (bar || options->watch)
    {
      if (options->format != NULL && !mq_bar_format_from_string (options->format, out_format))
        {
          *out_message = g_strdup_printf (_("Unknown format “%s”: use waybar, polybar, i3blocks or json. See “%s --help”."),
                                          options->format, prgname);
          return FALSE;
        }
      if (options->waybar && options->format != NULL && *out_format != MQ_BAR_FORMAT_WAYBAR)
        {
          *out_message = g_strdup_printf (_("--waybar is --format=waybar; choose one format. See “%s --help”."), prgname);
          return FALSE;
        }
      if (options->json && bar && *out_format != MQ_BAR_FORMAT_JSON)
        {
          *out_message = g_strdup_printf (_("--json and --waybar or --format=%s are two formats; choose one. See “%s --help”."),
                                          mq_bar_format_to_string (*out_format), prgname);
          return FALSE;
        }
      if (options->watch && !bar && !options->json)
        {
          *out_message = g_strdup_printf (_("--watch needs --waybar, --format or --json. See “%s --help”."), prgname);
          return FALSE;
        }
      if (options->watch && options->once)
        {
          *out_message = g_strdup_printf (_("--watch keeps printing; --once prints once. Choose one. See “%s --help”."), prgname);
          return FALSE;
        }
      if (!bar)
        *out_format = MQ_BAR_FORMAT_JSON;
      *out_mode = options->watch ? MODE_WATCH : MODE_BAR;
    }
  else if (options->once || options->json)
    *out_mode = MODE_ONCE;
  else if (options->account != NULL)
    {
      *out_message = g_strdup_printf (_("--account chooses the account of a report: use it with --once, --json, --history, --waybar or --format. See “%s --help”."),
                                      prgname);
      return FALSE;
    }
  else
    {
      *out_mode = MODE_APPLET;
      return TRUE;
    }

  if (argc > 1)
    {
      *out_message = g_strdup_printf (_("Unknown option or argument “%s” with --once. See “%s --help”."),
                                      argv[1], prgname);
      return FALSE;
    }
  if (options->demo || (options->interval != -1 && *out_mode != MODE_WATCH))
    {
      *out_message = g_strdup_printf (_("--interval and --demo are for the applet; they do nothing with --once. See “%s --help”."),
                                      prgname);
      return FALSE;
    }

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) original_argv = g_strdupv (argv);
  MqCliOptions options = { 0 };
  g_autofree char *usage = NULL;
  MqBarFormat format;
  Mode mode;
  const char *localedir;
  gboolean stdout_closed = FALSE;
  int status;

  /* `leeway --once >&-`: keep descriptor 1 from being reused (by
   * the connection to the server, say) and say so instead of reporting. */
  if (fcntl (STDOUT_FILENO, F_GETFD) == -1 && errno == EBADF)
    {
      int fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);

      stdout_closed = TRUE;
      if (fd >= 0 && fd != STDOUT_FILENO)
        close (fd);
    }

  /* Debug messages (G_MESSAGES_DEBUG) go to stderr, never into the
   * report or the JSON on stdout. */
  g_log_writer_default_set_use_stderr (TRUE);

  setlocale (LC_ALL, "");
  /* LEEWAY_LOCALEDIR: the translations of an uninstalled build
   * (<builddir>/po), for tests and for trying a translation. */
  localedir = g_getenv ("LEEWAY_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE,
                  localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("leeway");

  options.interval = -1;
  context = build_context (&options);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s. See “%s --help”."), error->message, g_get_prgname ());

      mq_cli_print_error_line (message);
      options_clear (&options);
      return MQ_CLI_EXIT_USAGE;
    }

  if (options.version)
    {
      g_print ("%s %s\n", g_get_prgname (), PACKAGE_VERSION);
      options_clear (&options);
      return 0;
    }

  if (!choose_mode (&options, argc, argv, &mode, &format, &usage))
    {
      options_clear (&options);
      return usage_error (usage);
    }

  if (mode == MODE_APPLET)
    {
      options_clear (&options);
      return exec_applet (original_argv);
    }

  if (stdout_closed)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not write the report: %s"), g_strerror (EBADF));

      mq_cli_print_error_line (message);
      options_clear (&options);
      return MQ_CLI_EXIT_WRITE;
    }

  /* A reader that goes away is seen as EPIPE by mq_cli_write_report(), not as a
   * signal. Only here: an ignored signal would stay ignored in the applet
   * exec_applet() starts. */
  signal (SIGPIPE, SIG_IGN);

  switch (mode)
    {
    case MODE_HISTORY:
      status = mq_cli_run_history (&options);
      break;
    case MODE_BAR:
      status = mq_cli_run_bar (&options, format);
      break;
    case MODE_WATCH:
      status = mq_cli_run_watch (&options, format);
      break;
    case MODE_ADD_ACCOUNT:
      status = mq_cli_run_add_account (&options);
      break;
    case MODE_REMOVE_ACCOUNT:
      status = mq_cli_run_remove_account (&options);
      break;
    case MODE_LIST_ACCOUNTS:
      status = mq_cli_run_list_accounts (&options);
      break;
    case MODE_ONCE:
    case MODE_APPLET:
    default:
      status = mq_cli_run_once (&options);
      break;
    }
  options_clear (&options);

  return status;
}
