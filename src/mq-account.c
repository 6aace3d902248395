/* mq-account.c: one account (a name, a region, a key) and what a key is */
#define G_LOG_DOMAIN "mq-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mq-account.h"
#include "mq-error.h"
#include "mq-secret.h"

#define PAY_AS_YOU_GO_PREFIX "sk-api-"

struct _MqAccount {
  gatomicrefcount ref_count;
  char     *name;
  MqRegion  region;
  char     *key;          /* wiped when freed; nullable */
  MqKeyKind kind;
};

G_DEFINE_BOXED_TYPE (MqAccount, mq_account, mq_account_ref, mq_account_unref)

MqKeyKind
mq_key_kind_for_key (const char *key)
{
  if (key != NULL && g_str_has_prefix (key, PAY_AS_YOU_GO_PREFIX))
    return MQ_KEY_KIND_PAY_AS_YOU_GO;
  return MQ_KEY_KIND_TOKEN_PLAN;
}

const char *
mq_key_kind_to_string (MqKeyKind kind)
{
  return kind == MQ_KEY_KIND_PAY_AS_YOU_GO ? "pay-as-you-go" : "token-plan";
}

gboolean
mq_account_name_validate (const char  *name,
                          GError     **error)
{
  glong length;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                           _("An account needs a name."));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                           _("An account name must be valid text (UTF-8)."));
      return FALSE;
    }

  length = g_utf8_strlen (name, -1);
  if (length > MQ_ACCOUNT_NAME_MAX)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "An account name can be at most %d character long.",
                                "An account name can be at most %d characters long.",
                                MQ_ACCOUNT_NAME_MAX),
                   MQ_ACCOUNT_NAME_MAX);
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      /* g_unichar_isprint(): no control, format (bidi marks included),
       * unassigned or surrogate character. */
      if (!g_unichar_isprint (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                               _("An account name can hold only printable characters."));
          return FALSE;
        }
    }

  if (g_unichar_isspace (g_utf8_get_char (name)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (name + strlen (name)))))
    {
      g_set_error_literal (error, MQ_ERROR, MQ_ERROR_INVALID_ARGUMENT,
                           _("An account name cannot begin or end with a space."));
      return FALSE;
    }

  return TRUE;
}

MqAccount *
mq_account_new (const char *name,
                MqRegion    region,
                const char *key)
{
  MqAccount *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (region <= MQ_REGION_CN, NULL);

  self = g_new0 (MqAccount, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->region = region;
  if (key != NULL && *key != '\0')
    self->key = g_strdup (key);
  self->kind = mq_key_kind_for_key (self->key);

  return self;
}

MqAccount *
mq_account_ref (MqAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mq_account_unref (MqAccount *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->name);
      mq_secret_free_key (self->key);
      g_free (self);
    }
}

const char *
mq_account_get_name (MqAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

MqRegion
mq_account_get_region (MqAccount *self)
{
  g_return_val_if_fail (self != NULL, MQ_REGION_AUTO);

  return self->region;
}

const char *
mq_account_get_key (MqAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->key;
}

MqKeyKind
mq_account_get_key_kind (MqAccount *self)
{
  g_return_val_if_fail (self != NULL, MQ_KEY_KIND_TOKEN_PLAN);

  return self->kind;
}

void
mq_account_apply_to_client (MqAccount *self,
                            MqClient  *client)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (MQ_IS_CLIENT (client));

  mq_client_set_region (client, self->region);
  mq_client_set_api_key (client, self->key);
}
