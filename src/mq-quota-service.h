/* mq-quota-service.h: the applet's quota on D-Bus (io.github.leewayapp.Leeway.Quota1)
 *
 * GIO only. Exports the interface described in
 * data/io.github.leewayapp.Leeway.Quota1.xml on a connection the caller owns
 * (the GApplication's), so bars and widgets read the applet instead of
 * fetching a second time. It holds only what it is given: never a key.
 *
 * Wiring in a GApplication:
 *
 *   dbus_register:   mq_quota_service_export (service, connection, object_path, error)
 *   dbus_unregister: mq_quota_service_unexport (service)
 *   poller updated/failed: mq_quota_service_set_snapshot (...) or
 *                    mq_quota_service_update (...), then
 *                    mq_quota_service_refresh_done (service)
 *   "refresh" signal: start a refresh of the poller (it joins one in flight)
 */
#pragma once

#include <gio/gio.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

/* The names a client needs (mq-bar-client uses these macros only). */
#define MQ_QUOTA_SERVICE_BUS_NAME    "io.github.leewayapp.Leeway"
#define MQ_QUOTA_SERVICE_OBJECT_PATH "/io/github/leewayapp/Leeway"
#define MQ_QUOTA_SERVICE_INTERFACE   "io.github.leewayapp.Leeway.Quota1"

#define MQ_TYPE_QUOTA_SERVICE (mq_quota_service_get_type ())
G_DECLARE_FINAL_TYPE (MqQuotaService, mq_quota_service, MQ, QUOTA_SERVICE, GObject)

MqQuotaService *mq_quota_service_new            (void);

/* Registers the object at @object_path on @connection. One export at a
 * time: a second export without unexport fails with G_IO_ERROR_EXISTS. */
gboolean        mq_quota_service_export         (MqQuotaService     *self,
                                                 GDBusConnection    *connection,
                                                 const char         *object_path,
                                                 GError            **error);

/* Unregisters the object; Refresh() callers still waiting get an error.
 * Does nothing when not exported. */
void            mq_quota_service_unexport       (MqQuotaService     *self);

gboolean        mq_quota_service_is_exported    (MqQuotaService     *self);

/* Sets every property at once and emits ONE PropertiesChanged listing
 * only the properties whose value changed; nothing when nothing did.
 * @report_json and @error_message may be NULL (empty string); @state one
 * of ok, low, critical, exhausted, unknown (anything else counts as
 * unknown); @percent is clamped to -1..100 (-1 unknown). */
void            mq_quota_service_update         (MqQuotaService     *self,
                                                 const char         *report_json,
                                                 const char         *state,
                                                 int                 percent,
                                                 gboolean            stale,
                                                 gint64              updated_at,
                                                 const char         *error_message);

/* mq_quota_service_update() from the poller's view: Report is
 * mq_report_to_json (@snapshot, @thresholds, @headline_model), State and
 * RemainingPercent its headline, UpdatedAt its fetch time in seconds.
 * @snapshot NULL (no good answer yet): empty Report, unknown, -1, 0.
 * @error NULL: Error is empty. */
void            mq_quota_service_set_snapshot   (MqQuotaService     *self,
                                                 MqSnapshot         *snapshot,
                                                 const MqThresholds *thresholds,
                                                 const char         *headline_model,
                                                 gboolean            stale,
                                                 const GError       *error);

/* Replies to every Refresh() call waiting for the refresh in flight.
 * Call it after the update that the refresh brought (success or failure),
 * so callers read the new properties. Does nothing when none waits. */
void            mq_quota_service_refresh_done   (MqQuotaService     *self);

/* The current values (for tests and logs). */
const char     *mq_quota_service_get_report     (MqQuotaService     *self);
const char     *mq_quota_service_get_state      (MqQuotaService     *self);
int             mq_quota_service_get_percent    (MqQuotaService     *self);
gboolean        mq_quota_service_get_stale      (MqQuotaService     *self);
gint64          mq_quota_service_get_updated_at (MqQuotaService     *self);
const char     *mq_quota_service_get_error      (MqQuotaService     *self);

G_END_DECLS
