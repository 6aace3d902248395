/* test-autostart.c: the "start on login" toggle writes and removes the
 * XDG autostart entry
 *
 * XDG_CONFIG_HOME and XDG_CONFIG_DIRS point into a temporary directory
 * (set before GLib caches them), settings live in the memory backend with
 * the schema compiled in the build directory. Nothing touches the real
 * autostart folder.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "mq-autostart.h"
#include "mq-test-util.h"

#define ENTRY_NAME "io.github.leewayapp.Leeway.desktop"

static char *tmp_dir;
static char *config_home;
static char *system_dir;

typedef struct {
  GSettings *settings;
  char      *path;
  char      *autostart_dir;
  char      *system_entry;
} Fixture;

static void
remove_file (const char *path)
{
  if (g_unlink (path) != 0)
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->settings = g_settings_new (APP_ID);
  g_settings_reset (fixture->settings, "start-on-login");
  g_settings_reset (fixture->settings, "portal-autostart-granted");

  fixture->path = mq_autostart_dup_path ();
  fixture->autostart_dir = g_path_get_dirname (fixture->path);
  fixture->system_entry = g_build_filename (system_dir, "autostart", ENTRY_NAME, NULL);

  /* The entry lives where the test environment says. */
  g_assert_true (g_str_has_prefix (fixture->path, config_home));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *system_autostart = g_path_get_dirname (fixture->system_entry);

  remove_file (fixture->path);
  remove_file (fixture->system_entry);
  g_rmdir (system_autostart);
  g_rmdir (fixture->autostart_dir);
  g_rmdir (config_home);

  g_clear_object (&fixture->settings);
  g_free (fixture->path);
  g_free (fixture->autostart_dir);
  g_free (fixture->system_entry);
}

static gboolean
set_autostart (Fixture   *fixture,
               gboolean   enable,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;

  mq_autostart_set_async (enable, NULL, fixture->settings, NULL, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);

  return mq_autostart_set_finish (result, error);
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 07777;
}

static GKeyFile *
load_entry (const char *path)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_key_file_has_group (key_file, G_KEY_FILE_DESKTOP_GROUP));

  return g_steal_pointer (&key_file);
}

