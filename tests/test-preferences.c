/* test-preferences.c: the preferences window with real settings, a real
 * keyring and a real HTTP server
 *
 * Needs a display (the e2e harness runs it under Xvfb); without one every
 * case is skipped. Settings use the memory backend and the schema compiled
 * in the build directory; the keyring is libsecret's file backend in a
 * temporary directory; XDG_CONFIG_HOME is temporary too, so the "Start on
 * login" switch never touches the real autostart folder. Keys are checked
 * against an in-process loopback server (tests/mq-test-server.h).
 *
 * MQ_TEST_HOLD_MS=<ms> keeps the window on screen that long at the
 * interesting moments, for screenshots.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "mq-account-row.h"
#include "mq-accounts.h"
#include "mq-autostart.h"
#include "mq-config.h"
#include "mq-balance.h"
#include "mq-key-page.h"
#include "mq-preferences-window-private.h"
#include "mq-preferences-window.h"
#include "mq-secret.h"
#include "mq-snapshot.h"
#include "mq-test-server.h"

#define TEST_KEY  "sk-cp-TESTKEY-prefs-0123456789abcdef"
#define ENV_KEY   "sk-cp-ENVKEY-never-shown-fedcba9876"
#define TEAM_KEY  "sk-cp-TEAMKEY-prefs-abcdef0123456789"
#define PAYG_KEY  "sk-api-PAYG-prefs-0123456789abcdef"
#define REMAINS   "/v1/token_plan/remains"
#define WAIT_MS   15000

static gboolean have_display;
static char *tmp_dir;
static char *keyring_path;

typedef struct {
  GSettings     *settings;
  MqTestServer  *server;
  char          *base_url;
  MqPreferencesWindow *prefs;
  guint          n_key_changed;
  guint          n_accounts_changed;
  gboolean       last_key_was_null;
  gboolean       last_key_matched;
} Fixture;

static void
on_key_changed (MqPreferencesWindow *prefs,
                const char          *key,
                Fixture             *fixture)
{
  fixture->n_key_changed++;
  fixture->last_key_was_null = key == NULL;
  fixture->last_key_matched = g_strcmp0 (key, TEST_KEY) == 0;
}

static void
on_accounts_changed (MqPreferencesWindow *prefs,
                     Fixture             *fixture)
{
  fixture->n_accounts_changed++;
}

static const char * const reset_keys[] = {
  "region", "last-region", "refresh-interval", "low-threshold",
  "critical-threshold", "notifications-enabled", "icon-model",
  "show-label", "start-on-login", "portal-autostart-granted",
  "forecast-alerts", "forecast-lead-minutes", "accounts", "accounts-migrated",
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  if (!have_display)
    return;

  fixture->settings = g_settings_new (APP_ID);
  for (gsize i = 0; i < G_N_ELEMENTS (reset_keys); i++)
    g_settings_reset (fixture->settings, reset_keys[i]);

  fixture->server = mq_test_server_new ();
  fixture->base_url = mq_test_server_get_base_url (fixture->server);
}

static void
on_account_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  mq_secret_clear_account_finish (result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Removes the keys of the accounts a test left (libsecret's file backend
 * keeps them in memory too): the next tests start with an empty keyring. */
static void
clear_account_keys (Fixture *fixture)
{
  g_autoptr(MqAccounts) accounts = mq_accounts_new (fixture->settings);
  guint n = mq_accounts_get_n_accounts (accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = mq_accounts_dup_name (accounts, i);
      gboolean done = FALSE;

      mq_secret_clear_account_async (name, NULL, on_account_cleared, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
}

/* The window is a toplevel: destroying it disposes it (and cancels what
 * it was doing). */
static void
destroy_prefs (Fixture *fixture)
{
  if (fixture->prefs == NULL)
    return;

  g_signal_handlers_disconnect_by_data (fixture->prefs, fixture);
  gtk_widget_destroy (GTK_WIDGET (g_steal_pointer (&fixture->prefs)));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (!have_display)
    return;

  destroy_prefs (fixture);
  clear_account_keys (fixture);
  g_clear_pointer (&fixture->server, mq_test_server_free);
  g_clear_pointer (&fixture->base_url, g_free);
  g_clear_object (&fixture->settings);
  g_unlink (keyring_path);
}

/* The window with the connection an applet started with @option_region
 * (--region, nullable) and @base_url (--base-url, nullable) would have. */
static void
make_prefs_with (Fixture    *fixture,
                 const char *option_region,
                 const char *base_url)
{
  g_autoptr(MqConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  config = mq_config_new (option_region, base_url, fixture->settings, &error);
  g_assert_no_error (error);
  fixture->prefs = mq_preferences_window_new (NULL, fixture->settings, config);
  g_signal_connect (fixture->prefs, "key-changed",
                    G_CALLBACK (on_key_changed), fixture);
  g_signal_connect (fixture->prefs, "accounts-changed",
                    G_CALLBACK (on_accounts_changed), fixture);
}

static void
make_prefs (Fixture    *fixture,
            const char *base_url)
{
  make_prefs_with (fixture, NULL, base_url);
}

/* A part of the window, or of its "Add Account" dialog. */
static GObject *
object (Fixture    *fixture,
        const char *name)
{
  GObject *result = gtk_widget_get_template_child (GTK_WIDGET (fixture->prefs),
                                                   MQ_TYPE_PREFERENCES_WINDOW, name);

  if (result == NULL)
    result = gtk_widget_get_template_child (GTK_WIDGET (mq_preferences_window_get_account_dialog (fixture->prefs)),
                                            MQ_TYPE_ACCOUNT_DIALOG, name);
  g_assert_nonnull (result);
  return result;
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *fixture);

/* Runs the main loop until @condition holds; fails the test after
 * WAIT_MS. */
static void
wait_for (Fixture   *fixture,
          Condition  condition,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_MS, on_timeout, &timed_out);

  while (!condition (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static void
run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

static void
maybe_hold (void)
{
  const char *hold = g_getenv ("MQ_TEST_HOLD_MS");

  if (hold != NULL)
    run_for (atoi (hold));
}

static const char *
label_text (Fixture    *fixture,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (object (fixture, name)));
}

static gboolean
widget_visible (Fixture    *fixture,
                const char *name)
{
  return gtk_widget_get_visible (GTK_WIDGET (object (fixture, name)));
}

static gboolean
widget_sensitive (Fixture    *fixture,
                  const char *name)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (object (fixture, name)));
}

static gboolean
lookup_done (Fixture *fixture)
{
  return !g_str_equal (label_text (fixture, "key_status_label"), "Checking the keyring…");
}

static gboolean
key_changed (Fixture *fixture)
{
  return fixture->n_key_changed > 0;
}

static gboolean
error_shown (Fixture *fixture)
{
  return widget_visible (fixture, "key_error_label");
}

static gboolean
accounts_changed (Fixture *fixture)
{
  return fixture->n_accounts_changed > 0;
}

/* The key the keyring holds for the account @name, or NULL. */
static char *
account_key (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *key = mq_secret_lookup_account_sync (name, NULL, &error);

  g_assert_no_error (error);
  return key;
}

static void
assert_account_key (const char *name,
                    const char *expected)
{
  char *key = account_key (name);

  g_assert_cmpstr (key, ==, expected);
  mq_secret_free_key (key);
}

/* The stored list, as GSettings prints it: never holds a key. */
static char *
accounts_setting (Fixture *fixture)
{
  g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, "accounts");

  return g_variant_print (value, FALSE);
}

static guint
n_rows (Fixture *fixture)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (object (fixture, "account_list")));

  return g_list_length (rows);
}

static MqAccountRow *
row_at (Fixture *fixture,
        guint    index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (object (fixture, "account_list")),
                                                      index);

  g_assert_nonnull (row);
  return MQ_ACCOUNT_ROW (row);
}

typedef struct {
  const char *name;
  GtkWidget  *found;
} FindData;

static void
find_named (GtkWidget *widget,
            gpointer   user_data)
{
  FindData *data = user_data;

  if (data->found != NULL)
    return;
  if (g_strcmp0 (gtk_widget_get_name (widget), data->name) == 0)
    data->found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_named, data);
}

