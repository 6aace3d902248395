/* mq-indicator.c: the tray item (icon, label, title and menu) */
#define G_LOG_DOMAIN "mq-indicator"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>
#include "mq-icon.h"
#include "mq-indicator.h"
#include "mq-xembed.h"

#define ICON_FILE_PREFIX "mq-"
#define ROW_ID_KEY       "mq-row-id"

#define WATCHER_NAME     "org.kde.StatusNotifierWatcher"
/* How often an XEmbed tray is looked for once none was found. */
#define XEMBED_POLL_MS   2000
/* Menu rows wrap past this many characters (the menu about 400 px wide),
 * where it is drawn by this process (the XEmbed fallback). */
#define MENU_LABEL_CHARS 42

enum {
  SIGNAL_NO_HOST,
  SIGNAL_HOST_FOUND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _MqIndicator {
  GObject       parent_instance;

  GApplication *app;            /* weak */
  AppIndicator *indicator;
  GtkWidget    *menu;

  GtkWidget    *header;
  GtkWidget    *header_detail;
  GtkWidget    *set_key;
  GtkWidget    *rows_start;     /* the separator the model rows follow */
  GtkWidget    *upgrade;
  GtkWidget    *status;

  /* The model rows and their second lines, by id ("model:general",
   * "model:general:detail"): updated in place, so that a host keeps its
   * dbusmenu ids while only the numbers change. */
  GHashTable   *rows;           /* entry id -> GtkMenuItem */
  GPtrArray    *row_order;      /* entry ids as shown */

  char         *icon_dir;
  char         *icon_name;      /* the name set on the indicator */
  char         *icon_path;      /* its file; NULL for a themed fallback */
  char         *icon_description;
  MqIconSpec    icon_spec;
  gboolean      has_icon_spec;
  guint         icon_serial;
  guint         render_count;

  GSettings    *settings;
  gboolean      show_label;     /* the "show-label" setting */
  char         *label;          /* the view's label and its guide */
  char         *label_guide;
  gboolean      registered_once;

  /* Is anything showing tray icons? */
  guint         watcher_watch;  /* g_bus_watch_name id */
  gboolean      watcher_present;
  guint         host_timeout_ms;
  guint         host_timer;
  guint         xembed_poll;
  gboolean      no_host_emitted;
  gboolean      host_found_emitted;
};

G_DEFINE_FINAL_TYPE (MqIndicator, mq_indicator, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Actions                                                              */
/* ------------------------------------------------------------------ */

/* Every item is a GtkActionable bound to one of the application's actions
 * ("app.refresh", "app.open-dashboard", ...), through the application
 * inserted as the menu's "app" action group: a click activates the action,
 * and an item is insensitive while its action is disabled or missing.
 *
 * This holds on the panel too. libayatana-appindicator exports the GtkMenu
 * with libdbusmenu-gtk, which copies each item's "sensitive" into the
 * dbusmenu "enabled" property and answers a host's Event (id, "clicked")
 * with gtk_menu_item_activate(), which runs the bound action. Checked over
 * com.canonical.dbusmenu by test-indicator (/indicator/dbusmenu-actions)
 * and on xfce4-panel by tests/e2e/check-tray.py. */

/* Binds @item to app.@action (@action NULL: to nothing); a static string. */
static void
set_item_action (GtkWidget  *item,
                 const char *action)
{
  g_autofree char *name = action != NULL ? g_strconcat ("app.", action, NULL) : NULL;

  if (g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (item)), name) != 0)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (item), name);
}

static GtkWidget *
new_item (const char *label,
          const char *action)
{
  GtkWidget *item = gtk_menu_item_new_with_label (label);
  GtkWidget *child = gtk_bin_get_child (GTK_BIN (item));

  /* Long rows wrap rather than widen the menu. Only where GTK draws the
   * menu itself: dbusmenu hosts get the text alone and lay it out. */
  if (GTK_IS_LABEL (child))
    {
      gtk_label_set_max_width_chars (GTK_LABEL (child), MENU_LABEL_CHARS);
      gtk_label_set_line_wrap (GTK_LABEL (child), TRUE);
      gtk_label_set_line_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
    }
  set_item_action (item, action);
  gtk_widget_show (item);
  return item;
}

