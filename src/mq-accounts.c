/* mq-accounts.c: the list of accounts (GSettings) and their keys (keyring) */
#define G_LOG_DOMAIN "mq-accounts"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-accounts-private.h"
#include "mq-client.h"
#include "mq-config.h"
#include "mq-error.h"
#include "mq-secret.h"


G_DEFINE_FINAL_TYPE (MqAccounts, mq_accounts, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
on_settings_changed (GSettings  *settings,
                     const char *key,
                     gpointer    user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_CHANGED], 0);
}

static void
mq_accounts_finalize (GObject *object)
{
  MqAccounts *self = MQ_ACCOUNTS (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mq_accounts_parent_class)->finalize (object);
}

static void
mq_accounts_class_init (MqAccountsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mq_accounts_finalize;

  /* The list changed (here or in another process). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
mq_accounts_init (MqAccounts *self)
{
}

MqAccounts *
mq_accounts_new (GSettings *settings)
{
  MqAccounts *self = g_object_new (MQ_TYPE_ACCOUNTS, NULL);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) own = NULL;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (settings == NULL)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
      if (schema != NULL)
        settings = own = g_settings_new_full (schema, NULL, NULL);
    }
  else
    {
      g_object_get (settings, "settings-schema", &schema, NULL);
    }

  if (settings != NULL && mq_config_schema_has_key (schema, KEY_ACCOUNTS, "a(ss)"))
    {
      self->settings = g_object_ref (settings);
      self->has_migrated_key = mq_config_schema_has_key (schema, KEY_MIGRATED, "b");
      g_signal_connect (self->settings, "changed::" KEY_ACCOUNTS,
                        G_CALLBACK (on_settings_changed), self);
    }

  return self;
}

/* ------------------------------------------------------------------ */
/* The list                                                             */
/* ------------------------------------------------------------------ */

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
}

/* The stored list; names that are not valid (edited by hand) and
 * duplicates are skipped, an unknown region reads as auto. */
GArray *
mq_accounts_read_list (MqAccounts *self)
{
  GArray *list = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  const char *name, *region;

  g_array_set_clear_func (list, entry_clear);
  if (self->settings == NULL)
    return list;

  value = g_settings_get_value (self->settings, KEY_ACCOUNTS);
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "(&s&s)", &name, &region))
    {
      Entry entry = { NULL, MQ_REGION_AUTO };
      gboolean duplicate = FALSE;

      if (!mq_account_name_validate (name, NULL))
        {
          g_debug ("Skipping an account whose stored name is not valid");
          continue;
        }
      for (guint i = 0; i < list->len && !duplicate; i++)
        duplicate = g_str_equal (g_array_index (list, Entry, i).name, name);
      if (duplicate)
        continue;

      if (!mq_region_from_string (region, &entry.region))
        entry.region = MQ_REGION_AUTO;
      entry.name = g_strdup (name);
      g_array_append_val (list, entry);
    }

  return list;
}

static void
write_list (MqAccounts *self,
            GArray     *list)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ss)"));
  for (guint i = 0; i < list->len; i++)
    {
      Entry *entry = &g_array_index (list, Entry, i);

      g_variant_builder_add (&builder, "(ss)", entry->name, mq_region_to_string (entry->region));
    }
  g_settings_set_value (self->settings, KEY_ACCOUNTS, g_variant_builder_end (&builder));
}

static gint
list_find (GArray     *list,
           const char *name)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_array_index (list, Entry, i).name, name))
      return (gint) i;
  return -1;
}

guint
mq_accounts_get_n_accounts (MqAccounts *self)
{
  g_autoptr(GArray) list = NULL;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), 0);

  list = mq_accounts_read_list (self);
  return list->len;
}

char *
mq_accounts_dup_name (MqAccounts *self,
                      guint       index)
{
  g_autoptr(GArray) list = NULL;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), NULL);

  list = mq_accounts_read_list (self);
  g_return_val_if_fail (index < list->len, NULL);
  return g_strdup (g_array_index (list, Entry, index).name);
}

MqRegion
mq_accounts_get_region (MqAccounts *self,
                        guint       index)
{
  g_autoptr(GArray) list = NULL;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), MQ_REGION_AUTO);

  list = mq_accounts_read_list (self);
  g_return_val_if_fail (index < list->len, MQ_REGION_AUTO);
  return g_array_index (list, Entry, index).region;
}

gint
mq_accounts_find (MqAccounts *self,
                  const char *name)
{
  g_autoptr(GArray) list = NULL;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  list = mq_accounts_read_list (self);
  return list_find (list, name);
}