/* The part of a row called @name (mq-account-row.h names them). */
static GtkWidget *
row_part (MqAccountRow *row,
          const char   *name)
{
  FindData data = { name, NULL };

  gtk_container_forall (GTK_CONTAINER (row), find_named, &data);
  g_assert_nonnull (data.found);
  return data.found;
}

static const char *
row_text (MqAccountRow *row,
          const char   *name)
{
  return gtk_label_get_text (GTK_LABEL (row_part (row, name)));
}

/* Every row knows what the keyring holds. */
static gboolean
rows_settled (Fixture *fixture)
{
  guint n = n_rows (fixture);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (row_text (row_at (fixture, i), "account_detail_label"), "Looking for its key…"))
      return FALSE;

  return TRUE;
}

static void
on_added_directly (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  mq_accounts_add_finish (MQ_ACCOUNTS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* An account stored as the applet's command line would store it. */
static void
add_account_directly (Fixture    *fixture,
                      const char *name,
                      MqRegion    region,
                      const char *key)
{
  g_autoptr(MqAccounts) accounts = mq_accounts_new (fixture->settings);
  gboolean done = FALSE;

  mq_accounts_add_async (accounts, name, region, key, NULL, on_added_directly, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static char *
stored_key (void)
{
  g_autoptr(GError) error = NULL;
  char *key = mq_secret_lookup_sync (NULL, &error);

  g_assert_no_error (error);
  return key;
}

static void
assert_setting_string (Fixture    *fixture,
                       const char *key,
                       const char *expected)
{
  g_autofree char *value = g_settings_get_string (fixture->settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_active_text (GtkComboBox *combo,
                    const char  *expected)
{
  g_autofree char *text = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (combo));

  g_assert_cmpstr (text, ==, expected);
}

static MqSnapshot *
load_snapshot (const char *name,
               MqRegion    region)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot;
  gsize length;

  g_file_get_contents (path, &body, &length, &error);
  g_assert_no_error (error);
  snapshot = mq_snapshot_parse (body, length, g_get_real_time () / 1000, region, &error);
  g_assert_no_error (error);
  return snapshot;
}

/* The "Remove the account?" dialog over the window, or NULL. */
static GtkDialog *
remove_dialog (Fixture *fixture)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (fixture->prefs))
      return l->data;

  return NULL;
}

static gboolean
remove_dialog_shown (Fixture *fixture)
{
  return remove_dialog (fixture) != NULL;
}

static gboolean
skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("no display (run under xvfb-run)");

  return !have_display;
}

static void
test_widgets_bound (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const char * const ids[] = {
    "key_entry", "save_key_button", "add_account_button", "account_list", "key_spinner",
    "key_error_label", "key_success_label", "key_status_label", "region_combo",
    "refresh_combo", "low_spin", "critical_spin", "notifications_switch",
    "icon_model_combo", "show_label_switch", "autostart_switch",
    "forecast_switch", "forecast_lead_spin",
  };
  GtkSpinButton *low_spin, *critical_spin;
  GtkComboBox *region_combo, *refresh_combo, *icon_combo;
  GtkSwitch *notifications, *show_label;
  GtkEntry *entry;
  g_autoptr(MqSnapshot) snapshot = NULL;

  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  g_assert_true (GTK_IS_WINDOW (fixture->prefs));
  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_nonnull (object (fixture, ids[i]));

  /* The key entry hides what is typed. */
  entry = GTK_ENTRY (object (fixture, "key_entry"));
  g_assert_false (gtk_entry_get_visibility (entry));
  g_assert_cmpint (gtk_entry_get_input_purpose (entry), ==, GTK_INPUT_PURPOSE_PASSWORD);
  g_assert_false (widget_sensitive (fixture, "save_key_button"));
  gtk_entry_set_text (entry, "  ");
  g_assert_false (widget_sensitive (fixture, "save_key_button"));
  gtk_entry_set_text (entry, "sk-cp-x");
  g_assert_true (widget_sensitive (fixture, "save_key_button"));
  gtk_entry_set_text (entry, "");

  /* Thresholds, both ways. */
  low_spin = GTK_SPIN_BUTTON (object (fixture, "low_spin"));
  critical_spin = GTK_SPIN_BUTTON (object (fixture, "critical_spin"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (low_spin), ==, 20);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (critical_spin), ==, 5);
  gtk_spin_button_set_value (low_spin, 30);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "low-threshold"), ==, 30);
  g_settings_set_uint (fixture->settings, "low-threshold", 25);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (low_spin), ==, 25);
  gtk_spin_button_set_value (critical_spin, 10);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "critical-threshold"), ==, 10);
  /* Critical stays below low. */
  gtk_spin_button_set_value (low_spin, 8);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "low-threshold"), ==, 8);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "critical-threshold"), ==, 7);
  gtk_spin_button_set_value (critical_spin, 50);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "critical-threshold"), ==, 7);

  /* Notifications. */
  notifications = GTK_SWITCH (object (fixture, "notifications_switch"));
  g_assert_true (gtk_switch_get_active (notifications));
  gtk_switch_set_active (notifications, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->settings, "notifications-enabled"));

  /* The percentage beside the icon: off by default, both ways. */
  show_label = GTK_SWITCH (object (fixture, "show_label_switch"));
  g_assert_false (gtk_switch_get_active (show_label));
  gtk_switch_set_active (show_label, TRUE);
  g_assert_true (g_settings_get_boolean (fixture->settings, "show-label"));
  g_settings_set_boolean (fixture->settings, "show-label", FALSE);
  g_assert_false (gtk_switch_get_active (show_label));

  /* Region. */
  region_combo = GTK_COMBO_BOX (object (fixture, "region_combo"));
  g_assert_cmpstr (gtk_combo_box_get_active_id (region_combo), ==, "auto");
  gtk_combo_box_set_active_id (region_combo, "cn");
  g_assert_cmpint (g_settings_get_enum (fixture->settings, "region"), ==, MQ_REGION_CN);
  g_settings_set_enum (fixture->settings, "region", MQ_REGION_GLOBAL);
  g_assert_cmpstr (gtk_combo_box_get_active_id (region_combo), ==, "global");

  /* Refresh interval: presets, and a value set elsewhere. */
  refresh_combo = GTK_COMBO_BOX (object (fixture, "refresh_combo"));
  g_assert_cmpstr (gtk_combo_box_get_active_id (refresh_combo), ==, "180");
  gtk_combo_box_set_active_id (refresh_combo, "600");
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "refresh-interval"), ==, 600);
  g_settings_set_uint (fixture->settings, "refresh-interval", 240);
  g_assert_cmpstr (gtk_combo_box_get_active_id (refresh_combo), ==, "240");
  assert_active_text (refresh_combo, "4 minutes");

  /* The model in the icon: default, video (of a plan that has it), one
   * from a snapshot. */
  icon_combo = GTK_COMBO_BOX (object (fixture, "icon_model_combo"));
  g_assert_cmpstr (gtk_combo_box_get_active_id (icon_combo), ==, "");
  snapshot = load_snapshot ("current-percent-plan.json", MQ_REGION_GLOBAL);
  mq_preferences_window_set_snapshot (fixture->prefs, snapshot);
  gtk_combo_box_set_active_id (icon_combo, "video");
  assert_setting_string (fixture, "icon-model", "video");
  g_settings_set_string (fixture->settings, "icon-model", "music-cover");
  g_assert_cmpstr (gtk_combo_box_get_active_id (icon_combo), ==, "music-cover");
  gtk_combo_box_set_active_id (icon_combo, "");
  assert_setting_string (fixture, "icon-model", "");
}

static void
test_snapshot_models (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) snapshot = NULL;
  GtkComboBox *icon_combo;

  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  icon_combo = GTK_COMBO_BOX (object (fixture, "icon_model_combo"));
  snapshot = load_snapshot ("legacy-counts-cn.json", MQ_REGION_CN);

  g_assert_false (gtk_combo_box_set_active_id (icon_combo, "speech-hd"));
  mq_preferences_window_set_snapshot (fixture->prefs, snapshot);
  mq_preferences_window_set_snapshot (fixture->prefs, snapshot);
  g_assert_true (gtk_combo_box_set_active_id (icon_combo, "speech-hd"));
  assert_setting_string (fixture, "icon-model", "speech-hd");
  assert_active_text (icon_combo, "Speech (speech-hd)");
  /* The text lane is the default entry, not a second one. */
  g_assert_false (gtk_combo_box_set_active_id (icon_combo, "MiniMax-M*"));
  /* Each model once: the text models, then speech, video, music, image. */
  g_assert_cmpint (gtk_tree_model_iter_n_children (gtk_combo_box_get_model (icon_combo), NULL),
                   ==, 1 + 4);
}

