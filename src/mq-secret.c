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
mq_key_wipe (char *key)
{
  if (key == NULL)
    return;

  /* explicit_bzero(): a plain memset() before free() may be dropped by the
   * compiler as a dead store. */
  explicit_bzero (key, strlen (key));
}

void
mq_secret_free_key (char *key)
{
  mq_key_wipe (key);
  g_free (key);
}

static void
free_key_notify (gpointer key)
{
  mq_secret_free_key (key);
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
/* Lookup: bounded, never unlocking                                     */
/* ------------------------------------------------------------------ */

/* The keyring may never answer (a Secret Service that hangs, a stopped
 * session bus) or answer only after an unlock prompt nobody completes. The
 * lookup gives up after this long, and never asks for an unlock: a locked
 * item counts as no item, and the caller falls back to the environment. */
#define MQ_SECRET_LOOKUP_TIMEOUT_MS 1500

typedef struct {
  GCancellable *inner;          /* cancels libsecret's calls */
  GCancellable *outer;          /* the caller's, nullable */
  gulong        outer_id;
  GSource      *timeout;
  gboolean      returned;
} LookupData;

static void
lookup_data_free (gpointer data)
{
  LookupData *lookup = data;

  if (lookup->outer_id != 0)
    g_cancellable_disconnect (lookup->outer, lookup->outer_id);
  g_clear_object (&lookup->outer);
  if (lookup->timeout != NULL)
    {
      g_source_destroy (lookup->timeout);
      g_source_unref (lookup->timeout);
    }
  g_clear_object (&lookup->inner);
  g_free (lookup);
}

/* Returns once: the first of the answer, the timeout and a cancellation
 * wins; what comes later is dropped (and wiped). */
static void
lookup_return (GTask  *task,
               char   *key,
               GError *error)
{
  LookupData *lookup = g_task_get_task_data (task);

  if (lookup->returned)
    {
      mq_secret_free_key (key);
      g_clear_error (&error);
      return;
    }
  lookup->returned = TRUE;

  if (lookup->timeout != NULL)
    {
      g_source_destroy (lookup->timeout);
      g_clear_pointer (&lookup->timeout, g_source_unref);
    }

  if (error != NULL)
    {
      mq_secret_free_key (key);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, key, free_key_notify);
}

static gboolean
on_lookup_timeout (gpointer user_data)
{
  GTask *task = user_data;
  LookupData *lookup = g_task_get_task_data (task);

  g_debug ("The keyring did not answer within %d ms: not waiting for it",
           MQ_SECRET_LOOKUP_TIMEOUT_MS);
  g_clear_pointer (&lookup->timeout, g_source_unref);
  lookup_return (task, NULL,
                 g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                              _("The keyring did not answer in time.")));
  g_cancellable_cancel (lookup->inner);

  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
on_secret_retrieved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SecretValue *value;
  char *key = NULL;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value != NULL)
    {
      const char *text = secret_value_get_text (value);

      if (text != NULL && *text != '\0')
        key = g_strdup (text);
      secret_value_unref (value);
    }

  lookup_return (task, key, g_steal_pointer (&error));
}

static void
on_searched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LookupData *lookup = g_task_get_task_data (task);
  GList *items;
  gboolean locked = FALSE;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_list_free_full (items, g_object_unref);
      lookup_return (task, NULL, g_steal_pointer (&error));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;

      if (SECRET_IS_ITEM (item) && secret_item_get_locked (SECRET_ITEM (item)))
        {
          locked = TRUE;
          continue;
        }

      secret_retrievable_retrieve_secret (item, lookup->inner, on_secret_retrieved,
                                          g_steal_pointer (&task));
      break;
    }

  if (task != NULL)
    {
      if (locked)
        g_debug ("The stored key is in a locked keyring: not unlocking it, using the environment");
      lookup_return (task, NULL, NULL);
    }

  g_list_free_full (items, g_object_unref);
}

void
mq_secret_lookup_async (GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *lookup;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mq_secret_lookup_async);

  lookup = g_new0 (LookupData, 1);
  lookup->inner = g_cancellable_new ();
  g_task_set_task_data (task, lookup, lookup_data_free);

  if (cancellable != NULL)
    {
      lookup->outer = g_object_ref (cancellable);
      lookup->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                                g_object_ref (lookup->inner), g_object_unref);
    }

  lookup->timeout = g_timeout_source_new (MQ_SECRET_LOOKUP_TIMEOUT_MS);
  g_source_set_callback (lookup->timeout, on_lookup_timeout, g_object_ref (task), g_object_unref);
  g_source_set_static_name (lookup->timeout, "[mq] keyring lookup timeout");
  g_source_attach (lookup->timeout, g_task_get_context (task));

  /* No SECRET_SEARCH_UNLOCK: a locked item is returned as locked, and
   * no unlock prompt is ever shown for it. */
  secret_password_search (&mq_secret_schema, SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                          lookup->inner, on_searched, g_steal_pointer (&task),
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

typedef struct {
  GAsyncResult *result;
} SyncData;

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncData *sync = user_data;

  sync->result = g_object_ref (result);
}

char *
mq_secret_lookup_sync (GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  SyncData sync = { NULL };

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  /* The asynchronous lookup on a private context: its timeout bounds the
   * wait even when libsecret's own calls never come back (they are then
   * abandoned with that context). */
  g_main_context_push_thread_default (context);
  mq_secret_lookup_async (cancellable, on_sync_done, &sync);
  while (sync.result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  result = g_steal_pointer (&sync.result);
  return mq_secret_lookup_finish (result, error);
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
