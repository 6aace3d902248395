/* mq-applet-options.h: the applet's command-line options
 *
 * --region, --base-url, --interval, --demo, --background (start in the
 * tray without the window: the autostart entry's) and --version: added to
 * the GApplication, checked in every instance before anything starts (no
 * display, no bus needed), and read into MqAppletOptions by the primary.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char     *region;       /* NULL: not given */
  char     *base_url;     /* NULL: not given */
  int       interval;     /* 0: not given */
  gboolean  demo;
  gboolean  background;   /* the first launch only: no window */
} MqAppletOptions;

void mq_applet_options_add   (GApplication    *app);

/* handle_local_options(): refuses what cannot work (a message on stderr
 * and 1), prints the version (0), or -1 to go on. */
int  mq_applet_options_check (GVariantDict    *options);

/* Reads --region, --base-url, --interval, --demo and --background from
 * @options into @self; only what is given replaces what is there. */
void mq_applet_options_take  (MqAppletOptions *self,
                              GVariantDict    *options);
void mq_applet_options_clear (MqAppletOptions *self);

G_END_DECLS
