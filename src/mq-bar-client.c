/* mq-bar-client.c: the command line's side of io.github.leewayapp.Leeway.Quota1 */
#define G_LOG_DOMAIN "mq-bar-client"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>

#include "mq-bar-client.h"
/* The bus name, object path and interface only: no code of the service. */
#include "mq-quota-service.h"

#define PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"

void
mq_bar_report_free (MqBarReport *report)
{
  if (report == NULL)
    return;
  g_free (report->report);
  g_free (report->error);
  g_free (report);
}

static MqBarReport *
report_new (void)
{
  MqBarReport *report = g_new0 (MqBarReport, 1);

  report->report = g_strdup ("");
  report->error = g_strdup ("");
  return report;
}

/* Copies Report, Stale and Error from an a{sv}; TRUE when any was there. */
static gboolean
report_merge (MqBarReport *report,
              GVariant    *properties)
{
  const char *text;
  gboolean stale;
  gboolean any = FALSE;

  if (g_variant_lookup (properties, "Report", "&s", &text))
    {
      g_free (report->report);
      report->report = g_strdup (text);
      any = TRUE;
    }
  if (g_variant_lookup (properties, "Stale", "b", &stale))
    {
      report->stale = stale;
      any = TRUE;
    }
  if (g_variant_lookup (properties, "Error", "&s", &text))
    {
      g_free (report->error);
      report->error = g_strdup (text);
      any = TRUE;
    }
  return any;
}

/* The session bus, never auto-launched: $DBUS_SESSION_BUS_ADDRESS, else
 * the socket $XDG_RUNTIME_DIR/bus. GLib's g_bus_get() would fall back to
 * "autolaunch:" (dbus-launch, an X11 session bus) which takes long and
 * starts a bus that no applet is on. A private connection: it is closed
 * with the last reference. */
static GDBusConnection *
open_session_bus (GError **error)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *runtime_address = NULL;

  if (address == NULL || *address == '\0')
    {
      const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
      g_autofree char *path = NULL;
      struct stat info;

      if (runtime_dir != NULL && *runtime_dir != '\0')
        path = g_build_filename (runtime_dir, "bus", NULL);
      if (path != NULL && stat (path, &info) == 0 && S_ISSOCK (info.st_mode))
        {
          g_autofree char *escaped = g_dbus_address_escape_value (path);

          runtime_address = g_strconcat ("unix:path=", escaped, NULL);
        }
      address = runtime_address;
    }

  if (address == NULL || strstr (address, "autolaunch:") != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no session bus."));
      return NULL;
    }

  return g_dbus_connection_new_for_address_sync (address,
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, NULL, error);
}

