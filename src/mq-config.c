/* mq-config.c: one resolved connection (region, base URL, key source, thresholds) */
#define G_LOG_DOMAIN "mq-config"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-config.h"
#include "mq-error.h"
#include "mq-secret.h"

struct _MqConfig {
  GObject          parent_instance;

  GSettings       *settings;        /* NULL: no schema installed */
  GSettingsSchema *schema;

  gboolean         region_fixed;    /* by --region or MINIMAX_REGION */
  MqRegion         fixed_region;
  char            *base_url;        /* --base-url or MINIMAX_BASE_URL, nullable */

  MqKeySource      key_source;
  MqRegion         key_region;      /* the key's own region, AUTO: none */
};

G_DEFINE_FINAL_TYPE (MqConfig, mq_config, G_TYPE_OBJECT)

/* Every key the applet reads, with its type: a stale compiled schema that
 * lacks one (or types it otherwise) would abort the applet on first use. */
static const struct {
  const char *name;
  const char *type;
} applet_keys[] = {
  { "region", "s" },
  { "last-region", "s" },
  { "refresh-interval", "u" },
  { "low-threshold", "u" },
  { "critical-threshold", "u" },
  { "notifications-enabled", "b" },
  { "icon-model", "s" },
  { "start-on-login", "b" },
  { "portal-autostart-granted", "b" },
  { "alert-state", "a{s(ux)}" },
  { "muted-until", "a{sx}" },
};

gboolean
mq_config_schema_has_key (GSettingsSchema *schema,
                          const char      *name,
                          const char      *type)
{
  g_autoptr(GSettingsSchemaKey) key = NULL;

  if (schema == NULL || !g_settings_schema_has_key (schema, name))
    return FALSE;

  key = g_settings_schema_get_key (schema, name);
  return g_variant_type_equal (g_settings_schema_key_get_value_type (key),
                               G_VARIANT_TYPE (type));
}

/* A string key, NULL when the schema does not have it as a string. */
static char *
dup_setting_string (MqConfig   *self,
                    const char *name)
{
  if (!mq_config_schema_has_key (self->schema, name, "s"))
    return NULL;
  return g_settings_get_string (self->settings, name);
}

static gboolean
get_setting_uint (GSettings       *settings,
                  GSettingsSchema *schema,
                  const char      *name,
                  guint           *out_value)
{
  if (settings == NULL || !mq_config_schema_has_key (schema, name, "u"))
    return FALSE;
  *out_value = g_settings_get_uint (settings, name);
  return TRUE;
}

static void
mq_config_finalize (GObject *object)
{
  MqConfig *self = MQ_CONFIG (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->schema, g_settings_schema_unref);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (mq_config_parent_class)->finalize (object);
}

static void
mq_config_class_init (MqConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mq_config_finalize;
}

static void
mq_config_init (MqConfig *self)
{
}

static void
use_settings (MqConfig  *self,
              GSettings *settings)
{
  GSettingsSchemaSource *source;

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_object_get (settings, "settings-schema", &self->schema, NULL);
      return;
    }

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    self->schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (self->schema != NULL)
    self->settings = g_settings_new_full (self->schema, NULL, NULL);
}

MqConfig *
mq_config_new (const char  *option_region,
               const char  *option_base_url,
               GSettings   *settings,
               GError     **error)
{
  g_autoptr(MqConfig) self = g_object_new (MQ_TYPE_CONFIG, NULL);
  const char *env_region = g_getenv ("MINIMAX_REGION");
  const char *env_base_url = g_getenv ("MINIMAX_BASE_URL");

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (option_region != NULL)
    {
      if (*option_region == '\0' || !mq_region_from_string (option_region, &self->fixed_region))
        {
          g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a region. Use --region=auto, global or cn."),
                       option_region);
          return NULL;
        }
      self->region_fixed = TRUE;
    }
  else if (env_region != NULL && *env_region != '\0')
    {
      if (!mq_region_from_string (env_region, &self->fixed_region))
        {
          g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                       _("MINIMAX_REGION=“%s” is not a region. Set it to auto, global or cn, or unset it."),
                       env_region);
          return NULL;
        }
      self->region_fixed = TRUE;
    }

  if (option_base_url != NULL)
    self->base_url = g_strdup (option_base_url);
  else if (env_base_url != NULL && *env_base_url != '\0')
    self->base_url = g_strdup (env_base_url);

  if (self->base_url != NULL && !mq_base_url_validate (self->base_url, error))
    return NULL;

  use_settings (self, settings);

  return g_steal_pointer (&self);
}

