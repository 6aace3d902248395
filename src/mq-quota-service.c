/* mq-quota-service.c: the applet's quota on D-Bus (io.github.leewayapp.Leeway.Quota1)
 *
 * A hand-written GDBusInterfaceVTable over the GDBusInterfaceInfo that
 * gdbus-codegen generates from data/io.github.leewayapp.Leeway.Quota1.xml
 * (--interface-info-body: only the introspection data, no code), rather
 * than a generated skeleton, because:
 *   - the XML stays the one description: what we export is what it says;
 *   - the generated skeleton coalesces property changes in an idle and
 *     compares them one by one; here one update emits exactly one
 *     PropertiesChanged, synchronously, listing only what changed;
 *   - Refresh() must hold every caller's invocation until the refresh in
 *     flight is done, which is a few lines with a vtable and a signal.
 */
#define G_LOG_DOMAIN "mq-quota-service"

#include "config.h"



#include "mq-quota-service.h"
#include "mq-quota1-info.h"
#include "mq-report.h"

struct _MqQuotaService
{
  GObject          parent_instance;

  GDBusConnection *connection;
  char            *object_path;
  guint            registration_id;

  char            *report;
  char            *state;
  int              percent;
  gboolean         stale;
  gint64           updated_at;
  char            *error;

  /* Refresh() invocations waiting for the refresh in flight. */
  GPtrArray       *waiting;
};

G_DEFINE_FINAL_TYPE (MqQuotaService, mq_quota_service, G_TYPE_OBJECT)

enum {
  SIGNAL_REFRESH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const known_states[] = {
  "ok", "low", "critical", "exhausted", "unknown",
};

static void
reply_waiting_with_error (MqQuotaService *self,
                          const char     *message)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    g_dbus_method_invocation_return_error_literal (g_object_ref (waiting->pdata[i]),
                                                   G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                                   message);
}

static void
mq_quota_service_dispose (GObject *object)
{
  MqQuotaService *self = MQ_QUOTA_SERVICE (object);

  mq_quota_service_unexport (self);

  G_OBJECT_CLASS (mq_quota_service_parent_class)->dispose (object);
}

static void
mq_quota_service_finalize (GObject *object)
{
  MqQuotaService *self = MQ_QUOTA_SERVICE (object);

  g_free (self->report);
  g_free (self->state);
  g_free (self->error);
  g_ptr_array_unref (self->waiting);

  G_OBJECT_CLASS (mq_quota_service_parent_class)->finalize (object);
}

static void
mq_quota_service_class_init (MqQuotaServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_quota_service_dispose;
  object_class->finalize = mq_quota_service_finalize;

  /**
   * MqQuotaService::refresh:
   *
   * A Refresh() call arrived and no refresh is in flight: start one (the
   * poller joins a fetch already running), then call
   * mq_quota_service_refresh_done() when it is done. Emitted once for any
   * number of callers waiting on the same refresh. Without a handler,
   * Refresh() fails with org.freedesktop.DBus.Error.NotSupported.
   */
  signals[SIGNAL_REFRESH] =
    g_signal_new ("refresh", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mq_quota_service_init (MqQuotaService *self)
{
  self->report = g_strdup ("");
  self->state = g_strdup ("unknown");
  self->percent = -1;
  self->error = g_strdup ("");
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

MqQuotaService *
mq_quota_service_new (void)
{
  return g_object_new (MQ_TYPE_QUOTA_SERVICE, NULL);
}

/* ---- D-Bus ------------------------------------------------------------- */

static GVariant *
property_value (MqQuotaService *self,
                const char     *name)
{
  if (g_str_equal (name, "Report"))
    return g_variant_new_string (self->report);
  if (g_str_equal (name, "State"))
    return g_variant_new_string (self->state);
  if (g_str_equal (name, "RemainingPercent"))
    return g_variant_new_int32 (self->percent);
  if (g_str_equal (name, "Stale"))
    return g_variant_new_boolean (self->stale);
  if (g_str_equal (name, "UpdatedAt"))
    return g_variant_new_int64 (self->updated_at);
  if (g_str_equal (name, "Error"))
    return g_variant_new_string (self->error);
  return NULL;
}

static GVariant *
handle_get_property (GDBusConnection  *connection,
                     const char       *sender,
                     const char       *object_path,
                     const char       *interface_name,
                     const char       *property_name,
                     GError          **error,
                     gpointer          user_data)
{
  GVariant *value = property_value (MQ_QUOTA_SERVICE (user_data), property_name);

  if (value == NULL)
    g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                 "No such property: %s", property_name);
  return value;
}

static void
handle_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  MqQuotaService *self = MQ_QUOTA_SERVICE (user_data);
  gboolean first;

  /* The introspection data lets only Refresh() through. */
  g_assert (g_str_equal (method_name, "Refresh"));

  if (!g_signal_has_handler_pending (self, signals[SIGNAL_REFRESH], 0, TRUE))
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR,
                                                     G_DBUS_ERROR_NOT_SUPPORTED,
                                                     "Refreshing is not available");
      return;
    }

  /* The invocation is replied to (and released) by refresh_done(). */
  first = self->waiting->len == 0;
  g_ptr_array_add (self->waiting, invocation);
  if (first)
    g_signal_emit (self, signals[SIGNAL_REFRESH], 0);
}

static const GDBusInterfaceVTable vtable = {
  .method_call = handle_method_call,
  .get_property = handle_get_property,
  .set_property = NULL,
};

