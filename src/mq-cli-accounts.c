/* mq-cli-accounts.c: the command line's accounts
 *
 * Which accounts a report covers (the stored ones, else the old single
 * key, else the environment's), fetching them side by side (one MqClient
 * each, every fetch started at once on one loop), and --add-account (the
 * key read from standard input, checked with a real fetch, then stored),
 * --remove-account and --list-accounts. See mq-cli.h. No key is ever
 * printed or logged; a key read from standard input is wiped after use.
 */
#define G_LOG_DOMAIN "mq-cli-accounts"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "mq-accounts.h"
#include "mq-cli.h"
#include "mq-error.h"
#include "mq-format.h"
#include "mq-report.h"
#include "mq-secret.h"

/* ------------------------------------------------------------------ */
/* The keyring                                                          */
/* ------------------------------------------------------------------ */

/* Whether asking the keyring can answer at once. Without a session bus,
 * GIO would try to autolaunch one; the environment is the only source. */
gboolean
mq_cli_keyring_reachable (void)
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

/* The old single key of the keyring (asked for at most 1.5 s, never
 * unlocking anything), else the environment's, as @config decides. */
static char *
resolve_single_key (MqConfig *config)
{
  char *keyring_key = NULL;
  char *key;

  if (mq_cli_keyring_reachable ())
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

/* ------------------------------------------------------------------ */
/* Which accounts                                                       */
/* ------------------------------------------------------------------ */

void
mq_cli_accounts_clear (MqCliAccounts *accounts)
{
  g_clear_pointer (&accounts->accounts, g_ptr_array_unref);
  accounts->stored = FALSE;
}

/* "a, b, c" */
static char *
join_names (MqAccounts *list)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < mq_accounts_get_n_accounts (list); i++)
    g_ptr_array_add (names, mq_accounts_dup_name (list, i));
  g_ptr_array_add (names, NULL);

  return g_strjoinv (", ", (char **) names->pdata);
}

static void
set_unknown_account (MqAccounts  *list,
                     const char  *name,
                     GError     **error)
{
  if (mq_accounts_get_n_accounts (list) == 0)
    g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                 _("There is no account named “%s”: no account is stored. Add one with “%s --add-account=NAME”."),
                 name, g_get_prgname ());
  else
    {
      g_autofree char *names = join_names (list);

      g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                   _("There is no account named “%s”. The accounts are: %s."),
                   name, names);
    }
}

gboolean
mq_cli_check_account_name (MqConfig    *config,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(MqAccounts) list = mq_accounts_new (mq_config_get_settings (config));

  if (mq_accounts_find (list, name) >= 0)
    return TRUE;
  set_unknown_account (list, name, error);
  return FALSE;
}

gboolean
mq_cli_resolve_accounts (MqConfig       *config,
                         const char     *only,
                         MqCliAccounts  *out,
                         GError        **error)
{
  g_autoptr(MqAccounts) list = mq_accounts_new (mq_config_get_settings (config));
  g_autoptr(GPtrArray) loaded = NULL;
  char *key;

  out->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);
  out->stored = FALSE;

  if (only != NULL && mq_accounts_find (list, only) < 0)
    {
      set_unknown_account (list, only, error);
      return FALSE;
    }

  if (mq_accounts_get_n_accounts (list) > 0)
    {
      g_autoptr(GError) load_error = NULL;

      if (mq_cli_keyring_reachable ())
        loaded = mq_accounts_load_sync (list, NULL, &load_error);
      if (loaded == NULL)
        {
          /* The names without keys: each account then says NO_KEY. */
          if (load_error != NULL)
            g_debug ("The accounts’ keys could not be read: %s", load_error->message);
          loaded = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);
          for (guint i = 0; i < mq_accounts_get_n_accounts (list); i++)
            {
              g_autofree char *name = mq_accounts_dup_name (list, i);

              g_ptr_array_add (loaded, mq_account_new (name, mq_accounts_get_region (list, i), NULL));
            }
        }

      for (guint i = 0; i < loaded->len; i++)
        {
          MqAccount *account = g_ptr_array_index (loaded, i);

          if (only == NULL || g_str_equal (mq_account_get_name (account), only))
            g_ptr_array_add (out->accounts, mq_account_ref (account));
        }
      out->stored = TRUE;
      return TRUE;
    }

  key = resolve_single_key (config);
  if (key == NULL)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_NO_KEY,
                   _("No API key found. Store one in the applet’s preferences, or set MINIMAX_API_KEY (MINIMAX_CN_API_KEY for the China region)."));
      return FALSE;
    }
  g_ptr_array_add (out->accounts, mq_account_new (MQ_CLI_HISTORY_ACCOUNT,
                                                  mq_config_get_region (config), key));
  mq_secret_free_key (key);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Fetching side by side                                                */