static gboolean
check_writable (MqAccounts  *self,
                GError     **error)
{
  if (self->settings != NULL)
    return TRUE;

  g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
               /* Translators: %s is the settings schema id. */
               _("Accounts cannot be stored: the settings schema %s is not installed or out of date. Reinstall Leeway."),
               APP_ID);
  return FALSE;
}

static gboolean
check_known (MqAccounts  *self,
             const char  *name,
             GError     **error)
{
  if (name != NULL && mq_accounts_find (self, name) >= 0)
    return TRUE;

  g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
               _("There is no account named “%s”."), name != NULL ? name : "");
  return FALSE;
}

gboolean
mq_accounts_check_name (MqAccounts  *self,
                        const char  *name,
                        const char  *renaming,
                        GError     **error)
{
  g_autoptr(GArray) list = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), FALSE);

  if (!mq_account_name_validate (name, error))
    return FALSE;

  list = mq_accounts_read_list (self);
  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; i < list->len; i++)
    {
      const char *other = g_array_index (list, Entry, i).name;
      g_autofree char *other_folded = NULL;

      if (renaming != NULL && g_str_equal (other, renaming))
        continue;
      other_folded = g_utf8_casefold (other, -1);
      if (g_str_equal (folded, other_folded))
        {
          g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                       _("There is already an account named “%s”. Choose another name."),
                       other);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
mq_accounts_set_region (MqAccounts  *self,
                        const char  *name,
                        MqRegion     region,
                        GError     **error)
{
  g_autoptr(GArray) list = NULL;
  gint index;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (region <= MQ_REGION_CN, FALSE);

  if (!check_writable (self, error) || !check_known (self, name, error))
    return FALSE;

  list = mq_accounts_read_list (self);
  index = list_find (list, name);
  if (g_array_index (list, Entry, index).region == region)
    return TRUE;
  g_array_index (list, Entry, index).region = region;
  write_list (self, list);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Add                                                                  */
/* ------------------------------------------------------------------ */

static void
op_data_free (gpointer data)
{
  OpData *op = data;

  g_free (op->name);
  g_free (op->new_name);
  mq_secret_free_key (op->key);
  g_clear_pointer (&op->list, g_array_unref);
  g_clear_pointer (&op->loaded, g_ptr_array_unref);
  g_free (op);
}

GTask *
mq_accounts_op_new (MqAccounts          *self,
        gpointer             source_tag,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data,
        OpData             **out_op)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  OpData *op = g_new0 (OpData, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_data_free);
  *out_op = op;
  return task;
}

/* The task of an operation on the stored account @name (@out_op's name
 * set); NULL, the callback told of the error, when the list cannot be
 * written or has no such account. */
static GTask *
known_account_op_new (MqAccounts          *self,
                      gpointer             source_tag,
                      const char          *name,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      OpData             **out_op)
{
  g_autoptr(GTask) task = mq_accounts_op_new (self, source_tag, cancellable, callback, user_data, out_op);
  GError *error = NULL;

  (*out_op)->name = g_strdup (name);
  if (!check_writable (self, &error) || !check_known (self, name, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  return g_steal_pointer (&task);
}

static gboolean
op_finish (MqAccounts    *self,
           GAsyncResult  *result,
           gpointer       source_tag,
           GError       **error)
{
  g_return_val_if_fail (MQ_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Appends @name to the list (again checked: the list may have changed
 * while the keyring was busy). */
gboolean
mq_accounts_list_append (MqAccounts  *self,
             const char  *name,
             MqRegion     region,
             GError     **error)
{
  g_autoptr(GArray) list = NULL;
  Entry entry;

  if (!mq_accounts_check_name (self, name, NULL, error))
    return FALSE;

  list = mq_accounts_read_list (self);
  entry.name = g_strdup (name);
  entry.region = region;
  g_array_append_val (list, entry);
  write_list (self, list);
  return TRUE;
}

static void
on_add_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MqAccounts *self = g_task_get_source_object (task);
  OpData *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mq_secret_store_account_finish (result, &error) ||
      !mq_accounts_list_append (self, op->name, op->region, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
mq_accounts_add_async (MqAccounts          *self,
                       const char          *name,
                       MqRegion             region,
                       const char          *key,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  OpData *op;

  g_return_if_fail (MQ_IS_ACCOUNTS (self));
  g_return_if_fail (region <= MQ_REGION_CN);

  task = mq_accounts_op_new (self, mq_accounts_add_async, cancellable, callback, user_data, &op);
  op->name = g_strdup (name);
  op->region = region;
  op->key = key != NULL ? g_strstrip (g_strdup (key)) : NULL;

  if (!check_writable (self, &error) ||
      !mq_accounts_check_name (self, name, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (op->key == NULL || *op->key == '\0')
    {
      g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_NO_KEY,
                               _("An account needs an API key."));
      return;
    }
  if (!mq_api_key_check (op->key, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  mq_secret_store_account_async (op->name, op->key, cancellable, on_add_stored,
                                 g_steal_pointer (&task));
}

gboolean
mq_accounts_add_finish (MqAccounts    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return op_finish (self, result, mq_accounts_add_async, error);
}

/* ------------------------------------------------------------------ */
/* Rename: look the key up, store it under the new name, clear the old  */
/* ------------------------------------------------------------------ */

static void
rename_in_list (GTask *task)
{
  MqAccounts *self = g_task_get_source_object (task);
  OpData *op = g_task_get_task_data (task);
  g_autoptr(GArray) list = mq_accounts_read_list (self);
  gint index = list_find (list, op->name);

  if (index < 0)
    {
      g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                               _("There is no account named “%s”."), op->name);
      return;
    }

  g_free (g_array_index (list, Entry, index).name);
  g_array_index (list, Entry, index).name = g_strdup (op->new_name);
  write_list (self, list);
  g_task_return_boolean (task, TRUE);
}

static void
on_rename_old_cleared (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The key is under the new name already: a stale old item is only
   * untidy, never read again. */
  if (!mq_secret_clear_account_finish (result, &error))
    g_debug ("Could not remove the key under the account’s old name: %s", error->message);

  rename_in_list (task);
}

static void
on_rename_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!mq_secret_store_account_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  mq_secret_clear_account_async (op->name, cancellable,
                                 on_rename_old_cleared, g_steal_pointer (&task));
}

static void
on_rename_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  OpData *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->key = mq_secret_lookup_account_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (op->key == NULL)
    {
      /* No key to move (none stored, or a locked keyring): the key stays
       * where it is, under the old name, rather than be lost. */
      g_task_return_new_error (task, MQ_ERROR, MQ_ERROR_NO_KEY,
                               _("The key of the account “%s” could not be read from the keyring (is it locked?). Unlock it and try again."),
                               op->name);
      return;
    }

  mq_secret_store_account_async (op->new_name, op->key, cancellable,
                                 on_rename_stored, g_steal_pointer (&task));
}

void
mq_accounts_rename_async (MqAccounts          *self,
                          const char          *name,
                          const char          *new_name,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  OpData *op;

  g_return_if_fail (MQ_IS_ACCOUNTS (self));

  task = known_account_op_new (self, mq_accounts_rename_async, name, cancellable,
                               callback, user_data, &op);
  if (task == NULL)
    return;
  op->new_name = g_strdup (new_name);

  if (!mq_accounts_check_name (self, new_name, name, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_str_equal (name, new_name))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  mq_secret_lookup_account_async (name, cancellable, on_rename_looked_up,
                                  g_steal_pointer (&task));
}

gboolean
mq_accounts_rename_finish (MqAccounts    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return op_finish (self, result, mq_accounts_rename_async, error);
}

/* ------------------------------------------------------------------ */
/* Remove                                                               */
/* ------------------------------------------------------------------ */

static void
on_remove_cleared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MqAccounts *self = g_task_get_source_object (task);
  OpData *op = g_task_get_task_data (task);
  g_autoptr(GArray) list = NULL;
  GError *error = NULL;
  gint index;

  if (!mq_secret_clear_account_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  list = mq_accounts_read_list (self);
  index = list_find (list, op->name);
  if (index >= 0)
    {
      g_array_remove_index (list, (guint) index);
      write_list (self, list);
    }
  g_task_return_boolean (task, TRUE);
}

void
mq_accounts_remove_async (MqAccounts          *self,
                          const char          *name,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *op;

  g_return_if_fail (MQ_IS_ACCOUNTS (self));

  task = known_account_op_new (self, mq_accounts_remove_async, name, cancellable,
                               callback, user_data, &op);
  if (task == NULL)
    return;

  mq_secret_clear_account_async (name, cancellable, on_remove_cleared, g_steal_pointer (&task));
}

gboolean
mq_accounts_remove_finish (MqAccounts    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return op_finish (self, result, mq_accounts_remove_async, error);
}
