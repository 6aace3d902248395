/* test-indicator.c: the tray item on a real session bus and display
 *
 * Runs under xvfb-run and dbus-run-session (see meson.build). The test
 * plays the StatusNotifierWatcher itself, so it can come and go, and reads
 * the item's properties over D-Bus as a tray host would.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "mq-indicator.h"

#define TOKEN_PLAN_NOW G_GINT64_CONSTANT (1780857000000)
#define BOOST_NOW      G_GINT64_CONSTANT (1780356600000)

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define WATCHER_IFACE "org.kde.StatusNotifierWatcher"
#define ITEM_IFACE    "org.kde.StatusNotifierItem"
#define MENU_IFACE    "com.canonical.dbusmenu"

static const char watcher_xml[] =
  "<node>"
  "  <interface name='" WATCHER_IFACE "'>"
  "    <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "    <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "    <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "    <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "    <property name='ProtocolVersion' type='i' access='read'/>"
  "    <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

typedef struct {
  GDBusConnection *bus;
  guint            registration;
  guint            owner_id;
  gboolean         owned;
  guint            n_items_registered;
  char            *item_sender;
  char            *item_path;
} Watcher;

static gboolean       have_display;
static GApplication  *app;
static GHashTable    *activations;   /* action name -> count */
static Watcher        watcher;
static char          *runtime_dir;
static GSettings     *settings;

/* ---------------- helpers ---------------- */

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds or @timeout_ms passes. */
#define WAIT_FOR(condition, timeout_ms) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint timer_ = g_timeout_add ((timeout_ms), timed_out_cb, &timed_out_); \
    while (!(condition) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (timer_); \
    if (!(condition)) \
      g_error ("timed out waiting for %s", #condition); \
  } G_STMT_END

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static MqSnapshot *
load_fixture (const char *name,
              gint64      now_ms)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  snapshot = mq_snapshot_parse (contents, length, now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  return snapshot;
}

static MqView *
view_of (MqSnapshot *snapshot,
         gint64      now_ms,
         gboolean    has_key)
{
  MqViewInput input = { 0 };

  input.snapshot = snapshot;
  input.has_key = has_key;
  input.now_ms = now_ms;
  input.last_success_ms = now_ms;
  input.thresholds.low = MQ_THRESHOLD_LOW_DEFAULT;
  input.thresholds.critical = MQ_THRESHOLD_CRITICAL_DEFAULT;
  input.region = MQ_REGION_GLOBAL;
  return mq_view_build (&input);
}

static MqView *
token_plan_view (gint64 offset_ms)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);

  return view_of (snapshot, TOKEN_PLAN_NOW + offset_ms, TRUE);
}

static MqView *
boost_view (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("plus-boost-not-in-plan.json", BOOST_NOW);

  return view_of (snapshot, BOOST_NOW, TRUE);
}

static char *
icon_file (MqIndicator *indicator)
{
  g_autofree char *file_name = g_strconcat (mq_indicator_get_icon_name (indicator), ".png", NULL);

  return g_build_filename (mq_indicator_get_icon_dir (indicator), file_name, NULL);
}

static guint
count_icon_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "mq-"))
      n++;
  return n;
}

static GtkWidget *
find_item (MqIndicator *indicator,
           const char  *label_part)
{
  g_autoptr(GList) children =
    gtk_container_get_children (GTK_CONTAINER (mq_indicator_get_menu (indicator)));

  for (GList *l = children; l != NULL; l = l->next)
    {
      const char *label;

      if (!GTK_IS_MENU_ITEM (l->data) || GTK_IS_SEPARATOR_MENU_ITEM (l->data))
        continue;
      label = gtk_menu_item_get_label (GTK_MENU_ITEM (l->data));
      if (label != NULL && strstr (label, label_part) != NULL)
        return l->data;
    }
  return NULL;
}

static int
item_position (MqIndicator *indicator,
               GtkWidget   *item)
{
  g_autoptr(GList) children =
    gtk_container_get_children (GTK_CONTAINER (mq_indicator_get_menu (indicator)));

  return g_list_index (children, item);
}

static guint
activation_count (const char *action)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (activations, action));
}

/* ---------------- the application's actions ---------------- */

static void
on_action (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  const char *name = g_action_get_name (G_ACTION (action));

  g_hash_table_insert (activations, (gpointer) name,
                       GUINT_TO_POINTER (activation_count (name) + 1));
}

static void
setup_app (void)
{
  static const GActionEntry entries[] = {
    { "open", on_action, NULL, NULL, NULL, { 0 } },
    { "refresh", on_action, NULL, NULL, NULL, { 0 } },
    { "open-dashboard", on_action, NULL, NULL, NULL, { 0 } },
    { "upgrade", on_action, NULL, NULL, NULL, { 0 } },
    { "history", on_action, NULL, NULL, NULL, { 0 } },
    { "preferences", on_action, NULL, NULL, NULL, { 0 } },
    { "set-key", on_action, NULL, NULL, NULL, { 0 } },
    { "quit", on_action, NULL, NULL, NULL, { 0 } },
  };
  g_autoptr(GError) error = NULL;

  activations = g_hash_table_new (g_str_hash, g_str_equal);
  app = g_application_new (APP_ID ".Test", G_APPLICATION_NON_UNIQUE);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), NULL);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);
}