static GtkWidget *
append_item (MqIndicator *self,
             const char  *label,
             const char  *action)
{
  GtkWidget *item = new_item (label, action);

  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), item);
  return item;
}

static GtkWidget *
append_separator (MqIndicator *self)
{
  GtkWidget *item = gtk_separator_menu_item_new ();

  gtk_widget_show (item);
  gtk_menu_shell_append (GTK_MENU_SHELL (self->menu), item);
  return item;
}

/* Sets a label only when it changes: every change travels over D-Bus. */
static void
set_item_label (GtkWidget  *item,
                const char *label)
{
  if (g_strcmp0 (gtk_menu_item_get_label (GTK_MENU_ITEM (item)), label) != 0)
    gtk_menu_item_set_label (GTK_MENU_ITEM (item), label);
}

/* Binds @item to app.@action, whose enabled state then sets the item's
 * sensitivity. @action NULL: information, not an action: no action bound
 * and insensitive (drawn as a heading, exported over dbusmenu with
 * "enabled" false), as nm-applet shows its headings. */
static void
set_item_role (GtkWidget  *item,
               const char *action)
{
  if (action == NULL)
    {
      set_item_action (item, NULL);
      gtk_widget_set_sensitive (item, FALSE);
      return;
    }
  /* Leaving the inert state: the action helper takes the sensitivity over
   * from here (and clears it when the action is disabled). */
  if (gtk_actionable_get_action_name (GTK_ACTIONABLE (item)) == NULL)
    gtk_widget_set_sensitive (item, TRUE);
  set_item_action (item, action);
}

static void
build_menu (MqIndicator *self)
{
  self->menu = g_object_ref_sink (gtk_menu_new ());
  /* The items' "app." actions; removed in dispose (the group is the
   * application, which owns this indicator). */
  gtk_widget_insert_action_group (self->menu, "app", G_ACTION_GROUP (self->app));

  append_item (self, _("Open Leeway"), "open");   /* the main window, first */
  append_separator (self);
  /* The headline and its second line: information. */
  self->header = append_item (self, _("Leeway"), NULL);
  set_item_role (self->header, NULL);
  self->header_detail = append_item (self, "", NULL);
  set_item_role (self->header_detail, NULL);
  gtk_widget_hide (self->header_detail);
  /* Right under the line that says a key is needed. */
  self->set_key = append_item (self, _("Set API key…"), "set-key");
  gtk_widget_hide (self->set_key);
  self->rows_start = append_separator (self);

  /* Model rows go here, between rows_start and the upgrade item. */
  self->upgrade = append_item (self, _("Upgrade plan…"), "upgrade");
  gtk_widget_hide (self->upgrade);

  append_separator (self);
  self->status = append_item (self, "", "refresh");
  append_separator (self);

  append_item (self, _("Refresh now"), "refresh");
  append_item (self, _("Open usage dashboard"), "open-dashboard");
  append_item (self, _("Usage history…"), "history");
  append_item (self, _("Preferences…"), "preferences");
  append_separator (self);
  append_item (self, _("Quit"), "quit");

  gtk_widget_show (self->menu);
}

/* No separator first, last, or right after another (items come and go
 * with the view: the no-key menu has no rows and no status line). */
static void
tidy_separators (MqIndicator *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->menu));
  GtkWidget *pending = NULL;      /* a separator waiting for an item after it */
  gboolean after_item = FALSE;

  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *child = l->data;

      if (GTK_IS_SEPARATOR_MENU_ITEM (child))
        {
          gtk_widget_set_visible (child, FALSE);
          if (after_item && pending == NULL)
            pending = child;
          continue;
        }
      if (!gtk_widget_get_visible (child))
        continue;
      if (pending != NULL)
        gtk_widget_set_visible (pending, TRUE);
      pending = NULL;
      after_item = TRUE;
    }
}

