/* mq-chart-view.c: the history chart as a widget: series, range, chart (GTK 3) */
#define G_LOG_DOMAIN "mq-chart-view"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-chart.h"
#include "mq-format.h"
#include "mq-history.h"
#include "mq-chart-view.h"
#include "mq-wording.h"

#define DAY_MS (G_GINT64_CONSTANT (24) * 3600 * 1000)
/* Read once when the window opens: the longest range it shows. */
#define LOAD_SPAN_MS (30 * DAY_MS)

struct _MqChartView {
  GtkBox          parent_instance;

  char           *path;
  char           *account;
  GCancellable   *cancellable;
  gboolean        loaded;
  gint64          now_ms;

  GArray         *samples;     /* MqHistorySample of the account shown, by time */
  GPtrArray      *series_ids;  /* "MODEL:interval", as in the combo */
  char           *series;
  MqHistoryRange  range;
  MqChart        *chart;
  char           *series_label;

  GtkWidget      *stack;
  GtkWidget      *combo;
  GtkWidget      *range_buttons[3];
  GtkWidget      *area;
  GtkWidget      *readout;
  GtkWidget      *error_label;
};

G_DEFINE_FINAL_TYPE (MqChartView, mq_chart_view, GTK_TYPE_BOX)

static const gint64 range_ms[] = { DAY_MS, 7 * DAY_MS, 30 * DAY_MS };

/* ------------------------------------------------------------------ */
/* Reading the history: on a worker thread                              */
/* ------------------------------------------------------------------ */