/* ---------------- the fake StatusNotifierWatcher ---------------- */

static void
watcher_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  if (g_str_equal (method_name, "RegisterStatusNotifierItem"))
    {
      const char *path;

      g_variant_get (parameters, "(&s)", &path);
      g_free (watcher.item_sender);
      watcher.item_sender = g_strdup (sender);
      g_free (watcher.item_path);
      watcher.item_path = g_strdup (path);
      watcher.n_items_registered++;
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  if (g_str_equal (property_name, "RegisteredStatusNotifierItems"))
    return g_variant_new_strv (NULL, 0);
  if (g_str_equal (property_name, "IsStatusNotifierHostRegistered"))
    return g_variant_new_boolean (TRUE);
  return g_variant_new_int32 (0);
}

static const GDBusInterfaceVTable watcher_vtable = {
  watcher_method_call, watcher_get_property, NULL, { 0 }
};

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  watcher.owned = TRUE;
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  watcher.owned = FALSE;
}

static void
setup_watcher (void)
{
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  watcher.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (watcher_xml, &error);
  g_assert_no_error (error);
  watcher.registration = g_dbus_connection_register_object (watcher.bus, WATCHER_PATH,
                                                            info->interfaces[0],
                                                            &watcher_vtable, NULL, NULL,
                                                            &error);
  g_assert_no_error (error);
}

static void
watcher_appear (void)
{
  g_assert_cmpuint (watcher.owner_id, ==, 0);
  watcher.owner_id = g_bus_own_name_on_connection (watcher.bus, WATCHER_NAME,
                                                   G_BUS_NAME_OWNER_FLAGS_NONE,
                                                   on_name_acquired, on_name_lost,
                                                   NULL, NULL);
  WAIT_FOR (watcher.owned, 5000);
}

static void
watcher_vanish (void)
{
  g_clear_handle_id (&watcher.owner_id, g_bus_unown_name);
  watcher.owned = FALSE;
}

/* The item's properties, read over the bus as a host reads them. */
static void
on_get_all (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GVariant **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_assert_no_error (error);
}

static GVariant *
item_properties (void)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *properties;

  g_assert_nonnull (watcher.item_path);
  g_dbus_connection_call (watcher.bus, watcher.item_sender, watcher.item_path,
                          "org.freedesktop.DBus.Properties", "GetAll",
                          g_variant_new ("(s)", ITEM_IFACE), G_VARIANT_TYPE ("(a{sv})"),
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, on_get_all, &reply);
  WAIT_FOR (reply != NULL, 6000);
  properties = g_variant_get_child_value (reply, 0);
  return properties;
}

static char *
item_string (GVariant   *properties,
             const char *name)
{
  const char *value = NULL;

  g_assert_true (g_variant_lookup (properties, name, "&s", &value));
  return g_strdup (value);
}

/* ---------------- tests ---------------- */