/* ------------------------------------------------------------------ */

static void
outcome_clear (gpointer data)
{
  MqCliOutcome *outcome = data;

  g_clear_pointer (&outcome->account, mq_account_unref);
  g_clear_pointer (&outcome->snapshot, mq_snapshot_unref);
  g_clear_pointer (&outcome->balance, mq_balance_unref);
  g_clear_error (&outcome->error);
  g_clear_pointer (&outcome->forecasts, g_array_unref);
}

typedef struct {
  GMainLoop *loop;
  guint      pending;
} FetchAll;

typedef struct {
  FetchAll     *all;
  MqCliOutcome *outcome;
} FetchOne;

static void
fetch_one_done (FetchOne *one)
{
  if (one->outcome->snapshot == NULL && one->outcome->balance == NULL &&
      one->outcome->error == NULL)
    g_set_error (&one->outcome->error, MQ_ERROR, MQ_ERROR_UNREADABLE,
                 _("The server’s answer could not be read. Try again later."));

  if (--one->all->pending == 0)
    g_main_loop_quit (one->all->loop);
  g_free (one);
}

static void
on_quota_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FetchOne *one = user_data;

  one->outcome->snapshot = mq_client_fetch_finish (MQ_CLIENT (source), result,
                                                   &one->outcome->error);
  fetch_one_done (one);
}

static void
on_balance_fetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FetchOne *one = user_data;

  one->outcome->balance = mq_client_fetch_balance_finish (MQ_CLIENT (source), result, NULL,
                                                          &one->outcome->error);
  fetch_one_done (one);
}

/* Starts @outcome's fetch with @client; FALSE (and the outcome's error)
 * when it cannot start. */
static gboolean
start_fetch (MqConfig     *config,
             MqClient     *client,
             MqCliOutcome *outcome,
             FetchAll     *all)
{
  FetchOne *one;

  if (mq_account_get_key (outcome->account) == NULL)
    {
      g_set_error (&outcome->error, MQ_ERROR, MQ_ERROR_NO_KEY,
                   _("The key of the account “%s” could not be read from the keyring. Unlock the keyring, or remove the account and add it again."),
                   mq_account_get_name (outcome->account));
      return FALSE;
    }

  if (!mq_config_apply_account_to_client (config, outcome->account, client, &outcome->error))
    return FALSE;

  one = g_new0 (FetchOne, 1);
  one->all = all;
  one->outcome = outcome;
  all->pending++;

  if (mq_account_get_key_kind (outcome->account) == MQ_KEY_KIND_PAY_AS_YOU_GO)
    mq_client_fetch_balance_async (client, NULL, on_balance_fetched, one);
  else
    mq_client_fetch_async (client, NULL, on_quota_fetched, one);
  return TRUE;
}

GArray *
mq_cli_fetch_accounts (MqConfig  *config,
                       GPtrArray *accounts)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  GArray *outcomes = g_array_sized_new (FALSE, TRUE, sizeof (MqCliOutcome), accounts->len);
  FetchAll all = { loop, 0 };

  g_array_set_clear_func (outcomes, outcome_clear);
  g_array_set_size (outcomes, accounts->len);

  for (guint i = 0; i < accounts->len; i++)
    {
      MqCliOutcome *outcome = &g_array_index (outcomes, MqCliOutcome, i);
      MqClient *client = mq_client_new ();

      outcome->account = mq_account_ref (g_ptr_array_index (accounts, i));
      g_ptr_array_add (clients, client);
      start_fetch (config, client, outcome, &all);
    }

  if (all.pending > 0)
    g_main_loop_run (loop);

  return outcomes;
}

void
mq_cli_record_outcomes (GArray   *outcomes,
                        gboolean  stored,
                        gint64    now_ms)
{
  for (guint i = 0; i < outcomes->len; i++)
    {
      MqCliOutcome *outcome = &g_array_index (outcomes, MqCliOutcome, i);

      if (outcome->snapshot != NULL)
        outcome->forecasts =
          mq_cli_record_history (stored ? mq_account_get_name (outcome->account)
                                        : MQ_CLI_HISTORY_ACCOUNT,
                                 outcome->snapshot, now_ms);
    }
}

