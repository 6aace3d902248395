/* mq-history-window.c: the "Usage history…" window (GTK 3) */
#define G_LOG_DOMAIN "mq-history-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-chart-view.h"
#include "mq-history-window.h"

struct _MqHistoryWindow {
  GtkWindow    parent_instance;

  MqChartView *view;
};

G_DEFINE_FINAL_TYPE (MqHistoryWindow, mq_history_window, GTK_TYPE_WINDOW)

static gboolean
on_window_key_press (GtkWidget   *widget,
                     GdkEventKey *event)
{
  if (event->keyval == GDK_KEY_Escape)
    {
      gtk_window_close (GTK_WINDOW (widget));
      return TRUE;
    }
  return GTK_WIDGET_CLASS (mq_history_window_parent_class)->key_press_event (widget, event);
}

static void
mq_history_window_init (MqHistoryWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Usage history — Leeway"));
  gtk_window_set_default_size (GTK_WINDOW (self), 760, 460);
  gtk_window_set_icon_name (GTK_WINDOW (self), "io.github.leewayapp.Leeway");
}

static void
mq_history_window_class_init (MqHistoryWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->key_press_event = on_window_key_press;
}

MqHistoryWindow *
mq_history_window_new (GtkApplication *application,
                       const char     *history_path,
                       const char     *account)
{
  MqHistoryWindow *self;
  GtkWidget *view;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (MQ_TYPE_HISTORY_WINDOW, "application", application, NULL);
  view = mq_chart_view_new (history_path, account);
  g_object_set (view, "margin", 18, NULL);
  gtk_container_add (GTK_CONTAINER (self), view);
  gtk_widget_show_all (view);
  self->view = MQ_CHART_VIEW (view);
  return self;
}

gboolean
mq_history_window_is_loaded (MqHistoryWindow *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_WINDOW (self), FALSE);
  return mq_chart_view_is_loaded (self->view);
}

const char *
mq_history_window_get_page (MqHistoryWindow *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_WINDOW (self), NULL);
  return mq_chart_view_get_page (self->view);
}

const char *
mq_history_window_get_series (MqHistoryWindow *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_WINDOW (self), NULL);
  return mq_chart_view_get_series (self->view);
}

gboolean
mq_history_window_set_series (MqHistoryWindow *self,
                              const char      *series_id)
{
  g_return_val_if_fail (MQ_IS_HISTORY_WINDOW (self), FALSE);
  return mq_chart_view_set_series (self->view, series_id);
}

void
mq_history_window_set_range (MqHistoryWindow *self,
                             MqHistoryRange   range)
{
  g_return_if_fail (MQ_IS_HISTORY_WINDOW (self));
  mq_chart_view_set_range (self->view, range);
}

GtkWidget *
mq_history_window_get_chart_area (MqHistoryWindow *self)
{
  g_return_val_if_fail (MQ_IS_HISTORY_WINDOW (self), NULL);
  return mq_chart_view_get_chart_area (self->view);
}
