/* mq-applet-window.c: the main window's pages of the stored accounts */
#define G_LOG_DOMAIN "mq-applet-window"

#include "config.h"

#include "mq-applet-window.h"
#include "mq-report-accounts.h"

void
mq_applet_window_show_accounts (MqMainWindow       *window,
                                MqAppletAccounts   *accounts,
                                const MqThresholds *thresholds,
                                gint64              now_ms,
                                gboolean            stale,
                                GStrv              *shown)
{
  MqAccountSet *set = mq_applet_accounts_get_set (accounts);
  g_auto(GStrv) names = mq_applet_accounts_dup_token_plan_names (accounts);
  const char *const single[] = { "default", NULL };
  const char *const *before = *shown != NULL ? (const char *const *) *shown : single;

  g_return_if_fail (MQ_IS_MAIN_WINDOW (window));

  /* Only pay-as-you-go accounts: the window keeps what it shows. */
  if (names[0] == NULL)
    return;

  for (guint i = 0; names[i] != NULL; i++)
    {
      gint index = mq_account_set_find (set, names[i]);
      MqSnapshot *snapshot = mq_account_set_get_snapshot (set, (guint) index);
      g_autofree char *plan = snapshot != NULL ? mq_report_plan_label (snapshot) : NULL;

      mq_main_window_set_account (window, names[i], plan, snapshot,
                                  mq_account_set_get_error (set, (guint) index),
                                  mq_applet_accounts_get_forecasts (accounts, (guint) index),
                                  thresholds, now_ms, stale);
    }

  for (guint i = 0; before[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) names, before[i]))
      mq_main_window_remove_account (window, before[i]);

  g_strfreev (*shown);
  *shown = g_steal_pointer (&names);
}
