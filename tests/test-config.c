/* test-config.c: the one resolved connection (mq-config)
 *
 * GSETTINGS_BACKEND=memory with the schema compiled in <builddir>/data
 * (GSETTINGS_SCHEMA_DIR, set by meson), the environment set and unset in
 * this process. The launch test opens an https:// address with a recording
 * handler of its own (XDG_DATA_HOME, XDG_CONFIG_HOME in a temporary
 * directory) and reads the environment the child got.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mq-config.h"
#include "mq-error.h"
#include "mq-secret.h"
#include "mq-test-util.h"

#define KEY     "sk-cp-TESTKEY-abcdef0123456789abcdef"
#define KEY_CN  "sk-cp-TESTKEY-cn-0123456789abcdef0123"

static char *tmpdir;

static void
clear_environment (void)
{
  g_unsetenv ("MINIMAX_REGION");
  g_unsetenv ("MINIMAX_BASE_URL");
  g_unsetenv ("MINIMAX_API_KEY");
  g_unsetenv ("MINIMAX_CN_API_KEY");
  g_unsetenv ("MINIMAX_API_TOKEN");
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "region");
  g_settings_reset (settings, "last-region");
  g_settings_reset (settings, "low-threshold");
  g_settings_reset (settings, "critical-threshold");
  return settings;
}

static MqConfig *
new_config (const char *option_region,
            const char *option_base_url,
            GSettings  *settings)
{
  g_autoptr(GError) error = NULL;
  MqConfig *config = mq_config_new (option_region, option_base_url, settings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

/* --region beats MINIMAX_REGION beats the "region" setting. */
static void
test_region_precedence (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqConfig) from_settings = NULL;
  g_autoptr(MqConfig) from_env = NULL;
  g_autoptr(MqConfig) from_option = NULL;
  g_autoptr(MqConfig) without_settings = NULL;

  clear_environment ();
  g_settings_set_string (settings, "region", "cn");

  from_settings = new_config (NULL, NULL, settings);
  g_assert_cmpint (mq_config_get_region (from_settings), ==, MQ_REGION_CN);

  g_setenv ("MINIMAX_REGION", "global", TRUE);
  from_env = new_config (NULL, NULL, settings);
  g_assert_cmpint (mq_config_get_region (from_env), ==, MQ_REGION_GLOBAL);

  g_setenv ("MINIMAX_REGION", "global", TRUE);
  from_option = new_config ("cn", NULL, settings);
  g_assert_cmpint (mq_config_get_region (from_option), ==, MQ_REGION_CN);

  /* Options and environment are read once; the setting is followed. */
  g_unsetenv ("MINIMAX_REGION");
  g_assert_cmpint (mq_config_get_region (from_env), ==, MQ_REGION_GLOBAL);
  g_settings_set_string (settings, "region", "global");
  g_assert_cmpint (mq_config_get_region (from_settings), ==, MQ_REGION_GLOBAL);

  /* The command line finds the same settings itself (NULL). */
  without_settings = new_config (NULL, NULL, NULL);
  g_assert_nonnull (mq_config_get_settings (without_settings));
  g_assert_cmpint (mq_config_get_region (without_settings), ==, MQ_REGION_GLOBAL);
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = fresh_settings ();
  MqConfig *config;

  clear_environment ();

  config = mq_config_new ("mars", NULL, settings, &error);
  g_assert_null (config);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "“mars” is not a region"));
  g_clear_error (&error);

  config = mq_config_new ("", NULL, settings, &error);
  g_assert_null (config);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_setenv ("MINIMAX_REGION", "mars", TRUE);
  config = mq_config_new (NULL, NULL, settings, &error);
  g_assert_null (config);
  g_assert_nonnull (strstr (error->message, "MINIMAX_REGION"));
  g_clear_error (&error);
  g_unsetenv ("MINIMAX_REGION");

  g_setenv ("MINIMAX_BASE_URL", "http://example.com", TRUE);
  config = mq_config_new (NULL, NULL, settings, &error);
  g_assert_null (config);
  g_assert_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* The option is the one checked when both are given. */
  config = mq_config_new (NULL, "https://api.example.com", settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mq_config_get_base_url (config), ==, "https://api.example.com");
  g_object_unref (config);
  g_unsetenv ("MINIMAX_BASE_URL");
}