static gboolean
window_visible (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->prefs));
}

static gboolean
window_hidden (Fixture *fixture)
{
  return !gtk_widget_get_visible (GTK_WIDGET (fixture->prefs));
}

static void
send_key (GtkWidget *widget,
          guint      keyval)
{
  GdkSeat *seat = gdk_display_get_default_seat (gtk_widget_get_display (widget));
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);

  event->key.window = g_object_ref (gtk_widget_get_window (widget));
  event->key.keyval = keyval;
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  gdk_event_set_device (event, gdk_seat_get_keyboard (seat));
  gtk_widget_event (widget, event);
  gdk_event_free (event);
}

static void
test_present_and_close (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GtkWindow *window;
  GtkWidget *entry;

  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  window = GTK_WINDOW (fixture->prefs);
  entry = GTK_WIDGET (object (fixture, "add_account_button"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));

  mq_preferences_window_present (fixture->prefs, TRUE);
  wait_for (fixture, window_visible, "the window to show");
  g_assert_true (gtk_widget_is_focus (entry));
  g_assert_cmpstr (gtk_window_get_title (window), !=, NULL);

  /* Closing (a delete event, as from the title bar) hides the window and
   * keeps it. */
  gtk_window_close (window);
  wait_for (fixture, window_hidden, "the window to hide");
  g_assert_true (GTK_WINDOW (fixture->prefs) == window);
  g_assert_false (gtk_widget_in_destruction (GTK_WIDGET (window)));

  mq_preferences_window_present (fixture->prefs, FALSE);
  wait_for (fixture, window_visible, "the window to show again");

  /* Escape closes it too. */
  send_key (GTK_WIDGET (window), GDK_KEY_Escape);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
}

/* Nothing needs scrolling: the window grew to fit what appeared. */
static gboolean
content_fits (Fixture *fixture)
{
  GtkWidget *scrolled = GTK_WIDGET (object (fixture, "scrolled_window"));
  GtkWidget *content = GTK_WIDGET (object (fixture, "content_box"));
  int natural = 0;

  gtk_widget_get_preferred_height_for_width (content, gtk_widget_get_allocated_width (scrolled),
                                             NULL, &natural);
  return gtk_widget_get_allocated_height (scrolled) >= natural;
}

static gboolean
key_settled (Fixture *fixture)
{
  return !widget_visible (fixture, "key_spinner");
}

static gboolean
rows_gone (Fixture *fixture)
{
  return n_rows (fixture) == 0;
}

static gboolean
one_row (Fixture *fixture)
{
  return n_rows (fixture) == 1 && rows_settled (fixture);
}

static void
test_add_account (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *auth = NULL;
  g_autofree char *key = NULL;
  g_autofree char *listed = NULL;
  MqAccountRow *row;
  GtkEntry *entry;

  if (skip_without_display ())
    return;

  mq_test_server_set_route_fixture (fixture->server, REMAINS, 200, "current-percent-plan.json");
  make_prefs (fixture, fixture->base_url);
  mq_preferences_window_present (fixture->prefs, TRUE);
  wait_for (fixture, lookup_done, "the keyring lookup");
  /* Empty: one line saying what is needed, and the way to it focused. */
  g_assert_cmpstr (label_text (fixture, "key_status_label"), ==,
                   "No account yet: add one with a key from the MiniMax platform.");
  g_assert_false (widget_visible (fixture, "account_frame"));
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (object (fixture, "add_account_button"))));
  g_assert_cmpuint (n_rows (fixture), ==, 0);

  /* The first account is "default" unless named otherwise. */
  gtk_button_clicked (GTK_BUTTON (object (fixture, "add_account_button")));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (object (fixture, "name_entry"))), ==, "default");
  entry = GTK_ENTRY (object (fixture, "key_entry"));
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (entry)));
  /* Pasted with a trailing newline, as it often is. */
  gtk_entry_set_text (entry, TEST_KEY "\n");
  maybe_hold ();
  gtk_button_clicked (GTK_BUTTON (object (fixture, "save_key_button")));

  /* Busy while checking. */
  g_assert_true (widget_visible (fixture, "key_spinner"));
  g_assert_false (widget_sensitive (fixture, "save_key_button"));
  g_assert_false (widget_sensitive (fixture, "key_entry"));

  wait_for (fixture, accounts_changed, "accounts-changed");
  wait_for (fixture, key_settled, "the add to end");
  /* A stored account is no session key. */
  g_assert_cmpuint (fixture->n_key_changed, ==, 0);

  /* Checked with a real request carrying the key. */
  g_assert_cmpuint (mq_test_server_get_hits (fixture->server, REMAINS), ==, 1);
  auth = mq_test_server_dup_last_header (fixture->server, "Authorization");
  g_assert_cmpstr (auth, ==, "Bearer " TEST_KEY);

  /* In the keyring under the account, in the list without the key, wiped
   * from the entry, the dialog gone, and said so. */
  assert_account_key ("default", TEST_KEY);
  key = stored_key ();
  g_assert_null (key);
  listed = accounts_setting (fixture);
  g_assert_cmpstr (listed, ==, "[('default', 'auto')]");
  g_assert_cmpstr (gtk_entry_get_text (entry), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (mq_preferences_window_get_account_dialog (fixture->prefs))));
  g_assert_false (widget_visible (fixture, "key_error_label"));
  g_assert_true (widget_visible (fixture, "key_success_label"));
  g_assert_cmpstr (label_text (fixture, "key_success_label"), ==, "Key saved — 99% left");
  g_assert_false (widget_visible (fixture, "key_status_label"));
  g_assert_false (widget_visible (fixture, "key_spinner"));
  g_assert_true (widget_sensitive (fixture, "key_entry"));
  wait_for (fixture, one_row, "the account in the list");
  g_assert_true (widget_visible (fixture, "account_frame"));
  row = row_at (fixture, 0);
  g_assert_cmpstr (row_text (row, "account_name_label"), ==, "default");
  g_assert_cmpstr (row_text (row, "account_detail_label"), ==, "Token Plan key · in your keyring");
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (row_part (row, "account_region_combo"))),
                   ==, "auto");
  maybe_hold ();

  /* A new window finds the account; the next one suggested is team-2. */
  destroy_prefs (fixture);
  make_prefs (fixture, fixture->base_url);
  wait_for (fixture, one_row, "the stored account");
  g_assert_cmpstr (row_text (row_at (fixture, 0), "account_name_label"), ==, "default");
  gtk_button_clicked (GTK_BUTTON (object (fixture, "add_account_button")));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (object (fixture, "name_entry"))), ==, "team-2");
  gtk_widget_hide (GTK_WIDGET (mq_preferences_window_get_account_dialog (fixture->prefs)));

  /* Remove it: the row asks first; Cancel keeps the account and its key. */
  fixture->n_accounts_changed = 0;
  gtk_button_clicked (GTK_BUTTON (row_part (row_at (fixture, 0), "remove_button")));
  wait_for (fixture, remove_dialog_shown, "the remove dialog");
  {
    g_autofree char *question = NULL;

    g_object_get (remove_dialog (fixture), "text", &question, NULL);
    g_assert_cmpstr (question, ==, "Remove the account “default”?");
  }
  gtk_dialog_response (remove_dialog (fixture), GTK_RESPONSE_CANCEL);
  run_for (200);
  g_assert_null (remove_dialog (fixture));
  g_assert_cmpuint (fixture->n_accounts_changed, ==, 0);
  assert_account_key ("default", TEST_KEY);
  g_assert_cmpuint (n_rows (fixture), ==, 1);

  gtk_button_clicked (GTK_BUTTON (row_part (row_at (fixture, 0), "remove_button")));
  wait_for (fixture, remove_dialog_shown, "the remove dialog");
  gtk_dialog_response (remove_dialog (fixture), GTK_RESPONSE_ACCEPT);
  wait_for (fixture, accounts_changed, "accounts-changed (removed)");
  wait_for (fixture, rows_gone, "the row to go");
  g_assert_cmpuint (fixture->n_key_changed, ==, 0);
  assert_account_key ("default", NULL);
  g_clear_pointer (&listed, g_free);
  listed = accounts_setting (fixture);
  g_assert_cmpstr (listed, ==, "[]");
  g_assert_false (widget_visible (fixture, "account_frame"));
  g_assert_cmpstr (label_text (fixture, "key_status_label"), ==,
                   "No account yet: add one with a key from the MiniMax platform.");
}

