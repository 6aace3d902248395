/* mq-accounts-load.c: the accounts at start: the old key migrated, every key loaded */
#define G_LOG_DOMAIN "mq-accounts"

#include "config.h"

#include "mq-accounts-private.h"
#include "mq-secret.h"

/* ------------------------------------------------------------------ */
/* Migration of the single key of older versions                        */
/* ------------------------------------------------------------------ */

static void
mark_migrated (MqAccounts *self)
{
  if (self->has_migrated_key)
    g_settings_set_boolean (self->settings, KEY_MIGRATED, TRUE);
}

static void
on_migrate_legacy_cleared (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The key is safe under "default"; an old item left behind is never
   * read again (the migration is marked done). */
  if (!mq_secret_clear_finish (result, &error))
    g_debug ("Could not remove the old key item: %s", error->message);

  g_task_return_int (task, TRUE);
}

static void
on_migrate_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MqAccounts *self = g_task_get_source_object (task);
  OpData *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mq_secret_store_account_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (mq_accounts_get_n_accounts (self) == 0 &&
      !mq_accounts_list_append (self, MQ_ACCOUNT_DEFAULT_NAME, op->region, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  mark_migrated (self);

  mq_secret_clear_async (cancellable, on_migrate_legacy_cleared,
                         g_steal_pointer (&task));
}

static void
on_migrate_looked_up (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  MqAccounts *self = g_task_get_source_object (task);
  OpData *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->key = mq_secret_lookup_finish_full (result, &op->region, &error);
  if (error != NULL)
    {
      /* Left for the next start: the key must not be lost. */
      g_task_return_error (task, error);
      return;
    }

  if (op->key == NULL)
    {
      mark_migrated (self);
      g_task_return_int (task, FALSE);
      return;
    }

  mq_secret_store_account_async (MQ_ACCOUNT_DEFAULT_NAME, op->key, cancellable,
                                 on_migrate_stored, g_steal_pointer (&task));
}

void
mq_accounts_migrate_async (MqAccounts          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (MQ_IS_ACCOUNTS (self));

  task = mq_accounts_op_new (self, mq_accounts_migrate_async, cancellable, callback, user_data, &op);

  if (self->settings == NULL ||
      (self->has_migrated_key && g_settings_get_boolean (self->settings, KEY_MIGRATED)))
    {
      g_task_return_int (task, FALSE);
      return;
    }

  if (mq_accounts_get_n_accounts (self) > 0)
    {
      mark_migrated (self);
      g_task_return_int (task, FALSE);
      return;
    }

  mq_secret_lookup_async (cancellable, on_migrate_looked_up, g_steal_pointer (&task));
}

gboolean
mq_accounts_migrate_finish (MqAccounts    *self,
                            GAsyncResult  *result,
                            gboolean      *out_migrated,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize migrated;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_accounts_migrate_async, FALSE);

  migrated = g_task_propagate_int (G_TASK (result), &local_error);
  if (out_migrated != NULL)
    *out_migrated = local_error == NULL && migrated > 0;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Load: every account with its key                                     */
/* ------------------------------------------------------------------ */

static void load_next (GTask *task);

static void
on_load_looked_up (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Entry *entry = &g_array_index (op->list, Entry, op->next);
  char *key;

  key = mq_secret_lookup_account_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    g_debug ("The key of an account could not be read: %s", error->message);

  g_ptr_array_add (op->loaded, mq_account_new (entry->name, entry->region, key));
  mq_secret_free_key (key);
  op->next++;
  load_next (g_steal_pointer (&task));
}

static void
load_next (GTask *task)
{
  OpData *op = g_task_get_task_data (task);

  if (op->next >= op->list->len)
    {
      g_task_return_pointer (task, g_ptr_array_ref (op->loaded), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  mq_secret_lookup_account_async (g_array_index (op->list, Entry, op->next).name,
                                  g_task_get_cancellable (task), on_load_looked_up, task);
}

void
mq_accounts_load_async (MqAccounts          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  OpData *op;

  g_return_if_fail (MQ_IS_ACCOUNTS (self));

  task = mq_accounts_op_new (self, mq_accounts_load_async, cancellable, callback, user_data, &op);
  op->list = mq_accounts_read_list (self);
  op->loaded = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);
  load_next (task);
}

GPtrArray *
mq_accounts_load_finish (MqAccounts    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_accounts_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_load_sync_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GPtrArray *
mq_accounts_load_sync (MqAccounts    *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), NULL);

  /* Each lookup is bounded on this private context. */
  g_main_context_push_thread_default (context);
  mq_accounts_load_async (self, cancellable, on_load_sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return mq_accounts_load_finish (self, result, error);
}
