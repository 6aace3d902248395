/* mq-applet-accounts.c: the applet's stored accounts, side by side */
#define G_LOG_DOMAIN "mq-applet-accounts"

#include "config.h"

#include "mq-applet-accounts.h"
#include "mq-applet-notices.h"
#include "mq-history-recorder.h"
#include "mq-report-accounts.h"

/* One account's forecasts, for the snapshot they were made from. */
typedef struct {
  MqSnapshot *snapshot;
  GArray     *forecasts;
} Forecasts;

struct _MqAppletAccounts {
  GObject       parent_instance;

  GWeakRef      app;
  MqConfig     *config;
  GSettings    *settings;
  MqAlerts     *alerts;
  MqAccounts   *accounts;
  MqAccountSet *set;          /* once "ready" found accounts */
  GCancellable *cancellable;
  GHashTable   *recorders;    /* name -> MqHistoryRecorder */
  GHashTable   *forecasts;    /* name -> Forecasts */
  gboolean      ready;        /* the migration is done */
  gboolean      ready_said;
};

enum { SIGNAL_READY, SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MqAppletAccounts, mq_applet_accounts, G_TYPE_OBJECT)

static void
forecasts_free (Forecasts *f)
{
  g_clear_pointer (&f->snapshot, mq_snapshot_unref);
  g_clear_pointer (&f->forecasts, g_array_unref);
  g_free (f);
}

static void
mq_applet_accounts_dispose (GObject *object)
{
  MqAppletAccounts *self = MQ_APPLET_ACCOUNTS (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->set);
  g_clear_object (&self->accounts);
  g_clear_object (&self->alerts);
  g_clear_object (&self->config);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->recorders, g_hash_table_unref);
  g_clear_pointer (&self->forecasts, g_hash_table_unref);
  g_weak_ref_clear (&self->app);

  G_OBJECT_CLASS (mq_applet_accounts_parent_class)->dispose (object);
}

static void
mq_applet_accounts_class_init (MqAppletAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_applet_accounts_dispose;

  signals[SIGNAL_READY] =
    g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mq_applet_accounts_init (MqAppletAccounts *self)
{
  g_weak_ref_init (&self->app, NULL);
  self->recorders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->forecasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) forecasts_free);
}

