/* test-secret.c: the key in a real libsecret keyring (the file backend)
 *
 * Runs with SECRET_BACKEND=file and a SECRET_FILE_TEST_PATH of its own in a
 * temporary directory, so nothing touches the user's keyring.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mq-secret.h"
#include "mq-test-util.h"

#define KEY_ONE "sk-cp-TESTKEY-abcdef0123456789abcdef"
#define KEY_TWO "sk-cp-TESTKEY-second-9876543210fedcba"

static char *keyring_dir;
static char *keyring_path;

static char *
lookup (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_secret_lookup_async (NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_secret_lookup_finish (result, error);
}

static gboolean
store (const char *key,
       MqRegion    region,
       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_secret_store_async (key, region, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_secret_store_finish (result, error);
}

static gboolean
clear (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_secret_clear_async (NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  return mq_secret_clear_finish (result, error);
}

static void
assert_file_lacks_key (const char *key)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (keyring_path, &contents, &length, NULL))
    return;

  /* The file backend encrypts the secret: the key is not in the file. */
  for (gsize i = 0; i + strlen (key) <= length; i++)
    g_assert_false (memcmp (contents + i, key, strlen (key)) == 0);
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(GError) error = NULL;
  char *key;

  /* Nothing stored yet: NULL and no error. */
  key = lookup (&error);
  g_assert_no_error (error);
  g_assert_null (key);

  g_assert_true (store (KEY_ONE, MQ_REGION_GLOBAL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (keyring_path, G_FILE_TEST_EXISTS));
  assert_file_lacks_key (KEY_ONE);

  key = lookup (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY_ONE);
  mq_secret_free_key (key);

  key = mq_secret_lookup_sync (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY_ONE);
  mq_secret_free_key (key);

  /* A key for another region replaces the first: one key per user. */
  g_assert_true (store (KEY_TWO, MQ_REGION_CN, &error));
  g_assert_no_error (error);
  key = mq_secret_lookup_sync (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY_TWO);
  mq_secret_free_key (key);
  assert_file_lacks_key (KEY_TWO);

  g_assert_true (store (KEY_ONE, MQ_REGION_AUTO, &error));
  g_assert_no_error (error);
  key = lookup (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KEY_ONE);
  mq_secret_free_key (key);

  g_assert_true (clear (&error));
  g_assert_no_error (error);

  key = lookup (&error);
  g_assert_no_error (error);
  g_assert_null (key);
  key = mq_secret_lookup_sync (NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  /* Clearing when there is nothing is fine. */
  g_assert_true (clear (&error));
  g_assert_no_error (error);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  char *key;

  g_cancellable_cancel (cancellable);
  mq_secret_lookup_async (cancellable, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);
  key = mq_secret_lookup_finish (result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (key);
}

/* The one wipe helper zeroes every byte up to the terminator. */
static void
test_key_wipe (void)
{
  char key[] = KEY_ONE;
  char *heap = g_strdup (KEY_TWO);
  gsize length = strlen (heap);

  mq_key_wipe (key);
  for (gsize i = 0; i < sizeof key; i++)
    g_assert_cmpint (key[i], ==, 0);

  mq_key_wipe (heap);
  for (gsize i = 0; i < length; i++)
    g_assert_cmpint (heap[i], ==, 0);
  g_free (heap);

  mq_key_wipe (NULL);
  mq_secret_free_key (NULL);
}

static void
clear_key_environment (void)
{
  g_unsetenv ("MINIMAX_CN_API_KEY");
  g_unsetenv ("MINIMAX_API_KEY");
  g_unsetenv ("MINIMAX_API_TOKEN");
}

static void
test_resolve_key (void)
{
  MqRegion key_region = MQ_REGION_AUTO;
  char *key;

  clear_key_environment ();

  key = mq_secret_resolve_key (NULL, MQ_REGION_AUTO, &key_region);
  g_assert_null (key);
  key = mq_secret_resolve_key ("", MQ_REGION_GLOBAL, NULL);
  g_assert_null (key);

  g_setenv ("MINIMAX_API_TOKEN", "sk-cp-token", TRUE);
  key = mq_secret_resolve_key (NULL, MQ_REGION_GLOBAL, &key_region);
  g_assert_cmpstr (key, ==, "sk-cp-token");
  g_assert_cmpint (key_region, ==, MQ_REGION_GLOBAL);
  mq_secret_free_key (key);

  g_setenv ("MINIMAX_API_KEY", "sk-cp-api-key", TRUE);
  key = mq_secret_resolve_key (NULL, MQ_REGION_GLOBAL, &key_region);
  g_assert_cmpstr (key, ==, "sk-cp-api-key");
  mq_secret_free_key (key);

  g_setenv ("MINIMAX_CN_API_KEY", "sk-cp-cn-key", TRUE);
  key = mq_secret_resolve_key (NULL, MQ_REGION_AUTO, &key_region);
  g_assert_cmpstr (key, ==, "sk-cp-cn-key");
  g_assert_cmpint (key_region, ==, MQ_REGION_CN);
  mq_secret_free_key (key);

  /* The CN key is for the CN region only. */
  key = mq_secret_resolve_key (NULL, MQ_REGION_GLOBAL, &key_region);
  g_assert_cmpstr (key, ==, "sk-cp-api-key");
  g_assert_cmpint (key_region, ==, MQ_REGION_GLOBAL);
  mq_secret_free_key (key);

  /* The keyring comes first, with the region asked for. */
  key = mq_secret_resolve_key (KEY_ONE, MQ_REGION_AUTO, &key_region);
  g_assert_cmpstr (key, ==, KEY_ONE);
  g_assert_cmpint (key_region, ==, MQ_REGION_AUTO);
  mq_secret_free_key (key);
  key = mq_secret_resolve_key ("", MQ_REGION_CN, &key_region);
  g_assert_cmpstr (key, ==, "sk-cp-cn-key");
  mq_secret_free_key (key);

  mq_secret_free_key (NULL);
  clear_key_environment ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  keyring_dir = g_dir_make_tmp ("mq-test-secret-XXXXXX", &error);
  g_assert_no_error (error);
  keyring_path = g_build_filename (keyring_dir, "keyring.file", NULL);
  /* Before libsecret first looks at them. Without a password the file
   * backend refuses to open the keyring outside Flatpak. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);

  g_test_add_func ("/secret/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/secret/cancelled", test_cancelled);
  g_test_add_func ("/secret/resolve-key", test_resolve_key);
  g_test_add_func ("/secret/key-wipe", test_key_wipe);

  status = g_test_run ();

  g_unlink (keyring_path);
  g_rmdir (keyring_dir);
  g_free (keyring_path);
  g_free (keyring_dir);

  return status;
}