static void
assert_label_lacks_key (Fixture    *fixture,
                        const char *name,
                        const char *key)
{
  g_assert_null (strstr (label_text (fixture, name), key));
}

static void
test_add_account_rejected (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *key = NULL;
  GtkEntry *entry;

  if (skip_without_display ())
    return;

  mq_test_server_set_route_fixture (fixture->server, REMAINS, 200, "error-2049-invalid-key.json");
  make_prefs (fixture, fixture->base_url);
  mq_preferences_window_present (fixture->prefs, TRUE);
  wait_for (fixture, lookup_done, "the keyring lookup");

  entry = GTK_ENTRY (object (fixture, "key_entry"));
  gtk_entry_set_text (entry, TEST_KEY);
  g_signal_emit_by_name (entry, "activate");

  wait_for (fixture, error_shown, "the inline error");
  wait_for (fixture, key_settled, "the check to end");
  g_assert_cmpuint (mq_test_server_get_hits (fixture->server, REMAINS), >=, 1);

  /* The error names the code and never the key. */
  g_assert_nonnull (strstr (label_text (fixture, "key_error_label"), "2049"));
  assert_label_lacks_key (fixture, "key_error_label", TEST_KEY);
  assert_label_lacks_key (fixture, "key_status_label", TEST_KEY);
  g_assert_false (widget_visible (fixture, "key_success_label"));

  /* Nothing stored, nothing listed, nothing announced; the key stays for
   * correcting. */
  g_assert_cmpuint (fixture->n_key_changed, ==, 0);
  g_assert_cmpuint (fixture->n_accounts_changed, ==, 0);
  key = stored_key ();
  g_assert_null (key);
  assert_account_key ("default", NULL);
  g_assert_cmpuint (g_variant_n_children (g_settings_get_value (fixture->settings, "accounts")), ==, 0);
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  g_assert_cmpstr (gtk_entry_get_text (entry), ==, TEST_KEY);
  g_assert_true (widget_sensitive (fixture, "save_key_button"));
  wait_for (fixture, content_fits, "the window to fit the error");
  maybe_hold ();

  /* Typing again clears the error. */
  gtk_entry_set_text (entry, TEST_KEY "x");
  g_assert_false (widget_visible (fixture, "key_error_label"));
}

/* A pay-as-you-go key is checked against the balance, not the quota: a
 * rejected one stores nothing, an accepted one is listed as such. */
static void
test_pay_as_you_go_key (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MqAccountRow *row;

  if (skip_without_display ())
    return;

  mq_test_server_set_route_fixture (fixture->server, REMAINS, 200, "current-percent-plan.json");
  mq_test_server_set_route_fixture (fixture->server, MQ_PATH_BALANCE, 200, "error-1004-no-key.json");
  make_prefs (fixture, fixture->base_url);
  wait_for (fixture, lookup_done, "the keyring lookup");

  gtk_entry_set_text (GTK_ENTRY (object (fixture, "key_entry")), PAYG_KEY);
  gtk_button_clicked (GTK_BUTTON (object (fixture, "save_key_button")));
  wait_for (fixture, error_shown, "the inline error");
  wait_for (fixture, key_settled, "the check to end");

  g_assert_cmpuint (mq_test_server_get_hits (fixture->server, MQ_PATH_BALANCE), >=, 1);
  g_assert_cmpuint (mq_test_server_get_hits (fixture->server, REMAINS), ==, 0);
  assert_label_lacks_key (fixture, "key_error_label", "PAYG-prefs");
  g_assert_cmpuint (fixture->n_key_changed, ==, 0);
  g_assert_cmpuint (fixture->n_accounts_changed, ==, 0);
  assert_account_key ("default", NULL);

  /* Accepted: listed as pay-as-you-go, with its balance said. */
  mq_test_server_set_route_fixture (fixture->server, MQ_PATH_BALANCE, 200, "balance-strings.json");
  gtk_entry_set_text (GTK_ENTRY (object (fixture, "name_entry")), "payg");
  gtk_button_clicked (GTK_BUTTON (object (fixture, "save_key_button")));
  wait_for (fixture, accounts_changed, "accounts-changed");
  wait_for (fixture, one_row, "the account in the list");
  assert_account_key ("payg", PAYG_KEY);
  row = row_at (fixture, 0);
  g_assert_cmpstr (row_text (row, "account_name_label"), ==, "payg");
  g_assert_cmpstr (row_text (row, "account_detail_label"), ==, "Pay-as-you-go key · in your keyring");
  g_assert_true (g_str_has_prefix (label_text (fixture, "key_success_label"), "Key saved — "));
  g_assert_true (g_str_has_suffix (label_text (fixture, "key_success_label"), " available"));
  assert_label_lacks_key (fixture, "key_success_label", "PAYG-prefs");
  g_assert_cmpuint (mq_test_server_get_hits (fixture->server, REMAINS), ==, 0);
}

/* The name in "Add Account" is checked as it is typed: a taken one (case
 * aside) or a bad one is said inline, and Add waits. */
static void
test_add_account_name (Fixture       *fixture,
                       gconstpointer  user_data)
{
  GtkEntry *name;

  if (skip_without_display ())
    return;

  add_account_directly (fixture, "default", MQ_REGION_AUTO, TEST_KEY);
  make_prefs (fixture, fixture->base_url);
  wait_for (fixture, one_row, "the stored account");
  gtk_button_clicked (GTK_BUTTON (object (fixture, "add_account_button")));
  name = GTK_ENTRY (object (fixture, "name_entry"));
  g_assert_cmpstr (gtk_entry_get_text (name), ==, "team-2");
  gtk_entry_set_text (GTK_ENTRY (object (fixture, "key_entry")), TEAM_KEY);
  g_assert_false (widget_visible (fixture, "name_error_label"));
  g_assert_true (widget_sensitive (fixture, "save_key_button"));

  gtk_entry_set_text (name, "DEFAULT");
  g_assert_true (widget_visible (fixture, "name_error_label"));
  g_assert_false (widget_sensitive (fixture, "save_key_button"));
  /* Enter does nothing either: no request, nothing stored. */
  g_signal_emit_by_name (object (fixture, "key_entry"), "activate");
  run_for (200);
  g_assert_cmpuint (mq_test_server_get_total_hits (fixture->server), ==, 0);
  g_assert_cmpuint (fixture->n_accounts_changed, ==, 0);

  gtk_entry_set_text (name, "");
  g_assert_true (widget_visible (fixture, "name_error_label"));
  gtk_entry_set_text (name, "work");
  g_assert_false (widget_visible (fixture, "name_error_label"));
  g_assert_true (widget_sensitive (fixture, "save_key_button"));
  assert_label_lacks_key (fixture, "name_error_label", TEAM_KEY);
}

static void
test_environment_key (Fixture       *fixture,
                      gconstpointer  user_data)
{
  if (skip_without_display ())
    return;

  g_setenv ("MINIMAX_API_KEY", ENV_KEY, TRUE);
  make_prefs (fixture, NULL);
  wait_for (fixture, lookup_done, "the keyring lookup");

  g_assert_nonnull (strstr (label_text (fixture, "key_status_label"),
                            "Using the key from MINIMAX_API_KEY"));
  assert_label_lacks_key (fixture, "key_status_label", ENV_KEY);
  /* No account listed. */
  g_assert_false (widget_visible (fixture, "account_frame"));
  g_assert_cmpuint (n_rows (fixture), ==, 0);

  /* MINIMAX_CN_API_KEY comes first, except for the global region. */
  g_setenv ("MINIMAX_CN_API_KEY", ENV_KEY, TRUE);
  g_settings_set_enum (fixture->settings, "region", MQ_REGION_CN);
  g_assert_nonnull (strstr (label_text (fixture, "key_status_label"), "MINIMAX_CN_API_KEY"));
  g_settings_set_enum (fixture->settings, "region", MQ_REGION_GLOBAL);
  g_assert_nonnull (strstr (label_text (fixture, "key_status_label"), "MINIMAX_API_KEY"));
  g_assert_null (strstr (label_text (fixture, "key_status_label"), "MINIMAX_CN_API_KEY"));

  g_unsetenv ("MINIMAX_CN_API_KEY");
  g_unsetenv ("MINIMAX_API_KEY");
}