/* ------------------------------------------------------------------ */
/* Model rows: updated in place, reordered only when the models change  */
/* ------------------------------------------------------------------ */

/* One menu item of the rows part: a view row, or its second line. */
typedef struct {
  char       *id;
  char       *label;
  const char *action;   /* NULL: inert */
} Entry;

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->id);
  g_free (entry->label);
}

/* Four spaces per level: a weekly row under its model, a detail under its
 * row. */
static char *
indented (const char *text,
          guint       level)
{
  g_autofree char *indent = g_strnfill (4 * level, ' ');

  return g_strconcat (indent, text, NULL);
}

/* The items the view's rows make, in order: each row, then its detail
 * (counts, forecast, pace) as an inert line one level further in. */
static GArray *
view_entries (const MqView *view)
{
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  guint n = mq_view_get_n_rows (view);

  g_array_set_clear_func (entries, entry_clear);
  for (guint i = 0; i < n; i++)
    {
      const MqViewRow *row = mq_view_get_row (view, i);
      Entry entry = { NULL, NULL, NULL };

      entry.id = g_strdup (row->id);
      entry.label = indented (row->text, row->level);
      /* A model the plan lacks leads to the upgrade page, "N more
       * models…" to the dashboard; the rest is information. */
      if (!row->inert)
        entry.action = row->not_in_plan ? "upgrade" : "open-dashboard";
      g_array_append_val (entries, entry);

      if (row->detail != NULL && *row->detail != '\0')
        {
          Entry detail = { NULL, NULL, NULL };

          detail.id = g_strconcat (row->id, ":detail", NULL);
          detail.label = indented (row->detail, row->level + 1);
          g_array_append_val (entries, detail);
        }
    }
  return entries;
}

static gboolean
same_order (MqIndicator  *self,
            const GArray *entries)
{
  if (entries->len != self->row_order->len)
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    if (!g_str_equal (g_array_index (entries, Entry, i).id,
                      g_ptr_array_index (self->row_order, i)))
      return FALSE;
  return TRUE;
}

static int
child_position (GtkWidget *menu,
                GtkWidget *child)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (menu));

  return g_list_index (children, child);
}

static void
update_rows (MqIndicator  *self,
             const MqView *view)
{
  g_autoptr(GArray) entries = view_entries (view);

  if (!same_order (self, entries))
    {
      g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
      GHashTableIter iter;
      gpointer key, value;
      int first;

      for (guint i = 0; i < entries->len; i++)
        g_hash_table_add (wanted, g_array_index (entries, Entry, i).id);

      /* Drop the items of rows that are gone. */
      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (wanted, key))
          {
            gtk_widget_destroy (GTK_WIDGET (value));
            g_hash_table_iter_remove (&iter);
          }

      /* Create the new ones and put every item in place. */
      first = child_position (self->menu, self->rows_start) + 1;
      g_ptr_array_set_size (self->row_order, 0);
      for (guint i = 0; i < entries->len; i++)
        {
          const Entry *entry = &g_array_index (entries, Entry, i);
          GtkWidget *item = g_hash_table_lookup (self->rows, entry->id);

          if (item == NULL)
            {
              item = new_item (entry->label, NULL);
              g_hash_table_insert (self->rows, g_strdup (entry->id), item);
              gtk_menu_shell_insert (GTK_MENU_SHELL (self->menu), item, first + (int) i);
            }
          else
            gtk_menu_reorder_child (GTK_MENU (self->menu), item, first + (int) i);

          g_ptr_array_add (self->row_order, g_strdup (entry->id));
        }
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);
      GtkWidget *item = g_hash_table_lookup (self->rows, entry->id);

      set_item_label (item, entry->label);
      set_item_role (item, entry->action);
    }
}

