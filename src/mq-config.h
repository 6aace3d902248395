/* mq-config.h: one resolved connection (region, base URL, key source, thresholds)
 *
 * Everything that decides where and how the quota is asked, resolved in
 * one place for the command line, the applet and its preferences:
 *
 *  - the region: --region, else MINIMAX_REGION, else the "region" setting;
 *  - the preferred region (with region auto): the region of a key that names
 *    its own (MINIMAX_CN_API_KEY), else the remembered "last-region";
 *  - the base URL: --base-url, else MINIMAX_BASE_URL, else none;
 *  - the key: the keyring's, else the environment's (the exact variable);
 *  - the thresholds, the only place where critical is clamped below low.
 *
 * Options and the environment are read once, by mq_config_new(); the
 * settings are read when asked, so that a change in the preferences applies
 * at once. The GSettings schema is optional: without it, or without one of
 * its keys (an older install), the defaults apply.
 */
#pragma once

#include <gio/gio.h>

#include "mq-account.h"
#include "mq-client.h"
#include "mq-region.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_CONFIG (mq_config_get_type ())
G_DECLARE_FINAL_TYPE (MqConfig, mq_config, MQ, CONFIG, GObject)

typedef enum {
  MQ_KEY_SOURCE_NONE,
  MQ_KEY_SOURCE_KEYRING,
  MQ_KEY_SOURCE_ENVIRONMENT,
} MqKeySource;

/* @option_region and @option_base_url: --region and --base-url (nullable).
 * @settings: the applet's settings, or NULL to look the schema up (and do
 * without it when it is not installed). Fails with MQ_ERROR_INVALID_ARGUMENT
 * for a region or base URL (option or environment) that is not valid. */
MqConfig     *mq_config_new                  (const char   *option_region,
                                              const char   *option_base_url,
                                              GSettings    *settings,
                                              GError      **error);

/* The settings in use, NULL without a schema. */
GSettings    *mq_config_get_settings         (MqConfig     *self);

/* The region to ask and to check a key against (honours --region). */
MqRegion      mq_config_get_region           (MqConfig     *self);

/* With region auto: where to ask first (AUTO: no preference). The key's
 * own region (after mq_config_resolve_key()) beats the remembered one. */
MqRegion      mq_config_get_preferred_region (MqConfig     *self);

/* The base URL to ask instead of the region's hosts, NULL for none. */
const char   *mq_config_get_base_url         (MqConfig     *self);

/* Writes @resolved (the region that answered) to "last-region" when the
 * region is auto, it differs from what is remembered and the schema has
 * the key. */
void          mq_config_remember_region      (MqConfig     *self,
                                              MqRegion      resolved);

/* Decides the key: @keyring_key when not NULL or empty, else the
 * environment's for mq_config_get_region(). Records its source and region.
 * Returns a new string (wipe it with mq_secret_free_key()) or NULL. */
char         *mq_config_resolve_key          (MqConfig     *self,
                                              const char   *keyring_key);

/* Where the last mq_config_resolve_key() found the key. */
MqKeySource   mq_config_get_key_source       (MqConfig     *self);

/* The environment variable the key comes from (or would, without a key in
 * the keyring) for mq_config_get_region(): for "Using the key from %s".
 * NULL when none is set. */
const char   *mq_config_get_key_variable     (MqConfig     *self);

/* Region, preferred region and base URL onto @client. */
gboolean      mq_config_apply_to_client      (MqConfig     *self,
                                              MqClient     *client,
                                              GError      **error);

/* The connections to follow: @stored (the accounts with their keys, from
 * mq_accounts_load_*(); nullable) when it has any, else one account named
 * MQ_ACCOUNT_ENVIRONMENT_NAME with the environment's key for
 * mq_config_get_region() (recorded as by mq_config_resolve_key()), else
 * none. A new array of MqAccount (free with g_ptr_array_unref()). */
GPtrArray    *mq_config_resolve_accounts     (MqConfig     *self,
                                              GPtrArray    *stored);

/* One account's connection onto @client: its key; its region, or the one
 * --region or MINIMAX_REGION fixes when the account's is auto; with
 * region auto the preferred region as mq_config_apply_to_client() has
 * it; the base URL when one is set. */
gboolean      mq_config_apply_account_to_client (MqConfig  *self,
                                                 MqAccount *account,
                                                 MqClient  *client,
                                                 GError   **error);

/* "low-threshold" and "critical-threshold", critical clamped below low:
 * for the tray and for the alerts alike. */
MqThresholds  mq_config_get_thresholds       (MqConfig     *self);

/* The same, from @settings (nullable: the defaults). */
MqThresholds  mq_config_thresholds_from_settings (GSettings *settings);

/* Whether the applet's compiled schema is installed with every key the
 * applet reads. Sets a translated MQ_ERROR_INVALID_ARGUMENT message naming
 * the fix (reinstall, or glib-compile-schemas) otherwise. */
gboolean      mq_config_check_schema         (GError      **error);

/* Whether @schema (nullable: FALSE) has the key @name of the GVariant type
 * @type (an older install may lack a key, or have it of another type). */
gboolean      mq_config_schema_has_key       (GSettingsSchema *schema,
                                              const char      *name,
                                              const char      *type);

/* A launch context that keeps the key out of a child's environment
 * (every variable of mq_region_key_variables() unset). */
GAppLaunchContext *mq_config_new_launch_context (void);

/* Opens @uri with the default handler, with that launch context. */
gboolean      mq_config_launch_uri           (const char   *uri,
                                              GError      **error);

G_END_DECLS