GSettings *
mq_config_get_settings (MqConfig *self)
{
  g_return_val_if_fail (MQ_IS_CONFIG (self), NULL);

  return self->settings;
}

MqRegion
mq_config_get_region (MqConfig *self)
{
  g_autofree char *text = NULL;
  MqRegion region = MQ_REGION_AUTO;

  g_return_val_if_fail (MQ_IS_CONFIG (self), MQ_REGION_AUTO);

  if (self->region_fixed)
    return self->fixed_region;

  text = dup_setting_string (self, "region");
  if (text != NULL && !mq_region_from_string (text, &region))
    {
      g_debug ("Ignoring the region setting “%s”", text);
      region = MQ_REGION_AUTO;
    }

  return region;
}

MqRegion
mq_config_get_preferred_region (MqConfig *self)
{
  g_autofree char *last = NULL;
  MqRegion remembered = MQ_REGION_AUTO;

  g_return_val_if_fail (MQ_IS_CONFIG (self), MQ_REGION_AUTO);

  if (mq_config_get_region (self) != MQ_REGION_AUTO)
    return MQ_REGION_AUTO;

  /* A key from MINIMAX_CN_API_KEY says which region it belongs to. */
  if (self->key_region != MQ_REGION_AUTO)
    return self->key_region;

  last = dup_setting_string (self, "last-region");
  if (last != NULL && mq_region_from_string (last, &remembered))
    return remembered;

  return MQ_REGION_AUTO;
}

const char *
mq_config_get_base_url (MqConfig *self)
{
  g_return_val_if_fail (MQ_IS_CONFIG (self), NULL);

  return self->base_url;
}

void
mq_config_remember_region (MqConfig *self,
                           MqRegion  resolved)
{
  g_autofree char *remembered = NULL;

  g_return_if_fail (MQ_IS_CONFIG (self));

  if (resolved == MQ_REGION_AUTO || mq_config_get_region (self) != MQ_REGION_AUTO)
    return;

  remembered = dup_setting_string (self, "last-region");
  if (remembered == NULL)
    return;

  if (!g_str_equal (remembered, mq_region_to_string (resolved)))
    g_settings_set_string (self->settings, "last-region", mq_region_to_string (resolved));
}

char *
mq_config_resolve_key (MqConfig   *self,
                       const char *keyring_key)
{
  MqRegion region;
  MqRegion key_region = MQ_REGION_AUTO;
  char *key;

  g_return_val_if_fail (MQ_IS_CONFIG (self), NULL);

  region = mq_config_get_region (self);

  if (keyring_key != NULL && *keyring_key != '\0')
    {
      self->key_source = MQ_KEY_SOURCE_KEYRING;
      self->key_region = MQ_REGION_AUTO;
      return g_strdup (keyring_key);
    }

  key = mq_region_key_from_environment (region, &key_region);
  self->key_source = key != NULL ? MQ_KEY_SOURCE_ENVIRONMENT : MQ_KEY_SOURCE_NONE;
  /* Only a key that names its region says more than @region. */
  self->key_region = key != NULL && key_region != region ? key_region : MQ_REGION_AUTO;

  return key;
}

MqKeySource
mq_config_get_key_source (MqConfig *self)
{
  g_return_val_if_fail (MQ_IS_CONFIG (self), MQ_KEY_SOURCE_NONE);

  return self->key_source;
}

const char *
mq_config_get_key_variable (MqConfig *self)
{
  g_return_val_if_fail (MQ_IS_CONFIG (self), NULL);

  return mq_region_key_variable (mq_config_get_region (self));
}