/* --base-url beats MINIMAX_BASE_URL; empty is unset. */
static void
test_base_url_precedence (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqConfig) none = NULL;
  g_autoptr(MqConfig) from_env = NULL;
  g_autoptr(MqConfig) from_option = NULL;
  g_autoptr(MqConfig) empty = NULL;

  clear_environment ();
  none = new_config (NULL, NULL, settings);
  g_assert_null (mq_config_get_base_url (none));

  g_setenv ("MINIMAX_BASE_URL", "http://127.0.0.1:9/env", TRUE);
  from_env = new_config (NULL, NULL, settings);
  g_assert_cmpstr (mq_config_get_base_url (from_env), ==, "http://127.0.0.1:9/env");

  from_option = new_config (NULL, "http://127.0.0.1:9/option", settings);
  g_assert_cmpstr (mq_config_get_base_url (from_option), ==, "http://127.0.0.1:9/option");

  g_setenv ("MINIMAX_BASE_URL", "", TRUE);
  empty = new_config (NULL, NULL, settings);
  g_assert_null (mq_config_get_base_url (empty));
  clear_environment ();
}

/* The region a key is checked against is --region's, not the setting's:
 * Preferences and the tray use mq_config_get_region(). */
static void
test_key_check_region (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(MqClient) client = mq_client_new ();
  g_autoptr(GError) error = NULL;

  clear_environment ();
  g_settings_set_string (settings, "region", "cn");

  config = new_config ("global", NULL, settings);
  g_assert_cmpint (mq_config_get_region (config), ==, MQ_REGION_GLOBAL);
  g_assert_true (mq_config_apply_to_client (config, client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mq_client_get_region (client), ==, MQ_REGION_GLOBAL);
}

/* The variable named is the one whose key is used. */
static void
test_key_source (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqConfig) global = NULL;
  g_autoptr(MqConfig) automatic = NULL;
  char *key;

  clear_environment ();
  g_setenv ("MINIMAX_CN_API_KEY", KEY_CN, TRUE);
  g_setenv ("MINIMAX_API_KEY", KEY, TRUE);

  /* Region global: MINIMAX_CN_API_KEY is set but not used. */
  global = new_config ("global", NULL, settings);
  g_assert_cmpstr (mq_config_get_key_variable (global), ==, "MINIMAX_API_KEY");
  key = mq_config_resolve_key (global, NULL);
  g_assert_cmpstr (key, ==, KEY);
  mq_secret_free_key (key);
  g_assert_cmpint (mq_config_get_key_source (global), ==, MQ_KEY_SOURCE_ENVIRONMENT);
  g_assert_cmpint (mq_config_get_preferred_region (global), ==, MQ_REGION_AUTO);

  /* Region auto: the China key is used, names its variable and its region,
   * which beats the remembered one. */
  g_settings_set_string (settings, "last-region", "global");
  automatic = new_config (NULL, NULL, settings);
  g_assert_cmpint (mq_config_get_preferred_region (automatic), ==, MQ_REGION_GLOBAL);
  g_assert_cmpstr (mq_config_get_key_variable (automatic), ==, "MINIMAX_CN_API_KEY");
  key = mq_config_resolve_key (automatic, NULL);
  g_assert_cmpstr (key, ==, KEY_CN);
  mq_secret_free_key (key);
  g_assert_cmpint (mq_config_get_preferred_region (automatic), ==, MQ_REGION_CN);

  /* The keyring's key wins; no region of its own. */
  key = mq_config_resolve_key (automatic, "sk-cp-TESTKEY-keyring");
  g_assert_cmpstr (key, ==, "sk-cp-TESTKEY-keyring");
  mq_secret_free_key (key);
  g_assert_cmpint (mq_config_get_key_source (automatic), ==, MQ_KEY_SOURCE_KEYRING);
  g_assert_cmpint (mq_config_get_preferred_region (automatic), ==, MQ_REGION_GLOBAL);

  /* Only the China key, region global: nothing to use, nothing named. */
  g_unsetenv ("MINIMAX_API_KEY");
  g_assert_null (mq_config_get_key_variable (global));
  key = mq_config_resolve_key (global, "");
  g_assert_null (key);
  g_assert_cmpint (mq_config_get_key_source (global), ==, MQ_KEY_SOURCE_NONE);

  clear_environment ();
}

