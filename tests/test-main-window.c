/* test-main-window.c: the main window on a real display
 *
 * Feeds MqMainWindow fixture answers and reads what it shows: the gauge,
 * the rows of models, the states without data (checking, no key, error),
 * the account switcher, the About dialog. Needs a display: run under
 * xvfb-run (skipped without).
 *
 * MQ_TEST_HOLD_S=N shows a realistic window (an answer and two days of
 * history around the current time) N seconds at 1024×768 for a screenshot
 * (`import -window root`), with GTK_THEME=Adwaita:dark for the dark one.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "mq-chart-view.h"
#include "mq-error.h"
#include "mq-format.h"
#include "mq-gauge.h"
#include "mq-history.h"
#include "mq-main-window.h"
#include "mq-snapshot.h"
#include "mq-wording.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)

/* tests/data/token-plan-plus-video-not-in-plan.json: its 5-hour window
 * starts here; 63% of it is left; video is not in the plan. */
#define FIXTURE_START_MS G_GINT64_CONSTANT (1780848000000)
#define FIXTURE_NOW_MS   (FIXTURE_START_MS + 2 * HOUR_MS)

static gboolean have_display;
static char *tmp_dir;
static const MqThresholds thresholds = { MQ_THRESHOLD_LOW_DEFAULT, MQ_THRESHOLD_CRITICAL_DEFAULT };

static gboolean
need_display (void)
{
  if (!have_display)
    g_test_skip ("no display (run under xvfb-run)");
  return have_display;
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static MqSnapshot *
load_fixture (const char *name,
              gint64      now_ms)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  MqSnapshot *snapshot;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  snapshot = mq_snapshot_parse (contents, length, now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  return snapshot;
}

static char *
history_path (void)
{
  return g_build_filename (tmp_dir, "none.db", NULL);
}

static MqMainWindow *
window_new (void)
{
  MqMainWindow *window = mq_main_window_new (NULL);
  g_autofree char *path = history_path ();

  mq_main_window_set_history_path (window, path);
  gtk_widget_show (GTK_WIDGET (window));
  return window;
}

/* Every label text under @widget that is on screen, joined by "\n". */
static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        collect_labels (l->data, out);
    }
}

static char *
labels_of (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_labels (widget, out);
  return g_string_free (out, FALSE);
}

/* The first widget under @widget whose action is @action_name. */
static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_actionable (l->data, action_name);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_type (l->data, type);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

static void
wait_chart_loaded (MqChartView *chart)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!mq_chart_view_is_loaded (chart))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  spin ();
}

/* ------------------------------------------------------------------ */