static gboolean
any_forecast (GArray *forecasts)
{
  for (guint i = 0; forecasts != NULL && i < forecasts->len; i++)
    if (g_array_index (forecasts, MqHistoryForecast, i).forecast.has_forecast)
      return TRUE;
  return FALSE;
}

MqReportAccount *
mq_cli_report_accounts (GArray   *outcomes,
                        gboolean  for_text)
{
  MqReportAccount *report = g_new0 (MqReportAccount, MAX (outcomes->len, 1));

  for (guint i = 0; i < outcomes->len; i++)
    {
      MqCliOutcome *outcome = &g_array_index (outcomes, MqCliOutcome, i);

      report[i].name = mq_account_get_name (outcome->account);
      report[i].region = mq_account_get_region (outcome->account);
      report[i].key_kind = mq_account_get_key_kind (outcome->account);
      report[i].snapshot = outcome->snapshot;
      report[i].balance = outcome->balance;
      report[i].error = outcome->error;
      if (outcome->forecasts != NULL && (!for_text || any_forecast (outcome->forecasts)))
        {
          report[i].forecasts = (const MqHistoryForecast *) (gpointer) outcome->forecasts->data;
          report[i].n_forecasts = outcome->forecasts->len;
        }
    }

  return report;
}

guint
mq_cli_pick_bar_outcome (GArray *outcomes)
{
  guint best = 0;
  double best_percent = G_MAXDOUBLE;

  for (guint i = 0; i < outcomes->len; i++)
    {
      MqCliOutcome *outcome = &g_array_index (outcomes, MqCliOutcome, i);
      MqHeadline headline;

      if (outcome->snapshot == NULL ||
          mq_account_get_key_kind (outcome->account) != MQ_KEY_KIND_TOKEN_PLAN ||
          !mq_snapshot_get_headline (outcome->snapshot, NULL, NULL, &headline) ||
          headline.model == NULL)
        continue;

      /* Any Token Plan answer beats an error or a balance. */
      if (best_percent == G_MAXDOUBLE ||
          (headline.remaining_percent >= 0 && headline.remaining_percent < best_percent))
        {
          best = i;
          /* An answer without a percent (1000) loses to any with one. */
          best_percent = headline.remaining_percent >= 0 ? headline.remaining_percent : 1000.0;
        }
    }

  return best;
}

/* ------------------------------------------------------------------ */
/* --add-account, --remove-account, --list-accounts                    */
/* ------------------------------------------------------------------ */

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

/* Runs the loop until @wait has its result. */
static GAsyncResult *
wait_result (Wait *wait)
{
  if (wait->result == NULL)
    g_main_loop_run (wait->loop);
  return g_steal_pointer (&wait->result);
}

/* A usage error or a failure: one line on stderr, its status. */
static int
fail_line (const GError *error)
{
  mq_cli_print_error_line (error->message);
  if (g_error_matches (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT))
    return MQ_CLI_EXIT_USAGE;
  return mq_error_exit_code (error);
}

/* Writes the settings out before the process ends (the keyfile backend
 * writes later otherwise). */
static void
sync_settings (void)
{
  g_settings_sync ();
}

/* Reads the key from standard input: one line, at most
 * MQ_API_KEY_MAX_LENGTH bytes, spaces around it removed. On a terminal, a
 * prompt on stderr and no echo. A new string (free it with
 * mq_secret_free_key()), or NULL and MQ_ERROR_NO_KEY. */
static char *
read_key (const char  *name,
          GError     **error)
{
  char buffer[MQ_API_KEY_MAX_LENGTH + 2];
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO);
  gboolean echo_off = FALSE;
  gboolean complete;
  char *line;
  char *key = NULL;

  if (terminal)
    {
      /* Translators: the prompt for a key; %s is the account's name */
      g_printerr (_("API key for the account “%s” (not shown): "), name);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          quiet.c_lflag |= ECHONL;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  line = fgets (buffer, sizeof buffer, stdin);
  complete = line != NULL && (strchr (buffer, '\n') != NULL || feof (stdin));

  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  else if (terminal)
    g_printerr ("\n");

  if (line != NULL && complete)
    {
      g_strstrip (buffer);
      if (*buffer != '\0')
        key = g_strdup (buffer);
    }
  explicit_bzero (buffer, sizeof buffer);

  if (line != NULL && !complete)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                   _("The key on standard input is too long: an API key has at most %u characters."),
                   (guint) MQ_API_KEY_MAX_LENGTH);
      return NULL;
    }
  if (key == NULL)
    g_set_error (error, MQ_ERROR, MQ_ERROR_NO_KEY,
                 _("No key was given. Type it, or pass it on standard input: “%s --add-account=NAME < key-file”."),
                 g_get_prgname ());
  return key;
}

