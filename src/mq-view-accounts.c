/* mq-view-accounts.c: the tray's view with one section per account
 *
 * Pure, as mq-view.c. Each Token Plan account's section is what
 * mq_view_build() makes of that account alone, under a header naming
 * the account and its plan; a pay-as-you-go account shows its balance.
 * The icon, label and title follow the displayed account.
 */
#define G_LOG_DOMAIN "mq-view-accounts"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-error.h"
#include "mq-view-private.h"
#include "mq-wording.h"

gboolean
mq_view_has_account_sections (const MqViewInput *input)
{
  if (input->accounts == NULL || input->n_accounts == 0)
    return FALSE;
  return input->n_accounts > 1 || input->accounts[0].pay_as_you_go;
}

static void
section_row_clear (gpointer data)
{
  MqViewRow *row = data;

  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->text, g_free);
  g_clear_pointer (&row->detail, g_free);
}

static void
append_row (MqView     *view,
            const char *name,
            const char *suffix,
            char       *text,
            guint       level,
            MqState     state,
            gboolean    inert,
            char       *detail)
{
  MqViewRow row = { 0 };

  row.id = suffix != NULL ? g_strdup_printf ("account:%s:%s", name, suffix)
                          : g_strdup_printf ("account:%s", name);
  row.text = text;
  row.level = level;
  row.state = state;
  row.inert = inert;
  row.detail = detail;
  g_array_append_val (view->rows, row);
}

/* "team-2 — Plus plan (inferred)", "spare — pay-as-you-go", "team-2". */
static char *
section_title (const MqViewAccountInput *account)
{
  const char *plan = NULL;
  gboolean inferred = FALSE;
  g_autofree char *plan_text = NULL;

  if (account->pay_as_you_go)
    /* Translators: an account's header in the menu: its name, then its kind */
    return g_strdup_printf (_("%s — pay-as-you-go"), account->name);

  if (account->snapshot == NULL || !mq_snapshot_get_plan (account->snapshot, &plan, &inferred))
    return g_strdup (account->name);

  if (inferred)
    /* Translators: a plan's name guessed from its allowance, "Plus plan (inferred)" */
    plan_text = g_strdup_printf (_("%s plan (inferred)"), plan);
  else
    /* Translators: a plan's name as reported, "Max plan" */
    plan_text = g_strdup_printf (_("%s plan"), plan);
  /* Translators: an account's header in the menu, "team-2 — Plus plan" */
  return g_strdup_printf (_("%s — %s"), account->name, plan_text);
}

static MqState
balance_state (const MqViewAccountInput *account,
               double                    available)
{
  if (available <= 0)
    return MQ_STATE_EXHAUSTED;
  if (account->balance_threshold > 0 && available < account->balance_threshold)
    return MQ_STATE_LOW;
  return MQ_STATE_OK;
}

/* An account's input as mq_view_build() takes it alone. */
static void
account_input (const MqViewInput        *input,
               const MqViewAccountInput *account,
               MqViewInput              *out)
{
  *out = (MqViewInput) { 0 };
  out->snapshot = account->snapshot;
  out->error = account->error;
  out->has_key = account->has_key;
  out->busy = account->busy;
  out->now_ms = input->now_ms;
  out->last_success_ms = account->last_success_ms;
  out->thresholds = input->thresholds;
  out->icon_model = input->icon_model;
  out->region = input->region;
  out->forecasts = account->forecasts;
  out->rate_limited_until_ms = account->rate_limited_until_ms;
}

/* Fills what the icon and title say for a pay-as-you-go account: its
 * available balance as the label. @sub gives the status words. */
static void
balance_headline (MqView                   *view,
                  const MqViewAccountInput *account,
                  const MqView             *sub)
{
  double available = 0;
  g_autofree char *money = NULL;

  if (account->balance == NULL ||
      !mq_balance_get_amount (account->balance, MQ_BALANCE_AVAILABLE, &available))
    {
      view->icon = sub->icon;
      view->icon_description = g_strdup (sub->icon_description);
      view->label = g_strdup ("");
      view->header = g_strdup_printf (_("%s: %s"), account->name, sub->header);
      view->header_detail = g_strdup (sub->header_detail);
      view->title = g_strdup_printf (_("%s: %s"), account->name, sub->title);
      return;
    }

  money = mq_balance_format_amount (available, mq_balance_get_currency (account->balance));
  view->icon.kind = MQ_ICON_UNKNOWN;
  view->icon.state = balance_state (account, available);
  view->icon.stale = account->error != NULL;
  view->label = g_strdup (money);
  /* Translators: the balance of a pay-as-you-go key, "Balance: $25.40" */
  view->icon_description = g_strdup_printf (_("Balance: %s"), money);
  view->header = g_strdup (view->icon_description);
  view->title = g_strdup_printf (_("%s: %s"), account->name, view->icon_description);
}

