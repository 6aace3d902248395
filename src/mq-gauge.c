/* mq-gauge.c: the headline gauge of the main window (GTK 3, cairo) */
#define G_LOG_DOMAIN "mq-gauge"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "mq-format.h"
#include "mq-gauge.h"
#include "mq-icon.h"

#define GAUGE_SIZE 148

struct _MqGauge {
  GtkDrawingArea parent_instance;

  double   percent;     /* < 0: not known */
  MqState  state;
  gboolean unlimited;
  gboolean stale;
  char    *text;
};

G_DEFINE_FINAL_TYPE (MqGauge, mq_gauge, GTK_TYPE_DRAWING_AREA)

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      centre_x,
           double      centre_y,
           double      ring_inner)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font = pango_font_description_copy (
      pango_context_get_font_description (gtk_widget_get_pango_context (widget)));
  int width, height;
  int size = (int) (ring_inner * 0.62 * PANGO_SCALE);

  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_font_description_set_absolute_size (font, size);
  pango_layout_set_font_description (layout, font);
  pango_layout_get_pixel_size (layout, &width, &height);
  /* Shrink a wide text ("100%") to fit inside the ring. */
  if (width > ring_inner * 1.5)
    {
      pango_font_description_set_absolute_size (font, size * ring_inner * 1.5 / width);
      pango_layout_set_font_description (layout, font);
      pango_layout_get_pixel_size (layout, &width, &height);
    }
  cairo_move_to (cr, centre_x - width / 2.0, centre_y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static gboolean
mq_gauge_draw (GtkWidget *widget,
               cairo_t   *cr)
{
  MqGauge *self = MQ_GAUGE (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_allocated_width (widget);
  double height = gtk_widget_get_allocated_height (widget);
  double size = MIN (width, height);
  double ring = MAX (6.0, size * 0.09);
  double radius = size / 2.0 - ring / 2.0 - 1.0;
  double cx = width / 2.0, cy = height / 2.0;
  double r, g, b;
  GdkRGBA fg;

  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &fg);
  mq_icon_state_colour (self->unlimited ? MQ_STATE_OK : self->state, &r, &g, &b);

  cairo_set_line_width (cr, ring);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* The track, in the text colour, faint: visible on light and dark. */
  cairo_arc (cr, cx, cy, radius, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
  cairo_stroke (cr);

  if (self->unlimited || self->percent > 0.0)
    {
      double fraction = self->unlimited ? 1.0 : CLAMP (self->percent, 0.0, 100.0) / 100.0;

      cairo_arc (cr, cx, cy, radius, -G_PI / 2, -G_PI / 2 + 2 * G_PI * fraction);
      cairo_set_source_rgba (cr, r, g, b, self->stale ? 0.45 : 1.0);
      cairo_stroke (cr);
    }

  gdk_cairo_set_source_rgba (cr, &fg);
  draw_text (widget, cr, self->text, cx, cy, radius - ring / 2.0);

  if (gtk_widget_has_visible_focus (widget))
    gtk_render_focus (context, cr, 0, 0, width, height);
  return TRUE;
}

static void
mq_gauge_finalize (GObject *object)
{
  g_free (MQ_GAUGE (object)->text);
  G_OBJECT_CLASS (mq_gauge_parent_class)->finalize (object);
}

static void
mq_gauge_init (MqGauge *self)
{
  AtkObject *accessible = gtk_widget_get_accessible (GTK_WIDGET (self));

  self->percent = -1.0;
  self->text = g_strdup ("?");
  gtk_widget_set_size_request (GTK_WIDGET (self), GAUGE_SIZE, GAUGE_SIZE);
  atk_object_set_role (accessible, ATK_ROLE_LEVEL_BAR);
  /* Translators: the accessible name of the main window's large gauge */
  atk_object_set_name (accessible, _("Quota left"));
  g_signal_connect_swapped (self, "style-updated", G_CALLBACK (gtk_widget_queue_draw), self);
}

static void
mq_gauge_class_init (MqGaugeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mq_gauge_finalize;
  GTK_WIDGET_CLASS (klass)->draw = mq_gauge_draw;
}

GtkWidget *
mq_gauge_new (void)
{
  return g_object_new (MQ_TYPE_GAUGE, NULL);
}

void
mq_gauge_set (MqGauge *self,
              double   percent,
              MqState  state,
              gboolean unlimited,
              gboolean stale)
{
  g_return_if_fail (MQ_IS_GAUGE (self));

  self->percent = percent;
  self->state = state;
  self->unlimited = unlimited;
  self->stale = stale;
  g_free (self->text);
  if (unlimited)
    self->text = g_strdup ("∞");
  else if (percent < 0.0)
    self->text = g_strdup ("?");
  else
    self->text = mq_format_percent (percent);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
mq_gauge_get_percent (MqGauge *self)
{
  g_return_val_if_fail (MQ_IS_GAUGE (self), -1);
  if (self->unlimited || self->percent < 0.0)
    return -1;
  return mq_format_percent_whole (self->percent);
}

MqState
mq_gauge_get_state (MqGauge *self)
{
  g_return_val_if_fail (MQ_IS_GAUGE (self), MQ_STATE_UNKNOWN);
  return self->state;
}

const char *
mq_gauge_get_text (MqGauge *self)
{
  g_return_val_if_fail (MQ_IS_GAUGE (self), NULL);
  return self->text;
}
