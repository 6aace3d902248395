/* main.c: the `minimax-quota` command
 *
 * With --once (or --json) it fetches the quota once and prints it, linking
 * only GLib, libsoup, json-glib and libsecret so that it starts fast.
 * Without, it replaces itself with the GTK tray applet, which lives in its
 * own executable for the same reason.
 */
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

#include "mq-client.h"
#include "mq-config.h"
#include "mq-error.h"
#include "mq-region.h"
#include "mq-report.h"
#include "mq-secret.h"

#define APPLET_NAME "minimax-quota-applet"

/* Exit status for wrong usage (see mq_error_exit_code()). */
#define EXIT_USAGE 1
/* Exit status when the report cannot be written (not a broken pipe). */
#define EXIT_WRITE 5

typedef struct {
  gboolean  once;
  gboolean  json;
  gboolean  version;
  gboolean  demo;
  int       interval;
  char     *region;
  char     *base_url;
} Options;

typedef struct {
  GMainLoop  *loop;
  MqSnapshot *snapshot;
  GError     *error;
} FetchState;

/* One line on stderr: "minimax-quota: <message>", line breaks flattened. */
static void
print_error_line (const char *message)
{
  g_autofree char *flat = g_strdup (message);

  g_strdelimit (flat, "\r\n", ' ');
  g_printerr ("%s: %s\n", g_get_prgname (), flat);
}

static int
fail (const GError *error,
      gboolean      json)
{
  if (json)
    {
      g_autofree char *text = mq_report_error_to_json (error);

      fputs (text, stdout);
      fflush (stdout);
    }

  print_error_line (error->message);
  return mq_error_exit_code (error);
}

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
        g_strdup_printf (_("The tray applet (%s) is not installed in %s. Reinstall MiniMax Quota, or run “%s --once” for a one-off report."),
                         APPLET_NAME, LIBEXECDIR, g_get_prgname ());

      print_error_line (message);
      return EXIT_USAGE;
    }

  g_free (original_argv[0]);
  original_argv[0] = g_strdup (applet);
  execv (applet, original_argv);
  saved_errno = errno;

  {
    g_autofree char *message =
      g_strdup_printf (_("Could not start the tray applet %s: %s"),
                       applet, g_strerror (saved_errno));

    print_error_line (message);
  }
  return EXIT_USAGE;
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

static gboolean
use_color (void)
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
 * not a failure: the command exits quietly with status 0. Any other error
 * (a full disk, a closed stdout) gets EXIT_WRITE and one line. */
static int
write_report (const char *text,
              gboolean    convert)
{
  g_autofree char *converted = NULL;
  const char *charset;
  int saved_errno = 0;

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

  if (saved_errno == EPIPE)
    {
      g_debug ("The reader of the report went away: %s", g_strerror (saved_errno));
      return 0;
    }

  {
    g_autofree char *message =
      g_strdup_printf (_("Could not write the report: %s"), g_strerror (saved_errno));

    print_error_line (message);
  }
  return EXIT_WRITE;
}

