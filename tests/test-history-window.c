/* test-history-window.c: the "Usage history…" window on a real display
 *
 * Opens the window over a temporary SQLite history of realistic samples
 * and over none. Needs a display: run under xvfb-run (skipped without).
 * MQ_TEST_HOLD_S=N keeps the window with data on screen N seconds (for a
 * screenshot: `import -window root`).
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "mq-history.h"
#include "mq-history-window.h"
#include "mq-snapshot.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)

static gboolean have_display;
static char *tmp_dir;

/* One answer seen at @now_ms: the text models' 5-hour window
 * [@start_ms, @start_ms + 5 h) with @percent left, and a weekly cap. */
static MqSnapshot *
answer (gint64 now_ms,
        gint64 start_ms,
        int    percent,
        int    weekly_percent,
        gint64 week_start_ms)
{
  gint64 end_ms = start_ms + 5 * HOUR_MS;
  g_autofree char *json = g_strdup_printf (
      "{\"model_remains\":[{\"model_name\":\"general\",\"start_time\":%" G_GINT64_FORMAT ","
      "\"end_time\":%" G_GINT64_FORMAT ",\"remains_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
      "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
      "\"current_interval_status\":1,\"current_weekly_status\":1,"
      "\"current_interval_remaining_percent\":%d,\"current_weekly_remaining_percent\":%d,"
      "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
      "\"weekly_remains_time\":%" G_GINT64_FORMAT "}],"
      "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
      start_ms, end_ms, end_ms - now_ms, percent, weekly_percent,
      week_start_ms, week_start_ms + 7 * DAY_MS, week_start_ms + 7 * DAY_MS - now_ms);
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot = mq_snapshot_parse (json, strlen (json), now_ms, MQ_REGION_GLOBAL, &error);

  g_assert_no_error (error);
  return snapshot;
}

/* Two days of 5-hour windows polled every 3 minutes, each burning at its
 * own pace; the current one started 3 h ago and is falling fast. */
static char *
make_history (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "history.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / 1000;
  gint64 current_start = now - 3 * HOUR_MS;
  gint64 week_start = now - 3 * DAY_MS;

  history = mq_history_open (path, &error);
  g_assert_no_error (error);

  for (gint64 t = now - 2 * DAY_MS; t <= now; t += 3 * MINUTE_MS)
    {
      gint64 start = current_start - ((current_start - t + 5 * HOUR_MS - 1) / (5 * HOUR_MS)) * 5 * HOUR_MS;
      double hours = (double) (t - start) / HOUR_MS;
      /* Busy afternoons, quiet nights; the current window 14 points an hour. */
      double rate = start == current_start ? 22.0 : 4.0 + 8.0 * (((start / HOUR_MS) % 3) == 0);
      int percent = (int) CLAMP (100.0 - rate * hours, 0.0, 100.0);
      int weekly = (int) CLAMP (100.0 - 100.0 * (double) (t - week_start) / (7.5 * DAY_MS), 0, 100);
      g_autoptr(MqSnapshot) snapshot = answer (t, start, percent, weekly, week_start);

      g_assert_true (mq_history_record (history, NULL, snapshot, t, &error));
      g_assert_no_error (error);
    }

  return g_steal_pointer (&path);
}

static void
wait_loaded (MqHistoryWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!mq_history_window_is_loaded (window))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
spin_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

static void
send_key (GtkWidget *widget,
          guint      keyval)
{
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  gboolean handled = FALSE;

  event->key.window = g_object_ref (gtk_widget_get_window (widget));
  event->key.keyval = keyval;
  event->key.send_event = TRUE;
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (
                                 gtk_widget_get_display (widget))));
  g_signal_emit_by_name (widget, "key-press-event", event, &handled);
  g_assert_true (handled);
  gdk_event_free (event);
}

