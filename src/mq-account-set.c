/* mq-account-set.c: every followed account, fetched side by side
 *
 * Members are made from MqAccount values; each owns its client and its
 * poller, and forwards the poller's signals with its index. The settings
 * every member shares (interval, thresholds, headline model) are applied
 * to each; "icon-account" only decides mq_account_set_get_displayed().
 */
#define G_LOG_DOMAIN "mq-account-set"

#include "config.h"

#include "mq-account-set.h"
#include "mq-error.h"
#include "mq-schedule.h"

typedef struct {
  MqAccount       *account;
  MqClient        *client;
  MqPoller        *poller;          /* Token Plan */
  MqBalancePoller *balance_poller;  /* pay-as-you-go */
  GError          *setup_error;     /* the connection could not be set up */
} Member;

struct _MqAccountSet
{
  GObject          parent_instance;

  MqConfig        *config;
  MqAccounts      *accounts;        /* nullable */
  GSettings       *settings;        /* nullable */
  GCancellable    *cancellable;
  GPtrArray       *members;         /* Member */
  guint            load_serial;     /* drops the answer of an older load */
  gboolean         started;

  char            *icon_account;    /* NULL: follow "icon-account" */
  double           time_scale;
  GNetworkMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (MqAccountSet, mq_account_set, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
settings_has_key (GSettings  *settings,
                  const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

static char *
dup_headline_model (MqAccountSet *self)
{
  if (!settings_has_key (self->settings, "icon-model"))
    return NULL;
  return g_settings_get_string (self->settings, "icon-model");
}

static guint
get_interval (MqAccountSet *self)
{
  if (!settings_has_key (self->settings, "refresh-interval"))
    return MQ_SCHEDULE_INTERVAL_DEFAULT_S;
  return g_settings_get_uint (self->settings, "refresh-interval");
}

static void
member_disconnect (Member  *member,
                   gpointer self)
{
  if (member->poller != NULL)
    g_signal_handlers_disconnect_by_data (member->poller, self);
  if (member->balance_poller != NULL)
    g_signal_handlers_disconnect_by_data (member->balance_poller, self);
}

static void
member_free (gpointer data)
{
  Member *member = data;

  g_clear_object (&member->poller);
  g_clear_object (&member->balance_poller);
  g_clear_object (&member->client);
  g_clear_pointer (&member->account, mq_account_unref);
  g_clear_error (&member->setup_error);
  g_free (member);
}

static gint
index_of_source (MqAccountSet *self,
                 gpointer      source)
{
  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if ((gpointer) member->poller == source || (gpointer) member->balance_poller == source)
        return (gint) i;
    }
  return -1;
}

static void
on_member_changed (gpointer      source,
                   MqAccountSet *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_member_updated (gpointer      source,
                   gpointer      fresh,
                   MqAccountSet *self)
{
  gint index = index_of_source (self, source);

  if (index >= 0)
    g_signal_emit (self, signals[SIGNAL_UPDATED], 0, (guint) index);
}

static void
member_apply_settings (MqAccountSet *self,
                       Member       *member)
{
  if (member->poller != NULL)
    {
      g_autofree char *model = dup_headline_model (self);
      MqThresholds thresholds = mq_config_get_thresholds (self->config);

      mq_poller_set_interval (member->poller, get_interval (self));
      mq_poller_set_thresholds (member->poller, &thresholds);
      mq_poller_set_headline_model (member->poller, model);
    }
  if (member->balance_poller != NULL)
    mq_balance_poller_set_interval (member->balance_poller, get_interval (self));
}

static Member *
member_new (MqAccountSet *self,
            MqAccount    *account)
{
  Member *member = g_new0 (Member, 1);

  member->account = mq_account_ref (account);
  member->client = mq_client_new ();
  if (!mq_config_apply_account_to_client (self->config, account, member->client,
                                          &member->setup_error))
    g_debug ("Account %s: the connection could not be set up", mq_account_get_name (account));

  if (mq_account_get_key_kind (account) == MQ_KEY_KIND_PAY_AS_YOU_GO)
    {
      member->balance_poller = mq_balance_poller_new (member->client);
      mq_balance_poller_set_time_scale_for_testing (member->balance_poller, self->time_scale);
      g_signal_connect (member->balance_poller, "changed", G_CALLBACK (on_member_changed), self);
      g_signal_connect (member->balance_poller, "updated", G_CALLBACK (on_member_updated), self);
    }
  else
    {
      member->poller = mq_poller_new (member->client);
      mq_poller_set_time_scale_for_testing (member->poller, self->time_scale);
      if (self->monitor != NULL)
        mq_poller_set_network_monitor (member->poller, self->monitor);
      g_signal_connect (member->poller, "changed", G_CALLBACK (on_member_changed), self);
      g_signal_connect (member->poller, "updated", G_CALLBACK (on_member_updated), self);
    }
  member_apply_settings (self, member);

  return member;
}

static void
member_start (Member *member)
{
  /* A connection that could not be set up is not asked: its error stands. */
  if (member->setup_error != NULL)
    return;
  if (member->poller != NULL)
    mq_poller_start (member->poller);
  else
    mq_balance_poller_start (member->balance_poller);
}

static gboolean
same_account (MqAccount *a,
              MqAccount *b)
{
  return g_strcmp0 (mq_account_get_name (a), mq_account_get_name (b)) == 0 &&
         mq_account_get_region (a) == mq_account_get_region (b) &&
         g_strcmp0 (mq_account_get_key (a), mq_account_get_key (b)) == 0;
}

void
mq_account_set_set_accounts (MqAccountSet *self,
                             GPtrArray    *accounts)
{
  g_autoptr(GPtrArray) old = NULL;
  guint n = accounts != NULL ? accounts->len : 0;

  g_return_if_fail (MQ_IS_ACCOUNT_SET (self));

  old = g_steal_pointer (&self->members);
  self->members = g_ptr_array_new_with_free_func (member_free);

  for (guint i = 0; i < n; i++)
    {
      MqAccount *account = g_ptr_array_index (accounts, i);
      Member *member = NULL;

      for (guint j = 0; j < old->len; j++)
        {
          Member *candidate = g_ptr_array_index (old, j);

          if (candidate != NULL && same_account (candidate->account, account))
            {
              member = g_ptr_array_steal_index (old, j);
              break;
            }
        }

      if (member == NULL)
        {
          member = member_new (self, account);
          g_ptr_array_add (self->members, member);
          member_start (member);
        }
      else
        g_ptr_array_add (self->members, member);
    }

  /* Dropped members: their fetches are cancelled with their pollers. */
  g_ptr_array_foreach (old, (GFunc) member_disconnect, self);
  g_clear_pointer (&old, g_ptr_array_unref);

  self->started = TRUE;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

typedef struct {
  GWeakRef self;
  guint    serial;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_weak_ref_clear (&data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(MqAccountSet) self = g_weak_ref_get (&data->self);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(GError) error = NULL;

  stored = mq_accounts_load_finish (MQ_ACCOUNTS (source), result, &error);
  if (self == NULL || data->serial != self->load_serial)
    return;
  if (error != NULL)
    g_debug ("The accounts could not be loaded (%s)", mq_error_code_nick (error));

  resolved = mq_config_resolve_accounts (self->config, stored);
  mq_account_set_set_accounts (self, resolved);
}

static void
load (MqAccountSet *self)
{
  LoadData *data;

  if (self->accounts == NULL)
    {
      g_autoptr(GPtrArray) resolved = mq_config_resolve_accounts (self->config, NULL);

      mq_account_set_set_accounts (self, resolved);
      return;
    }

  data = g_new0 (LoadData, 1);
  g_weak_ref_init (&data->self, self);
  data->serial = ++self->load_serial;
  mq_accounts_load_async (self->accounts, self->cancellable, on_loaded, data);
}

static void
on_accounts_changed (MqAccounts   *accounts,
                     MqAccountSet *self)
{
  if (self->started)
    load (self);
}

static void
on_settings_changed (GSettings    *settings,
                     const char   *key,
                     MqAccountSet *self)
{
  if (g_str_equal (key, "icon-account"))
    {
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return;
    }
  if (!g_str_equal (key, "refresh-interval") && !g_str_equal (key, "low-threshold") &&
      !g_str_equal (key, "critical-threshold") && !g_str_equal (key, "icon-model"))
    return;

  for (guint i = 0; i < self->members->len; i++)
    member_apply_settings (self, g_ptr_array_index (self->members, i));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
mq_account_set_dispose (GObject *object)
{
  MqAccountSet *self = MQ_ACCOUNT_SET (object);

  g_cancellable_cancel (self->cancellable);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->members != NULL)
    {
      g_ptr_array_foreach (self->members, (GFunc) member_disconnect, self);
      g_clear_pointer (&self->members, g_ptr_array_unref);
    }
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);
  g_clear_object (&self->config);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (mq_account_set_parent_class)->dispose (object);
}

static void
mq_account_set_finalize (GObject *object)
{
  MqAccountSet *self = MQ_ACCOUNT_SET (object);

  g_clear_object (&self->cancellable);
  g_free (self->icon_account);

  G_OBJECT_CLASS (mq_account_set_parent_class)->finalize (object);
}

static void
mq_account_set_class_init (MqAccountSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_account_set_dispose;
  object_class->finalize = mq_account_set_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
  signals[SIGNAL_UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
mq_account_set_init (MqAccountSet *self)
{
  self->cancellable = g_cancellable_new ();
  self->members = g_ptr_array_new_with_free_func (member_free);
  self->time_scale = 1.0;
}

MqAccountSet *
mq_account_set_new (MqConfig   *config,
                    MqAccounts *accounts)
{
  MqAccountSet *self;
  GSettings *settings;

  g_return_val_if_fail (MQ_IS_CONFIG (config), NULL);
  g_return_val_if_fail (accounts == NULL || MQ_IS_ACCOUNTS (accounts), NULL);

  self = g_object_new (MQ_TYPE_ACCOUNT_SET, NULL);
  self->config = g_object_ref (config);
  settings = mq_config_get_settings (config);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
    }
  if (accounts != NULL)
    {
      self->accounts = g_object_ref (accounts);
      g_signal_connect (accounts, "changed", G_CALLBACK (on_accounts_changed), self);
    }

  return self;
}

void
mq_account_set_start (MqAccountSet *self)
{
  g_return_if_fail (MQ_IS_ACCOUNT_SET (self));

  if (self->started || self->load_serial != 0)
    return;
  load (self);
}

void
mq_account_set_refresh (MqAccountSet *self)
{
  g_return_if_fail (MQ_IS_ACCOUNT_SET (self));

  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if (member->setup_error != NULL)
        continue;
      if (member->poller != NULL)
        mq_poller_refresh (member->poller);
      else
        mq_balance_poller_refresh (member->balance_poller);
    }
}

void
mq_account_set_restart (MqAccountSet *self)
{
  g_return_if_fail (MQ_IS_ACCOUNT_SET (self));

  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      g_clear_error (&member->setup_error);
      if (!mq_config_apply_account_to_client (self->config, member->account, member->client,
                                              &member->setup_error))
        {
          g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
          continue;
        }
      if (member->poller != NULL)
        {
          mq_poller_start (member->poller);
          mq_poller_restart (member->poller);
        }
      else
        {
          mq_balance_poller_start (member->balance_poller);
          mq_balance_poller_restart (member->balance_poller);
        }
    }
}

static Member *
get_member (MqAccountSet *self,
            guint         index)
{
  g_return_val_if_fail (MQ_IS_ACCOUNT_SET (self), NULL);
  g_return_val_if_fail (index < self->members->len, NULL);

  return g_ptr_array_index (self->members, index);
}

guint
mq_account_set_get_n_accounts (MqAccountSet *self)
{
  g_return_val_if_fail (MQ_IS_ACCOUNT_SET (self), 0);
  return self->members->len;
}

MqAccount *
mq_account_set_get_account (MqAccountSet *self,
                            guint         index)
{
  Member *member = get_member (self, index);

  return member != NULL ? member->account : NULL;
}

const char *
mq_account_set_get_name (MqAccountSet *self,
                         guint         index)
{
  Member *member = get_member (self, index);

  return member != NULL ? mq_account_get_name (member->account) : NULL;
}

MqKeyKind
mq_account_set_get_key_kind (MqAccountSet *self,
                             guint         index)
{
  Member *member = get_member (self, index);

  return member != NULL ? mq_account_get_key_kind (member->account) : MQ_KEY_KIND_TOKEN_PLAN;
}

gint
mq_account_set_find (MqAccountSet *self,
                     const char   *name)
{
  g_return_val_if_fail (MQ_IS_ACCOUNT_SET (self), -1);

  for (guint i = 0; name != NULL && i < self->members->len; i++)
    if (g_strcmp0 (mq_account_set_get_name (self, i), name) == 0)
      return (gint) i;
  return -1;
}

MqSnapshot *
mq_account_set_get_snapshot (MqAccountSet *self,
                             guint         index)
{
  Member *member = get_member (self, index);

  return member != NULL && member->poller != NULL ? mq_poller_get_snapshot (member->poller) : NULL;
}

MqBalance *
mq_account_set_get_balance (MqAccountSet *self,
                            guint         index)
{
  Member *member = get_member (self, index);

  return member != NULL && member->balance_poller != NULL
           ? mq_balance_poller_get_balance (member->balance_poller) : NULL;
}

const GError *
mq_account_set_get_error (MqAccountSet *self,
                          guint         index)
{
  Member *member = get_member (self, index);

  if (member == NULL)
    return NULL;
  if (member->setup_error != NULL)
    return member->setup_error;
  return member->poller != NULL ? mq_poller_get_error (member->poller)
                                : mq_balance_poller_get_error (member->balance_poller);
}

gboolean
mq_account_set_get_busy (MqAccountSet *self,
                         guint         index)
{
  Member *member = get_member (self, index);

  if (member == NULL)
    return FALSE;
  return member->poller != NULL ? mq_poller_get_busy (member->poller)
                                : mq_balance_poller_get_busy (member->balance_poller);
}

gint64
mq_account_set_get_last_success_ms (MqAccountSet *self,
                                    guint         index)
{
  Member *member = get_member (self, index);

  if (member == NULL)
    return 0;
  return member->poller != NULL ? mq_poller_get_last_success_ms (member->poller)
                                : mq_balance_poller_get_last_success_ms (member->balance_poller);
}

guint
mq_account_set_get_failures (MqAccountSet *self,
                             guint         index)
{
  Member *member = get_member (self, index);

  if (member == NULL)
    return 0;
  return member->poller != NULL ? mq_poller_get_failures (member->poller)
                                : mq_balance_poller_get_failures (member->balance_poller);
}

gint64
mq_account_set_get_rate_limited_until_ms (MqAccountSet *self,
                                          guint         index)
{
  Member *member = get_member (self, index);

  if (member == NULL)
    return 0;
  return member->poller != NULL ? mq_poller_get_rate_limited_until_ms (member->poller)
                                : mq_balance_poller_get_rate_limited_until_ms (member->balance_poller);
}

gint64
mq_account_set_get_next_delay_ms (MqAccountSet *self,
                                  guint         index)
{
  Member *member = get_member (self, index);

  if (member == NULL)
    return -1;
  return member->poller != NULL ? mq_poller_get_next_delay_ms (member->poller)
                                : mq_balance_poller_get_next_delay_ms (member->balance_poller);
}

MqPoller *
mq_account_set_get_poller (MqAccountSet *self,
                           guint         index)
{
  Member *member = get_member (self, index);

  return member != NULL ? member->poller : NULL;
}

MqBalancePoller *
mq_account_set_get_balance_poller (MqAccountSet *self,
                                   guint         index)
{
  Member *member = get_member (self, index);

  return member != NULL ? member->balance_poller : NULL;
}

gint
mq_account_set_pick_tightest (MqSnapshot * const *snapshots,
                              guint               n,
                              const char         *headline_model,
                              const MqThresholds *thresholds)
{
  gint best = -1;
  double best_percent = 0;

  for (guint i = 0; i < n; i++)
    {
      MqHeadline headline;

      if (snapshots[i] == NULL ||
          !mq_snapshot_get_headline (snapshots[i], headline_model, thresholds, &headline) ||
          headline.remaining_percent < 0)
        continue;
      if (best < 0 || headline.remaining_percent < best_percent)
        {
          best = (gint) i;
          best_percent = headline.remaining_percent;
        }
    }

  return best;
}

gint
mq_account_set_get_displayed (MqAccountSet *self)
{
  g_autofree char *chosen = NULL;
  g_autofree char *model = NULL;
  g_autofree MqSnapshot **snapshots = NULL;
  MqThresholds thresholds;
  gint index;

  g_return_val_if_fail (MQ_IS_ACCOUNT_SET (self), -1);

  if (self->members->len == 0)
    return -1;

  if (self->icon_account != NULL)
    chosen = g_strdup (self->icon_account);
  else if (settings_has_key (self->settings, "icon-account"))
    chosen = g_settings_get_string (self->settings, "icon-account");
  index = mq_account_set_find (self, chosen);
  if (index >= 0)
    return index;

  snapshots = g_new0 (MqSnapshot *, self->members->len);
  for (guint i = 0; i < self->members->len; i++)
    snapshots[i] = mq_account_set_get_snapshot (self, i);
  model = dup_headline_model (self);
  thresholds = mq_config_get_thresholds (self->config);
  index = mq_account_set_pick_tightest (snapshots, self->members->len, model, &thresholds);

  return index >= 0 ? index : 0;
}

void
mq_account_set_set_icon_account (MqAccountSet *self,
                                 const char   *name)
{
  g_return_if_fail (MQ_IS_ACCOUNT_SET (self));

  g_free (self->icon_account);
  self->icon_account = g_strdup (name);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
mq_account_set_set_time_scale_for_testing (MqAccountSet *self,
                                           double        scale)
{
  g_return_if_fail (MQ_IS_ACCOUNT_SET (self));

  self->time_scale = scale;
  for (guint i = 0; i < self->members->len; i++)
    {
      Member *member = g_ptr_array_index (self->members, i);

      if (member->poller != NULL)
        mq_poller_set_time_scale_for_testing (member->poller, scale);
      else
        mq_balance_poller_set_time_scale_for_testing (member->balance_poller, scale);
    }
}

void
mq_account_set_set_network_monitor (MqAccountSet    *self,
                                    GNetworkMonitor *monitor)
{
  g_return_if_fail (MQ_IS_ACCOUNT_SET (self));

  g_set_object (&self->monitor, monitor);
}
