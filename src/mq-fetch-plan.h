/* mq-fetch-plan.h: the host × path plan of one fetch
 *
 * Pure bookkeeping for MqClient, which does the I/O: which host and path
 * to try next (for each path, the current one then the legacy ones, each
 * host that earned a try there), what a failed attempt means for the rest
 * of the walk, and the most telling error met so far.
 */
#pragma once

#include <glib.h>

#include "mq-region.h"

G_BEGIN_DECLS

typedef struct _MqFetchPlan MqFetchPlan;

/* @paths: NULL-terminated, in the order to try (not copied: static).
 * @auto_regions: the hosts of both regions are tried, and keys are per
 * region, so a key rejected by one region ends only that region. */
MqFetchPlan *mq_fetch_plan_new           (const char * const *paths,
                                          gboolean            auto_regions);
void         mq_fetch_plan_free          (MqFetchPlan        *plan);

void         mq_fetch_plan_add_host      (MqFetchPlan        *plan,
                                          const char         *base_url,
                                          MqRegion            region);

/* Moves to the next attempt: the next host on this path that earned a
 * try, else the next path. FALSE when nothing is left to try. */
gboolean     mq_fetch_plan_next          (MqFetchPlan        *plan);

const char  *mq_fetch_plan_get_base_url  (MqFetchPlan        *plan);
/* host[:port] of the current attempt, for messages and debug logs. */
const char  *mq_fetch_plan_get_host_name (MqFetchPlan        *plan);
const char  *mq_fetch_plan_get_path      (MqFetchPlan        *plan);
MqRegion     mq_fetch_plan_get_region    (MqFetchPlan        *plan);

/* The current attempt failed with @error (taken); @status is the HTTP
 * status of the answer, 0 when there was none. Keeps the error when it
 * says more than the best so far. FALSE when no other host or path can
 * change the answer (no plan, rate limited, a key rejected outside AUTO):
 * the walk stops. */
gboolean     mq_fetch_plan_fail          (MqFetchPlan        *plan,
                                          GError             *error,
                                          guint               status);

/* Keeps @error (taken) as if an attempt had met it, without moving on. */
void         mq_fetch_plan_record        (MqFetchPlan        *plan,
                                          GError             *error);

/* The most telling error met (transfer full), NULL when none was. */
GError      *mq_fetch_plan_take_error    (MqFetchPlan        *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqFetchPlan, mq_fetch_plan_free)

G_END_DECLS