/* A D-Bus error for "nobody owns the name" as G_IO_ERROR_NOT_FOUND. */
static void
map_call_error (GError **error)
{
  if (g_error_matches (*error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (*error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    {
      g_clear_error (error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The Leeway applet is not running."));
    }
  else if (*error != NULL)
    g_dbus_error_strip_remote_error (*error);
}

static GVariant *
get_all_finish (GVariant  *reply)
{
  GVariant *properties = NULL;

  g_variant_get (reply, "(@a{sv})", &properties);
  return properties;
}

MqBarReport *
mq_bar_client_get_report (int      timeout_ms,
                          GError **error)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) properties = NULL;
  MqBarReport *report;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  connection = open_session_bus (error);
  if (connection == NULL)
    return NULL;

  /* One round trip; with no owner the bus answers ServiceUnknown at once
   * (NO_AUTO_START: a bar never starts the applet). */
  reply = g_dbus_connection_call_sync (connection, MQ_QUOTA_SERVICE_BUS_NAME,
                                       MQ_QUOTA_SERVICE_OBJECT_PATH,
                                       PROPERTIES_INTERFACE, "GetAll",
                                       g_variant_new ("(s)", MQ_QUOTA_SERVICE_INTERFACE),
                                       G_VARIANT_TYPE ("(a{sv})"),
                                       G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       timeout_ms, NULL, error);
  if (reply == NULL)
    {
      map_call_error (error);
      return NULL;
    }

  properties = get_all_finish (reply);
  report = report_new ();
  report_merge (report, properties);
  return report;
}

/* ---- Watching -------------------------------------------------------- */

typedef struct {
  GMainLoop       *loop;
  int              timeout_ms;
  MqBarWatchFunc   func;
  gpointer         user_data;
  GCancellable    *read_cancellable;  /* the GetAll in flight */
  guint            reads_pending;     /* GetAll calls not yet returned */
  MqBarReport     *report;
  gboolean         seen;              /* the name had an owner */
  gboolean         read;              /* the first GetAll answered */
  gboolean         done;
  GError          *error;
  GSource         *grace;             /* waiting for a restarted applet */
} Watch;

/* After the applet's name goes, how long a watch waits for it to come back
 * (the applet restarted: a second launch after an update, a crash and
 * autostart) before it ends. */
#define RESTART_GRACE_MS 3000

static void
watch_finish (Watch  *watch,
              GError *error)
{
  if (watch->done)
    {
      g_clear_error (&error);
      return;
    }
  watch->done = TRUE;
  watch->error = error;
  g_main_loop_quit (watch->loop);
}

static void
on_get_all (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Watch *watch = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) properties = NULL;
  GError *error = NULL;

  watch->reads_pending--;
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (watch->done)
    {
      g_clear_error (&error);
      return;
    }
  if (reply == NULL)
    {
      /* Cancelled: the name vanished meanwhile, or the watch ended. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          return;
        }
      map_call_error (&error);
      watch_finish (watch, error);
      return;
    }

  properties = get_all_finish (reply);
  report_merge (watch->report, properties);
  watch->read = TRUE;
  watch->func (watch->report, watch->user_data);
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  Watch *watch = user_data;

  if (watch->grace != NULL)
    {
      g_debug ("The applet is back: reading its report again");
      g_source_destroy (watch->grace);
      g_clear_pointer (&watch->grace, g_source_unref);
    }
  watch->seen = TRUE;
  watch->read = FALSE;
  g_cancellable_cancel (watch->read_cancellable);
  g_clear_object (&watch->read_cancellable);
  watch->read_cancellable = g_cancellable_new ();
  watch->reads_pending++;
  g_dbus_connection_call (connection, MQ_QUOTA_SERVICE_BUS_NAME,
                          MQ_QUOTA_SERVICE_OBJECT_PATH,
                          PROPERTIES_INTERFACE, "GetAll",
                          g_variant_new ("(s)", MQ_QUOTA_SERVICE_INTERFACE),
                          G_VARIANT_TYPE ("(a{sv})"),
                          G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          watch->timeout_ms, watch->read_cancellable,
                          on_get_all, watch);
}

static gboolean
on_grace_over (gpointer user_data)
{
  Watch *watch = user_data;

  g_debug ("The applet did not come back: the watch ends");
  g_clear_pointer (&watch->grace, g_source_unref);
  watch_finish (watch, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_name_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  Watch *watch = user_data;

  g_cancellable_cancel (watch->read_cancellable);

  /* The applet quit: wait a little in case it is restarting, then end
   * (exit 0: a bar restarts the command as it likes). */
  if (watch->seen && watch->grace == NULL)
    {
      watch->grace = g_timeout_source_new (RESTART_GRACE_MS);
      g_source_set_callback (watch->grace, on_grace_over, watch, NULL);
      g_source_attach (watch->grace, g_main_context_get_thread_default ());
    }
  else if (watch->seen)
    return;
  else
    watch_finish (watch, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                              _("The Leeway applet is not running.")));
}

static void
on_properties_changed (GDBusConnection *connection,
                       const char      *sender,
                       const char      *object_path,
                       const char      *interface_name,
                       const char      *signal_name,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  Watch *watch = user_data;
  g_autoptr(GVariant) changed = NULL;
  const char *changed_interface;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sa{sv}as)")))
    return;
  g_variant_get (parameters, "(&s@a{sv}@as)", &changed_interface, &changed, NULL);
  if (!g_str_equal (changed_interface, MQ_QUOTA_SERVICE_INTERFACE))
    return;

  /* Before the first GetAll answers, its answer is newer than this. */
  if (!watch->read)
    return;

  report_merge (watch->report, changed);
  watch->func (watch->report, watch->user_data);
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Watch *watch = user_data;

  watch_finish (watch, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            "Watch cancelled"));
  return G_SOURCE_REMOVE;
}