/* "last-region" is written only with region auto, read back as the
 * preferred region. */
static void
test_remember_region (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqConfig) automatic = NULL;
  g_autoptr(MqConfig) fixed = NULL;
  g_autofree char *last = NULL;

  clear_environment ();
  automatic = new_config (NULL, NULL, settings);
  g_assert_cmpint (mq_config_get_preferred_region (automatic), ==, MQ_REGION_AUTO);

  mq_config_remember_region (automatic, MQ_REGION_CN);
  last = g_settings_get_string (settings, "last-region");
  g_assert_cmpstr (last, ==, "cn");
  g_assert_cmpint (mq_config_get_preferred_region (automatic), ==, MQ_REGION_CN);

  /* AUTO (nothing answered) changes nothing. */
  mq_config_remember_region (automatic, MQ_REGION_AUTO);
  g_clear_pointer (&last, g_free);
  last = g_settings_get_string (settings, "last-region");
  g_assert_cmpstr (last, ==, "cn");

  /* With --region, nothing is remembered and nothing preferred. */
  fixed = new_config ("global", NULL, settings);
  mq_config_remember_region (fixed, MQ_REGION_GLOBAL);
  g_clear_pointer (&last, g_free);
  last = g_settings_get_string (settings, "last-region");
  g_assert_cmpstr (last, ==, "cn");
  g_assert_cmpint (mq_config_get_preferred_region (fixed), ==, MQ_REGION_AUTO);
}

/* critical >= low is clamped below low, the same for the tray (the
 * config) and the alerts (mq_config_thresholds_from_settings()). */
static void
test_thresholds (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(MqConfig) config = NULL;
  MqThresholds tray, alerts, defaults;

  clear_environment ();
  config = new_config (NULL, NULL, settings);

  tray = mq_config_get_thresholds (config);
  g_assert_cmpfloat (tray.low, ==, 20);
  g_assert_cmpfloat (tray.critical, ==, 5);

  g_settings_set_uint (settings, "low-threshold", 10);
  g_settings_set_uint (settings, "critical-threshold", 50);
  tray = mq_config_get_thresholds (config);
  alerts = mq_config_thresholds_from_settings (settings);
  g_assert_cmpfloat (tray.low, ==, 10);
  g_assert_cmpfloat (tray.critical, ==, 9);
  g_assert_cmpfloat (alerts.low, ==, tray.low);
  g_assert_cmpfloat (alerts.critical, ==, tray.critical);

  g_settings_set_uint (settings, "low-threshold", 1);
  g_settings_set_uint (settings, "critical-threshold", 1);
  tray = mq_config_get_thresholds (config);
  g_assert_cmpfloat (tray.critical, ==, 0);

  g_settings_set_uint (settings, "critical-threshold", 0);
  tray = mq_config_get_thresholds (config);
  g_assert_cmpfloat (tray.low, ==, 1);
  g_assert_cmpfloat (tray.critical, ==, 0);

  /* No settings: the defaults. */
  defaults = mq_config_thresholds_from_settings (NULL);
  g_assert_cmpfloat (defaults.low, ==, MQ_THRESHOLD_LOW_DEFAULT);
  g_assert_cmpfloat (defaults.critical, ==, MQ_THRESHOLD_CRITICAL_DEFAULT);
}

static void
test_schema_check (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (mq_config_check_schema (&error));
  g_assert_no_error (error);
}

/* ---- Launching: the key stays out of the child's environment --------------------- */

