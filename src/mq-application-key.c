/* mq-application-key.c: the one connection's key, while no account is stored */
#define G_LOG_DOMAIN "mq-application-key"

#include "config.h"

#include "mq-application-private.h"
#include "mq-secret.h"

static void
use_key (MqApplication *self,
         const char    *keyring_key)
{
  char *key = NULL;
  MqRegion preferred;

  if (self->demo != NULL)
    key = g_strdup (MQ_DEMO_API_KEY);
  else
    key = mq_config_resolve_key (self->config, keyring_key);

  /* A key from MINIMAX_CN_API_KEY says which region it belongs to. */
  preferred = mq_config_get_preferred_region (self->config);
  if (preferred != MQ_REGION_AUTO)
    mq_client_set_preferred_region (self->client, preferred);

  mq_client_set_api_key (self->client, key);
  mq_secret_free_key (key);

  self->key_known = TRUE;
}

#define KEY_RETRY_SECONDS 20

static void on_key_looked_up (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

static gboolean
on_key_retry (gpointer user_data)
{
  MqApplication *self = user_data;

  self->key_retry_id = 0;
  mq_secret_lookup_async (self->cancellable, on_key_looked_up, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MqApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *keyring_key = mq_secret_lookup_finish (result, &error);
  gboolean again = self->key_known;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Also when the keyring did not answer within its bound: the applet
   * never stays on "Checking your quota…" for it. */
  if (error != NULL)
    g_debug ("Keyring unavailable, using the environment: %s", error->message);

  use_key (self, keyring_key);
  mq_secret_free_key (keyring_key);

  /* A keyring still starting at login may answer later: ask it again
   * once, when the environment had no key either. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
      mq_config_get_key_source (self->config) == MQ_KEY_SOURCE_NONE &&
      !again && self->key_retry_id == 0)
    self->key_retry_id = g_timeout_add_seconds (KEY_RETRY_SECONDS, on_key_retry, self);

  if (again)
    mq_poller_restart (self->poller);
  else
    mq_poller_start (self->poller);
}

void
mq_application_on_key_changed (MqPreferencesWindow *preferences,
                               const char          *key,
                               MqApplication       *self)
{
  use_key (self, key);
  /* Drop a fetch still using the old key, and any backoff it earned. */
  mq_poller_restart (self->poller);
}

void
mq_application_look_up_key (MqApplication *self)
{
  if (self->demo != NULL)
    {
      gboolean again = self->key_known;

      use_key (self, NULL);
      if (again)
        mq_poller_restart (self->poller);
      else
        mq_poller_start (self->poller);
      return;
    }

  mq_secret_lookup_async (self->cancellable, on_key_looked_up, g_object_ref (self));
}
