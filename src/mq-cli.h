/* mq-cli.h: the command line's modes, shared by main.c and mq-cli-bar.c
 *
 * Not a library: compiled into `leeway` only. main.c parses the
 * options and picks a mode; mq-cli.c fetches (--once), records the history
 * and prints it (--history); mq-cli-bar.c answers status bars (--waybar,
 * --format, --watch).
 */
#pragma once

#include <gio/gio.h>

#include "mq-account.h"
#include "mq-balance.h"
#include "mq-bar.h"
#include "mq-config.h"
#include "mq-report-accounts.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* Exit status for wrong usage (see mq_error_exit_code() for the others). */
#define MQ_CLI_EXIT_USAGE   1
/* Exit status when the report cannot be written (not a broken pipe). */
#define MQ_CLI_EXIT_WRITE   5
/* Exit status when --history cannot read the history. */
#define MQ_CLI_EXIT_HISTORY 6

/* The history's name for the key when no account is stored (the old
 * single key, or the environment's): the account it becomes. */
#define MQ_CLI_HISTORY_ACCOUNT "default"
/* --history without a duration. */
#define MQ_CLI_HISTORY_DEFAULT_DURATION "24h"

typedef struct {
  gboolean  once;
  gboolean  json;
  gboolean  csv;
  gboolean  version;
  gboolean  demo;
  gboolean  waybar;
  gboolean  watch;
  int       interval;
  char     *region;
  char     *base_url;
  char     *format;
  char     *history;   /* the --history duration, NULL without --history */
  char     *account;         /* --account: report this account only */
  char     *add_account;     /* --add-account=NAME */
  char     *remove_account;  /* --remove-account=NAME */
  gboolean  list_accounts;
} MqCliOptions;

/* One account's fetch (mq-cli-accounts.c): exactly one of @snapshot,
 * @balance and @error once fetched; @forecasts from the history. */
typedef struct {
  MqAccount  *account;
  MqSnapshot *snapshot;
  MqBalance  *balance;
  GError     *error;
  GArray     *forecasts;
} MqCliOutcome;

/* The accounts to report, resolved for the command line. */
typedef struct {
  GPtrArray *accounts;  /* of MqAccount, in order */
  gboolean   stored;    /* listed accounts (not the old key or the environment's) */
} MqCliAccounts;

void        mq_cli_accounts_clear   (MqCliAccounts *accounts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MqCliAccounts, mq_cli_accounts_clear)

/* Whether asking the keyring can answer at once (a secret backend or a
 * session bus). */
gboolean    mq_cli_keyring_reachable (void);

/* The accounts to report: the stored ones with their keys, else the old
 * single key of the keyring, else the environment's (as one account
 * named MQ_CLI_HISTORY_ACCOUNT). With @only (--account), that account
 * alone: MQ_ERROR_INVALID_ARGUMENT naming the accounts when there is
 * none of that name. MQ_ERROR_NO_KEY when there is no key at all. */
gboolean    mq_cli_resolve_accounts (MqConfig       *config,
                                     const char     *only,
                                     MqCliAccounts  *out,
                                     GError        **error);

/* Fetches every account of @accounts side by side (one MqClient each,
 * all started at once on one loop), each by its key's kind. An array of
 * MqCliOutcome, in order. */
GArray     *mq_cli_fetch_accounts   (MqConfig       *config,
                                     GPtrArray      *accounts);

/* Records each fetched snapshot in the history under its account's name
 * (MQ_CLI_HISTORY_ACCOUNT when @stored is FALSE) and keeps its forecasts. */
void        mq_cli_record_outcomes  (GArray         *outcomes,
                                     gboolean        stored,
                                     gint64          now_ms);

/* @outcomes as the report's accounts (pointing into @outcomes). With
 * @for_text, forecasts only when one window has one (the table then
 * gains its Forecast column). */
MqReportAccount *mq_cli_report_accounts (GArray     *outcomes,
                                         gboolean    for_text);

/* Whether --account=@name names an account (for --history: the stored
 * list only, no key is read). MQ_ERROR_INVALID_ARGUMENT naming the
 * accounts otherwise. */
gboolean    mq_cli_check_account_name (MqConfig   *config,
                                       const char *name,
                                       GError    **error);

/* The outcome the bars show: the tightest Token Plan account that
 * answered, else the first. */
guint       mq_cli_pick_bar_outcome (GArray         *outcomes);

int         mq_cli_run_add_account    (const MqCliOptions *options);
int         mq_cli_run_remove_account (const MqCliOptions *options);
int         mq_cli_run_list_accounts  (const MqCliOptions *options);

/* One line on stderr: "leeway: <message>", line breaks flattened. */
void        mq_cli_print_error_line (const char    *message);

/* Says @error (on stdout too as JSON when @json); returns its exit status. */
int         mq_cli_fail             (const GError  *error,
                                     gboolean       json);

/* Writes @text on stdout (converted to the locale's charset when
 * @convert). 0, or MQ_CLI_EXIT_WRITE after one line on stderr; a reader
 * that went away is 0 and sets @out_gone (nullable). */
int         mq_cli_write_output     (const char    *text,
                                     gboolean       convert,
                                     gboolean      *out_gone);
int         mq_cli_write_report     (const char    *text,
                                     gboolean       convert);

gboolean    mq_cli_use_color        (void);

/* Records @snapshot in the history under @account and returns its
 * forecasts (an array of MqHistoryForecast), or NULL when history is off
 * or unusable; never fails the command. */
GArray     *mq_cli_record_history   (const char    *account,
                                     MqSnapshot    *snapshot,
                                     gint64         now_ms);

/* The --once --json document of @snapshot with @forecasts (nullable). */
char       *mq_cli_report_json      (MqSnapshot    *snapshot,
                                     GArray        *forecasts,
                                     gint64         now_ms);

/* The modes; each returns the exit status. */
int         mq_cli_run_once         (const MqCliOptions *options);
int         mq_cli_run_history      (const MqCliOptions *options);
int         mq_cli_run_bar          (const MqCliOptions *options,
                                     MqBarFormat         format);
int         mq_cli_run_watch        (const MqCliOptions *options,
                                     MqBarFormat         format);

G_END_DECLS