static void
test_icon_files (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autoptr(MqView) first = token_plan_view (0);
  g_autoptr(MqView) later = token_plan_view (60 * 1000);
  g_autoptr(MqView) other = boost_view ();
  g_autofree char *expected_dir = g_build_filename (runtime_dir, "app", APP_ID, NULL);
  g_autofree char *start_file = NULL;
  g_autofree char *first_file = NULL;
  g_autofree char *other_file = NULL;
  g_autofree char *dir = NULL;
  cairo_surface_t *png;
  struct stat st;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  indicator = mq_indicator_new (app);
  dir = g_strdup (mq_indicator_get_icon_dir (indicator));
  g_assert_cmpstr (dir, ==, expected_dir);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* The item starts with a drawn "unknown" icon. */
  g_assert_cmpuint (mq_indicator_get_render_count (indicator), ==, 1);
  g_assert_true (g_str_has_prefix (mq_indicator_get_icon_name (indicator), "mq-"));
  start_file = icon_file (indicator);
  g_assert_true (g_file_test (start_file, G_FILE_TEST_IS_REGULAR));

  /* A value: a new file under a new name, the old one gone. */
  mq_indicator_update (indicator, first);
  g_assert_cmpuint (mq_indicator_get_render_count (indicator), ==, 2);
  first_file = icon_file (indicator);
  g_assert_cmpstr (first_file, !=, start_file);
  g_assert_true (g_file_test (first_file, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (start_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_icon_files (dir), ==, 1);

  png = cairo_image_surface_create_from_png (first_file);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, MQ_INDICATOR_ICON_SIZE);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, MQ_INDICATOR_ICON_SIZE);
  cairo_surface_destroy (png);
  g_assert_cmpint (g_stat (first_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The same value, even with other menu text: nothing is drawn. */
  mq_indicator_update (indicator, first);
  mq_indicator_update (indicator, later);
  g_assert_cmpuint (mq_indicator_get_render_count (indicator), ==, 2);
  g_assert_true (g_file_test (first_file, G_FILE_TEST_IS_REGULAR));

  /* Another value: drawn once. */
  mq_indicator_update (indicator, other);
  mq_indicator_update (indicator, other);
  g_assert_cmpuint (mq_indicator_get_render_count (indicator), ==, 3);
  other_file = icon_file (indicator);
  g_assert_false (g_file_test (first_file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other_file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_icon_files (dir), ==, 1);

  /* Gone with the indicator. */
  g_clear_object (&indicator);
  g_assert_false (g_file_test (other_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_icon_files (dir), ==, 0);
}

static void
test_stale_files_of_earlier_run_removed (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autofree char *dir = g_build_filename (runtime_dir, "app", APP_ID, NULL);
  g_autofree char *old = g_build_filename (dir, "mq-7-p50-ok.png", NULL);
  g_autofree char *other = g_build_filename (dir, "notes.txt", NULL);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (old, "x", 1, NULL));
  g_assert_true (g_file_set_contents (other, "x", 1, NULL));

  indicator = mq_indicator_new (app);
  g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  /* Files that are not ours stay. */
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_clear_object (&indicator);
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_unlink (other), ==, 0);
}

/* Where GTK draws the menu (the XEmbed fallback), it stays under 420 px
 * wide: long rows wrap. */
/* The visible items, "|"-separated, "---" for a separator. */
static char *
visible_labels_dup (MqIndicator *indicator)
{
  g_autoptr(GList) children =
    gtk_container_get_children (GTK_CONTAINER (mq_indicator_get_menu (indicator)));
  g_autoptr(GString) text = g_string_new (NULL);

  for (GList *l = children; l != NULL; l = l->next)
    {
      if (!gtk_widget_get_visible (l->data))
        continue;
      if (text->len > 0)
        g_string_append_c (text, '|');
      if (GTK_IS_SEPARATOR_MENU_ITEM (l->data))
        g_string_append (text, "---");
      else
        g_string_append (text, gtk_menu_item_get_label (GTK_MENU_ITEM (l->data)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *last_labels;

/* visible_labels_dup(), kept until the next call (for assertions). */
static const char *
visible_labels (MqIndicator *indicator)
{
  g_free (last_labels);
  last_labels = visible_labels_dup (indicator);
  return last_labels;
}

static void
set_action_enabled (const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
assert_menu_narrow (MqIndicator *indicator)
{
  GtkWidget *menu = mq_indicator_get_menu (indicator);
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (menu));
  int natural = 0;

  gtk_widget_get_preferred_width (menu, NULL, &natural);
  g_test_message ("menu natural width %d", natural);
  g_assert_cmpint (natural, <=, 420);

  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *child = gtk_bin_get_child (GTK_BIN (l->data));

      if (GTK_IS_LABEL (child))
        g_assert_true (gtk_label_get_line_wrap (GTK_LABEL (child)));
    }
}

static void
test_menu (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autoptr(MqView) view = token_plan_view (0);
  g_autoptr(MqView) no_key = view_of (NULL, TOKEN_PLAN_NOW, FALSE);
  GtkWidget *general, *general_detail, *weekly, *weekly_detail, *video;
  GtkWidget *upgrade, *set_key, *refresh, *dashboard, *history, *prefs, *header, *open;
  int position;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  indicator = mq_indicator_new (app);
  mq_indicator_update (indicator, view);

  header = find_item (indicator, "63% of the 5-hour window left");
  g_assert_nonnull (header);
  g_assert_nonnull (find_item (indicator, "Resets in 2h 30m"));
  g_assert_nonnull (find_item (indicator, "Updated "));
  general = find_item (indicator, "Text models (5-hour): 63% left");
  general_detail = find_item (indicator, "945/1,500 left");
  weekly = find_item (indicator, "Weekly cap: 96% left");
  weekly_detail = find_item (indicator, "14,400/15,000 left");
  video = find_item (indicator, "Video — not in your plan");
  g_assert_nonnull (general);
  g_assert_nonnull (general_detail);
  g_assert_nonnull (weekly);
  g_assert_nonnull (weekly_detail);
  g_assert_nonnull (video);

  /* Each row, then its second line one level further in. */
  position = item_position (indicator, general);
  g_assert_cmpint (item_position (indicator, general_detail), ==, position + 1);
  g_assert_cmpint (item_position (indicator, weekly), ==, position + 2);
  g_assert_cmpint (item_position (indicator, weekly_detail), ==, position + 3);
  g_assert_cmpint (item_position (indicator, video), ==, position + 4);
  g_assert_true (g_str_has_prefix (gtk_menu_item_get_label (GTK_MENU_ITEM (weekly)), " "));
  g_assert_cmpstr (gtk_menu_item_get_label (GTK_MENU_ITEM (general_detail)), ==,
                   "    945/1,500 left");
  g_assert_cmpstr (gtk_menu_item_get_label (GTK_MENU_ITEM (weekly_detail)), ==,
                   "        14,400/15,000 left");
  assert_menu_narrow (indicator);

  /* Information is inert: insensitive, bound to nothing. The rows that
   * do something (the model the plan lacks) stay actions. */
  for (GtkWidget **info = (GtkWidget *[]) { header, general, general_detail, weekly,
                                            weekly_detail, NULL }; *info != NULL; info++)
    {
      g_assert_false (gtk_widget_get_sensitive (*info));
      g_assert_null (gtk_actionable_get_action_name (GTK_ACTIONABLE (*info)));
    }
  g_assert_true (gtk_widget_get_sensitive (video));

  upgrade = find_item (indicator, "Upgrade plan");
  set_key = find_item (indicator, "Set API key");
  refresh = find_item (indicator, "Refresh now");
  dashboard = find_item (indicator, "Open usage dashboard");
  history = find_item (indicator, "Usage history");
  prefs = find_item (indicator, "Preferences");
  g_assert_true (gtk_widget_get_visible (upgrade));
  g_assert_false (gtk_widget_get_visible (set_key));
  g_assert_nonnull (dashboard);
  g_assert_nonnull (find_item (indicator, "Quit"));
  /* "Usage history…" comes right before "Preferences…". */
  g_assert_nonnull (history);
  g_assert_cmpint (item_position (indicator, history), ==, item_position (indicator, prefs) - 1);

  /* Items start the application's actions; information rows do not. */
  gtk_menu_item_activate (GTK_MENU_ITEM (refresh));
  g_assert_cmpuint (activation_count ("refresh"), ==, 1);
  gtk_menu_item_activate (GTK_MENU_ITEM (video));
  gtk_menu_item_activate (GTK_MENU_ITEM (upgrade));
  g_assert_cmpuint (activation_count ("upgrade"), ==, 2);
  gtk_menu_item_activate (GTK_MENU_ITEM (general));
  gtk_menu_item_activate (GTK_MENU_ITEM (header));
  g_assert_cmpuint (activation_count ("open-dashboard"), ==, 0);
  gtk_menu_item_activate (GTK_MENU_ITEM (dashboard));
  g_assert_cmpuint (activation_count ("open-dashboard"), ==, 1);
  gtk_menu_item_activate (GTK_MENU_ITEM (history));
  g_assert_cmpuint (activation_count ("history"), ==, 1);
  gtk_menu_item_activate (GTK_MENU_ITEM (prefs));
  g_assert_cmpuint (activation_count ("preferences"), ==, 1);

  /* The window (issue 14): "Open Leeway" comes first and opens it. */
  open = find_item (indicator, "Open Leeway");
  g_assert_nonnull (open);
  g_assert_cmpint (item_position (indicator, open), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (open));
  gtk_menu_item_activate (GTK_MENU_ITEM (open));
  g_assert_cmpuint (activation_count ("open"), ==, 1);

  /* No key: the rows go; one line says what is needed, "Set API key…"
   * comes first and works, and "Refresh now" follows app.refresh, which
   * the application disables without a key. */
  set_action_enabled ("refresh", FALSE);
  mq_indicator_update (indicator, no_key);
  g_assert_null (find_item (indicator, "Text models"));
  g_assert_null (find_item (indicator, "Video"));
  g_assert_null (find_item (indicator, "Updated "));
  g_assert_true (gtk_widget_get_visible (set_key));
  g_assert_false (gtk_widget_get_visible (upgrade));
  g_assert_cmpstr (visible_labels (indicator), ==,
                   "Open Leeway|"
                   "---|"
                   "No API key set — add one to see your quota|"
                   "Set API key…|"
                   "---|"
                   "Refresh now|Open usage dashboard|Usage history…|Preferences…|"
                   "---|"
                   "Quit");
  g_assert_false (gtk_widget_get_sensitive (refresh));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (refresh)), ==, "app.refresh");
  gtk_menu_item_activate (GTK_MENU_ITEM (set_key));
  g_assert_cmpuint (activation_count ("set-key"), ==, 1);
  set_action_enabled ("refresh", TRUE);
  g_assert_true (gtk_widget_get_sensitive (refresh));

  /* The key is back: the rows return in order, in the same place. */
  mq_indicator_update (indicator, view);
  general = find_item (indicator, "Text models (5-hour)");
  g_assert_cmpint (item_position (indicator, general), ==, position);
  g_assert_cmpint (item_position (indicator, find_item (indicator, "945/1,500")), ==, position + 1);
  g_assert_cmpint (item_position (indicator, find_item (indicator, "Weekly cap")), ==, position + 2);
  g_assert_cmpint (item_position (indicator, find_item (indicator, "Video")), ==, position + 4);
  g_assert_false (gtk_widget_get_visible (set_key));
  g_assert_true (gtk_widget_get_visible (find_item (indicator, "Updated ")));
  g_assert_false (gtk_widget_get_sensitive (general));
}

static void
test_rows_updated_in_place (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autoptr(MqView) first = token_plan_view (0);
  g_autoptr(MqView) other = boost_view ();
  GtkWidget *general, *video;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  indicator = mq_indicator_new (app);
  mq_indicator_update (indicator, first);
  general = find_item (indicator, "Text models (5-hour): 63% left");
  video = find_item (indicator, "Video");

  /* Same models, new numbers: the same widgets carry the new text. */
  mq_indicator_update (indicator, other);
  g_assert_true (find_item (indicator, "Text models (5-hour): 99% left") == general);
  g_assert_true (find_item (indicator, "×2 boost") == general);
  g_assert_true (find_item (indicator, "Video") == video);
  g_assert_nonnull (find_item (indicator, "Weekly cap: unlimited"));
  g_assert_false (gtk_widget_get_sensitive (general));
}

/* A row that acts follows its action from the moment it is made, also
 * when the action is disabled then. */
static void
test_row_follows_disabled_action (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autoptr(MqView) view = token_plan_view (0);
  GtkWidget *video;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  set_action_enabled ("upgrade", FALSE);
  indicator = mq_indicator_new (app);
  mq_indicator_update (indicator, view);
  video = find_item (indicator, "Video");
  g_assert_false (gtk_widget_get_sensitive (video));
  set_action_enabled ("upgrade", TRUE);
  g_assert_true (gtk_widget_get_sensitive (video));
}

/* The applet keeps working without a watcher, registers when one shows
 * up, and shows its current state again when the watcher comes back. */
static void
test_watcher_comes_and_goes (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autoptr(MqView) first = token_plan_view (0);
  g_autoptr(MqView) other = boost_view ();
  g_autoptr(GVariant) properties = NULL;
  g_autofree char *icon_name = NULL;
  g_autofree char *theme_path = NULL;
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;
  g_autofree char *file = NULL;
  guint renders;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* The label beside the icon, as hosts that show labels read it. */
  g_settings_set_boolean (settings, "show-label", TRUE);

  /* No watcher: the item lives on (XEmbed fallback) and follows values. */
  watcher.n_items_registered = 0;
  indicator = mq_indicator_new (app);
  mq_indicator_update (indicator, first);
  spin (400);
  g_assert_cmpuint (watcher.n_items_registered, ==, 0);

  /* A watcher appears: the item registers and tells the current state. */
  watcher_appear ();
  WAIT_FOR (watcher.n_items_registered == 1, 5000);
  renders = mq_indicator_get_render_count (indicator);
  spin (200);
  properties = item_properties ();
  icon_name = item_string (properties, "IconName");
  theme_path = item_string (properties, "IconThemePath");
  label = item_string (properties, "XAyatanaLabel");
  title = item_string (properties, "Title");
  g_assert_cmpstr (icon_name, ==, mq_indicator_get_icon_name (indicator));
  g_assert_cmpstr (theme_path, ==, mq_indicator_get_icon_dir (indicator));
  g_assert_cmpstr (label, ==, "63%");
  g_assert_cmpstr (title, ==, "63% of the 5-hour window left · resets 21:00");
  file = icon_file (indicator);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  /* A first registration needs no new drawing. */
  g_assert_cmpuint (mq_indicator_get_render_count (indicator), ==, renders);

  /* The panel goes away (restarted): values keep flowing. */
  watcher_vanish ();
  spin (400);
  mq_indicator_update (indicator, other);
  g_assert_cmpuint (mq_indicator_get_render_count (indicator), ==, renders + 1);

  /* It comes back: the item registers again with a freshly named icon. */
  watcher_appear ();
  WAIT_FOR (watcher.n_items_registered == 2, 5000);
  WAIT_FOR (mq_indicator_get_render_count (indicator) == renders + 2, 5000);
  spin (200);

  g_clear_pointer (&properties, g_variant_unref);
  g_clear_pointer (&icon_name, g_free);
  g_clear_pointer (&label, g_free);
  g_clear_pointer (&file, g_free);
  properties = item_properties ();
  icon_name = item_string (properties, "IconName");
  label = item_string (properties, "XAyatanaLabel");
  g_assert_cmpstr (icon_name, ==, mq_indicator_get_icon_name (indicator));
  g_assert_cmpstr (label, ==, "99%");
  file = icon_file (indicator);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_icon_files (mq_indicator_get_icon_dir (indicator)), ==, 1);

  g_clear_object (&indicator);
  watcher_vanish ();
  g_settings_reset (settings, "show-label");
  spin (100);
}

static char *
exported_label (void)
{
  g_autoptr(GVariant) properties = item_properties ();

  return item_string (properties, "XAyatanaLabel");
}

static gboolean
exported_label_is (const char *expected)
{
  g_autofree char *label = exported_label ();

  return g_strcmp0 (label, expected) == 0;
}

/* The percentage is said once: in the icon, and beside it only when the
 * "show-label" setting asks; the title keeps it either way. */
static void
test_label_setting (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autoptr(MqView) view = token_plan_view (0);
  g_autoptr(GVariant) properties = NULL;
  g_autofree char *label = NULL;
  g_autofree char *title = NULL;
  guint registered = watcher.n_items_registered;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_assert_false (g_settings_get_boolean (settings, "show-label"));
  watcher_appear ();
  indicator = mq_indicator_new (app);
  mq_indicator_update (indicator, view);
  WAIT_FOR (watcher.n_items_registered == registered + 1, 5000);
  spin (200);

  properties = item_properties ();
  label = item_string (properties, "XAyatanaLabel");
  title = item_string (properties, "Title");
  g_assert_cmpstr (label, ==, "");
  g_assert_cmpstr (title, ==, "63% of the 5-hour window left · resets 21:00");

  /* Turned on: the label follows at once, and the next values too. */
  g_settings_set_boolean (settings, "show-label", TRUE);
  WAIT_FOR (exported_label_is ("63%"), 5000);

  /* Off again: empty, even as values change. */
  g_settings_set_boolean (settings, "show-label", FALSE);
  WAIT_FOR (exported_label_is (""), 5000);
  {
    g_autoptr(MqView) other = boost_view ();

    mq_indicator_update (indicator, other);
    spin (300);
    g_assert_true (exported_label_is (""));
  }

  g_clear_object (&indicator);
  watcher_vanish ();
  g_settings_reset (settings, "show-label");
  spin (100);
}

static void
count_signal (MqIndicator *indicator,
              guint       *count)
{
  (*count)++;
}

/* Nothing shows tray icons: "no-host" once, after the wait; then a host
 * appears: "host-found" once, and no second "no-host". */
static void
test_no_host (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  guint no_host = 0, host_found = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_assert_false (watcher.owned);
  indicator = mq_indicator_new (app);
  g_signal_connect (indicator, "no-host", G_CALLBACK (count_signal), &no_host);
  g_signal_connect (indicator, "host-found", G_CALLBACK (count_signal), &host_found);
  mq_indicator_set_host_timeout (indicator, 300);

  spin (150);
  g_assert_cmpuint (no_host, ==, 0);
  WAIT_FOR (no_host == 1, 3000);
  spin (1000);
  g_assert_cmpuint (no_host, ==, 1);
  g_assert_cmpuint (host_found, ==, 0);

  watcher_appear ();
  WAIT_FOR (host_found == 1, 5000);

  /* It goes and comes back (a panel restarting): nothing more is said. */
  watcher_vanish ();
  spin (600);
  watcher_appear ();
  spin (300);
  g_assert_cmpuint (no_host, ==, 1);
  g_assert_cmpuint (host_found, ==, 1);

  g_clear_object (&indicator);
  watcher_vanish ();
  spin (100);
}

/* Plays an XEmbed tray: owns (or, with @widget NULL, drops) the
 * _NET_SYSTEM_TRAY_S0 selection of the display. */
static void
xembed_tray_own (GtkWidget *widget)
{
  GdkDisplay *display = gdk_display_get_default ();

  g_assert_true (gtk_selection_owner_set_for_display (display, widget,
                                                      gdk_atom_intern_static_string ("_NET_SYSTEM_TRAY_S0"),
                                                      GDK_CURRENT_TIME));
}

/* On X11 an XEmbed tray counts as a host: present from the start, no
 * "no-host"; appearing after "no-host", a "host-found". */
static void
test_xembed_tray (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  GtkWidget *tray;
  guint no_host = 0, host_found = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (gdk_display_get_default ()), "GdkX11Display") != 0)
    {
      g_test_skip ("not X11");
      return;
    }

  g_assert_false (watcher.owned);
  tray = gtk_invisible_new ();
  gtk_widget_realize (tray);

  xembed_tray_own (tray);
  indicator = mq_indicator_new (app);
  g_signal_connect (indicator, "no-host", G_CALLBACK (count_signal), &no_host);
  g_signal_connect (indicator, "host-found", G_CALLBACK (count_signal), &host_found);
  mq_indicator_set_host_timeout (indicator, 300);
  spin (1000);
  g_assert_cmpuint (no_host, ==, 0);
  g_assert_cmpuint (host_found, ==, 0);
  g_clear_object (&indicator);

  xembed_tray_own (NULL);
  spin (100);
  indicator = mq_indicator_new (app);
  g_signal_connect (indicator, "no-host", G_CALLBACK (count_signal), &no_host);
  g_signal_connect (indicator, "host-found", G_CALLBACK (count_signal), &host_found);
  mq_indicator_set_host_timeout (indicator, 300);
  WAIT_FOR (no_host == 1, 3000);
  xembed_tray_own (tray);
  WAIT_FOR (host_found == 1, 6000);
  g_assert_cmpuint (no_host, ==, 1);

  g_clear_object (&indicator);
  xembed_tray_own (NULL);
  gtk_widget_destroy (tray);
  spin (100);
}