static int
run_once (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(MqClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *output = NULL;
  FetchState state = { 0 };
  char *key;

  config = mq_config_new (options->region, options->base_url, NULL, &error);
  if (config == NULL)
    return fail (error, options->json);

  key = resolve_key (config);
  if (key == NULL)
    {
      g_set_error (&error, MQ_ERROR, MQ_ERROR_NO_KEY,
                   _("No API key found. Store one in the applet’s preferences, or set MINIMAX_API_KEY (MINIMAX_CN_API_KEY for the China region)."));
      return fail (error, options->json);
    }

  client = mq_client_new ();
  mq_client_set_api_key (client, key);
  mq_secret_free_key (key);

  /* With "auto": a key that names its region (MINIMAX_CN_API_KEY) decides
   * where to ask first, else the region that answered the applet last. */
  if (!mq_config_apply_to_client (config, client, &error))
    return fail (error, options->json);

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  mq_client_fetch_async (client, NULL, on_fetched, &state);
  g_main_loop_run (loop);

  snapshot = g_steal_pointer (&state.snapshot);
  if (snapshot == NULL)
    {
      g_autoptr(GError) fetch_error = g_steal_pointer (&state.error);

      if (fetch_error == NULL)
        g_set_error (&fetch_error, MQ_ERROR, MQ_ERROR_UNREADABLE,
                     _("The server’s answer could not be read. Try again later."));
      return fail (fetch_error, options->json);
    }

  if (options->json)
    {
      output = mq_report_to_json (snapshot, NULL, NULL);
      /* JSON is UTF-8 whatever the locale: write the bytes as they are. */
      return write_report (output, FALSE);
    }

  output = mq_report_to_text (snapshot, NULL, NULL,
                              g_get_real_time () / 1000, use_color ());
  return write_report (output, TRUE);
}

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

static GOptionContext *
build_context (Options *options)
{
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &options->once,
      N_("Fetch the quota once, print it and exit"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print JSON instead of a table (implies --once)"), NULL },
    { "region", 0, 0, G_OPTION_ARG_STRING, &options->region,
      N_("MiniMax region of the API key"), "auto|global|cn" },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &options->base_url,
      N_("Ask this server instead (https://, or http:// on this computer)"), N_("URL") },
    { "interval", 0, 0, G_OPTION_ARG_INT, &options->interval,
      N_("Applet: refresh every SECONDS"), N_("SECONDS") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &options->demo,
      N_("Applet: show sample data instead of asking the server"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    { NULL },
  };
  GOptionContext *context = g_option_context_new (NULL);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* The applet has options of its own (GTK's among them): leave what we
   * do not know in argv, and refuse it only for --once. */
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_summary (context,
    N_("Shows how much of your MiniMax Token Plan quota is left.\n"
       "\n"
       "Without --once or --json, starts the tray applet with the same options."));
  g_option_context_set_description (context,
    N_("The API key comes from the keyring (where the applet stores it), else\n"
       "from MINIMAX_CN_API_KEY (China region), MINIMAX_API_KEY or\n"
       "MINIMAX_API_TOKEN. MINIMAX_REGION and MINIMAX_BASE_URL stand in for\n"
       "--region and --base-url. NO_COLOR=1 turns colours off.\n"
       "\n"
       "On failure one line on standard error names the cause and the fix;\n"
       "with --json, standard output also gets\n"
       "  {\"error\": {\"code\": \"key-rejected\", \"message\": \"…\", \"exit_status\": 2}}\n"
       "\n"
       "Exit status: 0 success (also when the reader of the output goes away,\n"
       "as with “| head -1”), 1 wrong usage, 2 no API key or key rejected,\n"
       "3 network, server or rate limit, 4 unreadable response,\n"
       "5 the report could not be written (closed standard output, full disk).\n"));

  return context;
}

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->region, g_free);
  g_clear_pointer (&options->base_url, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) original_argv = g_strdupv (argv);
  Options options = { 0 };
  const char *localedir;
  gboolean stdout_closed = FALSE;
  int status;

  /* `minimax-quota --once >&-`: keep descriptor 1 from being reused (by
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
  /* MINIMAX_QUOTA_LOCALEDIR: the translations of an uninstalled build
   * (<builddir>/po), for tests and for trying a translation. */
  localedir = g_getenv ("MINIMAX_QUOTA_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE,
                  localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("minimax-quota");

  options.interval = -1;
  context = build_context (&options);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("%s. See “%s --help”."), error->message, g_get_prgname ());

      print_error_line (message);
      options_clear (&options);
      return EXIT_USAGE;
    }

  if (options.version)
    {
      g_print ("%s %s\n", g_get_prgname (), PACKAGE_VERSION);
      options_clear (&options);
      return 0;
    }

  if (options.json)
    options.once = TRUE;

  if (!options.once)
    {
      options_clear (&options);
      return exec_applet (original_argv);
    }

  if (argc > 1 || options.demo || options.interval != -1)
    {
      g_autofree char *message = NULL;

      if (argc > 1)
        message = g_strdup_printf (_("Unknown option or argument “%s” with --once. See “%s --help”."),
                                   argv[1], g_get_prgname ());
      else
        message = g_strdup_printf (_("--interval and --demo are for the applet; they do nothing with --once. See “%s --help”."),
                                   g_get_prgname ());
      print_error_line (message);
      options_clear (&options);
      return EXIT_USAGE;
    }

  if (stdout_closed)
    {
      g_autofree char *message =
        g_strdup_printf (_("Could not write the report: %s"), g_strerror (EBADF));

      print_error_line (message);
      options_clear (&options);
      return EXIT_WRITE;
    }

  /* A reader that goes away is seen as EPIPE by write_report(), not as a
   * signal. Only here: an ignored signal would stay ignored in the applet
   * exec_applet() starts. */
  signal (SIGPIPE, SIG_IGN);

  status = run_once (&options);
  options_clear (&options);

  return status;
}
