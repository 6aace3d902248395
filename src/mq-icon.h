/* mq-icon.h: the tray icon, drawn with cairo (no GTK)
 *
 * A ring (track plus an arc for the share left, clockwise from 12 o'clock)
 * and the number in the middle, coloured by state; distinct looks for no
 * key, error, unknown, unlimited and stale data. Legible at 16 px and up,
 * on dark and light panels.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

/* What the icon shows; the view model (mq-view.h) says which. */
typedef enum {
  MQ_ICON_PERCENT,
  MQ_ICON_UNLIMITED,
  MQ_ICON_NO_KEY,
  MQ_ICON_ERROR,
  MQ_ICON_UNKNOWN,
} MqIconKind;

typedef struct {
  MqIconKind kind;
  int        percent;   /* 0..100, meaningful for MQ_ICON_PERCENT only */
  MqState    state;
  gboolean   stale;     /* the data is older than the last failed fetch */
} MqIconSpec;

gboolean         mq_icon_spec_equal     (const MqIconSpec *a,
                                         const MqIconSpec *b);
/* A short stable text for a spec ("p63-ok", "nokey", "p40-low-stale"),
 * usable in file names. */
char            *mq_icon_spec_to_string (const MqIconSpec *spec);

/* The colour of @state (GNOME palette), 0..1 per channel: what the icon
 * and the main window's gauge draw the share left in. */
void             mq_icon_state_colour   (MqState           state,
                                         double           *red,
                                         double           *green,
                                         double           *blue);

/* A new size_px × size_px ARGB32 image surface (size clamped to 8..512). */
cairo_surface_t *mq_icon_render    (const MqIconSpec *spec,
                                    int               size_px);

/* Renders and writes a PNG atomically: a temporary file in the same
 * directory, mode 0600, renamed over @path. Creates the directory (0700)
 * when it is missing. */
gboolean         mq_icon_write_png (const MqIconSpec *spec,
                                    int               size_px,
                                    const char       *path,
                                    GError          **error);

G_END_DECLS
