/* mq-applet-options.c: the applet's command-line options */
#define G_LOG_DOMAIN "mq-applet-options"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-applet-options.h"
#include "mq-config.h"
#include "mq-region.h"

static const GOptionEntry option_entries[] = {
  { "region", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Region of the API key: auto, global or cn"), N_("REGION") },
  { "base-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Use this API base URL (https://…, or http:// on loopback)"), N_("URL") },
  { "interval", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Refresh every SECONDS (30–3600) for this run"), N_("SECONDS") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show a built-in, changing sample instead of your account"), NULL },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in the tray without opening the window (as on login)"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { NULL }
};

void
mq_applet_options_add (GApplication *app)
{
  g_return_if_fail (G_IS_APPLICATION (app));

  g_application_add_main_option_entries (app, option_entries);
  g_application_set_option_context_summary (app,
                                            _("Shows the MiniMax Token Plan quota in the system tray."));
}

int
mq_applet_options_check (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MqConfig) config = NULL;
  const char *region = NULL;
  const char *base_url = NULL;
  int interval = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("leeway %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* A missing or stale compiled schema would abort the applet on its first
   * g_settings_get_*(): say what to do instead. */
  if (!mq_config_check_schema (&error))
    {
      g_printerr ("leeway: %s\n", error->message);
      return 1;
    }

  if (g_variant_dict_lookup (options, "interval", "i", &interval) &&
      (interval < 30 || interval > 3600))
    {
      g_printerr (_("leeway: the interval must be between 30 and 3600 seconds.\n"));
      return 1;
    }

  g_variant_dict_lookup (options, "region", "&s", &region);
  g_variant_dict_lookup (options, "base-url", "&s", &base_url);

  /* With --demo the demo server is the base URL: no other is checked. */
  if (g_variant_dict_contains (options, "demo"))
    {
      if (region != NULL && !mq_region_from_string (region, NULL))
        {
          g_printerr (_("leeway: unknown region “%s”. Use auto, global or cn.\n"), region);
          return 1;
        }
      return -1;
    }

  config = mq_config_new (region, base_url, NULL, &error);
  if (config == NULL)
    {
      g_printerr ("leeway: %s\n", error->message);
      return 1;
    }

  /* Forwarded to the primary instance's command-line handler. */
  return -1;
}


void
mq_applet_options_take (MqAppletOptions *self,
                        GVariantDict    *options)
{
  char *text = NULL;

  g_return_if_fail (self != NULL);

  if (g_variant_dict_lookup (options, "region", "s", &text))
    {
      g_free (self->region);
      self->region = g_steal_pointer (&text);
    }
  if (g_variant_dict_lookup (options, "base-url", "s", &text))
    {
      g_free (self->base_url);
      self->base_url = g_steal_pointer (&text);
    }
  g_variant_dict_lookup (options, "interval", "i", &self->interval);
  if (g_variant_dict_contains (options, "demo"))
    self->demo = TRUE;
  self->background = g_variant_dict_contains (options, "background");
}

void
mq_applet_options_clear (MqAppletOptions *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->base_url, g_free);
}