/* ------------------------------------------------------------------ */
/* Icon files                                                           */
/* ------------------------------------------------------------------ */

/* A themed icon shipped with the applet, for when drawing fails. */
static char *
fallback_icon_name (const MqIconSpec *spec)
{
  int level;

  switch (spec->kind)
    {
    case MQ_ICON_PERCENT:
      level = (CLAMP (spec->percent, 0, 100) + 5) / 10 * 10;
      /* Never "empty" while something is left, never "full" unless it is. */
      if (level == 0 && spec->percent > 0)
        level = 10;
      if (level == 100 && spec->percent < 100)
        level = 90;
      return g_strdup_printf ("%s-level-%d-symbolic", APP_ID, level);
    case MQ_ICON_UNLIMITED:
      return g_strdup_printf ("%s-level-100-symbolic", APP_ID);
    case MQ_ICON_NO_KEY:
      return g_strdup_printf ("%s-nokey-symbolic", APP_ID);
    case MQ_ICON_ERROR:
      return g_strdup_printf ("%s-error-symbolic", APP_ID);
    case MQ_ICON_UNKNOWN:
    default:
      return g_strdup_printf ("%s-unknown-symbolic", APP_ID);
    }
}

static void
remove_file (const char *path)
{
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_debug ("cannot remove %s: %s", path, g_strerror (errno));
}

/* Files of an earlier run that ended without cleaning up. */
static void
remove_stale_icon_files (MqIndicator *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->icon_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, ICON_FILE_PREFIX) || strstr (name, ".png") == NULL)
        continue;
      path = g_build_filename (self->icon_dir, name, NULL);
      if (g_strcmp0 (path, self->icon_path) != 0)
        remove_file (path);
    }
}

/* Draws @spec into a new file and shows it; the previous file goes once
 * the new one is set. With @force, draws even an unchanged spec (under a
 * new name, so hosts that cache by name load it). */
static void
set_icon (MqIndicator      *self,
          const MqIconSpec *spec,
          const char       *description,
          gboolean          force)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spec_text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;

  if (!force && self->has_icon_spec && mq_icon_spec_equal (spec, &self->icon_spec))
    {
      if (g_strcmp0 (description, self->icon_description) != 0)
        {
          g_free (self->icon_description);
          self->icon_description = g_strdup (description);
          app_indicator_set_icon_full (self->indicator, self->icon_name, description);
        }
      return;
    }

  spec_text = mq_icon_spec_to_string (spec);
  name = g_strdup_printf (ICON_FILE_PREFIX "%u-%s", ++self->icon_serial, spec_text);
  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (self->icon_dir, file_name, NULL);

  if (mq_icon_write_png (spec, MQ_INDICATOR_ICON_SIZE, path, &error))
    {
      self->render_count++;
      /* The XEmbed fallback looks names up through GTK's icon theme, which
       * only notices new files when asked to. */
      gtk_icon_theme_rescan_if_needed (gtk_icon_theme_get_default ());
    }
  else
    {
      g_warning ("Cannot draw the tray icon, using a themed one: %s", error->message);
      g_clear_pointer (&path, g_free);
      g_free (name);
      name = fallback_icon_name (spec);
    }

  app_indicator_set_icon_full (self->indicator, name, description);

  if (self->icon_path != NULL)
    remove_file (self->icon_path);

  g_free (self->icon_name);
  self->icon_name = g_steal_pointer (&name);
  g_free (self->icon_path);
  self->icon_path = g_steal_pointer (&path);
  g_free (self->icon_description);
  self->icon_description = g_strdup (description);
  self->icon_spec = *spec;
  self->has_icon_spec = TRUE;
}

/* ------------------------------------------------------------------ */
/* The label beside the icon                                            */
/* ------------------------------------------------------------------ */

