/* mq-autostart.c: start the applet on login
 *
 * Outside Flatpak this follows the XDG autostart specification: an entry in
 * $XDG_CONFIG_HOME/autostart overrides one of the same name in the
 * autostart folder of any $XDG_CONFIG_DIRS entry, and an entry saying Hidden=true (or, for
 * GNOME, X-GNOME-Autostart-enabled=false) does not start anything. The files
 * are written and removed in a worker thread, never on the main loop.
 *
 * Inside Flatpak the Background portal is asked (libportal); it writes the
 * autostart entry itself, outside the sandbox.
 */
#define G_LOG_DOMAIN "mq-autostart"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libportal-gtk3/portal-gtk3.h>

#include "mq-autostart.h"

#define AUTOSTART_FILE_NAME  APP_ID ".desktop"
#define TEMPLATE_PATH        DATADIR "/" GETTEXT_PACKAGE "/" APP_ID "-autostart.desktop"
#define DESKTOP_GROUP        G_KEY_FILE_DESKTOP_GROUP
#define KEY_GNOME_ENABLED    "X-GNOME-Autostart-enabled"
#define COMMAND              "leeway"
/* On login the applet starts in the tray, without its window. */
#define BACKGROUND_OPTION    "--background"

#define SETTING_START        "start-on-login"
#define SETTING_GRANTED      "portal-autostart-granted"

gboolean
mq_autostart_in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

char *
mq_autostart_dup_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart",
                           AUTOSTART_FILE_NAME, NULL);
}

/* The system-wide entry of the same name, when there is one (a new string). */
static char *
find_system_entry (void)
{
  const char * const *dirs = g_get_system_config_dirs ();

  for (gsize i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "autostart",
                                                AUTOSTART_FILE_NAME, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  return NULL;
}

/* Whether the entry at @path would start the applet. An entry that cannot
 * be read or parsed starts nothing. */
static gboolean
entry_starts (const char *path)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gboolean hidden;
  gboolean enabled;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error))
    return FALSE;

  if (!g_key_file_has_group (key_file, DESKTOP_GROUP))
    return FALSE;

  hidden = g_key_file_get_boolean (key_file, DESKTOP_GROUP,
                                   G_KEY_FILE_DESKTOP_KEY_HIDDEN, &error);
  if (error == NULL && hidden)
    return FALSE;
  g_clear_error (&error);

  enabled = g_key_file_get_boolean (key_file, DESKTOP_GROUP,
                                    KEY_GNOME_ENABLED, &error);
  if (error == NULL && !enabled)
    return FALSE;

  return TRUE;
}

/* The state the session will act on: the user's entry when it exists,
 * else a system-wide one. */
static gboolean
file_autostart_enabled (void)
{
  g_autofree char *path = mq_autostart_dup_path ();
  g_autofree char *system_path = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return entry_starts (path);

  system_path = find_system_entry ();
  return system_path != NULL && entry_starts (system_path);
}

static void
sync_setting (GSettings *settings,
              gboolean   enabled)
{
  if (g_settings_get_boolean (settings, SETTING_START) != enabled)
    g_settings_set_boolean (settings, SETTING_START, enabled);
}

gboolean
mq_autostart_is_enabled (GSettings *settings)
{
  gboolean enabled;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  if (mq_autostart_in_flatpak ())
    enabled = g_settings_get_boolean (settings, SETTING_GRANTED);
  else
    enabled = file_autostart_enabled ();

  sync_setting (settings, enabled);
  return enabled;
}

/* ------------------------------------------------------------------ */
/* The autostart file (outside Flatpak)                                 */
/* ------------------------------------------------------------------ */

/* A desktop entry written from code, for when no template is installed
 * (running from the build directory) or to hide a system-wide entry. */