MqAppletAccounts *
mq_applet_accounts_new (GApplication *app,
                        MqConfig     *config,
                        GSettings    *settings,
                        MqAlerts     *alerts)
{
  MqAppletAccounts *self;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (MQ_IS_CONFIG (config), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (MQ_IS_ALERTS (alerts), NULL);

  self = g_object_new (MQ_TYPE_APPLET_ACCOUNTS, NULL);
  g_weak_ref_set (&self->app, app);
  self->config = g_object_ref (config);
  self->settings = g_object_ref (settings);
  self->alerts = g_object_ref (alerts);
  self->accounts = mq_accounts_new (settings);
  return self;
}

/* With one account its alerts and history are the single account's, as
 * before accounts existed. */
static const char *
alert_name (MqAppletAccounts *self,
            const char       *name)
{
  return mq_account_set_get_n_accounts (self->set) > 1 ? name : NULL;
}

static void
on_recorded (MqHistoryRecorder *recorder,
             MqSnapshot        *snapshot,
             GArray            *forecasts,
             MqAppletAccounts  *self)
{
  const char *name = mq_history_recorder_get_account (recorder);
  const MqHistoryForecast *items = NULL;
  gsize n = 0;

  g_hash_table_remove (self->forecasts, name);
  if (forecasts != NULL)
    {
      Forecasts *f = g_new0 (Forecasts, 1);

      f->snapshot = mq_snapshot_ref (snapshot);
      f->forecasts = g_array_ref (forecasts);
      g_hash_table_insert (self->forecasts, g_strdup (name), f);
      items = (const MqHistoryForecast *) (gpointer) forecasts->data;
      n = forecasts->len;
    }

  /* Only an account still followed alerts. */
  if (self->set != NULL && mq_account_set_find (self->set, name) >= 0)
    mq_alerts_process_account (self->alerts, alert_name (self, name), snapshot, items, n,
                               g_get_real_time () / 1000);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static MqHistoryRecorder *
recorder_for (MqAppletAccounts *self,
              const char       *name)
{
  g_autoptr(GApplication) app = g_weak_ref_get (&self->app);
  MqHistoryRecorder *recorder = g_hash_table_lookup (self->recorders, name);

  if (recorder != NULL)
    return recorder;

  /* One history file; each account's samples under its name. */
  recorder = mq_history_recorder_new (NULL, name);
  g_signal_connect_object (recorder, "recorded", G_CALLBACK (on_recorded), self, 0);
  if (app != NULL)
    {
      g_signal_connect_object (recorder, "paused", G_CALLBACK (mq_history_notice_paused),
                               app, G_CONNECT_SWAPPED);
      g_signal_connect_object (recorder, "resumed", G_CALLBACK (mq_history_notice_resumed),
                               app, G_CONNECT_SWAPPED);
      g_signal_connect_object (recorder, "notice", G_CALLBACK (mq_history_notice_moved),
                               app, G_CONNECT_SWAPPED);
    }
  g_hash_table_insert (self->recorders, g_strdup (name), recorder);
  return recorder;
}

static void
on_set_updated (MqAccountSet     *set,
                guint             index,
                MqAppletAccounts *self)
{
  const char *name = mq_account_set_get_name (set, index);
  MqSnapshot *snapshot = mq_account_set_get_snapshot (set, index);
  MqBalance *balance = mq_account_set_get_balance (set, index);

  /* Recorded and forecast off the main thread; its alerts follow in
   * on_recorded(). */
  if (snapshot != NULL)
    mq_history_recorder_add (recorder_for (self, name), snapshot);
  else if (balance != NULL)
    mq_alerts_process_balance (self->alerts, name, balance);
}

static void
on_set_changed (MqAccountSet     *set,
                MqAppletAccounts *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Follows the stored accounts once there are any, and says "ready"
 * (the first time also without). */
static void
activate (MqAppletAccounts *self)
{
  gboolean active = mq_accounts_get_n_accounts (self->accounts) > 0;

  if (self->set != NULL || (!active && self->ready_said))
    return;
  if (active)
    {
      self->set = mq_account_set_new (self->config, self->accounts);
      g_signal_connect_object (self->set, "changed", G_CALLBACK (on_set_changed), self, 0);
      g_signal_connect_object (self->set, "updated", G_CALLBACK (on_set_updated), self, 0);
    }
  self->ready_said = TRUE;
  g_signal_emit (self, signals[SIGNAL_READY], 0, active);
  if (self->set != NULL)
    mq_account_set_start (self->set);
}

static void
on_migrated (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MqAppletAccounts) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean migrated = FALSE;

  if (!mq_accounts_migrate_finish (MQ_ACCOUNTS (source), result, &migrated, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The old key stays where it was; the applet reads it as before. */
      g_debug ("the old key was not migrated: %s", error->message);
    }
  else if (migrated)
    g_debug ("the stored key is now the account “default”");

  if (self->accounts == NULL)
    return;

  self->ready = TRUE;
  activate (self);
}

void
mq_applet_accounts_start (MqAppletAccounts *self,
                          GCancellable     *cancellable)
{
  g_return_if_fail (MQ_IS_APPLET_ACCOUNTS (self));

  if (self->cancellable != NULL)
    return;
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  mq_accounts_migrate_async (self->accounts, self->cancellable, on_migrated, g_object_ref (self));
}

gboolean
mq_applet_accounts_get_active (MqAppletAccounts *self)
{
  g_return_val_if_fail (MQ_IS_APPLET_ACCOUNTS (self), FALSE);

  return self->set != NULL;
}

MqAccountSet *
mq_applet_accounts_get_set (MqAppletAccounts *self)
{
  g_return_val_if_fail (MQ_IS_APPLET_ACCOUNTS (self), NULL);

  return self->set;
}

static void
on_reloaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MqAppletAccounts) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = mq_accounts_load_finish (MQ_ACCOUNTS (source), result, &error);
  g_autoptr(GPtrArray) resolved = NULL;

  if (stored == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("could not read the list: %s", error->message);
      return;
    }
  if (self->set == NULL)
    return;
  resolved = mq_config_resolve_accounts (self->config, stored);
  mq_account_set_set_accounts (self->set, resolved);
}

void
mq_applet_accounts_reload (MqAppletAccounts *self)
{
  g_return_if_fail (MQ_IS_APPLET_ACCOUNTS (self));

  /* Before "ready" the first load reads the list anyway; the first
   * account stored while the environment's key was followed starts them. */
  if (!self->ready)
    return;
  if (self->set == NULL)
    {
      activate (self);
      return;
    }
  mq_accounts_load_async (self->accounts, self->cancellable, on_reloaded, g_object_ref (self));
}

gboolean
mq_applet_accounts_get_busy (MqAppletAccounts *self)
{
  GHashTableIter iter;
  gpointer recorder;

  g_return_val_if_fail (MQ_IS_APPLET_ACCOUNTS (self), FALSE);

  if (self->set == NULL)
    return FALSE;
  for (guint i = 0; i < mq_account_set_get_n_accounts (self->set); i++)
    if (mq_account_set_get_busy (self->set, i))
      return TRUE;
  g_hash_table_iter_init (&iter, self->recorders);
  while (g_hash_table_iter_next (&iter, NULL, &recorder))
    if (mq_history_recorder_get_busy (recorder))
      return TRUE;
  return FALSE;
}

const GArray *
mq_applet_accounts_get_forecasts (MqAppletAccounts *self,
                                  guint             index)
{
  Forecasts *f;
  MqSnapshot *snapshot;

  g_return_val_if_fail (MQ_IS_APPLET_ACCOUNTS (self), NULL);

  if (self->set == NULL || index >= mq_account_set_get_n_accounts (self->set))
    return NULL;
  snapshot = mq_account_set_get_snapshot (self->set, index);
  f = g_hash_table_lookup (self->forecasts, mq_account_set_get_name (self->set, index));
  /* Forecasts of an older answer than the one shown are not shown. */
  if (f == NULL || snapshot == NULL || f->snapshot != snapshot)
    return NULL;
  return f->forecasts;
}

MqViewAccountInput *
mq_applet_accounts_fill_view (MqAppletAccounts *self,
                              MqViewInput      *input)
{
  MqViewAccountInput *items;
  guint n;
  gint displayed;

  g_return_val_if_fail (MQ_IS_APPLET_ACCOUNTS (self), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  if (self->set == NULL)
    return NULL;

  n = mq_account_set_get_n_accounts (self->set);
  items = g_new0 (MqViewAccountInput, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      MqViewAccountInput *item = &items[i];
      MqAccount *account = mq_account_set_get_account (self->set, i);

      item->name = mq_account_set_get_name (self->set, i);
      item->pay_as_you_go = mq_account_set_get_key_kind (self->set, i) == MQ_KEY_KIND_PAY_AS_YOU_GO;
      item->snapshot = mq_account_set_get_snapshot (self->set, i);
      item->balance = mq_account_set_get_balance (self->set, i);
      item->error = mq_account_set_get_error (self->set, i);
      item->has_key = mq_account_get_key (account) != NULL && mq_account_get_key (account)[0] != '\0';
      item->busy = mq_account_set_get_busy (self->set, i);
      item->last_success_ms = mq_account_set_get_last_success_ms (self->set, i);
      item->rate_limited_until_ms = mq_account_set_get_rate_limited_until_ms (self->set, i);
      item->forecasts = mq_applet_accounts_get_forecasts (self, i);
      if (item->balance != NULL)
        item->balance_threshold = mq_alerts_get_balance_threshold (self->alerts, item->balance);
    }

  displayed = mq_account_set_get_displayed (self->set);
  input->accounts = items;
  input->n_accounts = n;
  input->displayed = displayed >= 0 ? (guint) displayed : 0;

  /* One Token Plan account is shown exactly as before accounts existed. */
  if (displayed >= 0 && !items[displayed].pay_as_you_go)
    {
      const MqViewAccountInput *shown = &items[displayed];

      input->snapshot = shown->snapshot;
      input->error = shown->error;
      input->has_key = shown->has_key;
      input->busy = shown->busy;
      input->last_success_ms = shown->last_success_ms;
      input->rate_limited_until_ms = shown->rate_limited_until_ms;
      input->forecasts = shown->forecasts;
      input->region = mq_account_get_region (mq_account_set_get_account (self->set, displayed));
      if (input->region == MQ_REGION_AUTO && shown->snapshot != NULL)
        input->region = mq_snapshot_get_region (shown->snapshot);
    }
  else if (n == 0)
    input->has_key = FALSE;
  return items;
}

char **
mq_applet_accounts_dup_token_plan_names (MqAppletAccounts *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **names;

  for (guint i = 0; self->set != NULL && i < mq_account_set_get_n_accounts (self->set); i++)
    if (mq_account_set_get_key_kind (self->set, i) == MQ_KEY_KIND_TOKEN_PLAN)
      g_strv_builder_add (builder, mq_account_set_get_name (self->set, i));
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

char *
mq_applet_accounts_report_json (MqAppletAccounts *self,
                                gint64            now_ms)
{
  g_autofree MqReportAccount *items = NULL;
  guint n;

  g_return_val_if_fail (MQ_IS_APPLET_ACCOUNTS (self), NULL);

  if (self->set == NULL || (n = mq_account_set_get_n_accounts (self->set)) == 0)
    return NULL;

  items = g_new0 (MqReportAccount, n);
  for (guint i = 0; i < n; i++)
    {
      MqReportAccount *item = &items[i];
      const GArray *forecasts = mq_applet_accounts_get_forecasts (self, i);

      item->name = mq_account_set_get_name (self->set, i);
      item->region = mq_account_get_region (mq_account_set_get_account (self->set, i));
      item->key_kind = mq_account_set_get_key_kind (self->set, i);
      item->snapshot = mq_account_set_get_snapshot (self->set, i);
      item->balance = mq_account_set_get_balance (self->set, i);
      if (item->snapshot != NULL && forecasts != NULL)
        {
          item->forecasts = (const MqHistoryForecast *) (gpointer) forecasts->data;
          item->n_forecasts = forecasts->len;
        }
      /* Exactly one of snapshot, balance and error. */
      if (item->snapshot == NULL && item->balance == NULL)
        item->error = mq_account_set_get_error (self->set, i);
    }

  /* Nothing to report until every account has an outcome. */
  for (guint i = 0; i < n; i++)
    if (items[i].snapshot == NULL && items[i].balance == NULL && items[i].error == NULL)
      return NULL;

  return mq_report_accounts_to_json (items, n, TRUE, now_ms);
}