static void
balance_rows (MqView                   *view,
              const MqViewAccountInput *account)
{
  double available = 0, owed = 0;
  const char *currency;

  if (account->balance == NULL)
    return;
  currency = mq_balance_get_currency (account->balance);
  if (mq_balance_get_amount (account->balance, MQ_BALANCE_AVAILABLE, &available))
    {
      g_autofree char *money = mq_balance_format_amount (available, currency);

      append_row (view, account->name, "balance", g_strdup_printf (_("Balance: %s"), money),
                  1, balance_state (account, available), TRUE, NULL);
    }
  /* owed_amount is kept as sent: the sign varies, the size is what is owed. */
  if (mq_balance_get_amount (account->balance, MQ_BALANCE_OWED, &owed) && owed != 0)
    {
      g_autofree char *money = mq_balance_format_amount (ABS (owed), currency);

      /* Translators: what a pay-as-you-go account owes, "Owed: $3.00" */
      append_row (view, account->name, "owed", g_strdup_printf (_("Owed: %s"), money),
                  1, MQ_STATE_LOW, TRUE, NULL);
    }
}

static void
add_section (MqView                   *view,
             const MqViewAccountInput *account,
             const MqView             *sub)
{
  append_row (view, account->name, NULL, section_title (account), 0, sub->icon.state, TRUE, NULL);

  if (account->pay_as_you_go && account->balance != NULL)
    balance_rows (view, account);
  else
    append_row (view, account->name, "headline", g_strdup (sub->header), 1,
                sub->icon.state, TRUE, g_strdup (sub->header_detail));

  if (!account->pay_as_you_go)
    for (guint i = 0; i < sub->rows->len; i++)
      {
        const MqViewRow *row = &g_array_index (sub->rows, MqViewRow, i);
        MqViewRow copy = *row;

        copy.id = g_strdup_printf ("account:%s:%s", account->name, row->id);
        copy.text = g_strdup (row->text);
        copy.detail = g_strdup (row->detail);
        g_array_append_val (view->rows, copy);
      }

  if (account->error != NULL || account->rate_limited_until_ms > 0)
    append_row (view, account->name, "status", g_strdup (sub->status), 1,
                MQ_STATE_UNKNOWN, TRUE, NULL);
}

MqView *
mq_view_build_accounts (const MqViewInput *input)
{
  MqView *view = g_new0 (MqView, 1);
  guint displayed = input->displayed < input->n_accounts ? input->displayed : 0;
  const MqViewAccountInput *shown = &input->accounts[displayed];

  view->rows = g_array_new (FALSE, TRUE, sizeof (MqViewRow));
  g_array_set_clear_func (view->rows, section_row_clear);

  for (guint i = 0; i < input->n_accounts; i++)
    {
      const MqViewAccountInput *account = &input->accounts[i];
      MqViewInput alone;
      g_autoptr(MqView) sub = NULL;

      account_input (input, account, &alone);
      sub = mq_view_build (&alone);
      add_section (view, account, sub);

      view->show_upgrade |= !account->pay_as_you_go && sub->show_upgrade;
      view->can_refresh |= sub->can_refresh;
      view->reset_due |= !account->pay_as_you_go && sub->reset_due;

      if (i != displayed)
        continue;

      view->show_set_key = sub->show_set_key;
      view->status = g_strdup (sub->status);
      if (account->pay_as_you_go)
        balance_headline (view, account, sub);
      else
        {
          view->icon = sub->icon;
          view->icon_description = g_strdup (sub->icon_description);
          view->label = g_strdup (sub->label);
          /* Translators: the tray's header with several accounts:
           * "team-2: 15% of the 5-hour window left" */
          view->header = g_strdup_printf (_("%s: %s"), shown->name, sub->header);
          view->header_detail = g_strdup (sub->header_detail);
          view->title = g_strdup_printf (_("%s: %s"), shown->name, sub->title);
        }
    }

  return view;
}