typedef struct {
  char   *path;
  char   *account;
  gint64  since_ms;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_free (load->path);
  g_free (load->account);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  GArray *samples;

  /* Never create a database just to show that it is empty. */
  if (!g_file_test (load->path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  history = mq_history_open (load->path, &error);
  if (history == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  samples = mq_history_list (history, load->account, load->since_ms, &error);
  if (samples == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, samples, (GDestroyNotify) g_array_unref);
}

/* ------------------------------------------------------------------ */
/* Series                                                               */
/* ------------------------------------------------------------------ */

static char *
series_id_of (const MqHistorySample *sample)
{
  return g_strdup_printf ("%s:%s", sample->model, mq_slot_to_string (sample->slot));
}

static MqPeriod
period_of (const MqHistorySample *sample)
{
  gint64 length = sample->window_end_ms - sample->window_start_ms;

  if (sample->slot == MQ_SLOT_WEEKLY)
    return MQ_PERIOD_WEEKLY;
  if (sample->window_start_ms <= 0 || sample->window_end_ms <= 0 || length <= 0)
    return MQ_PERIOD_UNKNOWN;
  if (length <= G_GINT64_CONSTANT (6) * 3600 * 1000)
    return MQ_PERIOD_FIVE_HOUR;
  if (length <= G_GINT64_CONSTANT (25) * 3600 * 1000)
    return MQ_PERIOD_DAILY;
  return MQ_PERIOD_UNKNOWN;
}

static char *
series_label_of (const MqHistorySample *sample)
{
  /* Translators: a series in the history window's combo, "Text models —
   * 5-hour window" */
  return g_strdup_printf (_("%s — %s"), mq_format_model_display_name (sample->model),
                          mq_wording_window_name (period_of (sample)));
}

/* The samples of the series shown (borrowed from self->samples). */
static GArray *
series_samples (MqChartView *self)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (MqHistorySample));

  if (self->samples == NULL || self->series == NULL)
    return out;

  for (guint i = 0; i < self->samples->len; i++)
    {
      const MqHistorySample *sample = &g_array_index (self->samples, MqHistorySample, i);
      g_autofree char *id = series_id_of (sample);

      if (g_str_equal (id, self->series))
        g_array_append_vals (out, sample, 1);
    }
  return out;
}

/* ------------------------------------------------------------------ */
/* The chart                                                            */
/* ------------------------------------------------------------------ */

static void
update_readout (MqChartView *self)
{
  int cursor = self->chart != NULL ? mq_chart_get_cursor (self->chart) : -1;

  if (cursor >= 0)
    {
      g_autofree char *text = mq_chart_readout (self->chart, (guint) cursor, self->now_ms);

      gtk_label_set_text (GTK_LABEL (self->readout), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->readout),
                        /* Translators: below the history chart */
                        _("Point at the chart, or focus it and press ← →, to read a value"));
}

static void
update_description (MqChartView *self)
{
  AtkObject *accessible = gtk_widget_get_accessible (self->area);
  g_autofree char *chart = NULL;
  g_autofree char *text = NULL;
  const char *range_words[] = {
    /* Translators: the range of the history chart, for screen readers */
    N_("last 24 hours"), N_("last 7 days"), N_("last 30 days"),
  };

  if (self->chart == NULL)
    return;
  chart = mq_chart_describe (self->chart, self->now_ms);
  /* Translators: the history chart for screen readers: the series, the
   * range, then what it shows: "Text models — 5-hour window, last 24
   * hours: 63% left at 16:00; …" */
  text = g_strdup_printf (_("%s, %s: %s"), self->series_label != NULL ? self->series_label : "",
                          _(range_words[self->range]), chart);
  atk_object_set_description (accessible, text);
}

static void
rebuild_chart (MqChartView *self)
{
  g_autoptr(GArray) samples = series_samples (self);
  gint64 from_ms = self->now_ms - range_ms[self->range];
  gint64 to_ms = self->now_ms;
  MqForecast forecast = { 0 };
  const MqHistorySample *last = NULL;

  g_clear_pointer (&self->chart, mq_chart_free);
  g_clear_pointer (&self->series_label, g_free);

  if (samples->len > 0)
    {
      last = &g_array_index (samples, MqHistorySample, samples->len - 1);
      self->series_label = series_label_of (last);
    }

  /* The forecast of the current window, from the samples of that window. */
  if (last != NULL && last->window_end_ms > self->now_ms)
    {
      g_autoptr(GArray) points = mq_history_samples_to_forecast (samples);

      mq_forecast_compute ((const MqForecastSample *) points->data, points->len,
                           last->window_start_ms, last->window_end_ms,
                           last->remaining_percent, self->now_ms, &forecast);
      /* Room ahead of now for the dash to its run-out point. */
      if (forecast.has_forecast && !forecast.lasts_until_reset && forecast.runs_out_at_ms > 0)
        to_ms = MAX (to_ms, MIN (forecast.runs_out_at_ms + range_ms[self->range] / 40,
                                 self->now_ms + range_ms[self->range] / 4));
    }

  self->chart = mq_chart_new (samples, from_ms, to_ms);
  if (forecast.has_forecast)
    mq_chart_set_forecast (self->chart, &forecast, self->now_ms, last->remaining_percent);
  if (last != NULL && last->slot == MQ_SLOT_WEEKLY && last->window_start_ms > 0 &&
      last->window_end_ms > last->window_start_ms)
    mq_chart_set_pace (self->chart, last->window_start_ms, last->window_end_ms);

  update_readout (self);
  update_description (self);
  gtk_widget_queue_draw (self->area);
}

static void
theme_color (GtkStyleContext *context,
             const char      *name,
             const GdkRGBA   *fallback,
             MqChartRgb      *out)
{
  GdkRGBA color;

  if (!gtk_style_context_lookup_color (context, name, &color))
    color = *fallback;
  out->red = color.red;
  out->green = color.green;
  out->blue = color.blue;
}

static gboolean
on_draw (GtkWidget       *area,
         cairo_t         *cr,
         MqChartView *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (area);
  int width = gtk_widget_get_allocated_width (area);
  int height = gtk_widget_get_allocated_height (area);
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA blue = { 0.21, 0.52, 0.89, 1 };
  MqChartColors colors;
  GdkRGBA fg;

  if (self->chart == NULL)
    return FALSE;

  /* The theme's colours, light or dark. */
  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &fg);
  colors.fg = (MqChartRgb) { fg.red, fg.green, fg.blue };
  theme_color (context, "theme_base_color", &white, &colors.bg);
  theme_color (context, "theme_selected_bg_color", &blue, &colors.accent);
  mq_chart_set_colors (self->chart, &colors);

  mq_chart_draw (self->chart, cr, width, height);

  if (gtk_widget_has_visible_focus (area))
    gtk_render_focus (context, cr, 1, 1, width - 2, height - 2);
  return TRUE;
}

static void
move_cursor (MqChartView *self,
             int              index)
{
  mq_chart_set_cursor (self->chart, index);
  update_readout (self);
  gtk_widget_queue_draw (self->area);
}