static void
test_launch_without_key (void)
{
  g_autofree char *record = g_build_filename (tmpdir, "record.txt", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;
  g_auto(GStrv) child_env = NULL;
  gboolean marker = FALSE;

  g_setenv ("MINIMAX_API_KEY", KEY, TRUE);
  g_setenv ("MINIMAX_CN_API_KEY", KEY_CN, TRUE);
  g_setenv ("MINIMAX_API_TOKEN", KEY, TRUE);
  g_setenv ("MQ_TEST_MARKER", "inherited", TRUE);

  /* The context itself says so. */
  context = mq_config_new_launch_context ();
  child_env = g_app_launch_context_get_environment (context);
  g_assert_null (g_environ_getenv (child_env, "MINIMAX_API_KEY"));
  g_assert_null (g_environ_getenv (child_env, "MINIMAX_CN_API_KEY"));
  g_assert_null (g_environ_getenv (child_env, "MINIMAX_API_TOKEN"));
  g_assert_cmpstr (g_environ_getenv (child_env, "MQ_TEST_MARKER"), ==, "inherited");

  /* And a real launch through the default https handler. */
  g_assert_true (mq_config_launch_uri ("https://platform.minimax.io/subscribe/token-plan", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 500 && !g_file_test (record, G_FILE_TEST_EXISTS); i++)
    g_usleep (10 * 1000);
  g_assert_true (g_file_get_contents (record, &contents, NULL, &error));
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "https://platform.minimax.io/subscribe/token-plan");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_assert_false (g_str_has_prefix (lines[i], "MINIMAX_API_KEY="));
      g_assert_false (g_str_has_prefix (lines[i], "MINIMAX_CN_API_KEY="));
      g_assert_false (g_str_has_prefix (lines[i], "MINIMAX_API_TOKEN="));
      if (g_str_equal (lines[i], "MQ_TEST_MARKER=inherited"))
        marker = TRUE;
    }
  g_assert_true (marker);
  g_assert_null (strstr (contents, "TESTKEY"));

  clear_environment ();
}

/* A desktop file of our own as the default https handler: it writes the
 * URL, then its environment, to record.txt. */
static void
install_recorder (void)
{
  g_autofree char *data_home = g_build_filename (tmpdir, "data", NULL);
  g_autofree char *config_home = g_build_filename (tmpdir, "config", NULL);
  g_autofree char *script = g_build_filename (tmpdir, "recorder.sh", NULL);
  g_autofree char *record = g_build_filename (tmpdir, "record.txt", NULL);
  g_autofree char *desktop = g_build_filename (data_home, "applications", "recorder.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop_text = NULL;

  script_text = g_strdup_printf ("#!/bin/sh\n"
                                 "{ printf '%%s\\n' \"$1\"; env; } > '%s.tmp'\n"
                                 "mv '%s.tmp' '%s'\n", record, record, record);
  mq_test_write_file (script, script_text);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);

  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Recorder\n"
                                  "Exec=%s %%u\nMimeType=x-scheme-handler/https;\n"
                                  "NoDisplay=true\n", script);
  mq_test_write_file (desktop, desktop_text);
  mq_test_write_file (mimeapps, "[Default Applications]\n"
                                "x-scheme-handler/https=recorder.desktop\n");

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_DATA_DIRS", data_home, TRUE);
  g_unsetenv ("XDG_CURRENT_DESKTOP");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("mq-test-config-XXXXXX", &error);
  g_assert_no_error (error);
  install_recorder ();

  g_test_add_func ("/config/region-precedence", test_region_precedence);
  g_test_add_func ("/config/invalid", test_invalid);
  g_test_add_func ("/config/base-url-precedence", test_base_url_precedence);
  g_test_add_func ("/config/key-check-region", test_key_check_region);
  g_test_add_func ("/config/key-source", test_key_source);
  g_test_add_func ("/config/remember-region", test_remember_region);
  g_test_add_func ("/config/thresholds", test_thresholds);
  g_test_add_func ("/config/schema-check", test_schema_check);
  g_test_add_func ("/config/launch-without-key", test_launch_without_key);

  status = g_test_run ();

  mq_test_remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