static void
test_dispose_while_checking (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *key = NULL;

  if (skip_without_display ())
    return;

  mq_test_server_set_route_fixture (fixture->server, REMAINS, 200, "current-percent-plan.json");
  mq_test_server_set_delay_ms (fixture->server, REMAINS, 500);
  make_prefs (fixture, fixture->base_url);

  gtk_entry_set_text (GTK_ENTRY (object (fixture, "key_entry")), TEST_KEY);
  gtk_button_clicked (GTK_BUTTON (object (fixture, "save_key_button")));

  /* Gone while the check is in flight: it is cancelled, nothing stored. */
  destroy_prefs (fixture);
  run_for (1000);

  key = stored_key ();
  g_assert_null (key);
  assert_account_key ("default", NULL);
  g_assert_cmpuint (fixture->n_key_changed, ==, 0);
}

static gboolean
autostart_on (Fixture *fixture)
{
  GtkSwitch *sw = GTK_SWITCH (object (fixture, "autostart_switch"));

  return gtk_switch_get_state (sw) && widget_sensitive (fixture, "autostart_switch");
}

static gboolean
autostart_off (Fixture *fixture)
{
  GtkSwitch *sw = GTK_SWITCH (object (fixture, "autostart_switch"));

  return !gtk_switch_get_state (sw) && widget_sensitive (fixture, "autostart_switch");
}

static void
test_autostart_switch (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *path = mq_autostart_dup_path ();
  GtkSwitch *sw;

  if (skip_without_display ())
    return;
  if (mq_autostart_in_flatpak ())
    {
      g_test_skip ("inside Flatpak the Background portal decides");
      return;
    }

  g_assert_true (g_str_has_prefix (path, tmp_dir));
  make_prefs (fixture, NULL);
  sw = GTK_SWITCH (object (fixture, "autostart_switch"));
  g_assert_false (gtk_switch_get_active (sw));

  gtk_switch_set_active (sw, TRUE);
  wait_for (fixture, autostart_on, "autostart to be on");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_settings_get_boolean (fixture->settings, "start-on-login"));
  g_assert_false (widget_visible (fixture, "autostart_error_label"));

  gtk_switch_set_active (sw, FALSE);
  wait_for (fixture, autostart_off, "autostart to be off");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_settings_get_boolean (fixture->settings, "start-on-login"));

  /* Removed behind the window's back: presenting shows the truth. */
  gtk_switch_set_active (sw, TRUE);
  wait_for (fixture, autostart_on, "autostart to be on again");
  g_assert_cmpint (g_unlink (path), ==, 0);
  mq_preferences_window_present (fixture->prefs, FALSE);
  g_assert_false (gtk_switch_get_active (sw));
  g_assert_false (g_settings_get_boolean (fixture->settings, "start-on-login"));
}

/* The pure link: no display needed. */
static void
test_key_page_url (void)
{
  g_assert_cmpstr (mq_key_page_url (MQ_REGION_GLOBAL, MQ_REGION_AUTO), ==,
                   "https://platform.minimax.io/user-center/payment/token-plan");
  g_assert_cmpstr (mq_key_page_url (MQ_REGION_CN, MQ_REGION_AUTO), ==,
                   "https://platform.minimax.cn/user-center/payment/token-plan");
  g_assert_cmpstr (mq_key_page_url (MQ_REGION_GLOBAL, MQ_REGION_CN), ==,
                   "https://platform.minimax.io/user-center/payment/token-plan");
  /* Automatic: the region that answered last, else global. */
  g_assert_cmpstr (mq_key_page_url (MQ_REGION_AUTO, MQ_REGION_AUTO), ==,
                   "https://platform.minimax.io/user-center/payment/token-plan");
  g_assert_cmpstr (mq_key_page_url (MQ_REGION_AUTO, MQ_REGION_CN), ==,
                   "https://platform.minimax.cn/user-center/payment/token-plan");
  g_assert_cmpstr (mq_key_page_url (MQ_REGION_AUTO, MQ_REGION_GLOBAL), ==,
                   "https://platform.minimax.io/user-center/payment/token-plan");
}

static const char *
link_uri (Fixture *fixture)
{
  return gtk_link_button_get_uri (GTK_LINK_BUTTON (object (fixture, "get_key_button")));
}

/* "Get a key" beside the key field follows the region. */
static void
test_get_key_link (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  g_assert_cmpstr (link_uri (fixture), ==, mq_key_page_url (MQ_REGION_AUTO, MQ_REGION_AUTO));
  g_settings_set_string (fixture->settings, "last-region", "cn");
  g_assert_cmpstr (link_uri (fixture), ==, mq_key_page_url (MQ_REGION_AUTO, MQ_REGION_CN));
  g_settings_set_enum (fixture->settings, "region", MQ_REGION_GLOBAL);
  g_assert_cmpstr (link_uri (fixture), ==, mq_key_page_url (MQ_REGION_GLOBAL, MQ_REGION_CN));
  g_settings_set_enum (fixture->settings, "region", MQ_REGION_CN);
  g_assert_cmpstr (link_uri (fixture), ==, mq_key_page_url (MQ_REGION_CN, MQ_REGION_CN));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (object (fixture, "get_key_button"))));
}

/* The key is checked where the applet asks: an applet started with
 * --region cn checks against the CN hosts although the setting says
 * global (the old window read the setting), and stores the key for CN. */
static void
test_option_region_reaches_key_check (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  MqTestServer *cn_server;
  g_autofree char *cn_url = NULL;
  const char *global_hosts[2] = { NULL, NULL };
  const char *cn_hosts[2] = { NULL, NULL };

  if (skip_without_display ())
    return;

  cn_server = mq_test_server_new ();
  cn_url = mq_test_server_get_base_url (cn_server);
  mq_test_server_set_route_fixture (fixture->server, REMAINS, 200, "current-percent-plan.json");
  mq_test_server_set_route_fixture (cn_server, REMAINS, 200, "current-percent-plan.json");
  global_hosts[0] = fixture->base_url;
  cn_hosts[0] = cn_url;

  g_settings_set_enum (fixture->settings, "region", MQ_REGION_GLOBAL);
  make_prefs_with (fixture, "cn", NULL);
  mq_preferences_window_override_hosts (fixture->prefs, MQ_REGION_GLOBAL, global_hosts);
  mq_preferences_window_override_hosts (fixture->prefs, MQ_REGION_CN, cn_hosts);
  wait_for (fixture, lookup_done, "the keyring lookup");

  gtk_entry_set_text (GTK_ENTRY (object (fixture, "key_entry")), TEST_KEY);
  gtk_button_clicked (GTK_BUTTON (object (fixture, "save_key_button")));
  wait_for (fixture, accounts_changed, "accounts-changed");

  assert_account_key ("default", TEST_KEY);
  g_assert_cmpuint (mq_test_server_get_hits (cn_server, REMAINS), ==, 1);
  g_assert_cmpuint (mq_test_server_get_hits (fixture->server, REMAINS), ==, 0);
  /* With --region nothing is remembered: the setting stays as it was. */
  g_assert_cmpint (g_settings_get_enum (fixture->settings, "region"), ==, MQ_REGION_GLOBAL);
  {
    g_autofree char *last = g_settings_get_string (fixture->settings, "last-region");

    g_assert_cmpstr (last, ==, "");
  }

  mq_test_server_free (cn_server);
}

/* Region automatic: the region that answered the check is remembered
 * (through the connection), and "Get a key" follows it. */
