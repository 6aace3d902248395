/* mq-cli.h: the command line's modes, shared by main.c and mq-cli-bar.c
 *
 * Not a library: compiled into `minimax-quota` only. main.c parses the
 * options and picks a mode; mq-cli.c fetches (--once), records the history
 * and prints it (--history); mq-cli-bar.c answers status bars (--waybar,
 * --format, --watch).
 */
#pragma once

#include <gio/gio.h>

#include "mq-bar.h"
#include "mq-config.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* Exit status for wrong usage (see mq_error_exit_code() for the others). */
#define MQ_CLI_EXIT_USAGE   1
/* Exit status when the report cannot be written (not a broken pipe). */
#define MQ_CLI_EXIT_WRITE   5
/* Exit status when --history cannot read the history. */
#define MQ_CLI_EXIT_HISTORY 6

/* The account label of every sample until there are accounts. */
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
} MqCliOptions;

/* One line on stderr: "minimax-quota: <message>", line breaks flattened. */
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

/* The key (keyring, else environment), then one fetch: the snapshot, or
 * NULL and @error. */
MqSnapshot *mq_cli_fetch_snapshot   (MqConfig      *config,
                                     GError       **error);

/* Records @snapshot in the history and returns its forecasts (an array of
 * MqHistoryForecast), or NULL when history is off or unusable; never fails
 * the command. */
GArray     *mq_cli_record_history   (MqSnapshot    *snapshot,
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