static void
assert_entry_starts_applet (const char *path)
{
  g_autoptr(GKeyFile) key_file = load_entry (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *icon = NULL;
  g_auto(GStrv) argv = NULL;

  type = g_key_file_get_string (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                G_KEY_FILE_DESKTOP_KEY_TYPE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "Application");

  exec = g_key_file_get_string (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==, "leeway");
  /* On login: the tray only, not the window (issue 14). */
  g_assert_cmpstr (argv[1], ==, "--background");
  g_assert_null (argv[2]);

  icon = g_key_file_get_string (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                G_KEY_FILE_DESKTOP_KEY_ICON, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (icon, ==, APP_ID);

  g_assert_true (g_key_file_has_key (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                     G_KEY_FILE_DESKTOP_KEY_NAME, NULL));
  g_assert_true (g_key_file_get_boolean (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                         G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, NULL));
  g_assert_true (g_key_file_get_boolean (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                         "X-GNOME-Autostart-enabled", &error));
  g_assert_no_error (error);
  g_assert_false (g_key_file_get_boolean (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                          G_KEY_FILE_DESKTOP_KEY_HIDDEN, NULL));
}

static void
test_enable_writes_file (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (g_file_test (config_home, G_FILE_TEST_EXISTS));
  g_assert_false (mq_autostart_is_enabled (fixture->settings));

  g_assert_true (set_autostart (fixture, TRUE, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  /* Folders it had to create are private too. */
  g_assert_cmpuint (file_mode (fixture->autostart_dir), ==, 0700);
  g_assert_cmpuint (file_mode (config_home), ==, 0700);

  assert_entry_starts_applet (fixture->path);
  g_assert_true (mq_autostart_is_enabled (fixture->settings));
  g_assert_true (g_settings_get_boolean (fixture->settings, "start-on-login"));
}

static void
test_enable_twice (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;

  g_assert_true (set_autostart (fixture, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fixture->path, &first, NULL, NULL));

  g_assert_true (set_autostart (fixture, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fixture->path, &second, NULL, NULL));

  g_assert_cmpstr (first, ==, second);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_true (mq_autostart_is_enabled (fixture->settings));

  /* No temporary or backup file left behind. */
  dir = g_dir_open (fixture->autostart_dir, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
}

static void
test_disable_removes_file (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (set_autostart (fixture, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (mq_autostart_is_enabled (fixture->settings));

  g_assert_true (set_autostart (fixture, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_false (mq_autostart_is_enabled (fixture->settings));
  g_assert_false (g_settings_get_boolean (fixture->settings, "start-on-login"));

  /* Turning it off when it is off is fine. */
  g_assert_true (set_autostart (fixture, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* And on again. */
  g_assert_true (set_autostart (fixture, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (mq_autostart_is_enabled (fixture->settings));
}

static void
test_user_disabled_entry (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* The user (or GNOME Tweaks) switched the entry off without removing it. */
  mq_test_write_file (fixture->path,
                      "[Desktop Entry]\n"
                      "Type=Application\n"
                      "Name=Leeway\n"
                      "Exec=leeway\n"
                      "X-GNOME-Autostart-enabled=false\n");
  g_settings_set_boolean (fixture->settings, "start-on-login", TRUE);

  g_assert_false (mq_autostart_is_enabled (fixture->settings));
  /* The setting follows the truth. */
  g_assert_false (g_settings_get_boolean (fixture->settings, "start-on-login"));

  mq_test_write_file (fixture->path,
                      "[Desktop Entry]\n"
                      "Type=Application\n"
                      "Name=Leeway\n"
                      "Exec=leeway\n"
                      "Hidden=true\n");
  g_assert_false (mq_autostart_is_enabled (fixture->settings));

  mq_test_write_file (fixture->path, "this is not a desktop entry\n");
  g_assert_false (mq_autostart_is_enabled (fixture->settings));

  /* Turning it on replaces the file with a working entry. */
  g_assert_true (set_autostart (fixture, TRUE, &error));
  g_assert_no_error (error);
  assert_entry_starts_applet (fixture->path);
  g_assert_cmpuint (file_mode (fixture->path), ==, 0600);
  g_assert_true (mq_autostart_is_enabled (fixture->settings));
}

static void
test_user_enabled_entry (Fixture       *fixture,
                         gconstpointer  user_data)
{
  /* An entry written by hand, without X-GNOME-Autostart-enabled, starts. */
  mq_test_write_file (fixture->path,
                      "[Desktop Entry]\n"
                      "Type=Application\n"
                      "Name=Leeway\n"
                      "Exec=leeway\n");

  g_assert_true (mq_autostart_is_enabled (fixture->settings));
  g_assert_true (g_settings_get_boolean (fixture->settings, "start-on-login"));
}

static void
test_system_entry (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) key_file = NULL;

  /* A distribution installed an entry for every user. */
  mq_test_write_file (fixture->system_entry,
                      "[Desktop Entry]\n"
                      "Type=Application\n"
                      "Name=Leeway\n"
                      "Exec=leeway\n");
  g_assert_true (mq_autostart_is_enabled (fixture->settings));

  /* Turning it off must override it, since it cannot be removed. */
  g_assert_true (set_autostart (fixture, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  key_file = load_entry (fixture->path);
  g_assert_true (g_key_file_get_boolean (key_file, G_KEY_FILE_DESKTOP_GROUP,
                                         G_KEY_FILE_DESKTOP_KEY_HIDDEN, NULL));
  g_assert_false (mq_autostart_is_enabled (fixture->settings));
  g_assert_true (g_file_test (fixture->system_entry, G_FILE_TEST_IS_REGULAR));

  g_assert_true (set_autostart (fixture, TRUE, &error));
  g_assert_no_error (error);
  assert_entry_starts_applet (fixture->path);
  g_assert_true (mq_autostart_is_enabled (fixture->settings));
}

static void
test_unwritable (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  /* A file where the autostart folder should be. */
  mq_test_write_file (fixture->autostart_dir, "not a folder\n");

  g_assert_false (set_autostart (fixture, TRUE, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, fixture->autostart_dir));
  g_assert_false (mq_autostart_is_enabled (fixture->settings));
  g_assert_false (g_settings_get_boolean (fixture->settings, "start-on-login"));

  g_assert_cmpint (g_unlink (fixture->autostart_dir), ==, 0);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_cancellable_cancel (cancellable);
  mq_autostart_set_async (TRUE, NULL, fixture->settings, cancellable, mq_test_store_result, &slot);
  result = mq_test_wait_result (&slot, 0, NULL);

  g_assert_false (mq_autostart_set_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Whatever was done, the setting says what is true. */
  g_assert_cmpint (g_settings_get_boolean (fixture->settings, "start-on-login"), ==,
                   mq_autostart_is_enabled (fixture->settings));
}

static void
test_in_flatpak (void)
{
  g_test_skip ("inside Flatpak the Background portal decides, not a file");
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before anything asks GLib for them: it caches these directories. */
  tmp_dir = g_dir_make_tmp ("mq-test-autostart-XXXXXX", &error);
  g_assert_no_error (error);
  config_home = g_build_filename (tmp_dir, "config", NULL);
  system_dir = g_build_filename (tmp_dir, "xdg", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", system_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_init (&argc, &argv, NULL);

  if (mq_autostart_in_flatpak ())
    {
      g_test_add_func ("/autostart/flatpak", test_in_flatpak);
      return g_test_run ();
    }

  add_test ("/autostart/enable-writes-file", test_enable_writes_file);
  add_test ("/autostart/enable-twice", test_enable_twice);
  add_test ("/autostart/disable-removes-file", test_disable_removes_file);
  add_test ("/autostart/user-disabled-entry", test_user_disabled_entry);
  add_test ("/autostart/user-enabled-entry", test_user_enabled_entry);
  add_test ("/autostart/system-entry", test_system_entry);
  add_test ("/autostart/unwritable", test_unwritable);
  add_test ("/autostart/cancelled", test_cancelled);

  status = g_test_run ();

  g_rmdir (system_dir);
  g_rmdir (tmp_dir);
  g_free (system_dir);
  g_free (config_home);
  g_free (tmp_dir);

  return status;
}