static void
test_auto_region_remembered (Fixture       *fixture,
                             gconstpointer  user_data)
{
  MqTestServer *cn_server;
  g_autofree char *cn_url = NULL;
  g_autofree char *last = NULL;
  const char *global_hosts[2] = { NULL, NULL };
  const char *cn_hosts[2] = { NULL, NULL };

  if (skip_without_display ())
    return;

  cn_server = mq_test_server_new ();
  cn_url = mq_test_server_get_base_url (cn_server);
  /* Global refuses the key, CN takes it. */
  mq_test_server_set_route_fixture (fixture->server, REMAINS, 200, "error-2049-invalid-key.json");
  mq_test_server_set_route_fixture (cn_server, REMAINS, 200, "current-percent-plan.json");
  global_hosts[0] = fixture->base_url;
  cn_hosts[0] = cn_url;

  make_prefs (fixture, NULL);
  mq_preferences_window_override_hosts (fixture->prefs, MQ_REGION_GLOBAL, global_hosts);
  mq_preferences_window_override_hosts (fixture->prefs, MQ_REGION_CN, cn_hosts);
  wait_for (fixture, lookup_done, "the keyring lookup");

  gtk_entry_set_text (GTK_ENTRY (object (fixture, "key_entry")), TEST_KEY);
  gtk_button_clicked (GTK_BUTTON (object (fixture, "save_key_button")));
  wait_for (fixture, accounts_changed, "accounts-changed");

  g_assert_cmpuint (mq_test_server_get_hits (cn_server, REMAINS), ==, 1);
  last = g_settings_get_string (fixture->settings, "last-region");
  g_assert_cmpstr (last, ==, "cn");
  g_assert_cmpstr (link_uri (fixture), ==, mq_region_get_usage_url (MQ_REGION_CN));

  mq_test_server_free (cn_server);
}

/* "Using the key from …" names the variable the applet takes its key
 * from: with --region global, MINIMAX_API_KEY even though the setting
 * (cn) would pick MINIMAX_CN_API_KEY. */
static void
test_label_names_variable_in_use (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  if (skip_without_display ())
    return;

  g_setenv ("MINIMAX_API_KEY", ENV_KEY, TRUE);
  g_setenv ("MINIMAX_CN_API_KEY", ENV_KEY, TRUE);
  g_settings_set_enum (fixture->settings, "region", MQ_REGION_CN);
  make_prefs_with (fixture, "global", NULL);
  wait_for (fixture, lookup_done, "the keyring lookup");

  g_assert_nonnull (strstr (label_text (fixture, "key_status_label"),
                            "Using the key from MINIMAX_API_KEY."));
  assert_label_lacks_key (fixture, "key_status_label", ENV_KEY);

  g_unsetenv ("MINIMAX_CN_API_KEY");
  g_unsetenv ("MINIMAX_API_KEY");
}

/* "Warn before running out" and its lead time, both ways; the lead time
 * is greyed out while the switch is off. */
static void
test_forecast_alert_settings (Fixture       *fixture,
                              gconstpointer  user_data)
{
  GtkSwitch *sw;
  GtkSpinButton *lead;

  if (skip_without_display ())
    return;

  g_settings_reset (fixture->settings, "forecast-alerts");
  g_settings_reset (fixture->settings, "forecast-lead-minutes");
  make_prefs (fixture, NULL);
  sw = GTK_SWITCH (object (fixture, "forecast_switch"));
  lead = GTK_SPIN_BUTTON (object (fixture, "forecast_lead_spin"));

  g_assert_true (gtk_switch_get_active (sw));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (lead), ==, 30);
  g_assert_true (widget_sensitive (fixture, "forecast_lead_spin"));

  gtk_switch_set_active (sw, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->settings, "forecast-alerts"));
  g_assert_false (widget_sensitive (fixture, "forecast_lead_spin"));
  g_settings_set_boolean (fixture->settings, "forecast-alerts", TRUE);
  g_assert_true (gtk_switch_get_active (sw));
  g_assert_true (widget_sensitive (fixture, "forecast_lead_spin"));

  gtk_spin_button_set_value (lead, 45);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "forecast-lead-minutes"), ==, 45);
  g_settings_set_uint (fixture->settings, "forecast-lead-minutes", 60);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (lead), ==, 60);
  /* The schema's range: 5 minutes to a day. */
  gtk_spin_button_set_value (lead, 1);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "forecast-lead-minutes"), ==, 5);

  g_settings_reset (fixture->settings, "forecast-alerts");
  g_settings_reset (fixture->settings, "forecast-lead-minutes");
}

/* The title, and the header bar that shows it, name the application. */
static void
test_title (Fixture       *fixture,
            gconstpointer  user_data)
{
  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->prefs)), ==,
                   "Leeway Preferences");
  g_assert_cmpstr (gtk_header_bar_get_title (GTK_HEADER_BAR (object (fixture, "header_bar"))), ==,
                   "Leeway Preferences");
}

/* The height on screen, title bar included, fits a 768 px screen with a
 * 48 px panel. */
static void
assert_fits_768 (Fixture *fixture)
{
  GdkRectangle frame;
  int natural = 0;

  gtk_widget_get_preferred_height (GTK_WIDGET (fixture->prefs), NULL, &natural);
  gdk_window_get_frame_extents (gtk_widget_get_window (GTK_WIDGET (fixture->prefs)), &frame);
  g_test_message ("natural height %d, on screen %d", natural, frame.height);
  g_assert_cmpint (natural, <=, 768 - 48);
  g_assert_cmpint (frame.height, <=, 768 - 48);
}

static void
test_fits_768 (Fixture       *fixture,
               gconstpointer  user_data)
{
  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  mq_preferences_window_present (fixture->prefs, FALSE);
  wait_for (fixture, window_visible, "the window to show");
  wait_for (fixture, lookup_done, "the keyring lookup");
  run_for (200);
  assert_fits_768 (fixture);
}

static gboolean
two_rows (Fixture *fixture)
{
  return n_rows (fixture) == 2 && rows_settled (fixture);
}

/* Two accounts listed (and, with @more, five: the list scrolls after
 * about three rows): the window still fits. */
static void
test_fits_768_accounts (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GtkWidget *scroller;
  int one_row_height, natural = 0;

  if (skip_without_display ())
    return;

  add_account_directly (fixture, "default", MQ_REGION_AUTO, TEST_KEY);
  add_account_directly (fixture, "team-2", MQ_REGION_CN, TEAM_KEY);
  make_prefs (fixture, NULL);
  mq_preferences_window_present (fixture->prefs, FALSE);
  wait_for (fixture, window_visible, "the window to show");
  wait_for (fixture, two_rows, "the two accounts");
  run_for (200);
  assert_fits_768 (fixture);
  /* Nothing needs scrolling but the list itself. */
  wait_for (fixture, content_fits, "the window to fit two accounts");
  maybe_hold ();

  /* Five: three rows or so show, the rest scroll. */
  add_account_directly (fixture, "team-3", MQ_REGION_GLOBAL, TEAM_KEY);
  add_account_directly (fixture, "team-4", MQ_REGION_GLOBAL, TEAM_KEY);
  add_account_directly (fixture, "team-5", MQ_REGION_GLOBAL, TEAM_KEY);
  wait_for (fixture, rows_settled, "the five accounts");
  g_assert_cmpuint (n_rows (fixture), ==, 5);
  run_for (200);
  assert_fits_768 (fixture);
  wait_for (fixture, content_fits, "the window to fit five accounts");
  scroller = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (object (fixture, "account_list"))));
  g_assert_true (GTK_IS_SCROLLED_WINDOW (scroller));
  gtk_widget_get_preferred_height (GTK_WIDGET (row_at (fixture, 0)), NULL, &one_row_height);
  gtk_widget_get_preferred_height (scroller, NULL, &natural);
  g_test_message ("row %d, list %d", one_row_height, natural);
  g_assert_cmpint (natural, >=, 2 * one_row_height);
  g_assert_cmpint (natural, <, 4 * one_row_height);
}

static gboolean
row_error_shown (Fixture *fixture)
{
  return gtk_widget_get_visible (row_part (row_at (fixture, 0), "account_error_label"));
}

static gboolean
renamed (Fixture *fixture)
{
  return n_rows (fixture) == 2 &&
         g_str_equal (row_text (row_at (fixture, 0), "account_name_label"), "personal") &&
         rows_settled (fixture);
}