/* A watcher is there from the start: no "no-host", no "host-found". */
static void
test_host_present (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  guint no_host = 0, host_found = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  watcher_appear ();
  indicator = mq_indicator_new (app);
  g_signal_connect (indicator, "no-host", G_CALLBACK (count_signal), &no_host);
  g_signal_connect (indicator, "host-found", G_CALLBACK (count_signal), &host_found);
  mq_indicator_set_host_timeout (indicator, 300);
  spin (1200);
  g_assert_cmpuint (no_host, ==, 0);
  g_assert_cmpuint (host_found, ==, 0);

  g_clear_object (&indicator);
  watcher_vanish ();
  spin (100);
}

/* ---------------- the menu as a host reads it (com.canonical.dbusmenu) ---------------- */

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GVariant **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_assert_no_error (error);
}

/* A call to the item's own process: asynchronous, the main loop answers. */
static GVariant *
menu_call (const char         *menu_path,
           const char         *method,
           GVariant           *parameters,
           const GVariantType *reply_type)
{
  GVariant *reply = NULL;

  g_dbus_connection_call (watcher.bus, watcher.item_sender, menu_path, MENU_IFACE, method,
                          parameters, reply_type, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                          on_call_done, &reply);
  WAIT_FOR (reply != NULL, 6000);
  return reply;
}