static char *
generate_entry (gboolean enabled)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  g_key_file_set_string (key_file, DESKTOP_GROUP,
                         G_KEY_FILE_DESKTOP_KEY_TYPE,
                         G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (key_file, DESKTOP_GROUP,
                         G_KEY_FILE_DESKTOP_KEY_NAME, "Leeway");
  g_key_file_set_string (key_file, DESKTOP_GROUP,
                         G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Show the MiniMax Token Plan quota in the panel"));
  g_key_file_set_string (key_file, DESKTOP_GROUP,
                         G_KEY_FILE_DESKTOP_KEY_EXEC, COMMAND " " BACKGROUND_OPTION);
  g_key_file_set_string (key_file, DESKTOP_GROUP,
                         G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (key_file, DESKTOP_GROUP,
                          G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (key_file, DESKTOP_GROUP,
                          G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (key_file, DESKTOP_GROUP,
                          G_KEY_FILE_DESKTOP_KEY_STARTUP_NOTIFY, FALSE);
  if (!enabled)
    g_key_file_set_boolean (key_file, DESKTOP_GROUP,
                            G_KEY_FILE_DESKTOP_KEY_HIDDEN, TRUE);
  g_key_file_set_boolean (key_file, DESKTOP_GROUP, KEY_GNOME_ENABLED, enabled);

  return g_key_file_to_data (key_file, NULL, NULL);
}

/* The installed template, when it is there and is a desktop entry that
 * starts something; NULL otherwise. */
static char *
read_template (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!g_file_get_contents (TEMPLATE_PATH, &contents, NULL, NULL))
    return NULL;

  if (!g_key_file_load_from_data (key_file, contents, -1, G_KEY_FILE_NONE, NULL) ||
      !g_key_file_has_key (key_file, DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, NULL))
    {
      g_warning ("The autostart template %s is not a desktop entry; writing one instead",
                 TEMPLATE_PATH);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

static gboolean
write_entry (const char  *path,
             const char  *contents,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

static gboolean
enable_file (GError **error)
{
  g_autofree char *path = mq_autostart_dup_path ();
  g_autofree char *contents = read_template ();

  if (contents == NULL)
    contents = generate_entry (TRUE);

  return write_entry (path, contents, error);
}

static gboolean
disable_file (GError **error)
{
  g_autofree char *path = mq_autostart_dup_path ();
  g_autofree char *system_path = find_system_entry ();

  /* A system-wide entry would start the applet anyway: override it. */
  if (system_path != NULL && entry_starts (system_path))
    {
      g_autofree char *contents = generate_entry (FALSE);

      return write_entry (path, contents, error);
    }

  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not remove %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

typedef struct {
  gboolean enable;
  gboolean now_enabled;   /* the state after the operation, set by the thread */
} FileOp;

static void
file_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FileOp *op = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = op->enable ? enable_file (&error) : disable_file (&error);
  op->now_enabled = file_autostart_enabled ();

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* ------------------------------------------------------------------ */
/* The operation                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
  GSettings *settings;
  gboolean   enable;
} SetData;

static void
set_data_free (gpointer data)
{
  SetData *set = data;

  g_clear_object (&set->settings);
  g_free (set);
}

static void
on_file_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SetData *set = g_task_get_task_data (task);
  FileOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* Whatever happened, the setting tells what the session will do. */
  sync_setting (set->settings, op->now_enabled);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_portal_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SetData *set = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean granted;

  granted = xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error);

  if (error != NULL)
    {
      sync_setting (set->settings,
                    g_settings_get_boolean (set->settings, SETTING_GRANTED));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Turning it off succeeded when the portal answered at all: the answer
   * is then about running in the background, not about autostart. */
  if (!set->enable)
    granted = FALSE;

  g_settings_set_boolean (set->settings, SETTING_GRANTED, granted);
  sync_setting (set->settings, granted);

  if (set->enable && !granted)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("Leeway is not allowed to start on login. "
                                 "You can allow it in the system settings, under Applications."));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
request_portal (GTask     *task,
                gboolean   enable,
                GtkWindow *parent)
{
  g_autoptr(XdpPortal) portal = xdp_portal_new ();
  g_autoptr(XdpParent) xdp_parent = NULL;
  g_autoptr(GPtrArray) commandline = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason = NULL;

  if (parent != NULL)
    xdp_parent = xdp_parent_new_gtk (parent);

  g_ptr_array_add (commandline, g_strdup (COMMAND));
  g_ptr_array_add (commandline, g_strdup (BACKGROUND_OPTION));
  reason = g_strdup (_("Leeway shows your quota in the panel from the moment you log in."));

  /* libportal keeps its own references to the portal, the parent and the
   * command line for the duration of the request. */
  xdp_portal_request_background (portal, xdp_parent, reason, commandline,
                                 enable ? XDP_BACKGROUND_FLAG_AUTOSTART
                                        : XDP_BACKGROUND_FLAG_NONE,
                                 g_task_get_cancellable (task),
                                 on_portal_done, g_object_ref (task));
}

void
mq_autostart_set_async (gboolean             enable,
                        GtkWindow           *parent,
                        GSettings           *settings,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SetData *set;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mq_autostart_set_async);

  set = g_new0 (SetData, 1);
  set->settings = g_object_ref (settings);
  set->enable = !!enable;
  g_task_set_task_data (task, set, set_data_free);

  if (mq_autostart_in_flatpak ())
    {
      request_portal (task, set->enable, parent);
    }
  else
    {
      g_autoptr(GTask) file_task = g_task_new (NULL, cancellable, on_file_done,
                                               g_object_ref (task));
      FileOp *op = g_new0 (FileOp, 1);

      op->enable = set->enable;
      op->now_enabled = set->enable;
      g_task_set_source_tag (file_task, file_thread);
      g_task_set_task_data (file_task, op, g_free);
      g_task_run_in_thread (file_task, file_thread);
    }
}

gboolean
mq_autostart_set_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mq_autostart_set_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
