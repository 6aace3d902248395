/* mq-icon.c: the tray icon, drawn with cairo (no GTK) */
#define G_LOG_DOMAIN "mq-icon"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "mq-icon.h"

#define MIN_SIZE 8
#define MAX_SIZE 512

typedef struct {
  double r, g, b;
} Rgb;

/* GNOME palette */
static const Rgb green  = { 0x33 / 255.0, 0xd1 / 255.0, 0x7a / 255.0 };
static const Rgb yellow = { 0xf6 / 255.0, 0xd3 / 255.0, 0x2d / 255.0 };
static const Rgb orange = { 0xff / 255.0, 0x78 / 255.0, 0x00 / 255.0 };
static const Rgb red    = { 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0 };
static const Rgb grey   = { 0x9a / 255.0, 0x99 / 255.0, 0x96 / 255.0 };
static const Rgb muted_red = { 0xc0 / 255.0, 0x61 / 255.0, 0x5c / 255.0 };
static const Rgb white  = { 1.0, 1.0, 1.0 };
static const Rgb ink    = { 0x24 / 255.0, 0x1f / 255.0, 0x31 / 255.0 };

static Rgb
state_colour (MqState state)
{
  switch (state)
    {
    case MQ_STATE_OK: return green;
    case MQ_STATE_LOW: return yellow;
    case MQ_STATE_CRITICAL: return orange;
    case MQ_STATE_EXHAUSTED: return red;
    case MQ_STATE_UNKNOWN:
    default: return grey;
    }
}

void
mq_icon_state_colour (MqState  state,
                      double  *out_red,
                      double  *out_green,
                      double  *out_blue)
{
  Rgb colour = state_colour (state);

  *out_red = colour.r;
  *out_green = colour.g;
  *out_blue = colour.b;
}

static void
set_rgba (cairo_t    *cr,
          const Rgb  *colour,
          double      alpha)
{
  cairo_set_source_rgba (cr, colour->r, colour->g, colour->b, alpha);
}

/* Geometry shared by every part of one icon. */
typedef struct {
  double size;
  double centre;
  double ring_width;
  double ring_radius;
  double halo;          /* width of the outline around the glyphs */
} Geometry;

static void
geometry_init (Geometry *g,
               int       size_px)
{
  g->size = size_px;
  g->centre = size_px / 2.0;
  g->ring_width = MAX (2.0, size_px * 0.125);
  g->ring_radius = g->centre - g->ring_width / 2.0;
  g->halo = MAX (1.0, size_px * 0.05);
}

/* The radius of the dark face: the inner edge of the ring. */
static double
face_radius (const Geometry *g)
{
  return g->ring_radius - g->ring_width / 2.0;
}

/* ------------------------------------------------------------------ */
/* Ring                                                                 */
/* ------------------------------------------------------------------ */

/* A stale ring is cut into eight dashes with wide gaps, starting at 12
 * o'clock for the track and the arc alike, so their gaps line up: broken,
 * not just dimmer, even at 16 px. */
static void
set_stale_dash (cairo_t        *cr,
                const Geometry *g)
{
  double step = 2 * G_PI * g->ring_radius / 8.0;
  double dashes[] = { step * 0.58, step * 0.42 };

  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), -step * 0.21);
}