/* The percentage is drawn in the icon; hosts that show labels repeat it
 * beside the icon only when the "show-label" setting asks for it. */
static void
apply_label (MqIndicator *self)
{
  const char *label = self->show_label && self->label != NULL ? self->label : "";
  const char *guide = self->show_label && self->label_guide != NULL ? self->label_guide : "";

  app_indicator_set_label (self->indicator, label, guide);
}

static void
on_show_label_changed (GSettings   *settings,
                       const char  *key,
                       MqIndicator *self)
{
  gboolean show = g_settings_get_boolean (settings, "show-label");

  if (show == self->show_label)
    return;
  self->show_label = show;
  apply_label (self);
}

/* ------------------------------------------------------------------ */
/* Is anything showing tray icons?                                      */
/* ------------------------------------------------------------------ */

/* A StatusNotifierWatcher on the session bus, or on X11 an XEmbed tray. */
static gboolean
host_present (MqIndicator *self)
{
  return self->watcher_present || mq_xembed_tray_present ();
}

/* A host showed up after "no-host": say so, once, and stop looking. */
static void
check_host_found (MqIndicator *self)
{
  if (!self->no_host_emitted || self->host_found_emitted || !host_present (self))
    return;

  g_clear_handle_id (&self->xembed_poll, g_source_remove);
  self->host_found_emitted = TRUE;
  g_debug ("a tray host appeared");
  g_signal_emit (self, signals[SIGNAL_HOST_FOUND], 0);
}

