/* mq-region.h: MiniMax regions, their hosts and pages, base-URL rules */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MQ_REGION_AUTO,
  MQ_REGION_GLOBAL,
  MQ_REGION_CN,
} MqRegion;

/* The paths of the remains endpoint, in the order to try: the current one,
 * then the legacy ones (older accounts). */
#define MQ_PATH_CURRENT  "/v1/token_plan/remains"
#define MQ_PATH_LEGACY_1 "/v1/api/openplatform/coding_plan/remains"
#define MQ_PATH_LEGACY_2 "/v1/coding_plan/remains"

const char         *mq_region_to_string          (MqRegion     region);
gboolean            mq_region_from_string        (const char  *text,
                                                  MqRegion    *out_region);

/* Base URLs to try, in order, NULL-terminated. AUTO has none of its own:
 * callers try GLOBAL then CN (or the remembered one first). */
const char * const *mq_region_get_base_urls      (MqRegion     region);

/* The Token Plan subscribe / upgrade page of the region (AUTO: global):
 * "Upgrade plan…", and the models a plan lacks. */
const char         *mq_region_get_plan_url       (MqRegion     region);

/* The Token Plan usage page of the user centre (AUTO: global), where the
 * usage is shown and keys are made: "Open usage dashboard", the
 * notifications' "Open dashboard", and "Get a key" in Preferences. */
const char         *mq_region_get_usage_url      (MqRegion     region);

/* TRUE for https://host[...] or http:// on a loopback address
 * (127.0.0.0/8, ::1, localhost). Sets MQ_ERROR_INVALID_ARGUMENT otherwise. */
gboolean            mq_base_url_validate         (const char  *url,
                                                  GError     **error);

/* The API key from the environment for @region, following docs/API.md:
 * MINIMAX_CN_API_KEY (cn or auto), MINIMAX_API_KEY, MINIMAX_API_TOKEN.
 * Empty values are ignored. @out_key_region (nullable) receives CN when the
 * key came from MINIMAX_CN_API_KEY, else @region. Returns a new string or
 * NULL. */
char               *mq_region_key_from_environment (MqRegion   region,
                                                    MqRegion  *out_key_region);

/* The name of the environment variable mq_region_key_from_environment()
 * would take the key from, or NULL: for saying where a key comes from
 * without reading it. */
const char         *mq_region_key_variable         (MqRegion   region);

/* Every environment variable that may hold the key, NULL-terminated: the
 * ones a child process must not inherit. */
const char * const *mq_region_key_variables        (void);

G_END_DECLS