/* Rename: checked as it is typed (a duplicate name, case aside, is
 * refused inline), and done it moves the key. */
static void
test_rename_account (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MqAccountRow *row;
  GtkEntry *entry;
  g_autofree char *listed = NULL;

  if (skip_without_display ())
    return;

  add_account_directly (fixture, "default", MQ_REGION_AUTO, TEST_KEY);
  add_account_directly (fixture, "team-2", MQ_REGION_AUTO, TEAM_KEY);
  make_prefs (fixture, NULL);
  mq_preferences_window_present (fixture->prefs, FALSE);
  wait_for (fixture, two_rows, "the two accounts");

  row = row_at (fixture, 0);
  gtk_button_clicked (GTK_BUTTON (row_part (row, "rename_button")));
  entry = GTK_ENTRY (row_part (row, "rename_entry"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (entry)));
  g_assert_cmpstr (gtk_entry_get_text (entry), ==, "default");
  g_assert_false (gtk_widget_get_sensitive (row_part (row, "rename_apply_button")));

  /* Taken (another account's name, in other case): said at once. */
  gtk_entry_set_text (entry, "TEAM-2");
  g_assert_true (row_error_shown (fixture));
  g_assert_cmpstr (row_text (row, "account_error_label"), !=, "");
  g_assert_false (gtk_widget_get_sensitive (row_part (row, "rename_apply_button")));
  g_signal_emit_by_name (entry, "activate");
  run_for (200);
  g_assert_cmpuint (fixture->n_accounts_changed, ==, 0);
  /* Not a name at all. */
  gtk_entry_set_text (entry, " spaced ");
  g_assert_true (row_error_shown (fixture));
  /* A good one clears the error. */
  gtk_entry_set_text (entry, "personal");
  g_assert_false (row_error_shown (fixture));
  g_assert_true (gtk_widget_get_sensitive (row_part (row, "rename_apply_button")));
  maybe_hold ();

  gtk_button_clicked (GTK_BUTTON (row_part (row, "rename_apply_button")));
  wait_for (fixture, accounts_changed, "accounts-changed");
  wait_for (fixture, renamed, "the renamed row");
  assert_account_key ("personal", TEST_KEY);
  assert_account_key ("default", NULL);
  assert_account_key ("team-2", TEAM_KEY);
  listed = accounts_setting (fixture);
  g_assert_cmpstr (listed, ==, "[('personal', 'auto'), ('team-2', 'auto')]");
  g_assert_null (strstr (listed, "TESTKEY"));
}

/* Each account has its region, stored at once and kept. */
static void
test_account_region (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(MqAccounts) accounts = NULL;
  GtkComboBox *combo;

  if (skip_without_display ())
    return;

  add_account_directly (fixture, "default", MQ_REGION_AUTO, TEST_KEY);
  add_account_directly (fixture, "team-2", MQ_REGION_GLOBAL, TEAM_KEY);
  make_prefs (fixture, NULL);
  wait_for (fixture, two_rows, "the two accounts");
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (row_part (row_at (fixture, 1),
                                                                           "account_region_combo"))),
                   ==, "global");

  combo = GTK_COMBO_BOX (row_part (row_at (fixture, 0), "account_region_combo"));
  gtk_combo_box_set_active_id (combo, "cn");
  accounts = mq_accounts_new (fixture->settings);
  g_assert_cmpint (mq_accounts_get_region (accounts, 0), ==, MQ_REGION_CN);
  g_assert_cmpint (mq_accounts_get_region (accounts, 1), ==, MQ_REGION_GLOBAL);
  /* The app-wide region is another setting. */
  g_assert_cmpint (g_settings_get_enum (fixture->settings, "region"), ==, MQ_REGION_AUTO);
  wait_for (fixture, accounts_changed, "accounts-changed");

  /* Kept: a new window shows it; a change made elsewhere shows at once. */
  destroy_prefs (fixture);
  make_prefs (fixture, NULL);
  wait_for (fixture, two_rows, "the two accounts");
  combo = GTK_COMBO_BOX (row_part (row_at (fixture, 0), "account_region_combo"));
  g_assert_cmpstr (gtk_combo_box_get_active_id (combo), ==, "cn");
  g_assert_true (mq_accounts_set_region (accounts, "default", MQ_REGION_GLOBAL, NULL));
  g_assert_cmpstr (gtk_combo_box_get_active_id (combo), ==, "global");
  assert_account_key ("default", TEST_KEY);
}

/* An account listed whose key the keyring lacks says so (and no key kind
 * is made up for it). */
static void
test_account_without_key (Fixture       *fixture,
                          gconstpointer  user_data)
{
  if (skip_without_display ())
    return;

  g_settings_set_value (fixture->settings, "accounts",
                        g_variant_new_parsed ("[('ghost', 'global')]"));
  make_prefs (fixture, NULL);
  wait_for (fixture, one_row, "the account");
  g_assert_cmpstr (row_text (row_at (fixture, 0), "account_name_label"), ==, "ghost");
  g_assert_cmpstr (row_text (row_at (fixture, 0), "account_detail_label"), ==,
                   "Its key is not in the keyring, or the keyring could not be read");
  g_assert_false (widget_visible (fixture, "key_status_label"));
}

/* The peek icon shows the key, and hides it again. */
static void
test_reveal_key (Fixture       *fixture,
                 gconstpointer  user_data)
{
  GtkEntry *entry;

  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  entry = GTK_ENTRY (object (fixture, "key_entry"));
  g_assert_false (gtk_entry_get_visibility (entry));
  g_assert_cmpstr (gtk_entry_get_icon_name (entry, GTK_ENTRY_ICON_SECONDARY), ==,
                   "view-reveal-symbolic");
  g_assert_true (gtk_entry_get_icon_activatable (entry, GTK_ENTRY_ICON_SECONDARY));

  g_signal_emit_by_name (entry, "icon-press", GTK_ENTRY_ICON_SECONDARY, NULL);
  g_assert_true (gtk_entry_get_visibility (entry));
  g_assert_cmpstr (gtk_entry_get_icon_name (entry, GTK_ENTRY_ICON_SECONDARY), ==,
                   "view-conceal-symbolic");

  g_signal_emit_by_name (entry, "icon-press", GTK_ENTRY_ICON_SECONDARY, NULL);
  g_assert_false (gtk_entry_get_visibility (entry));
  g_assert_cmpstr (gtk_entry_get_icon_name (entry, GTK_ENTRY_ICON_SECONDARY), ==,
                   "view-reveal-symbolic");
}

static char *
active_text (GtkComboBox *combo)
{
  return gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (combo));
}

/* "Icon shows" lists the models of the plan only; a stored choice the plan
 * lacks stays, and says that the icon shows the text models. */
static void
test_icon_models_in_plan (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(MqSnapshot) without_video = NULL;
  g_autoptr(MqSnapshot) with_video = NULL;
  g_autofree char *text = NULL;
  GtkComboBox *icon_combo;
  GtkTreeModel *model;

  if (skip_without_display ())
    return;

  make_prefs (fixture, NULL);
  icon_combo = GTK_COMBO_BOX (object (fixture, "icon_model_combo"));
  model = gtk_combo_box_get_model (icon_combo);
  without_video = load_snapshot ("token-plan-plus-video-not-in-plan.json", MQ_REGION_GLOBAL);
  with_video = load_snapshot ("current-percent-plan.json", MQ_REGION_GLOBAL);

  /* Nothing known yet, and a plan without video: the text models only. */
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 1);
  mq_preferences_window_set_snapshot (fixture->prefs, without_video);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 1);
  g_assert_false (gtk_combo_box_set_active_id (icon_combo, "video"));
  assert_setting_string (fixture, "icon-model", "");

  /* A plan with video offers it. */
  mq_preferences_window_set_snapshot (fixture->prefs, with_video);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 2);
  g_assert_true (gtk_combo_box_set_active_id (icon_combo, "video"));
  assert_setting_string (fixture, "icon-model", "video");
  text = active_text (icon_combo);
  g_assert_cmpstr (text, ==, "Video");
  g_clear_pointer (&text, g_free);

  /* The plan loses video: the choice stays, chosen and stored, and says so. */
  mq_preferences_window_set_snapshot (fixture->prefs, without_video);
  assert_setting_string (fixture, "icon-model", "video");
  g_assert_cmpstr (gtk_combo_box_get_active_id (icon_combo), ==, "video");
  text = active_text (icon_combo);
  g_assert_nonnull (strstr (text, "Video"));
  g_assert_nonnull (strstr (text, "not in plan"));
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 2);

  /* Back to the text models: the stale entry goes with the next plan. */
  gtk_combo_box_set_active_id (icon_combo, "");
  assert_setting_string (fixture, "icon-model", "");
  mq_preferences_window_set_snapshot (fixture->prefs, without_video);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 1);
}