/* Checks @account's key with a real fetch (the quota for a Token Plan
 * key, the balance for a pay-as-you-go key). */
static gboolean
check_key (MqConfig   *config,
           MqAccount  *account,
           GError    **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(GArray) outcomes = NULL;
  MqCliOutcome *outcome;

  g_ptr_array_add (accounts, account);
  outcomes = mq_cli_fetch_accounts (config, accounts);
  outcome = &g_array_index (outcomes, MqCliOutcome, 0);
  if (outcome->error == NULL)
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&outcome->error));
  return FALSE;
}

/* The single key of older versions becomes the account "default" before
 * another is added, so that it is not hidden by the new one. */
static void
migrate (MqAccounts *list,
         GMainLoop  *loop)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  gboolean migrated = FALSE;

  mq_accounts_migrate_async (list, NULL, on_done, &wait);
  result = wait_result (&wait);
  if (!mq_accounts_migrate_finish (list, result, &migrated, &error))
    g_debug ("The old key was not moved to an account: %s", error->message);
  else if (migrated)
    g_debug ("The old key is now the account “%s”", MQ_ACCOUNT_DEFAULT_NAME);
}

/* The configuration of @options (in @out_config) and its list of
 * accounts; NULL when the configuration is wrong. */
static MqAccounts *
open_accounts (const MqCliOptions  *options,
               MqConfig           **out_config,
               GError             **error)
{
  *out_config = mq_config_new (options->region, options->base_url, NULL, error);
  if (*out_config == NULL)
    return NULL;
  return mq_accounts_new (mq_config_get_settings (*out_config));
}