/* Looks for the entry whose label starts with @prefix in a layout node
 * (ia{sv}av); its id, and its "enabled" (absent means TRUE). */
static gboolean
find_entry (GVariant   *node,
            const char *prefix,
            int        *id,
            gboolean   *enabled)
{
  g_autoptr(GVariant) properties = g_variant_get_child_value (node, 1);
  g_autoptr(GVariant) children = g_variant_get_child_value (node, 2);
  const char *label = NULL;

  if (g_variant_lookup (properties, "label", "&s", &label) && g_str_has_prefix (label, prefix))
    {
      g_variant_get_child (node, 0, "i", id);
      if (!g_variant_lookup (properties, "enabled", "b", enabled))
        *enabled = TRUE;
      return TRUE;
    }

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);

      if (find_entry (child, prefix, id, enabled))
        return TRUE;
    }
  return FALSE;
}

static gboolean
exported_entry (const char *menu_path,
                const char *prefix,
                int        *id,
                gboolean   *enabled)
{
  g_autoptr(GVariant) reply = menu_call (menu_path, "GetLayout",
                                         g_variant_new ("(iias)", 0, -1, NULL),
                                         G_VARIANT_TYPE ("(u(ia{sv}av))"));
  g_autoptr(GVariant) root = g_variant_get_child_value (reply, 1);

  return find_entry (root, prefix, id, enabled);
}