gboolean
mq_config_apply_to_client (MqConfig  *self,
                           MqClient  *client,
                           GError   **error)
{
  MqRegion preferred;

  g_return_val_if_fail (MQ_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (MQ_IS_CLIENT (client), FALSE);

  mq_client_set_region (client, mq_config_get_region (self));
  preferred = mq_config_get_preferred_region (self);
  if (preferred != MQ_REGION_AUTO)
    mq_client_set_preferred_region (client, preferred);

  if (self->base_url != NULL)
    return mq_client_set_base_url (client, self->base_url, error);
  return TRUE;
}

GPtrArray *
mq_config_resolve_accounts (MqConfig  *self,
                            GPtrArray *stored)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) mq_account_unref);
  char *key;

  g_return_val_if_fail (MQ_IS_CONFIG (self), accounts);

  if (stored != NULL && stored->len > 0)
    {
      for (guint i = 0; i < stored->len; i++)
        g_ptr_array_add (accounts, mq_account_ref (g_ptr_array_index (stored, i)));
      return accounts;
    }

  key = mq_config_resolve_key (self, NULL);
  if (key != NULL)
    g_ptr_array_add (accounts, mq_account_new (MQ_ACCOUNT_ENVIRONMENT_NAME,
                                               mq_config_get_region (self), key));
  mq_secret_free_key (key);
  return accounts;
}

gboolean
mq_config_apply_account_to_client (MqConfig   *self,
                                   MqAccount  *account,
                                   MqClient   *client,
                                   GError    **error)
{
  MqRegion region;
  MqRegion preferred;

  g_return_val_if_fail (MQ_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (MQ_IS_CLIENT (client), FALSE);

  if (!mq_config_apply_to_client (self, client, error))
    return FALSE;

  region = mq_account_get_region (account);
  if (region == MQ_REGION_AUTO && self->region_fixed)
    region = self->fixed_region;

  mq_account_apply_to_client (account, client);
  mq_client_set_region (client, region);
  preferred = mq_config_get_preferred_region (self);
  if (region == MQ_REGION_AUTO && preferred != MQ_REGION_AUTO)
    mq_client_set_preferred_region (client, preferred);

  return TRUE;
}

MqThresholds
mq_config_thresholds_from_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  MqThresholds thresholds = { MQ_THRESHOLD_LOW_DEFAULT, MQ_THRESHOLD_CRITICAL_DEFAULT };
  guint value;

  if (settings != NULL)
    g_object_get (settings, "settings-schema", &schema, NULL);

  if (get_setting_uint (settings, schema, "low-threshold", &value))
    thresholds.low = value;
  if (get_setting_uint (settings, schema, "critical-threshold", &value))
    thresholds.critical = value;

  /* The only clamp: critical strictly below low (0 turns it off). */
  if (thresholds.critical >= thresholds.low)
    thresholds.critical = MAX (thresholds.low - 1, 0);

  return thresholds;
}

MqThresholds
mq_config_get_thresholds (MqConfig *self)
{
  g_return_val_if_fail (MQ_IS_CONFIG (self), mq_config_thresholds_from_settings (NULL));

  return mq_config_thresholds_from_settings (self->settings);
}

gboolean
mq_config_check_schema (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is the settings schema id. */
                   _("The settings schema %s is not installed. Reinstall Leeway, or run “glib-compile-schemas” on the folder that holds its .gschema.xml file."),
                   APP_ID);
      return FALSE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (applet_keys); i++)
    {
      if (!mq_config_schema_has_key (schema, applet_keys[i].name, applet_keys[i].type))
        {
          g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                       /* Translators: the first %s is the settings schema
                        * id, the second the name of a setting. */
                       _("The installed settings schema %s is out of date (no setting “%s”). Reinstall Leeway, or run “glib-compile-schemas” on the folder that holds its .gschema.xml file."),
                       APP_ID, applet_keys[i].name);
          return FALSE;
        }
    }

  return TRUE;
}

GAppLaunchContext *
mq_config_new_launch_context (void)
{
  GAppLaunchContext *context = g_app_launch_context_new ();
  const char * const *variables = mq_region_key_variables ();

  for (gsize i = 0; variables[i] != NULL; i++)
    g_app_launch_context_unsetenv (context, variables[i]);

  return context;
}

gboolean
mq_config_launch_uri (const char  *uri,
                      GError     **error)
{
  g_autoptr(GAppLaunchContext) context = mq_config_new_launch_context ();

  g_return_val_if_fail (uri != NULL, FALSE);

  return g_app_info_launch_default_for_uri (uri, context, error);
}