gboolean
mq_bar_client_watch (int             timeout_ms,
                     GCancellable   *cancellable,
                     MqBarWatchFunc  func,
                     gpointer        user_data,
                     GError        **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  Watch watch = { 0 };
  guint subscription;
  guint watcher;
  GSource *cancel_source = NULL;
  gboolean ok;

  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  connection = open_session_bus (error);
  if (connection == NULL)
    return FALSE;

  /* Callbacks run in this context, on this thread, while the loop runs. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  watch.loop = g_main_loop_new (context, FALSE);
  watch.timeout_ms = timeout_ms;
  watch.func = func;
  watch.user_data = user_data;
  watch.report = report_new ();

  /* Subscribed before the first read, so no change falls in between. */
  subscription = g_dbus_connection_signal_subscribe (connection, MQ_QUOTA_SERVICE_BUS_NAME,
                                                     PROPERTIES_INTERFACE,
                                                     "PropertiesChanged",
                                                     MQ_QUOTA_SERVICE_OBJECT_PATH,
                                                     MQ_QUOTA_SERVICE_INTERFACE,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_properties_changed, &watch, NULL);
  watcher = g_bus_watch_name_on_connection (connection, MQ_QUOTA_SERVICE_BUS_NAME,
                                            G_BUS_NAME_WATCHER_FLAGS_NONE,
                                            on_name_appeared, on_name_vanished,
                                            &watch, NULL);
  if (cancellable != NULL)
    {
      g_autoptr(GSource) source = g_cancellable_source_new (cancellable);

      g_source_set_callback (source, (GSourceFunc) (void (*) (void)) on_cancelled,
                             &watch, NULL);
      g_source_attach (source, context);
      cancel_source = g_steal_pointer (&source);
    }

  g_main_loop_run (watch.loop);

  g_bus_unwatch_name (watcher);
  g_dbus_connection_signal_unsubscribe (connection, subscription);
  if (watch.grace != NULL)
    {
      g_source_destroy (watch.grace);
      g_clear_pointer (&watch.grace, g_source_unref);
    }
  g_cancellable_cancel (watch.read_cancellable);
  if (cancel_source != NULL)
    {
      g_source_destroy (cancel_source);
      g_source_unref (cancel_source);
    }
  /* Every call returns (cancelled) before @watch goes; then let the
   * unwatch and unsubscribe release what they hold. */
  while (watch.reads_pending > 0)
    g_main_context_iteration (context, TRUE);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);

  ok = watch.error == NULL;
  if (!ok)
    g_propagate_error (error, watch.error);

  g_clear_object (&watch.read_cancellable);
  mq_bar_report_free (watch.report);
  g_main_loop_unref (watch.loop);
  return ok;
}

typedef struct {
  MqBarFormat format;
} PrintWatch;

static void
print_report (const MqBarReport *report,
              gpointer           user_data)
{
  PrintWatch *print = user_data;
  g_autofree char *line = mq_bar_format (print->format, report->report, report->stale,
                                         report->error, g_get_real_time () / 1000);

  fputs (line, stdout);
  fflush (stdout);
}

gboolean
mq_bar_client_watch_print (MqBarFormat    format,
                           int            timeout_ms,
                           GCancellable  *cancellable,
                           GError       **error)
{
  PrintWatch print = { format };

  return mq_bar_client_watch (timeout_ms, cancellable, print_report, &print, error);
}