static gboolean
poll_xembed (gpointer user_data)
{
  MqIndicator *self = user_data;

  check_host_found (self);
  return self->host_found_emitted ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
on_host_timeout (gpointer user_data)
{
  MqIndicator *self = user_data;

  self->host_timer = 0;
  if (self->no_host_emitted || host_present (self))
    return G_SOURCE_REMOVE;

  self->no_host_emitted = TRUE;
  g_debug ("no tray host after %u ms", self->host_timeout_ms);
  /* The watcher is followed on the bus; an XEmbed tray announces itself
   * to the root window only, so it is looked for now and then. */
  if (mq_xembed_display_is_x11 ())
    self->xembed_poll = g_timeout_add (XEMBED_POLL_MS, poll_xembed, self);
  g_signal_emit (self, signals[SIGNAL_NO_HOST], 0);
  return G_SOURCE_REMOVE;
}

static void
on_watcher_appeared (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  MqIndicator *self = user_data;

  self->watcher_present = TRUE;
  check_host_found (self);
}

static void
on_watcher_vanished (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  MqIndicator *self = user_data;

  self->watcher_present = FALSE;
}

/* ------------------------------------------------------------------ */
/* The tray host coming and going                                       */
/* ------------------------------------------------------------------ */

static void
on_connection_changed (AppIndicator *indicator,
                       gboolean      connected,
                       MqIndicator  *self)
{
  g_debug ("StatusNotifierWatcher %s", connected ? "connected" : "gone");

  if (!connected)
    return;

  /* The first registration shows what is set. A watcher that comes back
   * (a panel restarted) gets the current state again: a freshly named
   * icon and the label re-sent. */
  if (self->registered_once && self->has_icon_spec)
    {
      MqIconSpec spec = self->icon_spec;
      g_autofree char *description = g_strdup (self->icon_description);

      set_icon (self, &spec, description, TRUE);
      app_indicator_set_label (self->indicator, NULL, NULL);
      apply_label (self);
    }
  self->registered_once = TRUE;
}

/* ------------------------------------------------------------------ */
/* Public                                                               */
/* ------------------------------------------------------------------ */

void
mq_indicator_update (MqIndicator  *self,
                     const MqView *view)
{
  const char *detail;

  g_return_if_fail (MQ_IS_INDICATOR (self));
  g_return_if_fail (view != NULL);

  set_icon (self, mq_view_get_icon (view), mq_view_get_icon_description (view), FALSE);

  if (g_strcmp0 (self->label, mq_view_get_label (view)) != 0 ||
      g_strcmp0 (self->label_guide, mq_view_get_label_guide (view)) != 0)
    {
      g_free (self->label);
      self->label = g_strdup (mq_view_get_label (view));
      g_free (self->label_guide);
      self->label_guide = g_strdup (mq_view_get_label_guide (view));
      apply_label (self);
    }
  /* SNI hosts show the title as the tooltip; ayatana has no tooltip call. */
  app_indicator_set_title (self->indicator, mq_view_get_title (view));

  set_item_label (self->header, mq_view_get_header (view));
  detail = mq_view_get_header_detail (view);
  if (detail != NULL)
    set_item_label (self->header_detail, detail);
  gtk_widget_set_visible (self->header_detail, detail != NULL);

  update_rows (self, view);

  gtk_widget_set_visible (self->upgrade, mq_view_get_show_upgrade (view));
  set_item_label (self->status, mq_view_get_status (view));
  /* Without a key the header says what is needed; a status line ("No API
   * key") would only repeat it. "Refresh now" stays, insensitive while the
   * application keeps app.refresh disabled. */
  gtk_widget_set_visible (self->status, mq_view_get_can_refresh (view));
  gtk_widget_set_visible (self->set_key, mq_view_get_show_set_key (view));
  tidy_separators (self);
}

guint
mq_indicator_get_render_count (MqIndicator *self)
{
  g_return_val_if_fail (MQ_IS_INDICATOR (self), 0);
  return self->render_count;
}

const char *
mq_indicator_get_icon_name (MqIndicator *self)
{
  g_return_val_if_fail (MQ_IS_INDICATOR (self), NULL);
  return self->icon_name;
}

const char *
mq_indicator_get_icon_dir (MqIndicator *self)
{
  g_return_val_if_fail (MQ_IS_INDICATOR (self), NULL);
  return self->icon_dir;
}

GtkWidget *
mq_indicator_get_menu (MqIndicator *self)
{
  g_return_val_if_fail (MQ_IS_INDICATOR (self), NULL);
  return self->menu;
}

void
mq_indicator_set_host_timeout (MqIndicator *self,
                               guint        timeout_ms)
{
  g_return_if_fail (MQ_IS_INDICATOR (self));

  self->host_timeout_ms = timeout_ms;
  if (self->host_timer != 0)
    {
      g_source_remove (self->host_timer);
      self->host_timer = g_timeout_add (timeout_ms, on_host_timeout, self);
    }
}

static void
mq_indicator_dispose (GObject *object)
{
  MqIndicator *self = MQ_INDICATOR (object);

  g_clear_handle_id (&self->host_timer, g_source_remove);
  g_clear_handle_id (&self->xembed_poll, g_source_remove);
  g_clear_handle_id (&self->watcher_watch, g_bus_unwatch_name);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  if (self->indicator != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->indicator, self);
      /* Takes the item off the panel before it goes. */
      app_indicator_set_status (self->indicator, APP_INDICATOR_STATUS_PASSIVE);
      g_clear_object (&self->indicator);
    }

  if (self->menu != NULL)
    {
      gtk_widget_insert_action_group (self->menu, "app", NULL);
      gtk_widget_destroy (self->menu);
      g_clear_object (&self->menu);
    }
  g_clear_pointer (&self->rows, g_hash_table_unref);

  if (self->icon_path != NULL)
    remove_file (self->icon_path);
  g_clear_pointer (&self->icon_path, g_free);
  if (self->icon_dir != NULL)
    {
      remove_stale_icon_files (self);
      /* Only when empty; the folder may hold other files of the app. */
      g_rmdir (self->icon_dir);
    }

  if (self->app != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->app), (gpointer *) &self->app);
      self->app = NULL;
    }

  G_OBJECT_CLASS (mq_indicator_parent_class)->dispose (object);
}

