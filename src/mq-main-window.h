/* mq-main-window.h: the main window (GTK 3)
 *
 * What the app shows when it is launched from the app grid: per account,
 * the headline gauge large with its sentence, every model's windows as
 * rows (a bar, "63% left", the reset, the forecast; "not in your plan"
 * rows with an Upgrade button) and the history chart (MqChartView). A
 * header bar with a refresh button ("app.refresh"), the account switcher
 * (hidden with one account) and a menu: Preferences ("app.preferences"),
 * About ("win.about", the GtkAboutDialog, here), Quit ("app.quit").
 * Before the first answer it says "Checking your quota…"; without a key,
 * "Set an API key" ("app.set-key").
 *
 * The window only shows what it is given: the application feeds it the
 * poller's snapshot (mq_main_window_set_snapshot(), or one
 * mq_main_window_set_account() per account) and owns when it is shown.
 * Closing it only hides it when the application keeps running
 * (gtk_widget_hide_on_delete() is the caller's to connect).
 */
#pragma once

#include <gtk/gtk.h>

#include "mq-snapshot.h"

G_BEGIN_DECLS

#define MQ_TYPE_MAIN_WINDOW (mq_main_window_get_type ())
G_DECLARE_FINAL_TYPE (MqMainWindow, mq_main_window, MQ, MAIN_WINDOW, GtkApplicationWindow)

MqMainWindow *mq_main_window_new              (GtkApplication     *application);

/* The history the chart reads (NULL: the default path). Set before the
 * first account is shown; tests point it at a temporary file. */
void          mq_main_window_set_history_path (MqMainWindow       *self,
                                               const char         *history_path);

/* The one account of a single-account setup: as
 * mq_main_window_set_account() with no name and no plan title. */
void          mq_main_window_set_snapshot     (MqMainWindow       *self,
                                               MqSnapshot         *snapshot,
                                               const GError       *error,
                                               const GArray       *forecasts,
                                               const MqThresholds *thresholds,
                                               gint64              now_ms,
                                               gboolean            stale);

/* Adds or updates the page of @account_name (NULL: the default account).
 * @snapshot: the last good answer (NULL: none yet); @error: the last
 * failure (NULL: none): with no snapshot and MQ_ERROR_NO_KEY the window
 * asks for a key; with no snapshot and no error it is still checking.
 * @forecasts: MqHistoryForecast (mq-history.h) of the snapshot's windows,
 * nullable. @stale: @snapshot is older than the last failed fetch.
 * @plan_title: "Plus plan", shown above the gauge; NULL for none. */
void          mq_main_window_set_account      (MqMainWindow       *self,
                                               const char         *account_name,
                                               const char         *plan_title,
                                               MqSnapshot         *snapshot,
                                               const GError       *error,
                                               const GArray       *forecasts,
                                               const MqThresholds *thresholds,
                                               gint64              now_ms,
                                               gboolean            stale);
void          mq_main_window_remove_account   (MqMainWindow       *self,
                                               const char         *account_name);
/* Shows @account_name's page (the switcher does the same). */
gboolean      mq_main_window_show_account     (MqMainWindow       *self,
                                               const char         *account_name);

/* Reads the history again on every page (after new samples were written). */
void          mq_main_window_reload_history   (MqMainWindow       *self);

/* ---- For tests and the application ---- */

/* The state of @account_name's page: "checking", "no-key" or "quota". */
const char   *mq_main_window_get_page         (MqMainWindow       *self,
                                               const char         *account_name);
/* The widgets of @account_name's page; NULL without that account. */
GtkWidget    *mq_main_window_get_gauge        (MqMainWindow       *self,
                                               const char         *account_name);
GtkWidget    *mq_main_window_get_rows         (MqMainWindow       *self,
                                               const char         *account_name);
GtkWidget    *mq_main_window_get_chart_view   (MqMainWindow       *self,
                                               const char         *account_name);
GtkWidget    *mq_main_window_get_headline     (MqMainWindow       *self,
                                               const char         *account_name);
GtkWidget    *mq_main_window_get_switcher     (MqMainWindow       *self);
/* The About dialog while it is open, else NULL. */
GtkWidget    *mq_main_window_get_about        (MqMainWindow       *self);

G_END_DECLS
