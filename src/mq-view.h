/* mq-view.h: every string and flag the tray shows, built from one input
 *
 * Pure: no GTK, no clock of its own (the input carries now_ms). The tray
 * (MqIndicator) only copies what an MqView says into the icon and the menu.
 */
#pragma once

#include <glib.h>

#include "mq-balance.h"
#include "mq-forecast.h"
#include "mq-icon.h"
#include "mq-region.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* One account of several (issue 12): what MqViewInput says for one
 * connection, per account. Token Plan accounts carry a snapshot, a
 * pay-as-you-go account (@pay_as_you_go) a balance. */
typedef struct {
  const char   *name;             /* the account's name, shown as is */
  gboolean      pay_as_you_go;
  MqSnapshot   *snapshot;         /* Token Plan: last good snapshot, nullable */
  MqBalance    *balance;          /* pay-as-you-go: last good balance, nullable */
  /* Pay-as-you-go: the icon turns low at or below this available amount
   * (0: never), critical at or below nothing left. */
  double        balance_threshold;
  const GError *error;
  gboolean      has_key;
  gboolean      busy;
  gint64        last_success_ms;
  gint64        rate_limited_until_ms;
  const GArray *forecasts;        /* as MqViewInput's, nullable */
} MqViewAccountInput;

typedef struct {
  MqSnapshot   *snapshot;         /* last good snapshot, nullable */
  const GError *error;            /* last failure, NULL after a success */
  gboolean      has_key;
  gboolean      busy;             /* a fetch is in flight */
  gint64        now_ms;
  gint64        last_success_ms;  /* 0: never */
  MqThresholds  thresholds;
  const char   *icon_model;       /* NULL or "": the text lane */
  MqRegion      region;
  /* The forecasts of the snapshot's windows (an array of MqHistoryForecast,
   * see mq-history.h); NULL: none. */
  const GArray *forecasts;
  /* mq_poller_get_rate_limited_until_ms(): the menu says "Rate limited
   * until 15:40" while it is after now_ms. 0: not rate limited. */
  gint64        rate_limited_until_ms;
  /* Several accounts (issue 12): @n_accounts entries. With more than
   * one, or one pay-as-you-go account, the menu has one section per
   * account (mq-view-accounts.c) and the fields above other than now_ms,
   * thresholds, icon_model and region are not read; @displayed (an index)
   * is the account the icon, label and title follow
   * (mq_account_set_get_displayed()). With 0 or one Token Plan account
   * the view is built from the fields above, exactly as before. */
  const MqViewAccountInput *accounts;
  guint         n_accounts;
  guint         displayed;
} MqViewInput;

/* One line of the per-model part of the menu, and its second line.
 *
 * A model in the plan has a short row ("Text models (5-hour): 63% left ·
 * resets 21:00", id "model:NAME") whose detail holds the counts and the
 * forecast ("945/1,500 left · runs out ~20:10"), then its weekly cap
 * ("model:NAME:weekly", level 1, its reset days away as a countdown:
 * "resets in 6d 21h (Sun 16:00)") whose detail adds the pace ("lasts until
 * reset · 5% ahead of pace"). The tray shows a detail as a second,
 * further-indented inert line under its row. */
typedef struct {
  char    *id;          /* stable: "model:general", "model:general:weekly" */
  char    *text;
  guint    level;       /* 0: a model; 1: a detail of the model above */
  gboolean not_in_plan; /* the plan does not include the model */
  MqState  state;
  /* Information only: shown as an insensitive heading, with no action
   * (as nm-applet does). FALSE for the rows that do something: "Video —
   * not in your plan" (upgrade) and "N more models…" (dashboard). */
  gboolean inert;
  /* NULL, or the row's second line (counts, forecast, pace). */
  char    *detail;
} MqViewRow;

/* The menu shows rows for at most this many models (each a row and maybe
 * a weekly sub-row: at most MQ_VIEW_MAX_ROWS rows), the headline's model
 * and those in the plan first, then one "N more models…" row (id
 * "more-models"). An answer may list thousands. */
#define MQ_VIEW_MAX_MODELS 12
#define MQ_VIEW_MAX_ROWS   (2 * MQ_VIEW_MAX_MODELS)

/* A model row longer than this many columns moves its reset to its
 * detail line (the menu stays under ~420 px). A weekly row, indented,
 * keeps within MQ_VIEW_WEEKLY_COLUMNS: its reset by the clock ("resets
 * Mon 08:00"), no countdown. */
#define MQ_VIEW_ROW_COLUMNS    50
#define MQ_VIEW_WEEKLY_COLUMNS 44

typedef struct _MqView MqView;

/* The rows of an account's section, with several accounts: first a
 * header (id "account:NAME", inert, level 0): "team-2 — Plus plan
 * (inferred)", "personal — Max plan", "spare — pay-as-you-go", or the bare
 * name when the plan is not known; then that account's rows, ids
 * prefixed "account:NAME:" ("account:team-2:model:general"): its headline
 * ("…:headline", the header line, its detail as detail), its model rows
 * as with one account, or for pay-as-you-go "Balance: $25.40"
 * ("…:balance") and "Owed: $3.00" ("…:owed", when something is owed);
 * and its status line ("…:status") when it failed or is rate limited. */

MqView           *mq_view_build                (const MqViewInput *input);
void              mq_view_free                 (MqView            *view);

const MqIconSpec *mq_view_get_icon             (const MqView *view);
/* What the icon shows, in words, for screen readers ("63% left"). */
const char       *mq_view_get_icon_description (const MqView *view);
/* "63%"; "" when there is no number to show. */
const char       *mq_view_get_label            (const MqView *view);
/* The widest label, for hosts that reserve space ("100%"). */
const char       *mq_view_get_label_guide      (const MqView *view);
/* The whole headline: "63% of the 5-hour window left · resets 16:30". */
const char       *mq_view_get_title            (const MqView *view);

/* First header line (never NULL) and an optional second (reset, window). */
const char       *mq_view_get_header           (const MqView *view);
const char       *mq_view_get_header_detail    (const MqView *view);

guint             mq_view_get_n_rows           (const MqView *view);
const MqViewRow  *mq_view_get_row              (const MqView *view,
                                                guint         index);

/* "Updated 14:32" or "Offline — showing data from 14:02". */
const char       *mq_view_get_status           (const MqView *view);

gboolean          mq_view_get_show_upgrade     (const MqView *view);
/* FALSE without a key: "Refresh now" (and the status line bound to the
 * same action) is insensitive. */
gboolean          mq_view_get_can_refresh      (const MqView *view);
/* TRUE when a window the menu shows has a reset time in the past: the data
 * is stale, the menu says "Reset due — refreshing". */
gboolean          mq_view_get_reset_due        (const MqView *view);
gboolean          mq_view_get_show_set_key     (const MqView *view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqView, mq_view_free)

G_END_DECLS