static gboolean
label_mentions (Fixture    *fixture,
                const char *name,
                const char *text)
{
  return strstr (label_text (fixture, name), text) != NULL;
}

static void
assert_no_dbus_words (Fixture *fixture)
{
  static const char * const labels[] = {
    "key_status_label", "key_error_label", "key_success_label", "key_help_label",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_assert_false (label_mentions (fixture, labels[i], "org.freedesktop"));
      g_assert_false (label_mentions (fixture, labels[i], ".service"));
      g_assert_false (label_mentions (fixture, labels[i], "D-Bus"));
    }
}

/* Run in a subprocess whose libsecret uses the real D-Bus backend on the
 * private session bus of dbus-run-session, where nothing provides
 * org.freedesktop.secrets. */
static void
test_no_keyring_subprocess (Fixture       *fixture,
                            gconstpointer  user_data)
{
  GtkEntry *entry;

  if (skip_without_display ())
    return;
  if (!g_test_subprocess () || g_getenv ("MQ_TEST_NO_KEYRING") == NULL)
    {
      g_test_skip ("run by /preferences/no-keyring");
      return;
    }

  mq_test_server_set_route_fixture (fixture->server, REMAINS, 200, "current-percent-plan.json");
  make_prefs (fixture, fixture->base_url);
  mq_preferences_window_present (fixture->prefs, TRUE);
  wait_for (fixture, lookup_done, "the keyring lookup");

  /* Plain words, and the ways out. */
  g_assert_true (label_mentions (fixture, "key_status_label", "No keyring service is running"));
  g_assert_true (label_mentions (fixture, "key_help_label", "gnome-keyring"));
  g_assert_true (label_mentions (fixture, "key_help_label", "KeePassXC"));
  g_assert_true (label_mentions (fixture, "key_help_label", "MINIMAX_API_KEY"));
  assert_no_dbus_words (fixture);
  run_for (200);
  assert_fits_768 (fixture);

  /* A key that passes the check is used at once. */
  entry = GTK_ENTRY (object (fixture, "key_entry"));
  gtk_entry_set_text (entry, TEST_KEY);
  gtk_button_clicked (GTK_BUTTON (object (fixture, "save_key_button")));
  wait_for (fixture, key_changed, "key-changed");
  g_assert_cmpuint (fixture->n_key_changed, ==, 1);
  g_assert_true (fixture->last_key_matched);
  g_assert_cmpuint (mq_test_server_get_hits (fixture->server, REMAINS), ==, 1);

  g_assert_cmpstr (gtk_entry_get_text (entry), ==, "");
  g_assert_false (widget_visible (fixture, "key_spinner"));
  g_assert_true (widget_visible (fixture, "key_success_label"));
  g_assert_cmpstr (label_text (fixture, "key_success_label"), ==, "Key in use — 99% left");
  g_assert_false (widget_visible (fixture, "key_error_label"));
  g_assert_true (label_mentions (fixture, "key_status_label", "No keyring service is running"));
  g_assert_true (label_mentions (fixture, "key_status_label", "asked for it again after a restart"));
  g_assert_true (label_mentions (fixture, "key_help_label", "gnome-keyring"));
  /* Nothing listed: the list would say the key is kept. */
  g_assert_cmpuint (fixture->n_accounts_changed, ==, 0);
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  assert_label_lacks_key (fixture, "key_error_label", TEST_KEY);
  assert_label_lacks_key (fixture, "key_status_label", TEST_KEY);
  assert_no_dbus_words (fixture);
  run_for (200);
  assert_fits_768 (fixture);
  maybe_hold ();
}

static void
test_no_keyring (void)
{
  if (!have_display)
    {
      g_test_skip ("no display (run under xvfb-run)");
      return;
    }
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no private session bus (run under dbus-run-session)");
      return;
    }

  g_setenv ("MQ_TEST_NO_KEYRING", "1", TRUE);
  g_test_trap_subprocess ("/preferences/no-keyring/subprocess", 60 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("MQ_TEST_NO_KEYRING");
  g_test_trap_assert_passed ();
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
  g_autofree char *config_home = NULL;
  g_autofree char *config_dirs = NULL;
  gboolean no_keyring;
  int status;

  /* Before GLib or libsecret first look at them. */
  tmp_dir = g_dir_make_tmp ("mq-test-preferences-XXXXXX", &error);
  g_assert_no_error (error);
  keyring_path = g_build_filename (tmp_dir, "keyring.file", NULL);
  config_home = g_build_filename (tmp_dir, "config", NULL);
  config_dirs = g_build_filename (tmp_dir, "xdg", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  /* The no-keyring case runs in a subprocess with libsecret's real D-Bus
   * backend; everything else uses a keyring file. */
  no_keyring = g_getenv ("MQ_TEST_NO_KEYRING") != NULL;
  if (no_keyring)
    {
      g_unsetenv ("SECRET_BACKEND");
    }
  else
    {
      g_setenv ("SECRET_BACKEND", "file", TRUE);
      g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
      g_setenv ("SECRET_FILE_TEST_PASSWORD", "test-password", TRUE);
    }
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_unsetenv ("MINIMAX_API_KEY");
  g_unsetenv ("MINIMAX_CN_API_KEY");
  g_unsetenv ("MINIMAX_API_TOKEN");
  g_unsetenv ("MINIMAX_BASE_URL");
  g_unsetenv ("MINIMAX_REGION");

  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check (NULL, NULL);

  add_test ("/preferences/widgets-bound", test_widgets_bound);
  add_test ("/preferences/snapshot-models", test_snapshot_models);
  add_test ("/preferences/present-and-close", test_present_and_close);
  add_test ("/preferences/add-account", test_add_account);
  add_test ("/preferences/add-account-rejected", test_add_account_rejected);
  add_test ("/preferences/add-account-name", test_add_account_name);
  add_test ("/preferences/pay-as-you-go-key", test_pay_as_you_go_key);
  add_test ("/preferences/environment-key", test_environment_key);
  add_test ("/preferences/dispose-while-checking", test_dispose_while_checking);
  add_test ("/preferences/autostart-switch", test_autostart_switch);
  g_test_add_func ("/preferences/key-page-url", test_key_page_url);
  add_test ("/preferences/get-key-link", test_get_key_link);
  add_test ("/preferences/title", test_title);
  add_test ("/preferences/option-region-key-check", test_option_region_reaches_key_check);
  add_test ("/preferences/auto-region-remembered", test_auto_region_remembered);
  add_test ("/preferences/label-names-variable-in-use", test_label_names_variable_in_use);
  add_test ("/preferences/forecast-alerts", test_forecast_alert_settings);
  add_test ("/preferences/fits-768", test_fits_768);
  add_test ("/preferences/fits-768-accounts", test_fits_768_accounts);
  add_test ("/preferences/rename-account", test_rename_account);
  add_test ("/preferences/account-region", test_account_region);
  add_test ("/preferences/account-without-key", test_account_without_key);
  add_test ("/preferences/reveal-key", test_reveal_key);
  add_test ("/preferences/icon-models-in-plan", test_icon_models_in_plan);
  g_test_add_func ("/preferences/no-keyring", test_no_keyring);
  add_test ("/preferences/no-keyring/subprocess", test_no_keyring_subprocess);

  status = g_test_run ();

  {
    g_autofree char *autostart_dir = g_build_filename (config_home, "autostart", NULL);

    g_rmdir (autostart_dir);
  }
  g_rmdir (config_home);
  g_unlink (keyring_path);
  g_rmdir (tmp_dir);
  g_free (keyring_path);
  g_free (tmp_dir);

  return status;
}