static gboolean
on_motion (GtkWidget       *area,
           GdkEventMotion  *event,
           MqChartView *self)
{
  if (self->chart != NULL)
    move_cursor (self, mq_chart_point_at (self->chart, gtk_widget_get_allocated_width (area),
                                          gtk_widget_get_allocated_height (area), event->x));
  return FALSE;
}

static gboolean
on_button_press (GtkWidget       *area,
                 GdkEventButton  *event,
                 MqChartView *self)
{
  gtk_widget_grab_focus (area);
  return FALSE;
}

static gboolean
on_key_press (GtkWidget       *area,
              GdkEventKey     *event,
              MqChartView *self)
{
  int n, cursor, step;

  if (self->chart == NULL || (n = (int) mq_chart_get_n_points (self->chart)) == 0)
    return FALSE;

  cursor = mq_chart_get_cursor (self->chart);
  step = (event->state & GDK_SHIFT_MASK) ? MAX (n / 20, 1) : 1;

  switch (event->keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      move_cursor (self, cursor < 0 ? n - 1 : MAX (cursor - step, 0));
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      move_cursor (self, cursor < 0 ? n - 1 : MIN (cursor + step, n - 1));
      return TRUE;
    case GDK_KEY_Home:
      move_cursor (self, 0);
      return TRUE;
    case GDK_KEY_End:
      move_cursor (self, n - 1);
      return TRUE;
    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------------ */
/* Controls                                                             */
/* ------------------------------------------------------------------ */

static void
on_combo_changed (GtkComboBox     *combo,
                  MqChartView *self)
{
  const char *id = gtk_combo_box_get_active_id (combo);

  if (id == NULL || g_strcmp0 (id, self->series) == 0)
    return;
  g_free (self->series);
  self->series = g_strdup (id);
  rebuild_chart (self);
}

static void
on_range_toggled (GtkToggleButton *button,
                  MqChartView *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->range_buttons); i++)
    if (GTK_WIDGET (button) == self->range_buttons[i] && self->range != (MqHistoryRange) i)
      {
        self->range = (MqHistoryRange) i;
        if (self->loaded)
          rebuild_chart (self);
      }
}

static void
sample_clear (gpointer data)
{
  MqHistorySample *sample = data;

  g_free (sample->account);
  g_free (sample->model);
}

/* The samples of @account; when none was asked for, of the account of the
 * latest sample (a series never mixes two accounts). Copies. */
static GArray *
samples_of_one_account (GArray     *all,
                        const char *account)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (MqHistorySample));
  const char *wanted = account;

  g_array_set_clear_func (out, sample_clear);
  if (all->len == 0)
    return out;
  if (wanted == NULL)
    wanted = g_array_index (all, MqHistorySample, all->len - 1).account;

  for (guint i = 0; i < all->len; i++)
    {
      MqHistorySample copy = g_array_index (all, MqHistorySample, i);

      if (g_strcmp0 (copy.account, wanted) != 0)
        continue;
      copy.account = g_strdup (copy.account);
      copy.model = g_strdup (copy.model);
      g_array_append_val (out, copy);
    }
  return out;
}

static void
fill_series (MqChartView *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  g_signal_handlers_block_by_func (self->combo, on_combo_changed, self);
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (self->combo));
  g_ptr_array_set_size (self->series_ids, 0);

  /* Newest first, so the label names the latest window; the text models'
   * 5-hour window first in the list. */
  for (guint i = self->samples->len; i-- > 0;)
    {
      const MqHistorySample *sample = &g_array_index (self->samples, MqHistorySample, i);
      char *id = series_id_of (sample);

      if (g_hash_table_contains (seen, id))
        {
          g_free (id);
          continue;
        }
      g_hash_table_add (seen, id);
      if (mq_lane_for_name (sample->model) == MQ_LANE_TEXT && sample->slot == MQ_SLOT_INTERVAL)
        {
          g_ptr_array_insert (self->series_ids, 0, g_strdup (id));
          g_ptr_array_insert (labels, 0, series_label_of (sample));
        }
      else
        {
          g_ptr_array_add (self->series_ids, g_strdup (id));
          g_ptr_array_add (labels, series_label_of (sample));
        }
    }

  for (guint i = 0; i < self->series_ids->len; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->combo),
                               g_ptr_array_index (self->series_ids, i),
                               g_ptr_array_index (labels, i));

  g_free (self->series);
  self->series = self->series_ids->len > 0 ? g_strdup (g_ptr_array_index (self->series_ids, 0))
                                           : NULL;
  if (self->series != NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->combo), self->series);
  g_signal_handlers_unblock_by_func (self->combo, on_combo_changed, self);
  gtk_widget_set_sensitive (self->combo, self->series_ids->len > 1);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = g_task_propagate_pointer (G_TASK (result), &error);
  MqChartView *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = MQ_CHART_VIEW (user_data);
  self->loaded = TRUE;

  if (error != NULL)
    {
      g_autofree char *text =
        /* Translators: the history window when the history cannot be read */
        g_strdup_printf (_("The usage history cannot be read: %s"), error->message);

      gtk_label_set_text (GTK_LABEL (self->error_label), text);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
      return;
    }

  if (all == NULL || all->len == 0)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }

  g_clear_pointer (&self->samples, g_array_unref);
  self->samples = samples_of_one_account (all, self->account);

  fill_series (self);
  rebuild_chart (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "chart");
}