static void
draw_arc (cairo_t        *cr,
          const Geometry *g,
          double          fraction,
          const Rgb      *colour,
          double          alpha,
          gboolean        dashed)
{
  double start = -G_PI / 2.0;

  if (fraction <= 0.0)
    return;

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_arc (cr, g->centre, g->centre, g->ring_radius,
             start, start + 2 * G_PI * MIN (fraction, 1.0));
  cairo_set_line_width (cr, g->ring_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  if (dashed)
    set_stale_dash (cr, g);
  set_rgba (cr, colour, alpha);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* The whole ring (the arc of a fraction 1: butt caps are cairo's default,
 * the only line cap the icon's context has outside a glyph). */
static void
draw_track (cairo_t        *cr,
            const Geometry *g,
            const Rgb      *colour,
            double          alpha,
            gboolean        dashed)
{
  draw_arc (cr, g, 1.0, colour, alpha, dashed);
}

/* The dark face inside the ring: white glyphs on it read the same on dark
 * and on light panels. */
static void
draw_face (cairo_t        *cr,
           const Geometry *g,
           double          alpha)
{
  cairo_save (cr);
  cairo_new_path (cr);
  cairo_arc (cr, g->centre, g->centre, face_radius (g) + 0.5, 0, 2 * G_PI);
  set_rgba (cr, &ink, alpha);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* ------------------------------------------------------------------ */
/* Glyphs: the current path, outlined then filled                       */
/* ------------------------------------------------------------------ */

/* Strokes a dark halo around the current path, then fills it (and, for
 * small sizes, thickens it a little) with @colour. Clears the path. */
static void
paint_glyph_path (cairo_t        *cr,
                  const Geometry *g,
                  const Rgb      *colour,
                  double          alpha,
                  double          embolden)
{
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  cairo_set_line_width (cr, g->halo * 2.0 + embolden);
  set_rgba (cr, &ink, 0.80 * alpha);
  cairo_stroke_preserve (cr);

  set_rgba (cr, colour, alpha);
  if (embolden > 0.0)
    {
      cairo_set_line_width (cr, embolden);
      cairo_stroke_preserve (cr);
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

/* Lays @text out to fit a box of @max_width × @max_height pixels centred on
 * the icon (@lift pixels higher), and adds its outline to the path. Narrow boxes squeeze the
 * text horizontally (down to 80 %) before making it smaller. */
static void
text_path_fitted (cairo_t        *cr,
                  const Geometry *g,
                  const char     *text,
                  double          max_width,
                  double          max_height,
                  double          lift)
{
  cairo_text_extents_t ext;
  double scale, squeeze = 1.0, width, height, x, y;

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 100.0);
  cairo_text_extents (cr, text, &ext);
  if (ext.width <= 0 || ext.height <= 0)
    return;

  scale = max_height / ext.height;
  if (ext.width * scale > max_width)
    {
      squeeze = MAX (0.8, max_width / (ext.width * scale));
      if (ext.width * scale * squeeze > max_width)
        scale = max_width / (ext.width * squeeze);
    }

  width = ext.width * scale * squeeze;
  height = ext.height * scale;

  /* Whole pixels for the ink box keep stems and the baseline crisp. */
  x = round (g->centre - width / 2.0) - ext.x_bearing * scale * squeeze;
  y = round (g->centre - lift - height / 2.0) - ext.y_bearing * scale;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, squeeze, 1.0);
  cairo_set_font_size (cr, 100.0 * scale);
  cairo_move_to (cr, 0, 0);
  cairo_text_path (cr, text);
  cairo_restore (cr);
}

/* "–": a bar across the middle. */
static void
dash_path (cairo_t        *cr,
           const Geometry *g)
{
  double w = round (g->size * 0.44);
  double h = MAX (2.0, round (g->size * 0.14));

  cairo_rectangle (cr, round (g->centre - w / 2.0), round (g->centre - h / 2.0), w, h);
}

/* "!": a bar and a dot. */
static void
exclamation_path (cairo_t        *cr,
                  const Geometry *g)
{
  double w = MAX (2.0, round (g->size * 0.16));
  double top = round (g->size * 0.22);
  double bar = round (g->size * 0.36);
  double gap = MAX (1.0, round (g->size * 0.07));
  double x = round (g->centre - w / 2.0);

  cairo_rectangle (cr, x, top, w, bar);
  cairo_rectangle (cr, x, top + bar + gap, w, w);
}

/* "∞": a lemniscate, stroked into the path. */
static void
infinity_path (cairo_t        *cr,
               const Geometry *g)
{
  double a = g->size * 0.27;
  int steps = 72;

  cairo_save (cr);
  cairo_new_path (cr);
  for (int i = 0; i <= steps; i++)
    {
      double t = 2 * G_PI * i / steps;
      double d = 1.0 + sin (t) * sin (t);
      double x = g->centre + a * cos (t) / d;
      double y = g->centre + a * sin (t) * cos (t) / d * 1.25;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_close_path (cr);
  cairo_restore (cr);
}

/* A key: a round bow on the left, a shaft with two teeth to the right. */
static void
key_path (cairo_t        *cr,
          const Geometry *g)
{
  double s = g->size;
  double bow_r = s * 0.15;
  double bow_x = s * 0.33;
  double shaft_h = MAX (2.0, round (s * 0.11));
  double shaft_y = round (g->centre - shaft_h / 2.0);
  double shaft_x0 = bow_x + bow_r * 0.6;
  double shaft_x1 = round (s * 0.80);
  double tooth_w = MAX (1.5, round (s * 0.08));
  double tooth_h = MAX (2.0, round (s * 0.13));

  cairo_new_sub_path (cr);
  cairo_arc (cr, bow_x, g->centre, bow_r, 0, 2 * G_PI);
  cairo_close_path (cr);
  /* The hole of the bow, wound the other way. */
  cairo_new_sub_path (cr);
  cairo_arc_negative (cr, bow_x, g->centre, bow_r * 0.42, 2 * G_PI, 0);
  cairo_close_path (cr);

  cairo_rectangle (cr, shaft_x0, shaft_y, shaft_x1 - shaft_x0, shaft_h);
  cairo_rectangle (cr, shaft_x1 - tooth_w, shaft_y + shaft_h, tooth_w, tooth_h);
  cairo_rectangle (cr, shaft_x1 - tooth_w * 2.6, shaft_y + shaft_h, tooth_w, tooth_h * 0.75);
}

/* ------------------------------------------------------------------ */
/* The icon                                                             */
/* ------------------------------------------------------------------ */

/* With @stale, the number moves up and a little smaller, clear of the
 * clock in the corner. */
static void
draw_number (cairo_t        *cr,
             const Geometry *g,
             int             percent,
             const Rgb      *colour,
             double          alpha,
             gboolean        stale)
{
  g_autofree char *text = NULL;
  double max_width, max_height, lift = 0.0;
  gboolean with_sign = g->size >= 64;
  double embolden = g->size <= 24 ? 0.5 : g->size * 0.02;

  percent = CLAMP (percent, 0, 100);
  if (with_sign)
    text = g_strdup_printf ("%d%%", percent);
  else
    text = g_strdup_printf ("%d", percent);

  if (with_sign)
    {
      /* Room to spare: the number stays inside the face. */
      max_height = g->size * 0.36;
      max_width = g->size * 0.70;
    }
  else if (percent >= 100)
    {
      /* Three digits in smaller type, wholly inside the face: the corners
       * of their box on a circle half a pixel inside the ring, less what
       * emboldening adds around the glyphs. */
      double r = face_radius (g) - 0.5 - embolden / 2.0;

      max_width = 2.0 * r * 0.86;
      max_height = 2.0 * sqrt (r * r - max_width * max_width / 4.0);
      if (stale)
        lift = round (g->size * 0.08);
    }
  else
    {
      /* Two digits may run over the ring: their halo keeps them readable,
       * and a bigger number beats a ring seen in full. */
      max_height = g->size * (stale ? 0.44 : 0.50);
      max_width = g->size * 0.84;
      if (stale)
        lift = round (g->size * 0.1);
    }
  text_path_fitted (cr, g, text, max_width, max_height, lift);
  paint_glyph_path (cr, g, colour, alpha, embolden);
}

/* A clock in the bottom right corner: the number is old. A light face
 * with dark hands, ringed in ink so it stands off the ring and the panel. */
static void
draw_stale_mark (cairo_t        *cr,
                 const Geometry *g)
{
  double r = MAX (3.5, g->size * 0.19);
  double c = g->size - r - 0.5;
  double hand = MAX (1.0, r * 0.3);

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_arc (cr, c, c, r + MAX (1.0, g->size * 0.04), 0, 2 * G_PI);
  set_rgba (cr, &ink, 1.0);
  cairo_fill (cr);
  cairo_arc (cr, c, c, r, 0, 2 * G_PI);
  set_rgba (cr, &white, 1.0);
  cairo_fill (cr);

  /* Hands at ten past twelve... reading as a clock more than a dot. */
  cairo_set_line_width (cr, hand);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to (cr, c, c - r * 0.62);
  cairo_line_to (cr, c, c);
  cairo_line_to (cr, c + r * 0.5, c);
  set_rgba (cr, &ink, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_icon (cairo_t          *cr,
           const Geometry   *g,
           const MqIconSpec *spec)
{
  double alpha = spec->stale ? 0.55 : 1.0;
  gboolean stale = spec->stale;
  Rgb colour;

  draw_face (cr, g, 0.85);

  switch (spec->kind)
    {
    case MQ_ICON_PERCENT:
      colour = state_colour (spec->state);
      if (spec->state == MQ_STATE_EXHAUSTED)
        draw_track (cr, g, &red, 0.9 * alpha, stale);
      else
        {
          /* The track carries a tint of the state, the arc the amount. */
          draw_track (cr, g, &grey, 0.45, stale);
          if (spec->state != MQ_STATE_UNKNOWN)
            draw_track (cr, g, &colour, 0.30 * alpha, stale);
          draw_arc (cr, g, CLAMP (spec->percent, 0, 100) / 100.0, &colour, alpha, stale);
        }
      /* Low and critical numbers take the state's colour: the state reads
       * even where the arc is short. */
      draw_number (cr, g, spec->percent,
                   spec->state == MQ_STATE_LOW || spec->state == MQ_STATE_CRITICAL
                   ? &colour : &white,
                   stale ? 0.8 : 1.0, stale);
      break;

    case MQ_ICON_UNLIMITED:
      draw_track (cr, g, &green, alpha, stale);
      infinity_path (cr, g);
      cairo_save (cr);
      cairo_set_line_width (cr, MAX (2.0, g->size * 0.11));
      set_rgba (cr, &ink, 0.8);
      cairo_set_line_width (cr, MAX (2.0, g->size * 0.11) + g->halo * 2.0);
      cairo_stroke_preserve (cr);
      set_rgba (cr, &white, stale ? 0.8 : 1.0);
      cairo_set_line_width (cr, MAX (2.0, g->size * 0.11));
      cairo_stroke (cr);
      cairo_restore (cr);
      break;

    case MQ_ICON_NO_KEY:
      stale = FALSE;
      draw_track (cr, g, &grey, 0.9, FALSE);
      key_path (cr, g);
      paint_glyph_path (cr, g, &white, 1.0, 0.0);
      break;

    case MQ_ICON_ERROR:
      stale = FALSE;
      draw_track (cr, g, &muted_red, 0.95, FALSE);
      exclamation_path (cr, g);
      paint_glyph_path (cr, g, &white, 1.0, 0.0);
      break;

    case MQ_ICON_UNKNOWN:
    default:
      draw_track (cr, g, &grey, 0.7, stale);
      dash_path (cr, g);
      paint_glyph_path (cr, g, &white, stale ? 0.8 : 1.0, 0.0);
      break;
    }

  if (stale)
    draw_stale_mark (cr, g);
}

gboolean
mq_icon_spec_equal (const MqIconSpec *a,
                    const MqIconSpec *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case MQ_ICON_PERCENT:
      return a->percent == b->percent && a->state == b->state &&
             !a->stale == !b->stale;
    case MQ_ICON_UNLIMITED:
    case MQ_ICON_UNKNOWN:
      return !a->stale == !b->stale;
    case MQ_ICON_NO_KEY:
    case MQ_ICON_ERROR:
    default:
      return TRUE;
    }
}

char *
mq_icon_spec_to_string (const MqIconSpec *spec)
{
  const char *stale;

  g_return_val_if_fail (spec != NULL, NULL);

  stale = spec->stale ? "-stale" : "";

  switch (spec->kind)
    {
    case MQ_ICON_PERCENT:
      return g_strdup_printf ("p%d-%s%s", CLAMP (spec->percent, 0, 100),
                              mq_state_to_string (spec->state), stale);
    case MQ_ICON_UNLIMITED:
      return g_strdup_printf ("unlimited%s", stale);
    case MQ_ICON_NO_KEY:
      return g_strdup ("nokey");
    case MQ_ICON_ERROR:
      return g_strdup ("error");
    case MQ_ICON_UNKNOWN:
    default:
      return g_strdup_printf ("unknown%s", stale);
    }
}

cairo_surface_t *
mq_icon_render (const MqIconSpec *spec,
                int               size_px)
{
  cairo_surface_t *surface;
  cairo_font_options_t *options;
  cairo_t *cr;
  Geometry g;

  g_return_val_if_fail (spec != NULL, NULL);

  size_px = CLAMP (size_px, MIN_SIZE, MAX_SIZE);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size_px, size_px);
  cr = cairo_create (surface);

  options = cairo_font_options_create ();
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options (cr, options);
  cairo_font_options_destroy (options);

  geometry_init (&g, size_px);
  draw_icon (cr, &g, spec);

  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* ------------------------------------------------------------------ */
/* PNG                                                                  */
/* ------------------------------------------------------------------ */

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
mq_icon_write_png (const MqIconSpec *spec,
                   int               size_px,
                   const char       *path,
                   GError          **error)
{
  g_autofree char *dir = NULL;
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  int saved_errno;

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  surface = mq_icon_render (spec, size_px);
  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, append_to_bytes, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
                   _("Cannot write the icon %s: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }

  /* Written to a temporary file created 0600, then renamed over @path: a
   * panel reading the icon never sees half a PNG. */
  if (!g_file_set_contents_full (path, (const char *) png->data, png->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  return TRUE;
}
