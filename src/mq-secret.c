/* mq-secret.c: the API key in the keyring (libsecret) */
#define G_LOG_DOMAIN "mq-secret"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "mq-secret.h"

#define MQ_SECRET_ATTRIBUTE_REGION  "region"
#define MQ_SECRET_ATTRIBUTE_ACCOUNT "account"

/* Two kinds of items share the schema: the single key of older versions
 * (the "legacy" item: a "region" attribute, no "account") and one item
 * per account (an "account" attribute, no "region": the account's region
 * lives in GSettings). Clearing by region therefore never touches an
 * account's key, and clearing by account never touches the legacy one. */
static const SecretSchema mq_secret_schema = {
  APP_ID, SECRET_SCHEMA_NONE,
  {
    { MQ_SECRET_ATTRIBUTE_REGION, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { MQ_SECRET_ATTRIBUTE_ACCOUNT, SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* The region attribute values of the legacy item. */
static const char * const legacy_regions[] = { "any", "global", "cn", NULL };

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
/* Clear: the legacy item (one clear per region value), or an account's */
/* ------------------------------------------------------------------ */

typedef struct {
  char *account;      /* NULL: the legacy item */
  guint next_region;  /* legacy: the next of legacy_regions to clear */
  char *api_key;      /* to store once cleared, or NULL */
  char *label;
  char *region;       /* the legacy item's region attribute when storing */
} ClearData;

static void
clear_data_free (gpointer data)
{
  ClearData *clear = data;

  g_free (clear->account);
  mq_secret_free_key (clear->api_key);
  g_free (clear->label);
  g_free (clear->region);
  g_free (clear);
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

static void clear_next (GTask *task);

static void
on_cleared_one (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear, which is fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  clear_next (g_steal_pointer (&task));
}

/* Clears what is left to clear, then stores the key when there is one. */
static void
clear_next (GTask *task)
{
  ClearData *clear = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (clear->account == NULL && legacy_regions[clear->next_region] != NULL)
    {
      const char *region = legacy_regions[clear->next_region++];

      secret_password_clear (&mq_secret_schema, cancellable, on_cleared_one, task,
                             MQ_SECRET_ATTRIBUTE_REGION, region, NULL);
      return;
    }
  if (clear->account != NULL && clear->next_region == 0)
    {
      clear->next_region = 1;
      secret_password_clear (&mq_secret_schema, cancellable, on_cleared_one, task,
                             MQ_SECRET_ATTRIBUTE_ACCOUNT, clear->account, NULL);
      return;
    }

  if (clear->api_key == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  if (clear->account != NULL)
    secret_password_store (&mq_secret_schema, SECRET_COLLECTION_DEFAULT,
                           clear->label, clear->api_key, cancellable, on_stored, task,
                           MQ_SECRET_ATTRIBUTE_ACCOUNT, clear->account, NULL);
  else
    secret_password_store (&mq_secret_schema, SECRET_COLLECTION_DEFAULT,
                           clear->label, clear->api_key, cancellable, on_stored, task,
                           MQ_SECRET_ATTRIBUTE_REGION, clear->region, NULL);
}

/* Clears the item of @account (NULL: the legacy item), then stores
 * @api_key (nullable) in its place. */
static void
clear_and_store (gpointer             source_tag,
                 const char          *account,
                 const char          *api_key,
                 MqRegion             region,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ClearData *clear = g_new0 (ClearData, 1);

  g_task_set_source_tag (task, source_tag);
  clear->account = g_strdup (account);
  clear->api_key = g_strdup (api_key);
  clear->region = g_strdup (region_attribute (region));
  if (account != NULL)
    /* Translators: the label of a key in the keyring; %s is the name of
     * the account, e.g. "Team". */
    clear->label = g_strdup_printf (_("Leeway API key (%s)"), account);
  else
    clear->label = g_strdup (_("Leeway API key"));
  g_task_set_task_data (task, clear, clear_data_free);

  clear_next (task);
}

static gboolean
clear_and_store_finish (GAsyncResult  *result,
                        gpointer       source_tag,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mq_secret_store_async (const char          *api_key,
                       MqRegion             region,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (api_key != NULL && *api_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  clear_and_store (mq_secret_store_async, NULL, api_key, region,
                   cancellable, callback, user_data);
}

gboolean
mq_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  return clear_and_store_finish (result, mq_secret_store_async, error);
}

void
mq_secret_clear_async (GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  clear_and_store (mq_secret_clear_async, NULL, NULL, MQ_REGION_AUTO,
                   cancellable, callback, user_data);
}

gboolean
mq_secret_clear_finish (GAsyncResult  *result,
                        GError       **error)
{
  return clear_and_store_finish (result, mq_secret_clear_async, error);
}

void
mq_secret_store_account_async (const char          *account,
                               const char          *api_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (api_key != NULL && *api_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  clear_and_store (mq_secret_store_account_async, account, api_key, MQ_REGION_AUTO,
                   cancellable, callback, user_data);
}

gboolean
mq_secret_store_account_finish (GAsyncResult  *result,
                                GError       **error)
{
  return clear_and_store_finish (result, mq_secret_store_account_async, error);
}

void
mq_secret_clear_account_async (const char          *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  clear_and_store (mq_secret_clear_account_async, account, NULL, MQ_REGION_AUTO,
                   cancellable, callback, user_data);
}

gboolean
mq_secret_clear_account_finish (GAsyncResult  *result,
                                GError       **error)
{
  return clear_and_store_finish (result, mq_secret_clear_account_async, error);
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
  char         *account;        /* NULL: the legacy item */
  MqRegion      region;         /* the legacy item's region attribute */
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
  g_free (lookup->account);
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

/* Whether @item is the one asked for: the legacy item has no account
 * attribute (its region is noted), an account's item has its name. */
static gboolean
item_matches (SecretRetrievable *item,
              LookupData        *lookup)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
  const char *account = attributes != NULL
    ? g_hash_table_lookup (attributes, MQ_SECRET_ATTRIBUTE_ACCOUNT) : NULL;
  const char *region = attributes != NULL
    ? g_hash_table_lookup (attributes, MQ_SECRET_ATTRIBUTE_REGION) : NULL;

  if (lookup->account != NULL)
    return g_strcmp0 (account, lookup->account) == 0;

  if (account != NULL)
    return FALSE;
  if (region == NULL || !mq_region_from_string (region, &lookup->region))
    lookup->region = MQ_REGION_AUTO;
  return TRUE;
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

      if (!item_matches (item, lookup))
        continue;

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
      lookup->region = MQ_REGION_AUTO;
      lookup_return (task, NULL, NULL);
    }

  g_list_free_full (items, g_object_unref);
}

static void
lookup_start (gpointer             source_tag,
              const char          *account,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  LookupData *lookup;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  lookup = g_new0 (LookupData, 1);
  lookup->inner = g_cancellable_new ();
  lookup->account = g_strdup (account);
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

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  if (account != NULL)
    g_hash_table_insert (attributes, (gpointer) MQ_SECRET_ATTRIBUTE_ACCOUNT, (gpointer) account);

  /* No SECRET_SEARCH_UNLOCK: a locked item is returned as locked, and
   * no unlock prompt is ever shown for it. */
  secret_password_searchv (&mq_secret_schema, attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                           lookup->inner, on_searched, g_steal_pointer (&task));
}

static char *
lookup_finish (GAsyncResult  *result,
               gpointer       source_tag,
               MqRegion      *out_region,
               GError       **error)
{
  LookupData *lookup;
  char *key;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  lookup = g_task_get_task_data (G_TASK (result));
  key = g_task_propagate_pointer (G_TASK (result), error);
  if (out_region != NULL)
    *out_region = key != NULL ? lookup->region : MQ_REGION_AUTO;
  return key;
}

void
mq_secret_lookup_async (GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  lookup_start (mq_secret_lookup_async, NULL, cancellable, callback, user_data);
}

char *
mq_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  return lookup_finish (result, mq_secret_lookup_async, NULL, error);
}

char *
mq_secret_lookup_finish_full (GAsyncResult  *result,
                              MqRegion      *out_region,
                              GError       **error)
{
  return lookup_finish (result, mq_secret_lookup_async, out_region, error);
}

void
mq_secret_lookup_account_async (const char          *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  lookup_start (mq_secret_lookup_account_async, account, cancellable, callback, user_data);
}

char *
mq_secret_lookup_account_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return lookup_finish (result, mq_secret_lookup_account_async, NULL, error);
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

/* The asynchronous lookup on a private context: its timeout bounds the
 * wait even when libsecret's own calls never come back (they are then
 * abandoned with that context). */
static char *
lookup_sync (const char    *account,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  SyncData sync = { NULL };

  g_main_context_push_thread_default (context);
  if (account != NULL)
    mq_secret_lookup_account_async (account, cancellable, on_sync_done, &sync);
  else
    mq_secret_lookup_async (cancellable, on_sync_done, &sync);
  while (sync.result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  result = g_steal_pointer (&sync.result);
  if (account != NULL)
    return mq_secret_lookup_account_finish (result, error);
  return mq_secret_lookup_finish (result, error);
}

char *
mq_secret_lookup_sync (GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  return lookup_sync (NULL, cancellable, error);
}

char *
mq_secret_lookup_account_sync (const char    *account,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_return_val_if_fail (account != NULL && *account != '\0', NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  return lookup_sync (account, cancellable, error);
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