int
mq_cli_run_add_account (const MqCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(MqAccounts) list = NULL;
  g_autoptr(MqAccount) account = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  const char *name = options->add_account;
  MqRegion region = MQ_REGION_AUTO;
  Wait wait = { loop, NULL };
  char *key;

  list = open_accounts (options, &config, &error);
  if (list == NULL)
    return fail_line (error);
  if (options->region != NULL)
    mq_region_from_string (options->region, &region);
  if (mq_cli_keyring_reachable ())
    migrate (list, loop);

  /* The name first: nobody types a key for nothing. */
  if (!mq_accounts_check_name (list, name, NULL, &error))
    return fail_line (error);

  key = read_key (name, &error);
  if (key == NULL)
    return fail_line (error);
  if (!mq_api_key_check (key, &error))
    {
      mq_secret_free_key (key);
      return fail_line (error);
    }
  account = mq_account_new (name, region, key);

  if (!check_key (config, account, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The key was not stored: %s"), error->message);

      mq_secret_free_key (key);
      mq_cli_print_error_line (message);
      return mq_error_exit_code (error);
    }

  mq_accounts_add_async (list, name, region, key, NULL, on_done, &wait);
  mq_secret_free_key (key);
  result = wait_result (&wait);
  if (!mq_accounts_add_finish (list, result, &error))
    return fail_line (error);
  sync_settings ();

  {
    g_autofree char *line =
      /* Translators: %s is an account's name, then its key's kind */
      g_strdup_printf (_("Added the account “%s” (%s).\n"), name,
                       mq_key_kind_to_string (mq_account_get_key_kind (account)));

    return mq_cli_write_report (line, TRUE);
  }
}

int
mq_cli_run_remove_account (const MqCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(MqAccounts) list = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *line = NULL;
  Wait wait = { loop, NULL };

  list = open_accounts (options, &config, &error);
  if (list == NULL)
    return fail_line (error);
  if (mq_accounts_find (list, options->remove_account) < 0)
    {
      set_unknown_account (list, options->remove_account, &error);
      return fail_line (error);
    }

  mq_accounts_remove_async (list, options->remove_account, NULL, on_done, &wait);
  result = wait_result (&wait);
  if (!mq_accounts_remove_finish (list, result, &error))
    return fail_line (error);
  sync_settings ();

  line = g_strdup_printf (_("Removed the account “%s” and its key.\n"), options->remove_account);
  return mq_cli_write_report (line, TRUE);
}

/* When no account is stored: what a report would use instead. */
static char *
no_accounts_text (MqConfig *config)
{
  g_autofree char *key = resolve_single_key (config);
  const char *variable = mq_config_get_key_variable (config);
  GString *out = g_string_new (_("No account is stored."));

  g_string_append_c (out, ' ');
  if (key != NULL && mq_config_get_key_source (config) == MQ_KEY_SOURCE_KEYRING)
    g_string_append (out, _("The key stored by an older version is used (it becomes the account “default” when the applet starts or an account is added)."));
  else if (key != NULL && variable != NULL)
    g_string_append_printf (out, _("The key in the environment variable %s is used."), variable);
  else
    g_string_append_printf (out, _("No key is set in the environment either: add one with “%s --add-account=NAME”."),
                            g_get_prgname ());
  g_string_append_c (out, '\n');

  if (key != NULL)
    explicit_bzero (key, strlen (key));
  return g_string_free (out, FALSE);
}

static const char *
key_kind_label (MqAccount *account,
                gboolean   known)
{
  if (!known)
    /* Translators: --list-accounts: the keyring could not be read */
    return _("unknown");
  if (mq_account_get_key (account) == NULL)
    /* Translators: --list-accounts: no key in the keyring for the account */
    return _("no key");
  return mq_key_kind_to_string (mq_account_get_key_kind (account));
}

static char *
accounts_json (GPtrArray *accounts,
               gboolean   known)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    {
      MqAccount *account = g_ptr_array_index (accounts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, mq_account_get_name (account));
      json_builder_set_member_name (builder, "region");
      json_builder_add_string_value (builder, mq_region_to_string (mq_account_get_region (account)));
      mq_report_add_string_or_null (builder, "key_kind",
                                    known && mq_account_get_key (account) != NULL
                                    ? mq_key_kind_to_string (mq_account_get_key_kind (account))
                                    : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  return mq_report_node_to_string (root);
}

static void
append_cell (GString    *out,
             const char *text,
             gsize       width)
{
  g_string_append (out, text);
  for (gsize n = mq_format_display_width (text); n < width; n++)
    g_string_append_c (out, ' ');
}

static char *
accounts_table (GPtrArray *accounts,
                gboolean   known)
{
  /* Translators: --list-accounts column headings */
  const char *headings[] = { N_("Name"), N_("Region"), N_("Key") };
  gsize name_width = mq_format_display_width (_(headings[0]));
  gsize region_width = mq_format_display_width (_(headings[1]));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      MqAccount *account = g_ptr_array_index (accounts, i);

      name_width = MAX (name_width, mq_format_display_width (mq_account_get_name (account)));
      region_width = MAX (region_width,
                          mq_format_display_width (mq_region_to_string (mq_account_get_region (account))));
    }

  append_cell (out, _(headings[0]), name_width + 2);
  append_cell (out, _(headings[1]), region_width + 2);
  g_string_append_printf (out, "%s\n", _(headings[2]));
  for (guint i = 0; i < accounts->len; i++)
    {
      MqAccount *account = g_ptr_array_index (accounts, i);

      append_cell (out, mq_account_get_name (account), name_width + 2);
      append_cell (out, mq_region_to_string (mq_account_get_region (account)), region_width + 2);
      g_string_append_printf (out, "%s\n", key_kind_label (account, known));
    }

  return g_string_free (out, FALSE);
}

int
mq_cli_run_list_accounts (const MqCliOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(MqAccounts) list = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autofree char *output = NULL;
  gboolean known = FALSE;

  list = open_accounts (options, &config, &error);
  if (list == NULL)
    return fail_line (error);

  if (mq_accounts_get_n_accounts (list) > 0 && mq_cli_keyring_reachable ())
    {
      accounts = mq_accounts_load_sync (list, NULL, &error);
      if (accounts == NULL)
        {
          g_debug ("The accounts’ keys could not be read: %s", error->message);
          g_clear_error (&error);
        }
      else
        known = TRUE;
    }
  if (accounts == NULL)
    {
      accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);
      for (guint i = 0; i < mq_accounts_get_n_accounts (list); i++)
        {
          g_autofree char *name = mq_accounts_dup_name (list, i);

          g_ptr_array_add (accounts, mq_account_new (name, mq_accounts_get_region (list, i), NULL));
        }
    }

  if (options->json)
    {
      output = accounts_json (accounts, known);
      return mq_cli_write_report (output, FALSE);
    }

  if (accounts->len == 0)
    output = no_accounts_text (config);
  else
    output = accounts_table (accounts, known);
  return mq_cli_write_report (output, TRUE);
}