static void
test_checking (void)
{
  MqMainWindow *window;
  g_autofree char *texts = NULL;

  if (!need_display ())
    return;
  window = window_new ();
  mq_main_window_set_snapshot (window, NULL, NULL, NULL, &thresholds, FIXTURE_NOW_MS, FALSE);
  spin ();

  g_assert_cmpstr (mq_main_window_get_page (window, NULL), ==, "checking");
  texts = labels_of (GTK_WIDGET (window));
  g_assert_nonnull (strstr (texts, "Checking your quota…"));
  /* Nothing of the quota page is on screen. */
  g_assert_false (gtk_widget_is_drawable (mq_main_window_get_gauge (window, NULL)));
  /* One account: no switcher. */
  g_assert_false (gtk_widget_get_visible (mq_main_window_get_switcher (window)));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_no_key (void)
{
  MqMainWindow *window;
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, MQ_ERROR_NO_KEY, "No API key");
  GtkWidget *button;

  if (!need_display ())
    return;
  window = window_new ();
  mq_main_window_set_snapshot (window, NULL, error, NULL, &thresholds, FIXTURE_NOW_MS, FALSE);
  spin ();

  g_assert_cmpstr (mq_main_window_get_page (window, NULL), ==, "no-key");
  button = find_actionable (GTK_WIDGET (window), "app.set-key");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_drawable (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Set an API Key…");

  /* A key arrives, then the answer: the quota replaces the request. */
  {
    g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                   FIXTURE_NOW_MS);

    mq_main_window_set_snapshot (window, snapshot, NULL, NULL, &thresholds, FIXTURE_NOW_MS, FALSE);
    g_assert_cmpstr (mq_main_window_get_page (window, NULL), ==, "quota");
  }
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_error (void)
{
  MqMainWindow *window;
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, MQ_ERROR_NETWORK,
                                                 "The quota service cannot be reached");
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autofree char *texts = NULL;

  if (!need_display ())
    return;
  window = window_new ();

  /* No answer yet, a failure: the failure, and a way to try again. */
  mq_main_window_set_snapshot (window, NULL, error, NULL, &thresholds, FIXTURE_NOW_MS, FALSE);
  g_assert_cmpstr (mq_main_window_get_page (window, NULL), ==, "error");
  g_assert_nonnull (find_actionable (GTK_WIDGET (window), "app.refresh"));

  /* An old answer and a failure: the answer, and what failed since. */
  snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json", FIXTURE_NOW_MS);
  mq_main_window_set_snapshot (window, snapshot, error, NULL, &thresholds,
                               FIXTURE_NOW_MS + 10 * MINUTE_MS, TRUE);
  g_assert_cmpstr (mq_main_window_get_page (window, NULL), ==, "quota");
  texts = labels_of (gtk_widget_get_parent (mq_main_window_get_headline (window, NULL)));
  g_assert_nonnull (strstr (texts, "The quota service cannot be reached"));
  g_assert_nonnull (strstr (texts, "Data from "));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_snapshot (void)
{
  MqMainWindow *window;
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 FIXTURE_NOW_MS);
  g_autoptr(GArray) forecasts = g_array_new (FALSE, TRUE, sizeof (MqHistoryForecast));
  MqHistoryForecast forecast = { 0 };
  MqWordedHeadline headline = { 0 };
  g_autofree char *runs_out = NULL;
  g_autoptr(GList) rows = NULL;
  const MqModel *video;
  GtkWidget *gauge;
  guint window_rows = 0, plan_rows = 0;

  if (!need_display ())
    return;
  video = mq_snapshot_find_model (snapshot, "video");
  g_assert_nonnull (video);
  g_assert_false (video->in_plan);

  /* The text window runs out in an hour at this rate. */
  forecast.model = (char *) "general";
  forecast.slot = MQ_SLOT_INTERVAL;
  forecast.forecast.has_forecast = TRUE;
  forecast.forecast.rate_percent_per_hour = 63.0;
  forecast.forecast.runs_out_at_ms = FIXTURE_NOW_MS + HOUR_MS;
  g_array_append_val (forecasts, forecast);
  runs_out = mq_wording_forecast (&forecast.forecast, FIXTURE_NOW_MS);

  window = window_new ();
  mq_main_window_set_snapshot (window, snapshot, NULL, forecasts, &thresholds, FIXTURE_NOW_MS, FALSE);
  spin ();

  g_assert_cmpstr (mq_main_window_get_page (window, NULL), ==, "quota");
  gauge = mq_main_window_get_gauge (window, NULL);
  g_assert_cmpint (mq_gauge_get_percent (MQ_GAUGE (gauge)), ==, 63);
  g_assert_cmpstr (mq_gauge_get_text (MQ_GAUGE (gauge)), ==, "63%");
  g_assert_cmpint (mq_gauge_get_state (MQ_GAUGE (gauge)), ==, MQ_STATE_OK);
  g_assert_true (gtk_widget_is_drawable (gauge));

  mq_wording_headline (snapshot, NULL, &thresholds, &headline);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (mq_main_window_get_headline (window, NULL))), ==,
                   headline.sentence);
  g_assert_cmpstr (atk_object_get_description (gtk_widget_get_accessible (gauge)), ==,
                   headline.sentence);
  mq_worded_headline_clear (&headline);

  rows = gtk_container_get_children (GTK_CONTAINER (mq_main_window_get_rows (window, NULL)));
  for (GList *l = rows; l != NULL; l = l->next)
    {
      g_autofree char *texts = labels_of (l->data);
      GtkWidget *bar = find_type (l->data, GTK_TYPE_LEVEL_BAR);

      if (strstr (texts, mq_format_model_display_name ("video")) != NULL)
        {
          /* Not in the plan: no share, no bar; a way to upgrade. */
          g_assert_null (strchr (texts, '%'));
          g_assert_null (bar);
          g_assert_nonnull (strstr (texts, "not in your plan"));
          g_assert_nonnull (find_actionable (l->data, "app.upgrade"));
          plan_rows++;
        }
      else
        {
          g_assert_nonnull (strstr (texts, mq_format_model_display_name ("general")));
          g_assert_nonnull (bar);
          if (strstr (texts, "5-hour") != NULL)
            {
              g_assert_nonnull (strstr (texts, "63% left"));
              g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (bar)), ==, 63.0);
              g_assert_nonnull (strstr (texts, runs_out));
            }
          else
            {
              g_assert_nonnull (strstr (texts, "Weekly cap"));
              g_assert_nonnull (strstr (texts, "96% left"));
              g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (bar)), ==, 96.0);
              g_assert_null (strstr (texts, runs_out));
            }
          window_rows++;
        }
    }
  g_assert_cmpuint (window_rows, ==, 2);
  g_assert_cmpuint (plan_rows, ==, 1);

  /* A second answer replaces the rows, it does not add to them. */
  mq_main_window_set_snapshot (window, snapshot, NULL, NULL, &thresholds, FIXTURE_NOW_MS, FALSE);
  g_list_free (g_steal_pointer (&rows));
  rows = gtk_container_get_children (GTK_CONTAINER (mq_main_window_get_rows (window, NULL)));
  g_assert_cmpuint (g_list_length (rows), ==, 3);

  /* The history of the account: none yet. */
  {
    MqChartView *chart = MQ_CHART_VIEW (mq_main_window_get_chart_view (window, NULL));

    wait_chart_loaded (chart);
    g_assert_cmpstr (mq_chart_view_get_page (chart), ==, "empty");
  }
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_accounts (void)
{
  MqMainWindow *window;
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 FIXTURE_NOW_MS);
  GtkWidget *switcher;
  g_autofree char *texts = NULL;

  if (!need_display ())
    return;
  window = window_new ();
  switcher = mq_main_window_get_switcher (window);

  mq_main_window_set_account (window, "work", "Plus plan", snapshot, NULL, NULL, &thresholds,
                              FIXTURE_NOW_MS, FALSE);
  g_assert_false (gtk_widget_get_visible (switcher));
  mq_main_window_set_account (window, "home", NULL, NULL, NULL, NULL, &thresholds,
                              FIXTURE_NOW_MS, FALSE);
  g_assert_true (gtk_widget_get_visible (switcher));
  g_assert_cmpstr (mq_main_window_get_page (window, "work"), ==, "quota");
  g_assert_cmpstr (mq_main_window_get_page (window, "home"), ==, "checking");
  g_assert_null (mq_main_window_get_page (window, "nobody"));

  /* The plan title above the gauge. */
  texts = labels_of (gtk_widget_get_parent (mq_main_window_get_headline (window, "work")));
  g_assert_nonnull (strstr (texts, "Plus plan"));

  /* The switcher names the accounts. */
  {
    g_autofree char *names = labels_of (switcher);

    g_assert_nonnull (strstr (names, "work"));
    g_assert_nonnull (strstr (names, "home"));
  }

  g_assert_true (mq_main_window_show_account (window, "home"));
  g_assert_false (mq_main_window_show_account (window, "nobody"));

  mq_main_window_remove_account (window, "home");
  g_assert_null (mq_main_window_get_page (window, "home"));
  g_assert_false (gtk_widget_get_visible (switcher));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_about (void)
{
  MqMainWindow *window;
  GtkWidget *about;

  if (!need_display ())
    return;
  window = window_new ();
  g_assert_null (mq_main_window_get_about (window));

  g_action_group_activate_action (G_ACTION_GROUP (window), "about", NULL);
  spin ();
  about = mq_main_window_get_about (window);
  g_assert_true (GTK_IS_ABOUT_DIALOG (about));
  g_assert_true (gtk_widget_get_visible (about));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_about_dialog_get_version (GTK_ABOUT_DIALOG (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (gtk_about_dialog_get_license_type (GTK_ABOUT_DIALOG (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_true (g_str_has_prefix (gtk_about_dialog_get_website (GTK_ABOUT_DIALOG (about)),
                                   "https://"));
  g_assert_nonnull (gtk_about_dialog_get_translator_credits (GTK_ABOUT_DIALOG (about)));

  /* Asking again shows the same dialog. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "about", NULL);
  g_assert_true (mq_main_window_get_about (window) == about);

  /* Closing it forgets it. */
  gtk_dialog_response (GTK_DIALOG (about), GTK_RESPONSE_DELETE_EVENT);
  spin ();
  g_assert_null (mq_main_window_get_about (window));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Closing the window with its About dialog open closes both. */
static void
test_closed_with_about (void)
{
  MqMainWindow *window;
  GtkWidget *about;

  if (!need_display ())
    return;
  window = window_new ();
  g_action_group_activate_action (G_ACTION_GROUP (window), "about", NULL);
  about = mq_main_window_get_about (window);
  g_assert_nonnull (about);
  g_object_add_weak_pointer (G_OBJECT (about), (gpointer *) &about);
  gtk_widget_destroy (GTK_WIDGET (window));
  spin ();
  g_assert_null (about);
}

/* The chart reads the history again when asked: empty before the first
 * sample, a chart once samples were recorded. */
static void
test_history_reload (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "reload.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / 1000;
  MqMainWindow *window;
  MqChartView *chart;

  if (!need_display ())
    return;
  window = mq_main_window_new (NULL);
  mq_main_window_set_history_path (window, path);
  mq_main_window_set_snapshot (window, NULL, NULL, NULL, &thresholds, now, FALSE);
  gtk_widget_show (GTK_WIDGET (window));
  chart = MQ_CHART_VIEW (mq_main_window_get_chart_view (window, NULL));
  wait_chart_loaded (chart);
  g_assert_cmpstr (mq_chart_view_get_page (chart), ==, "empty");

  history = mq_history_open (path, &error);
  g_assert_no_error (error);
  for (int i = 3; i >= 0; i--)
    {
      gint64 t = now - i * 10 * MINUTE_MS;
      g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json", t);

      g_assert_true (mq_history_record (history, NULL, snapshot, t, &error));
      g_assert_no_error (error);
    }

  mq_main_window_reload_history (window);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (g_strcmp0 (mq_chart_view_get_page (chart), "chart") != 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_assert_cmpstr (mq_chart_view_get_series (chart), ==, "general:interval");
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* ------------------------------------------------------------------ */
/* A realistic window for the screenshots                               */
/* ------------------------------------------------------------------ */

/* The answer at @now_ms: text models in a 5-hour window started at
 * @start_ms with @percent left and a weekly cap; speech's daily quota; video
 * not in the plan. */
static MqSnapshot *
answer (gint64 now_ms,
        gint64 start_ms,
        int    percent,
        int    weekly_percent,
        gint64 week_start_ms)
{
  gint64 end_ms = start_ms + 5 * HOUR_MS;
  gint64 day_start = now_ms - now_ms % DAY_MS;
  g_autofree char *json = g_strdup_printf (
      "{\"model_remains\":["
      "{\"model_name\":\"general\",\"start_time\":%" G_GINT64_FORMAT ","
      "\"end_time\":%" G_GINT64_FORMAT ",\"remains_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":1500,\"current_interval_usage_count\":%d,"
      "\"current_weekly_total_count\":15000,\"current_weekly_usage_count\":%d,"
      "\"current_interval_status\":1,\"current_weekly_status\":1,"
      "\"current_interval_remaining_percent\":%d,\"current_weekly_remaining_percent\":%d,"
      "\"weekly_start_time\":%" G_GINT64_FORMAT ",\"weekly_end_time\":%" G_GINT64_FORMAT ","
      "\"weekly_remains_time\":%" G_GINT64_FORMAT "},"
      "{\"model_name\":\"speech-hd\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":4000,\"current_interval_usage_count\":3120,"
      "\"current_interval_status\":1,\"current_interval_remaining_percent\":78,"
      "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
      "\"current_weekly_status\":3,\"current_weekly_remaining_percent\":100},"
      "{\"model_name\":\"video\",\"start_time\":%" G_GINT64_FORMAT ",\"end_time\":%" G_GINT64_FORMAT ","
      "\"current_interval_total_count\":0,\"current_interval_usage_count\":0,"
      "\"current_weekly_total_count\":0,\"current_weekly_usage_count\":0,"
      "\"current_interval_status\":3,\"current_weekly_status\":3,"
      "\"current_interval_remaining_percent\":100,\"current_weekly_remaining_percent\":100}],"
      "\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
      start_ms, end_ms, end_ms - now_ms, 1500 * percent / 100, 15000 * weekly_percent / 100,
      percent, weekly_percent, week_start_ms, week_start_ms + 7 * DAY_MS,
      week_start_ms + 7 * DAY_MS - now_ms,
      day_start, day_start + DAY_MS, day_start, day_start + DAY_MS);
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot = mq_snapshot_parse (json, strlen (json), now_ms, MQ_REGION_GLOBAL, &error);

  g_assert_no_error (error);
  return snapshot;
}

/* Two days polled every 3 minutes; the current window started 3 h ago. */
static void
hold_for_screenshot (guint seconds)
{
  g_autofree char *path = g_build_filename (tmp_dir, "history.db", NULL);
  g_autoptr(MqHistory) history = NULL;
  g_autoptr(MqSnapshot) last = NULL;
  g_autoptr(GArray) forecasts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / 1000;
  gint64 current_start = now - 3 * HOUR_MS;
  gint64 week_start = now - 3 * DAY_MS;
  MqMainWindow *window;
  gint64 until;

  history = mq_history_open (path, &error);
  g_assert_no_error (error);
  for (gint64 t = now - 2 * DAY_MS; t <= now; t += 3 * MINUTE_MS)
    {
      gint64 start = current_start - ((current_start - t + 5 * HOUR_MS - 1) / (5 * HOUR_MS)) * 5 * HOUR_MS;
      double hours = (double) (t - start) / HOUR_MS;
      double rate = start == current_start ? 12.3 : 4.0 + 8.0 * (((start / HOUR_MS) % 3) == 0);
      int percent = (int) CLAMP (100.0 - rate * hours, 0.0, 100.0);
      int weekly = (int) CLAMP (100.0 - 100.0 * (double) (t - week_start) / (11.0 * DAY_MS), 0, 100);

      g_clear_pointer (&last, mq_snapshot_unref);
      last = answer (t, start, percent, weekly, week_start);
      g_assert_true (mq_history_record (history, NULL, last, t, &error));
      g_assert_no_error (error);
    }
  forecasts = mq_history_forecast (history, NULL, last, now, &error);
  g_assert_no_error (error);

  window = mq_main_window_new (NULL);
  /* The application's actions, so that their buttons look as they do. */
  {
    static const char *names[] = { "refresh", "upgrade", "set-key", "preferences", "quit" };
    g_autoptr(GSimpleActionGroup) app = g_simple_action_group_new ();

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(GSimpleAction) action = g_simple_action_new (names[i], NULL);

        g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (action));
      }
    gtk_widget_insert_action_group (GTK_WIDGET (window), "app", G_ACTION_GROUP (app));
  }
  mq_main_window_set_history_path (window, path);
  mq_main_window_set_snapshot (window, last, NULL, forecasts, &thresholds, now, FALSE);
  /* 1024×768 with the header bar (the default size leaves it out). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768 - 46);
  gtk_window_move (GTK_WINDOW (window), 0, 0);
  gtk_widget_show (GTK_WIDGET (window));

  until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    {
      spin ();
      g_usleep (20000);
    }
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *hold = g_getenv ("MQ_TEST_HOLD_S");
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  have_display = gtk_init_check (NULL, NULL);

  tmp_dir = g_dir_make_tmp ("mq-test-main-window-XXXXXX", &error);
  g_assert_no_error (error);

  if (hold != NULL && have_display)
    {
      hold_for_screenshot ((guint) g_ascii_strtoull (hold, NULL, 10));
      status = 0;
    }
  else
    {
      g_test_add_func ("/main-window/checking", test_checking);
      g_test_add_func ("/main-window/no-key", test_no_key);
      g_test_add_func ("/main-window/error", test_error);
      g_test_add_func ("/main-window/snapshot", test_snapshot);
      g_test_add_func ("/main-window/accounts", test_accounts);
      g_test_add_func ("/main-window/about", test_about);
      g_test_add_func ("/main-window/history-reload", test_history_reload);
      g_test_add_func ("/main-window/closed-with-about", test_closed_with_about);
      status = g_test_run ();
    }

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);

    if (system (cmd) != 0)
      g_warning ("could not remove %s", tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
