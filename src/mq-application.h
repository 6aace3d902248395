/* mq-application.h: the tray applet's GtkApplication: options, actions, wiring */
#pragma once

#include <gtk/gtk.h>

#include "mq-config.h"

G_BEGIN_DECLS

#define MQ_TYPE_APPLICATION (mq_application_get_type ())
G_DECLARE_FINAL_TYPE (MqApplication, mq_application, MQ, APPLICATION, GtkApplication)

MqApplication *mq_application_new        (void);

/* The applet's one resolved connection (region, base URL, key source,
 * thresholds), for Preferences: NULL before the first activation. */
MqConfig      *mq_application_get_config (MqApplication *self);

G_END_DECLS