static gboolean
exported_enabled (const char *menu_path,
                  const char *prefix)
{
  int id = 0;
  gboolean enabled = FALSE;

  g_assert_true (exported_entry (menu_path, prefix, &id, &enabled));
  return enabled;
}

static void
click_exported (const char *menu_path,
                int         id)
{
  g_autoptr(GVariant) reply = menu_call (menu_path, "Event",
                                         g_variant_new ("(isvu)", id, "clicked",
                                                        g_variant_new_int32 (0), 0),
                                         NULL);
}

/* The items are GtkActionable: over dbusmenu, as a panel sees them, a
 * click runs the bound app action and "enabled" follows the action. */
static void
test_dbusmenu_actions (void)
{
  g_autoptr(MqIndicator) indicator = NULL;
  g_autoptr(MqView) view = token_plan_view (0);
  g_autoptr(GVariant) properties = NULL;
  const char *menu_path = NULL;
  GtkWidget *refresh;
  g_autoptr(MqView) no_key = view_of (NULL, TOKEN_PLAN_NOW, FALSE);
  int refresh_id = 0, video_id = 0, prefs_id = 0, general_id = 0;
  gboolean enabled = FALSE;
  guint dashboards = activation_count ("open-dashboard");
  guint registered = watcher.n_items_registered;
  guint refreshes = activation_count ("refresh");
  guint upgrades = activation_count ("upgrade");
  guint prefs = activation_count ("preferences");

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  watcher_appear ();
  indicator = mq_indicator_new (app);
  mq_indicator_update (indicator, view);
  WAIT_FOR (watcher.n_items_registered == registered + 1, 5000);
  spin (200);

  properties = item_properties ();
  g_assert_true (g_variant_lookup (properties, "Menu", "&o", &menu_path));
  refresh = find_item (indicator, "Refresh now");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (refresh)), ==, "app.refresh");

  /* Information rows are exported disabled (a host draws them as
   * headings), the row that acts enabled. */
  g_assert_false (exported_enabled (menu_path, "63% of the 5-hour window left"));
  g_assert_false (exported_enabled (menu_path, "Text models (5-hour)"));
  g_assert_false (exported_enabled (menu_path, "    945/1,500 left"));
  g_assert_false (exported_enabled (menu_path, "    Weekly cap"));
  g_assert_false (exported_enabled (menu_path, "        14,400/15,000 left"));
  g_assert_true (exported_enabled (menu_path, "Video"));
  g_assert_true (exported_enabled (menu_path, "Open usage dashboard"));
  g_assert_true (exported_enabled (menu_path, "Open Leeway"));

  /* Clicked on the panel: the bound actions run, rows included. */
  g_assert_true (exported_entry (menu_path, "Refresh now", &refresh_id, &enabled));
  g_assert_true (enabled);
  click_exported (menu_path, refresh_id);
  WAIT_FOR (activation_count ("refresh") == refreshes + 1, 5000);
  g_assert_true (exported_entry (menu_path, "Video", &video_id, &enabled));
  click_exported (menu_path, video_id);
  WAIT_FOR (activation_count ("upgrade") == upgrades + 1, 5000);
  g_assert_true (exported_entry (menu_path, "Preferences", &prefs_id, &enabled));
  click_exported (menu_path, prefs_id);
  WAIT_FOR (activation_count ("preferences") == prefs + 1, 5000);

  /* The action is disabled: the item greys out, here and on the panel
   * (the status line is bound to it too), and a click does nothing. */
  set_action_enabled ("refresh", FALSE);
  g_assert_false (gtk_widget_get_sensitive (refresh));
  WAIT_FOR (!exported_enabled (menu_path, "Refresh now"), 5000);
  g_assert_false (exported_enabled (menu_path, "Updated "));
  g_assert_true (exported_enabled (menu_path, "Preferences"));
  click_exported (menu_path, refresh_id);
  spin (300);
  g_assert_cmpuint (activation_count ("refresh"), ==, refreshes + 1);

  /* Enabled again: back on the panel, and a click runs it. */
  set_action_enabled ("refresh", TRUE);
  g_assert_true (gtk_widget_get_sensitive (refresh));
  WAIT_FOR (exported_enabled (menu_path, "Refresh now"), 5000);
  click_exported (menu_path, refresh_id);
  WAIT_FOR (activation_count ("refresh") == refreshes + 2, 5000);

  /* A click on an information row does nothing. */
  g_assert_true (exported_entry (menu_path, "Text models", &general_id, &enabled));
  click_exported (menu_path, general_id);
  spin (300);
  g_assert_cmpuint (activation_count ("open-dashboard"), ==, dashboards);

  /* The no-key menu as the panel sees it: "Set API key…" enabled, and
   * "Refresh now" disabled while the application disables app.refresh. */
  set_action_enabled ("refresh", FALSE);
  mq_indicator_update (indicator, no_key);
  WAIT_FOR (!exported_entry (menu_path, "Text models", &general_id, &enabled), 5000);
  g_assert_true (exported_enabled (menu_path, "Set API key"));
  g_assert_false (exported_enabled (menu_path, "Refresh now"));
  set_action_enabled ("refresh", TRUE);

  g_clear_object (&indicator);
  watcher_vanish ();
  spin (100);
}

