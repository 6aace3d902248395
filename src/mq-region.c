/* mq-region.c: MiniMax regions, their hosts and pages, base-URL rules */
#define G_LOG_DOMAIN "mq-region"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "mq-error.h"
#include "mq-region.h"

static const char * const global_bases[] = {
  "https://api.minimax.io",
  "https://www.minimax.io",
  NULL
};

static const char * const cn_bases[] = {
  "https://api.minimax.cn",
  "https://api.minimaxi.com",
  "https://www.minimaxi.com",
  NULL
};

static const char * const no_bases[] = { NULL };

const char *
mq_region_to_string (MqRegion region)
{
  switch (region)
    {
    case MQ_REGION_GLOBAL: return "global";
    case MQ_REGION_CN: return "cn";
    case MQ_REGION_AUTO:
    default: return "auto";
    }
}

gboolean
mq_region_from_string (const char *text,
                       MqRegion   *out_region)
{
  MqRegion region;

  if (text == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (text, "auto") == 0 || *text == '\0')
    region = MQ_REGION_AUTO;
  else if (g_ascii_strcasecmp (text, "global") == 0 ||
           g_ascii_strcasecmp (text, "intl") == 0 ||
           g_ascii_strcasecmp (text, "io") == 0)
    region = MQ_REGION_GLOBAL;
  else if (g_ascii_strcasecmp (text, "cn") == 0 ||
           g_ascii_strcasecmp (text, "china") == 0)
    region = MQ_REGION_CN;
  else
    return FALSE;

  if (out_region != NULL)
    *out_region = region;
  return TRUE;
}

const char * const *
mq_region_get_base_urls (MqRegion region)
{
  switch (region)
    {
    case MQ_REGION_GLOBAL: return global_bases;
    case MQ_REGION_CN: return cn_bases;
    case MQ_REGION_AUTO:
    default: return no_bases;
    }
}

#define PLATFORM_GLOBAL "https://platform.minimax.io"
#define PLATFORM_CN     "https://platform.minimax.cn"
#define PLAN_PATH       "/subscribe/token-plan"
#define USAGE_PATH      "/user-center/payment/token-plan"

const char *
mq_region_get_plan_url (MqRegion region)
{
  if (region == MQ_REGION_CN)
    return PLATFORM_CN PLAN_PATH;
  return PLATFORM_GLOBAL PLAN_PATH;
}

const char *
mq_region_get_usage_url (MqRegion region)
{
  if (region == MQ_REGION_CN)
    return PLATFORM_CN USAGE_PATH;
  return PLATFORM_GLOBAL USAGE_PATH;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* GUri gives IPv6 literals without brackets; accept both. */
  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
mq_base_url_validate (const char  *url,
                      GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                   _("The base URL is empty. Give an https:// address, or http:// on this computer (127.0.0.1)."));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid URL. Give an address such as https://api.minimax.io."),
                   url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                   _("“%s” names no host. Give an address such as https://api.minimax.io."),
                   url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                   _("The base URL must be a plain address without user name, query or fragment."));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host))
    return TRUE;

  g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
               _("Refusing the base URL “%s”: the API key may only travel over https://, or over http:// to this computer (127.0.0.1, ::1, localhost)."),
               url);
  return FALSE;
}

/* docs/API.md's order; the first is used for the China region only. */
static const char * const key_variables[] = {
  "MINIMAX_CN_API_KEY",
  "MINIMAX_API_KEY",
  "MINIMAX_API_TOKEN",
  NULL
};

const char * const *
mq_region_key_variables (void)
{
  return key_variables;
}

/* Set to something other than white space. */
static gboolean
env_has_value (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL)
    return FALSE;
  while (g_ascii_isspace (*value))
    value++;
  return *value != '\0';
}

const char *
mq_region_key_variable (MqRegion region)
{
  for (gsize i = 0; key_variables[i] != NULL; i++)
    {
      if (i == 0 && region == MQ_REGION_GLOBAL)
        continue;
      if (env_has_value (key_variables[i]))
        return key_variables[i];
    }

  return NULL;
}

char *
mq_region_key_from_environment (MqRegion  region,
                                MqRegion *out_key_region)
{
  const char *variable = mq_region_key_variable (region);

  if (out_key_region != NULL)
    *out_key_region = variable == key_variables[0] ? MQ_REGION_CN : region;

  if (variable == NULL)
    return NULL;

  return g_strstrip (g_strdup (g_getenv (variable)));
}