gboolean
mq_quota_service_export (MqQuotaService   *self,
                         GDBusConnection  *connection,
                         const char       *object_path,
                         GError          **error)
{
  guint id;

  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (g_variant_is_object_path (object_path), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->registration_id != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "The quota service is already exported at %s", self->object_path);
      return FALSE;
    }

  /* The vtable's user data is @self, unowned: unexport (at the latest in
   * dispose) unregisters before @self goes. */
  id = g_dbus_connection_register_object (connection, object_path,
                                          (GDBusInterfaceInfo *) &io_github_leewayapp_leeway_quota1_interface,
                                          &vtable, self, NULL, error);
  if (id == 0)
    return FALSE;

  self->registration_id = id;
  self->connection = g_object_ref (connection);
  self->object_path = g_strdup (object_path);
  return TRUE;
}

void
mq_quota_service_unexport (MqQuotaService *self)
{
  g_return_if_fail (MQ_IS_QUOTA_SERVICE (self));

  if (self->registration_id == 0)
    return;

  reply_waiting_with_error (self, "The quota service is going away");
  g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
  g_clear_pointer (&self->object_path, g_free);
}

gboolean
mq_quota_service_is_exported (MqQuotaService *self)
{
  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), FALSE);

  return self->registration_id != 0;
}

/* ---- Updates ----------------------------------------------------------- */

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
add_changed (MqQuotaService  *self,
             GVariantBuilder *changed,
             const char      *name,
             guint           *n_changed)
{
  g_variant_builder_add (changed, "{sv}", name, property_value (self, name));
  (*n_changed)++;
}

void
mq_quota_service_update (MqQuotaService *self,
                         const char     *report_json,
                         const char     *state,
                         int             percent,
                         gboolean        stale,
                         gint64          updated_at,
                         const char     *error_message)
{
  g_auto(GVariantBuilder) changed = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sv}"));
  guint n_changed = 0;
  const char *valid_state = "unknown";

  g_return_if_fail (MQ_IS_QUOTA_SERVICE (self));

  if (report_json == NULL || !g_utf8_validate (report_json, -1, NULL))
    report_json = "";
  if (error_message == NULL || !g_utf8_validate (error_message, -1, NULL))
    error_message = "";
  for (guint i = 0; state != NULL && i < G_N_ELEMENTS (known_states); i++)
    if (g_str_equal (state, known_states[i]))
      valid_state = known_states[i];
  percent = CLAMP (percent, -1, 100);
  stale = !!stale;

  if (replace_string (&self->report, report_json))
    add_changed (self, &changed, "Report", &n_changed);
  if (replace_string (&self->state, valid_state))
    add_changed (self, &changed, "State", &n_changed);
  if (self->percent != percent)
    {
      self->percent = percent;
      add_changed (self, &changed, "RemainingPercent", &n_changed);
    }
  if (self->stale != stale)
    {
      self->stale = stale;
      add_changed (self, &changed, "Stale", &n_changed);
    }
  if (self->updated_at != updated_at)
    {
      self->updated_at = updated_at;
      add_changed (self, &changed, "UpdatedAt", &n_changed);
    }
  if (replace_string (&self->error, error_message))
    add_changed (self, &changed, "Error", &n_changed);

  if (n_changed == 0 || self->registration_id == 0)
    return;

  g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                 "org.freedesktop.DBus.Properties",
                                 "PropertiesChanged",
                                 g_variant_new ("(sa{sv}as)",
                                                MQ_QUOTA_SERVICE_INTERFACE,
                                                &changed, NULL),
                                 NULL);
}

void
mq_quota_service_set_snapshot (MqQuotaService     *self,
                               MqSnapshot         *snapshot,
                               const MqThresholds *thresholds,
                               const char         *headline_model,
                               gboolean            stale,
                               const GError       *error)
{
  g_autofree char *report = NULL;
  MqHeadline headline;
  const char *state = "unknown";
  int percent = -1;
  gint64 updated_at = 0;

  g_return_if_fail (MQ_IS_QUOTA_SERVICE (self));

  if (snapshot != NULL)
    {
      report = mq_report_to_json (snapshot, thresholds, headline_model);
      if (mq_snapshot_get_headline (snapshot, headline_model, thresholds, &headline) &&
          headline.model != NULL)
        {
          state = mq_state_to_string (headline.state);
          if (headline.remaining_percent >= 0)
            percent = (int) MIN (headline.remaining_percent, 100.0);
        }
      updated_at = mq_snapshot_get_fetched_at_ms (snapshot) / 1000;
    }

  mq_quota_service_update (self, report, state, percent, stale, updated_at,
                           error != NULL ? error->message : NULL);
}

void
mq_quota_service_refresh_done (MqQuotaService *self)
{
  g_autoptr(GPtrArray) waiting = NULL;

  g_return_if_fail (MQ_IS_QUOTA_SERVICE (self));

  if (self->waiting->len == 0)
    return;

  /* Callers arriving from here on start a new refresh. */
  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    g_dbus_method_invocation_return_value (g_object_ref (waiting->pdata[i]), NULL);
}

/* ---- Getters ----------------------------------------------------------- */

const char *
mq_quota_service_get_report (MqQuotaService *self)
{
  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), NULL);
  return self->report;
}

const char *
mq_quota_service_get_state (MqQuotaService *self)
{
  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), NULL);
  return self->state;
}

int
mq_quota_service_get_percent (MqQuotaService *self)
{
  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), -1);
  return self->percent;
}

gboolean
mq_quota_service_get_stale (MqQuotaService *self)
{
  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), FALSE);
  return self->stale;
}

gint64
mq_quota_service_get_updated_at (MqQuotaService *self)
{
  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), 0);
  return self->updated_at;
}

const char *
mq_quota_service_get_error (MqQuotaService *self)
{
  g_return_val_if_fail (MQ_IS_QUOTA_SERVICE (self), NULL);
  return self->error;
}