/* libayatana-appindicator and GTK warn about a missing tray (the XEmbed
 * fallback without a tray manager): expected here, not a failure. */
static gboolean
fatal_handler (const char     *log_domain,
               GLogLevelFlags  log_level,
               const char     *message,
               gpointer        user_data)
{
  if ((log_level & G_LOG_LEVEL_WARNING) &&
      log_domain != NULL &&
      (g_str_equal (log_domain, "libayatana-appindicator") || g_str_equal (log_domain, "Gtk")))
    return FALSE;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  runtime_dir = g_dir_make_tmp ("mq-runtime-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_handler, NULL);

  have_display = gtk_init_check (&argc, &argv) && g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL;
  if (have_display)
    {
      setup_app ();
      setup_watcher ();
      settings = g_settings_new (APP_ID);
    }

  g_test_add_func ("/indicator/icon-files", test_icon_files);
  g_test_add_func ("/indicator/stale-files", test_stale_files_of_earlier_run_removed);
  g_test_add_func ("/indicator/menu", test_menu);
  g_test_add_func ("/indicator/rows-in-place", test_rows_updated_in_place);
  g_test_add_func ("/indicator/row-follows-disabled-action", test_row_follows_disabled_action);
  g_test_add_func ("/indicator/watcher", test_watcher_comes_and_goes);
  g_test_add_func ("/indicator/label-setting", test_label_setting);
  g_test_add_func ("/indicator/no-host", test_no_host);
  g_test_add_func ("/indicator/host-present", test_host_present);
  g_test_add_func ("/indicator/xembed-tray", test_xembed_tray);
  g_test_add_func ("/indicator/dbusmenu-actions", test_dbusmenu_actions);

  status = g_test_run ();

  if (have_display)
    {
      g_dbus_connection_unregister_object (watcher.bus, watcher.registration);
      g_clear_object (&watcher.bus);
      g_clear_object (&settings);
      g_clear_object (&app);
      g_hash_table_unref (activations);
    }
  g_free (watcher.item_sender);
  g_free (watcher.item_path);
  g_free (last_labels);

  /* The icon folder is removed when empty; its parents are ours. */
  {
    g_autofree char *app_dir = g_build_filename (runtime_dir, "app", APP_ID, NULL);
    g_autofree char *apps = g_build_filename (runtime_dir, "app", NULL);

    g_rmdir (app_dir);
    g_rmdir (apps);
    g_rmdir (runtime_dir);
  }
  g_free (runtime_dir);
  return status;
}
