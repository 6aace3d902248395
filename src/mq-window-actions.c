/* mq-window-actions.c: the applet's keyboard shortcuts */
#define G_LOG_DOMAIN "mq-window-actions"

#include "config.h"

#include "mq-window-actions.h"

static const struct {
  const char *action;
  const char *keys[3];
} accels[] = {
  { "app.refresh", { "<Control>r", "F5", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "win.close", { "<Control>w", NULL } },
};

void
mq_window_actions_set_accels (GtkApplication *app)
{
  g_return_if_fail (GTK_IS_APPLICATION (app));

  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (app, accels[i].action, accels[i].keys);
}

static void
window_close (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

void
mq_window_actions_add_close (GtkApplicationWindow *window)
{
  static const GActionEntry entries[] = {
    { "close", window_close, NULL, NULL, NULL, { 0 } },
  };

  g_return_if_fail (GTK_IS_APPLICATION_WINDOW (window));

  g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries),
                                   window);
}