static void
mq_indicator_finalize (GObject *object)
{
  MqIndicator *self = MQ_INDICATOR (object);

  g_clear_pointer (&self->row_order, g_ptr_array_unref);
  g_free (self->icon_dir);
  g_free (self->icon_name);
  g_free (self->icon_description);
  g_free (self->label);
  g_free (self->label_guide);

  G_OBJECT_CLASS (mq_indicator_parent_class)->finalize (object);
}

static void
mq_indicator_class_init (MqIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_indicator_dispose;
  object_class->finalize = mq_indicator_finalize;

  /**
   * MqIndicator::no-host:
   *
   * Nothing shows tray icons (no StatusNotifierWatcher, no XEmbed tray) a
   * few seconds after the indicator was made. Emitted at most once.
   */
  signals[SIGNAL_NO_HOST] =
    g_signal_new ("no-host", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * MqIndicator::host-found:
   *
   * A tray host appeared after #MqIndicator::no-host. Emitted at most once.
   */
  signals[SIGNAL_HOST_FOUND] =
    g_signal_new ("host-found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mq_indicator_init (MqIndicator *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->row_order = g_ptr_array_new_with_free_func (g_free);
  self->host_timeout_ms = MQ_INDICATOR_HOST_TIMEOUT_MS;
}

MqIndicator *
mq_indicator_new (GApplication *app)
{
  MqIndicator *self;
  MqIconSpec unknown = { MQ_ICON_UNKNOWN, 0, MQ_STATE_UNKNOWN, FALSE };
  g_autofree char *initial = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  /* An unregistered GApplication refuses to list its actions. */
  g_return_val_if_fail (g_application_get_is_registered (app), NULL);

  self = g_object_new (MQ_TYPE_INDICATOR, NULL);
  self->app = app;
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &self->app);

  self->icon_dir = g_build_filename (g_get_user_runtime_dir (), "app", APP_ID, NULL);
  if (g_mkdir_with_parents (self->icon_dir, 0700) != 0)
    g_warning ("Cannot create %s: %s", self->icon_dir, g_strerror (errno));
  remove_stale_icon_files (self);

  self->settings = g_settings_new (APP_ID);
  self->show_label = g_settings_get_boolean (self->settings, "show-label");
  g_signal_connect (self->settings, "changed::show-label",
                    G_CALLBACK (on_show_label_changed), self);

  build_menu (self);

  /* Registration needs an id, an icon and a menu; the icon comes from
   * the directory set as the theme path, once. */
  initial = fallback_icon_name (&unknown);
  /* libayatana-appindicator 0.5.92's XEmbed fallback looks for the theme
   * path in GTK's search path with a loop that reads past the end of the
   * array when the path is missing; put it there first. */
  gtk_icon_theme_append_search_path (gtk_icon_theme_get_default (), self->icon_dir);
  self->indicator = app_indicator_new (APP_ID, initial, APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
  app_indicator_set_icon_theme_path (self->indicator, self->icon_dir);
  app_indicator_set_title (self->indicator, _("Leeway"));
  set_icon (self, &unknown, _("Quota not known"), FALSE);
  g_signal_connect_object (self->indicator, "connection-changed",
                           G_CALLBACK (on_connection_changed), self, 0);
  app_indicator_set_menu (self->indicator, GTK_MENU (self->menu));
  app_indicator_set_status (self->indicator, APP_INDICATOR_STATUS_ACTIVE);

  self->host_timer = g_timeout_add (self->host_timeout_ms, on_host_timeout, self);
  self->watcher_watch = g_bus_watch_name (G_BUS_TYPE_SESSION, WATCHER_NAME,
                                          G_BUS_NAME_WATCHER_FLAGS_NONE,
                                          on_watcher_appeared, on_watcher_vanished,
                                          self, NULL);

  return self;
}
