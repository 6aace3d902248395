/* test-accounts.c: the account list (GSettings, memory backend) and its keys
 * (libsecret's file backend), names, migration of the single old key, and
 * the connections resolved from them
 *
 * Runs with the schema compiled in <builddir>/data, GSETTINGS_BACKEND=memory,
 * SECRET_BACKEND=file and a keyring file of its own in a temporary folder.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mq-accounts.h"
#include "mq-client.h"
#include "mq-config.h"
#include "mq-error.h"
#include "mq-secret.h"
#include "mq-test-util.h"

#define KEY_OLD   "sk-cp-OLD-single-key-0123456789abcdef"
#define KEY_TEAM  "sk-cp-TEAM-key-fedcba9876543210"
#define KEY_PAYG  "sk-api-PAYG-key-00112233445566778899"

static char *keyring_dir;
static char *keyring_path;

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

/* Empties the keyring through libsecret (its file backend keeps the
 * file's items in memory: removing the file would not do). */
static void
clear_keyring (void)
{
  static const char * const names[] = { "Personal", "Team", "work", "Pay as you go",
                                         MQ_ACCOUNT_DEFAULT_NAME, NULL };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      GAsyncResult *slot = NULL;

      mq_secret_clear_account_async (names[i], NULL, mq_test_store_result, &slot);
      result = mq_test_wait_result (&slot, 0, NULL);
      g_assert_true (mq_secret_clear_account_finish (result, &error));
      g_assert_no_error (error);
    }

  {
    g_autoptr(GAsyncResult) result = NULL;
    GAsyncResult *slot = NULL;

    mq_secret_clear_async (NULL, mq_test_store_result, &slot);
    result = mq_test_wait_result (&slot, 0, NULL);
    g_assert_true (mq_secret_clear_finish (result, &error));
    g_assert_no_error (error);
  }
}

static void
clear_key_environment (void)
{
  g_unsetenv ("MINIMAX_CN_API_KEY");
  g_unsetenv ("MINIMAX_API_KEY");
  g_unsetenv ("MINIMAX_API_TOKEN");
  g_unsetenv ("MINIMAX_REGION");
  g_unsetenv ("MINIMAX_BASE_URL");
}