static void
start_loading (MqChartView *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_loaded, self);
  LoadData *load = g_new0 (LoadData, 1);

  self->now_ms = g_get_real_time () / 1000;
  load->path = g_strdup (self->path);
  load->account = g_strdup (self->account);
  load->since_ms = self->now_ms - LOAD_SPAN_MS;
  g_task_set_task_data (task, load, load_data_free);
  g_task_set_source_tag (task, start_loading);
  g_task_run_in_thread (task, load_thread);
}

/* ------------------------------------------------------------------ */
/* The window                                                           */
/* ------------------------------------------------------------------ */

static GtkWidget *
state_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  return label;
}

static void
mq_chart_view_init (MqChartView *self)
{
  GtkWidget *box, *bar, *ranges, *spinner, *empty, *legend;
  const char *range_labels[] = {
    /* Translators: the ranges of the history chart */
    N_("24 hours"), N_("7 days"), N_("30 days"),
  };
  AtkObject *accessible;

  self->cancellable = g_cancellable_new ();
  self->series_ids = g_ptr_array_new_with_free_func (g_free);
  self->range = MQ_HISTORY_RANGE_DAY;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  box = GTK_WIDGET (self);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_pack_start (GTK_BOX (box), bar, FALSE, FALSE, 0);

  self->combo = gtk_combo_box_text_new ();
  gtk_widget_set_tooltip_text (self->combo, _("The model and window the chart shows"));
  accessible = gtk_widget_get_accessible (self->combo);
  atk_object_set_name (accessible, _("Model and window"));
  g_signal_connect (self->combo, "changed", G_CALLBACK (on_combo_changed), self);
  gtk_box_pack_start (GTK_BOX (bar), self->combo, FALSE, FALSE, 0);

  ranges = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (ranges), GTK_STYLE_CLASS_LINKED);
  for (guint i = 0; i < G_N_ELEMENTS (self->range_buttons); i++)
    {
      self->range_buttons[i] =
        gtk_radio_button_new_with_label_from_widget (i == 0 ? NULL
                                                            : GTK_RADIO_BUTTON (self->range_buttons[0]),
                                                     _(range_labels[i]));
      gtk_toggle_button_set_mode (GTK_TOGGLE_BUTTON (self->range_buttons[i]), FALSE);
      g_signal_connect (self->range_buttons[i], "toggled", G_CALLBACK (on_range_toggled), self);
      gtk_box_pack_start (GTK_BOX (ranges), self->range_buttons[i], FALSE, FALSE, 0);
    }
  gtk_box_pack_end (GTK_BOX (bar), ranges, FALSE, FALSE, 0);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_box_pack_start (GTK_BOX (box), self->stack, TRUE, TRUE, 0);

  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_stack_add_named (GTK_STACK (self->stack), spinner, "loading");

  self->area = gtk_drawing_area_new ();
  gtk_widget_set_size_request (self->area, 360, 200);
  gtk_widget_set_can_focus (self->area, TRUE);
  gtk_widget_add_events (self->area, GDK_POINTER_MOTION_MASK | GDK_BUTTON_PRESS_MASK |
                                     GDK_KEY_PRESS_MASK);
  g_signal_connect (self->area, "draw", G_CALLBACK (on_draw), self);
  g_signal_connect (self->area, "motion-notify-event", G_CALLBACK (on_motion), self);
  g_signal_connect (self->area, "button-press-event", G_CALLBACK (on_button_press), self);
  g_signal_connect (self->area, "key-press-event", G_CALLBACK (on_key_press), self);
  g_signal_connect_swapped (self->area, "style-updated", G_CALLBACK (gtk_widget_queue_draw),
                            self->area);
  accessible = gtk_widget_get_accessible (self->area);
  atk_object_set_name (accessible, _("Remaining quota over time"));
  atk_object_set_role (accessible, ATK_ROLE_CHART);
  gtk_stack_add_named (GTK_STACK (self->stack), self->area, "chart");

  empty = state_label (_("No history yet: samples are recorded on every refresh, "
                         "so the chart fills in as the applet runs."));
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");

  self->error_label = state_label ("");
  gtk_stack_add_named (GTK_STACK (self->stack), self->error_label, "error");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");

  /* The readout above the legend: side by side, a narrow chart (the main
   * window's) would cut the readout short. */
  bar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_pack_start (GTK_BOX (box), bar, FALSE, FALSE, 0);
  self->readout = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->readout), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (self->readout), PANGO_ELLIPSIZE_END);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->readout), "dim-label");
  gtk_box_pack_start (GTK_BOX (bar), self->readout, TRUE, TRUE, 0);
  /* Translators: the legend of the history chart */
  legend = gtk_label_new (_("Rules: resets · dashes: at this rate · dots: even use"));
  gtk_label_set_xalign (GTK_LABEL (legend), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (legend), PANGO_ELLIPSIZE_END);
  gtk_style_context_add_class (gtk_widget_get_style_context (legend), "dim-label");
  gtk_box_pack_start (GTK_BOX (bar), legend, FALSE, FALSE, 0);
  update_readout (self);
}

