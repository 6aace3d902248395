/* mq-gauge.h: the headline gauge of the main window (GTK 3, cairo)
 *
 * A ring (a track, and an arc for the share left clockwise from 12
 * o'clock) in the colour of the state, as the tray icon draws it, with the
 * percentage large in the middle in the theme's text colour; "∞" when
 * unlimited, "?" when not known. Stale data draws the arc translucent.
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_GAUGE (mq_gauge_get_type ())
G_DECLARE_FINAL_TYPE (MqGauge, mq_gauge, MQ, GAUGE, GtkDrawingArea)

GtkWidget *mq_gauge_new         (void);

/* @percent 0..100, or < 0 when not known. */
void       mq_gauge_set         (MqGauge   *self,
                                 double     percent,
                                 MqState    state,
                                 gboolean   unlimited,
                                 gboolean   stale);

/* The whole percent shown (as mq_format_percent_whole()), -1 for none
 * (unknown or unlimited). */
int        mq_gauge_get_percent (MqGauge   *self);
MqState    mq_gauge_get_state   (MqGauge   *self);
/* The text in the middle: "63%", "∞", "?". */
const char *mq_gauge_get_text   (MqGauge   *self);

G_END_DECLS