static gboolean
add (MqAccounts  *accounts,
     const char  *name,
     MqRegion     region,
     const char  *key,
     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_accounts_add_async (accounts, name, region, key, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_accounts_add_finish (accounts, result, error);
}

static gboolean
rename_account (MqAccounts  *accounts,
                const char  *name,
                const char  *new_name,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_accounts_rename_async (accounts, name, new_name, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_accounts_rename_finish (accounts, result, error);
}

static gboolean
remove_account (MqAccounts  *accounts,
                const char  *name,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_accounts_remove_async (accounts, name, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_accounts_remove_finish (accounts, result, error);
}

static gboolean
migrate (MqAccounts  *accounts,
         gboolean    *migrated,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_accounts_migrate_async (accounts, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_accounts_migrate_finish (accounts, result, migrated, error);
}

static GPtrArray *
load (MqAccounts *accounts)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  GPtrArray *loaded;

  mq_accounts_load_async (accounts, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  loaded = mq_accounts_load_finish (accounts, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  return loaded;
}

static gboolean
store_legacy (const char *key,
              MqRegion    region)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean ok;

  mq_secret_store_async (key, region, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  ok = mq_secret_store_finish (result, &error);
  g_assert_no_error (error);
  return ok;
}

static void
assert_bytes_lack (const char *contents,
                   gsize       length,
                   const char *key)
{
  gsize key_length = strlen (key);

  for (gsize i = 0; i + key_length <= length; i++)
    g_assert_false (memcmp (contents + i, key, key_length) == 0);
}

/* No key in any setting, nor in clear text in the keyring file. */
static void
assert_no_key_outside_keyring (GSettings  *settings,
                               const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_object_get (settings, "settings-schema", &schema, NULL);
  names = g_settings_schema_list_keys (schema);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, names[i]);
      g_autofree char *text = g_variant_print (value, TRUE);

      g_assert_null (strstr (text, key));
    }

  if (g_file_get_contents (keyring_path, &contents, &length, NULL))
    assert_bytes_lack (contents, length, key);
}

static void
count_changed (MqAccounts *accounts,
               gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_key_kind (void)
{
  g_assert_cmpint (mq_key_kind_for_key ("sk-api-abc"), ==, MQ_KEY_KIND_PAY_AS_YOU_GO);
  g_assert_cmpint (mq_key_kind_for_key ("sk-cp-abc"), ==, MQ_KEY_KIND_TOKEN_PLAN);
  g_assert_cmpint (mq_key_kind_for_key ("eyJhbGciOi"), ==, MQ_KEY_KIND_TOKEN_PLAN);
  g_assert_cmpint (mq_key_kind_for_key ("sk-ap"), ==, MQ_KEY_KIND_TOKEN_PLAN);
  g_assert_cmpint (mq_key_kind_for_key ("SK-API-abc"), ==, MQ_KEY_KIND_TOKEN_PLAN);
  g_assert_cmpint (mq_key_kind_for_key (NULL), ==, MQ_KEY_KIND_TOKEN_PLAN);
  g_assert_cmpstr (mq_key_kind_to_string (MQ_KEY_KIND_PAY_AS_YOU_GO), ==, "pay-as-you-go");
  g_assert_cmpstr (mq_key_kind_to_string (MQ_KEY_KIND_TOKEN_PLAN), ==, "token-plan");
}

static void
assert_name_invalid (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *escaped = name != NULL ? g_strescape (name, NULL) : g_strdup ("(null)");

  g_test_message ("name: %s", escaped);
  g_assert_false (mq_account_name_validate (name, &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
}

static void
test_name_validation (void)
{
  g_assert_true (mq_account_name_validate ("default", NULL));
  g_assert_true (mq_account_name_validate ("Team Alpha (CN)", NULL));
  g_assert_true (mq_account_name_validate ("团队", NULL));
  /* 32 characters (64 bytes) is the most. */
  g_assert_true (mq_account_name_validate ("éééééééééééééééééééééééééééééééé", NULL));

  assert_name_invalid (NULL);
  assert_name_invalid ("");
  assert_name_invalid ("ééééééééééééééééééééééééééééééééé");
  assert_name_invalid ("123456789012345678901234567890123");
  assert_name_invalid ("tab\there");
  assert_name_invalid ("new\nline");
  assert_name_invalid ("esc\033]0;x\007");
  assert_name_invalid ("bidi\xe2\x80\xae" "evil");
  assert_name_invalid ("zero\xe2\x80\x8bwidth");
  assert_name_invalid ("\xff\xfe");
  assert_name_invalid (" leading");
  assert_name_invalid ("trailing ");
}

/* Add, list, rename, region, remove; uniqueness; no key in GSettings. */
static void
test_list_model (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqAccounts) accounts = mq_accounts_new (settings);
  g_autoptr(MqAccounts) other = mq_accounts_new (settings);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autofree char *name = NULL;
  guint changes = 0;

  clear_keyring ();
  g_signal_connect (other, "changed", G_CALLBACK (count_changed), &changes);

  g_assert_cmpuint (mq_accounts_get_n_accounts (accounts), ==, 0);

  g_assert_true (add (accounts, "Personal", MQ_REGION_GLOBAL, KEY_OLD, &error));
  g_assert_no_error (error);
  g_assert_true (add (accounts, "Team", MQ_REGION_CN, "  " KEY_TEAM "\n", &error));
  g_assert_no_error (error);
  g_assert_true (add (accounts, "Pay as you go", MQ_REGION_AUTO, KEY_PAYG, &error));
  g_assert_no_error (error);

  /* Every MqAccounts of the settings sees the change. */
  g_assert_cmpuint (mq_accounts_get_n_accounts (other), ==, 3);
  g_assert_cmpuint (changes, ==, 3);
  name = mq_accounts_dup_name (other, 1);
  g_assert_cmpstr (name, ==, "Team");
  g_assert_cmpint (mq_accounts_get_region (other, 1), ==, MQ_REGION_CN);
  g_assert_cmpint (mq_accounts_find (other, "Pay as you go"), ==, 2);
  g_assert_cmpint (mq_accounts_find (other, "team"), ==, -1);

  /* Unique, case aside; names checked; a key is needed and checked. */
  g_assert_false (add (accounts, "TEAM", MQ_REGION_GLOBAL, KEY_TEAM, &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (add (accounts, "", MQ_REGION_GLOBAL, KEY_TEAM, &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (add (accounts, "No key", MQ_REGION_GLOBAL, "   ", &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_NO_KEY);
  g_clear_error (&error);
  g_assert_false (add (accounts, "Bad key", MQ_REGION_GLOBAL, "sk-cp-with space", &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED);
  g_clear_error (&error);
  g_assert_cmpuint (mq_accounts_get_n_accounts (accounts), ==, 3);

  /* Each key under its own account, trimmed. */
  loaded = load (accounts);
  g_assert_cmpuint (loaded->len, ==, 3);
  g_assert_cmpstr (mq_account_get_name (g_ptr_array_index (loaded, 0)), ==, "Personal");
  g_assert_cmpstr (mq_account_get_key (g_ptr_array_index (loaded, 0)), ==, KEY_OLD);
  g_assert_cmpstr (mq_account_get_key (g_ptr_array_index (loaded, 1)), ==, KEY_TEAM);
  g_assert_cmpint (mq_account_get_region (g_ptr_array_index (loaded, 1)), ==, MQ_REGION_CN);
  g_assert_cmpstr (mq_account_get_key (g_ptr_array_index (loaded, 2)), ==, KEY_PAYG);
  g_assert_cmpint (mq_account_get_key_kind (g_ptr_array_index (loaded, 2)), ==, MQ_KEY_KIND_PAY_AS_YOU_GO);
  g_assert_cmpint (mq_account_get_key_kind (g_ptr_array_index (loaded, 0)), ==, MQ_KEY_KIND_TOKEN_PLAN);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  assert_no_key_outside_keyring (settings, KEY_OLD);
  assert_no_key_outside_keyring (settings, KEY_TEAM);
  assert_no_key_outside_keyring (settings, KEY_PAYG);

  /* Rename moves the key; case-only renames are fine; clashes are not. */
  g_assert_true (rename_account (accounts, "Team", "Work", &error));
  g_assert_no_error (error);
  g_assert_true (rename_account (accounts, "Work", "work", &error));
  g_assert_no_error (error);
  g_assert_false (rename_account (accounts, "work", "personal", &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rename_account (accounts, "Nobody", "Somebody", &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (mq_accounts_find (accounts, "work"), ==, 1);
  g_assert_cmpint (mq_accounts_get_region (accounts, 1), ==, MQ_REGION_CN);
  g_assert_null (mq_secret_lookup_account_sync ("Team", NULL, &error));
  g_assert_no_error (error);
  {
    char *key = mq_secret_lookup_account_sync ("work", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (key, ==, KEY_TEAM);
    mq_secret_free_key (key);
  }

  /* Region per account. */
  g_assert_true (mq_accounts_set_region (accounts, "work", MQ_REGION_GLOBAL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mq_accounts_get_region (accounts, 1), ==, MQ_REGION_GLOBAL);
  g_assert_false (mq_accounts_set_region (accounts, "Nobody", MQ_REGION_GLOBAL, &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Remove takes the key with it, and only that key. */
  g_assert_true (remove_account (accounts, "Personal", &error));
  g_assert_no_error (error);
  g_assert_false (remove_account (accounts, "Personal", &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (mq_secret_lookup_account_sync ("Personal", NULL, &error));
  g_assert_no_error (error);
  loaded = mq_accounts_load_sync (accounts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_cmpstr (mq_account_get_name (g_ptr_array_index (loaded, 0)), ==, "work");
  g_assert_cmpstr (mq_account_get_key (g_ptr_array_index (loaded, 0)), ==, KEY_TEAM);
}

/* Names edited by hand into the setting: invalid and duplicate ones are
 * skipped, an unknown region reads as auto. */
static void
test_stored_list_sanitized (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqAccounts) accounts = mq_accounts_new (settings);
  GVariant *value = g_variant_new_parsed ("[('a', 'cn'), ('', 'global'), ('a', 'global'), "
                                                    "('b\\u0007', 'cn'), ('c', 'mars')]");

  /* Floating: the settings take it. */
  g_settings_set_value (settings, "accounts", value);
  g_assert_cmpuint (mq_accounts_get_n_accounts (accounts), ==, 2);
  g_assert_cmpint (mq_accounts_get_region (accounts, 0), ==, MQ_REGION_CN);
  g_assert_cmpint (mq_accounts_find (accounts, "c"), ==, 1);
  g_assert_cmpint (mq_accounts_get_region (accounts, 1), ==, MQ_REGION_AUTO);
}

/* The single key of older versions becomes "default", once, with its
 * region; it is never asked for again, and the environment does not win
 * over it. */
static void
test_migration (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqAccounts) accounts = mq_accounts_new (settings);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  gboolean migrated = FALSE;
  char *key;

  clear_keyring ();
  g_assert_true (store_legacy (KEY_OLD, MQ_REGION_CN));

  g_assert_true (migrate (accounts, &migrated, &error));
  g_assert_no_error (error);
  g_assert_true (migrated);
  g_assert_true (g_settings_get_boolean (settings, "accounts-migrated"));

  loaded = load (accounts);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (mq_account_get_name (g_ptr_array_index (loaded, 0)), ==, MQ_ACCOUNT_DEFAULT_NAME);
  g_assert_cmpint (mq_account_get_region (g_ptr_array_index (loaded, 0)), ==, MQ_REGION_CN);
  g_assert_cmpstr (mq_account_get_key (g_ptr_array_index (loaded, 0)), ==, KEY_OLD);
  assert_no_key_outside_keyring (settings, KEY_OLD);

  /* The old item is gone: one copy of the key, under the account. */
  key = mq_secret_lookup_sync (NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  /* Once only: a second start changes nothing. */
  g_assert_true (migrate (accounts, &migrated, &error));
  g_assert_no_error (error);
  g_assert_false (migrated);
  g_assert_cmpuint (mq_accounts_get_n_accounts (accounts), ==, 1);

  /* Removing every account later does not bring an old key back. */
  g_assert_true (store_legacy (KEY_TEAM, MQ_REGION_GLOBAL));
  g_assert_true (remove_account (accounts, MQ_ACCOUNT_DEFAULT_NAME, &error));
  g_assert_no_error (error);
  g_assert_true (migrate (accounts, &migrated, &error));
  g_assert_false (migrated);
  g_assert_cmpuint (mq_accounts_get_n_accounts (accounts), ==, 0);
}

/* Nothing to migrate: marked done, nothing listed. An old key with
 * region "any" becomes an auto account; an account listed already is
 * left alone (and so is the old item). */
static void
test_migration_edges (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqAccounts) accounts = mq_accounts_new (settings);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  gboolean migrated = TRUE;
  char *key;

  clear_keyring ();
  g_assert_true (migrate (accounts, &migrated, &error));
  g_assert_no_error (error);
  g_assert_false (migrated);
  g_assert_true (g_settings_get_boolean (settings, "accounts-migrated"));
  g_assert_cmpuint (mq_accounts_get_n_accounts (accounts), ==, 0);

  /* Region any. */
  g_settings_reset (settings, "accounts-migrated");
  g_assert_true (store_legacy (KEY_OLD, MQ_REGION_AUTO));
  g_assert_true (migrate (accounts, &migrated, &error));
  g_assert_true (migrated);
  loaded = load (accounts);
  g_assert_cmpint (mq_account_get_region (g_ptr_array_index (loaded, 0)), ==, MQ_REGION_AUTO);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  /* Accounts exist already: the old item is not touched. */
  g_settings_reset (settings, "accounts-migrated");
  g_assert_true (store_legacy (KEY_TEAM, MQ_REGION_GLOBAL));
  g_assert_true (migrate (accounts, &migrated, &error));
  g_assert_false (migrated);
  key = mq_secret_lookup_sync (NULL, &error);
  g_assert_cmpstr (key, ==, KEY_TEAM);
  mq_secret_free_key (key);
  loaded = load (accounts);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (mq_account_get_key (g_ptr_array_index (loaded, 0)), ==, KEY_OLD);
}

/* The legacy functions and the account ones never touch each other's
 * items. */
static void
test_legacy_and_accounts_apart (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  char *key;

  clear_keyring ();
  g_assert_true (store_legacy (KEY_OLD, MQ_REGION_GLOBAL));
  mq_secret_store_account_async ("Team", KEY_TEAM, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  g_assert_true (mq_secret_store_account_finish (result, &error));
  g_clear_object (&result);

  /* The legacy lookup does not return the account's key... */
  key = mq_secret_lookup_sync (NULL, &error);
  g_assert_cmpstr (key, ==, KEY_OLD);
  mq_secret_free_key (key);

  /* ...storing and clearing the legacy item keeps it. */
  g_assert_true (store_legacy (KEY_PAYG, MQ_REGION_CN));
  slot = NULL;
  mq_secret_clear_async (NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  g_assert_true (mq_secret_clear_finish (result, &error));
  g_clear_object (&result);
  key = mq_secret_lookup_sync (NULL, &error);
  g_assert_null (key);
  key = mq_secret_lookup_account_sync ("Team", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY_TEAM);
  mq_secret_free_key (key);

  /* An account's lookup is by exact name. */
  key = mq_secret_lookup_account_sync ("team", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

/* Stored accounts, else one from the environment, else none; each
 * account's connection onto its own client. */
static void
test_resolve_connections (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) from_env = NULL;
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);
  g_autoptr(GPtrArray) resolved = NULL;
  g_autoptr(MqClient) client = mq_client_new ();
  g_autoptr(GError) error = NULL;

  clear_key_environment ();
  config = mq_config_new (NULL, "http://127.0.0.1:9", settings, &error);
  g_assert_no_error (error);

  none = mq_config_resolve_accounts (config, NULL);
  g_assert_cmpuint (none->len, ==, 0);

  g_setenv ("MINIMAX_CN_API_KEY", KEY_TEAM, TRUE);
  from_env = mq_config_resolve_accounts (config, stored);
  g_assert_cmpuint (from_env->len, ==, 1);
  g_assert_cmpstr (mq_account_get_name (g_ptr_array_index (from_env, 0)), ==, MQ_ACCOUNT_ENVIRONMENT_NAME);
  g_assert_cmpstr (mq_account_get_key (g_ptr_array_index (from_env, 0)), ==, KEY_TEAM);
  g_assert_cmpint (mq_config_get_key_source (config), ==, MQ_KEY_SOURCE_ENVIRONMENT);

  /* Stored accounts win over the environment. */
  g_ptr_array_add (stored, mq_account_new ("A", MQ_REGION_CN, KEY_OLD));
  g_ptr_array_add (stored, mq_account_new ("B", MQ_REGION_AUTO, KEY_PAYG));
  resolved = mq_config_resolve_accounts (config, stored);
  g_assert_cmpuint (resolved->len, ==, 2);
  g_assert_true (g_ptr_array_index (resolved, 0) == g_ptr_array_index (stored, 0));

  g_assert_true (mq_config_apply_account_to_client (config, g_ptr_array_index (resolved, 0), client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mq_client_get_region (client), ==, MQ_REGION_CN);
  g_assert_true (mq_client_has_api_key (client));
  g_assert_cmpstr (mq_client_get_base_url (client), ==, "http://127.0.0.1:9");

  g_assert_true (mq_config_apply_account_to_client (config, g_ptr_array_index (resolved, 1), client, &error));
  g_assert_cmpint (mq_client_get_region (client), ==, MQ_REGION_AUTO);
  clear_key_environment ();

  /* --region fixes the region of an auto account, not of one that says. */
  g_clear_object (&config);
  config = mq_config_new ("global", NULL, settings, &error);
  g_assert_no_error (error);
  g_assert_true (mq_config_apply_account_to_client (config, g_ptr_array_index (resolved, 1), client, &error));
  g_assert_cmpint (mq_client_get_region (client), ==, MQ_REGION_GLOBAL);
  g_assert_true (mq_config_apply_account_to_client (config, g_ptr_array_index (resolved, 0), client, &error));
  g_assert_cmpint (mq_client_get_region (client), ==, MQ_REGION_CN);
}

/* Without a schema: an empty list, every change refused. */
static void
test_no_settings_key (void)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MqAccounts) accounts = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mq-test-accounts-schema-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "gschemas.compiled", NULL);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  gboolean migrated = TRUE;
  const char *xml =
    "<schemalist><schema id='" APP_ID "' path='/io/github/leewayapp/old/'>"
    "<key name='region' type='s'><default>'auto'</default></key>"
    "</schema></schemalist>";
  g_autofree char *xml_path = g_build_filename (dir, APP_ID ".gschema.xml", NULL);
  g_autofree char *command = NULL;
  int status = 0;

  g_assert_no_error (error);
  mq_test_write_file (xml_path, xml);
  command = g_strdup_printf ("glib-compile-schemas %s", dir);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));

  source = g_settings_schema_source_new_from_directory (dir, NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, APP_ID, FALSE);
  settings = g_settings_new_full (schema, NULL, NULL);

  accounts = mq_accounts_new (settings);
  g_assert_cmpuint (mq_accounts_get_n_accounts (accounts), ==, 0);
  g_assert_false (add (accounts, "x", MQ_REGION_AUTO, KEY_OLD, &error));
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (migrate (accounts, &migrated, &error));
  g_assert_false (migrated);

  mq_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  keyring_dir = g_dir_make_tmp ("mq-test-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  keyring_path = g_build_filename (keyring_dir, "keyring.file", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_add_func ("/accounts/key-kind", test_key_kind);
  g_test_add_func ("/accounts/name-validation", test_name_validation);
  g_test_add_func ("/accounts/list-model", test_list_model);
  g_test_add_func ("/accounts/stored-list-sanitized", test_stored_list_sanitized);
  g_test_add_func ("/accounts/migration", test_migration);
  g_test_add_func ("/accounts/migration-edges", test_migration_edges);
  g_test_add_func ("/accounts/legacy-and-accounts-apart", test_legacy_and_accounts_apart);
  g_test_add_func ("/accounts/resolve-connections", test_resolve_connections);
  g_test_add_func ("/accounts/no-settings-key", test_no_settings_key);

  status = g_test_run ();

  mq_test_remove_tree (keyring_dir);
  g_free (keyring_path);
  g_free (keyring_dir);

  return status;
}
