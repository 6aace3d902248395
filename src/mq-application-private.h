/* mq-application-private.h: MqApplication's state, shared by its files
 *
 * mq-application.c wires the parts and answers the menu;
 * mq-application-key.c finds the one connection's key (the keyring, else
 * the environment) while no account is stored.
 */
#pragma once

#include "mq-alerts.h"
#include "mq-applet-accounts.h"
#include "mq-applet-options.h"
#include "mq-application.h"
#include "mq-client.h"
#include "mq-config.h"
#include "mq-demo.h"
#include "mq-history-recorder.h"
#include "mq-history-window.h"
#include "mq-indicator.h"
#include "mq-main-window.h"
#include "mq-poller.h"
#include "mq-preferences-window.h"
#include "mq-quota-service.h"

G_BEGIN_DECLS

struct _MqApplication {
  GtkApplication  parent_instance;

  /* Command-line overrides for this run. */
  MqAppletOptions opt;

  GSettings      *settings;
  MqConfig       *config;        /* the one resolved connection */
  MqClient       *client;
  MqPoller       *poller;
  MqIndicator    *indicator;
  MqAlerts       *alerts;
  /* The stored accounts (issue 12); while none is stored, the one
   * connection above (the environment's key), exactly as before. */
  MqAppletAccounts *accounts;
  GStrv           window_accounts; /* the main window's account pages */
  MqPreferencesWindow *preferences;
  MqDemo         *demo;
  GCancellable   *cancellable;

  /* History (issue 11): written and forecast off the main thread. */
  MqHistoryRecorder *recorder;
  GArray         *forecasts;     /* of forecasts_for, or NULL */
  MqSnapshot     *forecasts_for;
  MqHistoryWindow *history_window;

  /* The main window (issue 14), made when first shown; closing it hides it.
   * Without a tray host ("no-host") it is the app, and closing it leaves
   * the app running in the background, said once. */
  MqMainWindow   *main_window;
  gboolean        no_host;
  gboolean        background_said;

  /* io.github.leewayapp.Leeway.Quota1 (issue 13), made in init: dbus_register
   * runs before startup. */
  MqQuotaService *service;
  gboolean        stale;         /* as the tray shows it (the last view) */

  gboolean        key_known;     /* the key lookup has finished */
  guint           key_retry_id;  /* asks a slow keyring again */
  gboolean        started;
};
/* Looks the key up (the keyring, bounded; else the environment; the demo's
 * in --demo), then starts the poller, or restarts it when it ran. */
void mq_application_look_up_key    (MqApplication       *self);
/* Preferences stored a session-only key: use it from now on. */
void mq_application_on_key_changed (MqPreferencesWindow *preferences,
                                    const char          *key,
                                    MqApplication       *self);

G_END_DECLS