static GtkWidget *
find_label_with (GtkWidget  *widget,
                 const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;

  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_label_with (l->data, text);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

static void
test_with_data (void)
{
  g_autofree char *path = NULL;
  MqHistoryWindow *window;
  GtkWidget *area;
  const char *description;
  GtkWidget *readout;
  g_autofree char *before = NULL;
  const char *hold;

  if (!have_display)
    {
      g_test_skip ("no display (run under xvfb-run)");
      return;
    }

  path = make_history ();
  window = mq_history_window_new (NULL, path, NULL);
  gtk_widget_show (GTK_WIDGET (window));
  g_assert_cmpstr (mq_history_window_get_page (window), ==, "loading");
  wait_loaded (window);

  /* The chart of the text models' 5-hour window, the first series. */
  g_assert_cmpstr (mq_history_window_get_page (window), ==, "chart");
  g_assert_cmpstr (mq_history_window_get_series (window), ==, "general:interval");
  area = mq_history_window_get_chart_area (window);
  g_assert_true (gtk_widget_get_mapped (area));
  g_assert_true (gtk_widget_get_can_focus (area));

  /* Its accessible description sums it up, with the forecast. */
  description = atk_object_get_description (gtk_widget_get_accessible (area));
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "Text models — 5-hour window, last 24 hours: "));
  g_assert_nonnull (strstr (description, "left at"));
  g_assert_nonnull (strstr (description, "resets"));
  g_assert_nonnull (strstr (description, "runs out ~"));

  /* Keyboard: Left shows the last sample's readout, Left again the one before. */
  readout = find_label_with (GTK_WIDGET (window), "← →");
  g_assert_nonnull (readout);
  gtk_widget_grab_focus (area);
  send_key (area, GDK_KEY_Left);
  before = g_strdup (gtk_label_get_text (GTK_LABEL (readout)));
  g_assert_nonnull (strstr (before, "% left"));
  send_key (area, GDK_KEY_Home);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (readout)), !=, before);

  /* The weekly cap, over 7 days: its description names it. */
  g_assert_true (mq_history_window_set_series (window, "general:weekly"));
  mq_history_window_set_range (window, MQ_HISTORY_RANGE_WEEK);
  description = atk_object_get_description (gtk_widget_get_accessible (area));
  g_assert_nonnull (strstr (description, "Weekly cap, last 7 days: "));
  g_assert_nonnull (strstr (description, "even use"));

  g_assert_true (mq_history_window_set_series (window, "general:interval"));
  mq_history_window_set_range (window, MQ_HISTORY_RANGE_DAY);
  gtk_widget_grab_focus (area);
  send_key (area, GDK_KEY_End);
  send_key (area, GDK_KEY_Left);
  send_key (area, GDK_KEY_Left);

  hold = g_getenv ("MQ_TEST_HOLD_S");
  if (hold != NULL)
    {
      gtk_window_move (GTK_WINDOW (window), 20, 20);
      spin_ms ((guint) g_ascii_strtoull (hold, NULL, 10) * 1000);
    }
  else
    spin_ms (100);

  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_empty (void)
{
  g_autofree char *path = NULL;
  MqHistoryWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display (run under xvfb-run)");
      return;
    }

  /* No history file at all: it is not created, and the window explains. */
  path = g_build_filename (tmp_dir, "none", "history.db", NULL);
  window = mq_history_window_new (NULL, path, NULL);
  gtk_widget_show (GTK_WIDGET (window));
  wait_loaded (window);
  g_assert_cmpstr (mq_history_window_get_page (window), ==, "empty");
  g_assert_null (mq_history_window_get_series (window));
  g_assert_nonnull (find_label_with (GTK_WIDGET (window),
                                     "No history yet: samples are recorded on every refresh"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_closed_while_loading (void)
{
  g_autofree char *path = NULL;
  MqHistoryWindow *window;

  if (!have_display)
    {
      g_test_skip ("no display (run under xvfb-run)");
      return;
    }

  /* Closed before the worker answers: nothing touches the dead window. */
  path = g_build_filename (tmp_dir, "history.db", NULL);
  window = mq_history_window_new (NULL, path, NULL);
  gtk_widget_destroy (GTK_WIDGET (window));
  spin_ms (500);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check (NULL, NULL);

  tmp_dir = g_dir_make_tmp ("mq-test-history-window-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/history-window/with-data", test_with_data);
  g_test_add_func ("/history-window/empty", test_empty);
  g_test_add_func ("/history-window/closed-while-loading", test_closed_while_loading);

  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);

    if (system (cmd) != 0)
      g_warning ("could not remove %s", tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
