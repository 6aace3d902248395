/* mq-secret.c: the API key in the keyring (libsecret) */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "mq-secret.h"

#define MQ_SECRET_ATTRIBUTE_REGION "region"

static const SecretSchema mq_secret_schema = {
  APP_ID, SECRET_SCHEMA_NONE,
  {
    { MQ_SECRET_ATTRIBUTE_REGION, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

void
mq_secret_free_key (char *key)
{
  if (key == NULL)
    return;

  explicit_bzero (key, strlen (key));
  g_free (key);
}

static void
free_key_notify (gpointer key)
{
  mq_secret_free_key (key);
}

/* Moves a libsecret password into ordinary memory that
 * mq_secret_free_key() can wipe and free. */
static char *
take_password (char *password)
{
  char *key = NULL;

  if (password != NULL && *password != '\0')
    key = g_strdup (password);
  secret_password_free (password);

  return key;
}

static const char *
region_attribute (MqRegion region)
{
  switch (region)
    {
    case MQ_REGION_GLOBAL: return "global";
    case MQ_REGION_CN: return "cn";
    case MQ_REGION_AUTO:
    default: return "any";
    }
}

/* ------------------------------------------------------------------ */
/* Store: clear every key of ours, then store the new one               */
/* ------------------------------------------------------------------ */

typedef struct {
  char     *api_key;
  MqRegion  region;
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *store = data;

  mq_secret_free_key (store->api_key);
  g_free (store);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_cleared_for_store (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  StoreData *store = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* FALSE without an error: there was nothing to clear. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  secret_password_store (&mq_secret_schema, SECRET_COLLECTION_DEFAULT,
                         _("MiniMax Quota API key"), store->api_key,
                         cancellable, on_stored, g_steal_pointer (&task),
                         MQ_SECRET_ATTRIBUTE_REGION, region_attribute (store->region),
                         NULL);
}

void
mq_secret_store_async (const char          *api_key,
                       MqRegion             region,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreData *store;

  g_return_if_fail (api_key != NULL && *api_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mq_secret_store_async);

  store = g_new0 (StoreData, 1);
  store->api_key = g_strdup (api_key);
  store->region = region;
  g_task_set_task_data (task, store, store_data_free);

  secret_password_clear (&mq_secret_schema, cancellable,
                         on_cleared_for_store, g_steal_pointer (&task),
                         NULL);
}

gboolean
mq_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_secret_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Lookup                                                               */
/* ------------------------------------------------------------------ */

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      secret_password_free (password);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, take_password (password), free_key_notify);
}

void
mq_secret_lookup_async (GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mq_secret_lookup_async);

  secret_password_lookup (&mq_secret_schema, cancellable,
                          on_looked_up, g_steal_pointer (&task),
                          NULL);
}

char *
mq_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_secret_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
mq_secret_lookup_sync (GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *password;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  password = secret_password_lookup_sync (&mq_secret_schema, cancellable,
                                          &local_error, NULL);
  if (local_error != NULL)
    {
      secret_password_free (password);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return take_password (password);
}

/* ------------------------------------------------------------------ */
/* Clear                                                                */
/* ------------------------------------------------------------------ */

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear, which is fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
mq_secret_clear_async (GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mq_secret_clear_async);

  secret_password_clear (&mq_secret_schema, cancellable,
                         on_cleared, g_steal_pointer (&task),
                         NULL);
}

gboolean
mq_secret_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_secret_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* Which key to use                                                     */
/* ------------------------------------------------------------------ */

char *
mq_secret_resolve_key (const char *keyring_key,
                       MqRegion    region,
                       MqRegion   *out_key_region)
{
  if (keyring_key != NULL && *keyring_key != '\0')
    {
      if (out_key_region != NULL)
        *out_key_region = region;
      return g_strdup (keyring_key);
    }

  return mq_region_key_from_environment (region, out_key_region);
}