static void
mq_chart_view_dispose (GObject *object)
{
  MqChartView *self = MQ_CHART_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (mq_chart_view_parent_class)->dispose (object);
}

static void
mq_chart_view_finalize (GObject *object)
{
  MqChartView *self = MQ_CHART_VIEW (object);

  g_free (self->path);
  g_free (self->account);
  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->series_ids, g_ptr_array_unref);
  g_free (self->series);
  g_free (self->series_label);
  g_clear_pointer (&self->chart, mq_chart_free);
  G_OBJECT_CLASS (mq_chart_view_parent_class)->finalize (object);
}

static void
mq_chart_view_class_init (MqChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mq_chart_view_dispose;
  object_class->finalize = mq_chart_view_finalize;
}

GtkWidget *
mq_chart_view_new (const char *history_path,
                   const char *account)
{
  MqChartView *self = g_object_new (MQ_TYPE_CHART_VIEW, NULL);

  self->path = history_path != NULL ? g_strdup (history_path) : mq_history_default_path ();
  self->account = g_strdup (account);
  start_loading (self);
  return GTK_WIDGET (self);
}

void
mq_chart_view_reload (MqChartView *self)
{
  g_return_if_fail (MQ_IS_CHART_VIEW (self));

  /* A load still running is superseded. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  start_loading (self);
}

gboolean
mq_chart_view_is_loaded (MqChartView *self)
{
  g_return_val_if_fail (MQ_IS_CHART_VIEW (self), FALSE);
  return self->loaded;
}

const char *
mq_chart_view_get_page (MqChartView *self)
{
  g_return_val_if_fail (MQ_IS_CHART_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

const char *
mq_chart_view_get_series (MqChartView *self)
{
  g_return_val_if_fail (MQ_IS_CHART_VIEW (self), NULL);
  return self->series;
}

gboolean
mq_chart_view_set_series (MqChartView *self,
                              const char      *series_id)
{
  g_return_val_if_fail (MQ_IS_CHART_VIEW (self), FALSE);
  return gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->combo), series_id);
}

void
mq_chart_view_set_range (MqChartView *self,
                             MqHistoryRange   range)
{
  g_return_if_fail (MQ_IS_CHART_VIEW (self));
  g_return_if_fail (range <= MQ_HISTORY_RANGE_MONTH);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->range_buttons[range]), TRUE);
}

GtkWidget *
mq_chart_view_get_chart_area (MqChartView *self)
{
  g_return_val_if_fail (MQ_IS_CHART_VIEW (self), NULL);
  return self->area;
}
