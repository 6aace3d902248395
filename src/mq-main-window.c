/* mq-main-window.c: the main window (GTK 3) */
#define G_LOG_DOMAIN "mq-main-window"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-chart-view.h"
#include "mq-error.h"
#include "mq-format.h"
#include "mq-gauge.h"
#include "mq-history.h"
#include "mq-main-window.h"
#include "mq-wording.h"

/* A plan lists a handful of models; an answer of thousands (hostile or
 * broken) shows this many rows, then "N more models…". */
#define MAX_MODEL_ROWS 50

#define HOMEPAGE_URL "https://github.com/leewayapp/leeway"
#define ISSUES_URL   HOMEPAGE_URL "/issues"
/* The stack's name of the page of the default (unnamed) account. */
#define DEFAULT_ACCOUNT "default"

/* The widgets of one account's page. */
typedef struct {
  GtkWidget *stack;       /* "checking", "no-key", "error", "quota" */
  GtkWidget *error_label;
  GtkWidget *plan;
  GtkWidget *gauge;
  GtkWidget *headline;
  GtkWidget *detail;
  GtkWidget *status;
  GtkWidget *rows;        /* GtkListBox */
  GtkWidget *chart;       /* MqChartView */
} AccountPage;

struct _MqMainWindow {
  GtkApplicationWindow parent_instance;

  char       *history_path;
  GHashTable *pages;      /* stack name → AccountPage */
  GtkWidget  *accounts;   /* GtkStack, one child per account */
  GtkWidget  *switcher;
  GtkWidget  *about;
};

G_DEFINE_FINAL_TYPE (MqMainWindow, mq_main_window, GTK_TYPE_APPLICATION_WINDOW)

static const char *
page_key (const char *account_name)
{
  return account_name != NULL && *account_name != '\0' ? account_name : DEFAULT_ACCOUNT;
}

static AccountPage *
lookup_page (MqMainWindow *self,
             const char   *account_name)
{
  return g_hash_table_lookup (self->pages, page_key (account_name));
}

/* ------------------------------------------------------------------ */
/* Building blocks                                                      */
/* ------------------------------------------------------------------ */

static GtkWidget *
label_new (const char *text,
           float       xalign,
           const char *style_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  if (style_class != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style_class);
  return label;
}

static void
label_set_scale (GtkWidget *label,
                 double     scale,
                 gboolean   bold)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
}

/* A page of its own for a state without data: an icon, a sentence and,
 * when there is something to do, a button bound to an action. */
static GtkWidget *
status_page (const char  *icon_name,
             const char  *text,
             const char  *button_label,
             const char  *action_name,
             GtkWidget  **out_label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *label;

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  if (icon_name != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon_name, GTK_ICON_SIZE_DIALOG);

      gtk_image_set_pixel_size (GTK_IMAGE (image), 96);
      gtk_style_context_add_class (gtk_widget_get_style_context (image), "dim-label");
      gtk_box_pack_start (GTK_BOX (box), image, FALSE, FALSE, 0);
    }
  else
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_widget_set_size_request (spinner, 48, 48);
      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_box_pack_start (GTK_BOX (box), spinner, FALSE, FALSE, 0);
    }
  label = label_new (text, 0.5, NULL);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  label_set_scale (label, 1.4, TRUE);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_style_context_add_class (gtk_widget_get_style_context (button),
                                   GTK_STYLE_CLASS_SUGGESTED_ACTION);
      gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
    }
  if (out_label != NULL)
    *out_label = label;
  return box;
}

static GtkWidget *
heading_new (const char *text)
{
  GtkWidget *label = label_new (text, 0.0, NULL);

  label_set_scale (label, 1.0, TRUE);
  gtk_widget_set_margin_top (label, 12);
  return label;
}

static AccountPage *
account_page_new (MqMainWindow *self,
                  const char   *account_name)
{
  AccountPage *page = g_new0 (AccountPage, 1);
  GtkWidget *scrolled, *column, *top, *texts, *columns, *frame, *box;
  AtkObject *accessible;

  page->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (page->stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);

  gtk_stack_add_named (GTK_STACK (page->stack),
                       /* Translators: the main window before the first answer */
                       status_page (NULL, _("Checking your quota…"), NULL, NULL, NULL),
                       "checking");
  gtk_stack_add_named (GTK_STACK (page->stack),
                       status_page ("dialog-password-symbolic",
                                    /* Translators: the main window without an API key */
                                    _("Add your MiniMax API key to see how much of your Token Plan is left"),
                                    _("_Set an API Key…"), "app.set-key", NULL),
                       "no-key");
  gtk_stack_add_named (GTK_STACK (page->stack),
                       status_page ("dialog-warning-symbolic", "",
                                    _("_Try Again"), "app.refresh", &page->error_label),
                       "error");

  scrolled = gtk_scrolled_window_new (NULL, NULL);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  g_object_set (column, "margin", 24, NULL);
  gtk_container_add (GTK_CONTAINER (scrolled), column);
  gtk_stack_add_named (GTK_STACK (page->stack), scrolled, "quota");

  /* The headline: the gauge and its sentence. */
  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  gtk_box_pack_start (GTK_BOX (column), top, FALSE, FALSE, 0);
  page->gauge = mq_gauge_new ();
  gtk_box_pack_start (GTK_BOX (top), page->gauge, FALSE, FALSE, 0);
  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_pack_start (GTK_BOX (top), texts, TRUE, TRUE, 0);
  page->plan = label_new (NULL, 0.0, "dim-label");
  gtk_widget_set_no_show_all (page->plan, TRUE);
  gtk_box_pack_start (GTK_BOX (texts), page->plan, FALSE, FALSE, 0);
  page->headline = label_new (NULL, 0.0, NULL);
  label_set_scale (page->headline, 1.6, TRUE);
  gtk_box_pack_start (GTK_BOX (texts), page->headline, FALSE, FALSE, 0);
  page->detail = label_new (NULL, 0.0, "dim-label");
  gtk_box_pack_start (GTK_BOX (texts), page->detail, FALSE, FALSE, 0);
  page->status = label_new (NULL, 0.0, NULL);
  gtk_widget_set_no_show_all (page->status, TRUE);
  gtk_box_pack_start (GTK_BOX (texts), page->status, FALSE, FALSE, 0);
  accessible = gtk_widget_get_accessible (page->gauge);
  atk_object_add_relationship (accessible, ATK_RELATION_DESCRIBED_BY,
                               gtk_widget_get_accessible (page->headline));

  /* Every model's windows, and beside them the history. */
  columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  gtk_box_pack_start (GTK_BOX (column), columns, TRUE, TRUE, 0);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_size_request (box, 420, -1);
  gtk_box_pack_start (GTK_BOX (columns), box, FALSE, FALSE, 0);
  /* Translators: a heading of the main window, above the rows of models */
  gtk_box_pack_start (GTK_BOX (box), heading_new (_("Models")), FALSE, FALSE, 0);
  frame = gtk_frame_new (NULL);
  page->rows = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (page->rows), GTK_SELECTION_NONE);
  atk_object_set_name (gtk_widget_get_accessible (page->rows), _("Models"));
  gtk_container_add (GTK_CONTAINER (frame), page->rows);
  gtk_box_pack_start (GTK_BOX (box), frame, FALSE, FALSE, 0);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_pack_start (GTK_BOX (columns), box, TRUE, TRUE, 0);
  /* Translators: a heading of the main window, above the history chart */
  gtk_box_pack_start (GTK_BOX (box), heading_new (_("History")), FALSE, FALSE, 0);
  page->chart = mq_chart_view_new (self->history_path, account_name);
  gtk_widget_set_size_request (page->chart, 360, 260);
  gtk_box_pack_start (GTK_BOX (box), page->chart, TRUE, TRUE, 0);

  gtk_widget_show_all (page->stack);
  gtk_stack_set_visible_child_name (GTK_STACK (page->stack), "checking");
  return page;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                 */
/* ------------------------------------------------------------------ */

static const MqForecast *
find_forecast (const GArray  *forecasts,
               const MqModel *model,
               MqSlot         slot)
{
  if (forecasts == NULL)
    return NULL;
  for (guint i = 0; i < forecasts->len; i++)
    {
      const MqHistoryForecast *f = &g_array_index (forecasts, MqHistoryForecast, i);

      if (f->slot == slot && g_strcmp0 (f->model, model->name) == 0)
        return &f->forecast;
    }
  return NULL;
}

static void
add_row (GtkWidget *list,
         GtkWidget *child)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set (child, "margin-start", 12, "margin-end", 12, "margin-top", 10,
                "margin-bottom", 10, NULL);
  gtk_container_add (GTK_CONTAINER (row), child);
  gtk_widget_show_all (row);
  gtk_container_add (GTK_CONTAINER (list), row);
}

/* A row with a sentence alone ("Video: no usable data"), and a button when
 * there is something to do about it. */
static void
add_sentence_row (GtkWidget  *list,
                  const char *text,
                  const char *button_label,
                  const char *action_name)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = label_new (text, 0.0, NULL);

  gtk_widget_set_name (box, "sentence-row");
  gtk_box_pack_start (GTK_BOX (box), label, TRUE, TRUE, 0);
  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_box_pack_end (GTK_BOX (box), button, FALSE, FALSE, 0);
    }
  add_row (list, box);
}

/* One window of one model: its name, a bar, "63% left", then the counts,
 * the reset, the forecast and (weekly) the pace. */
static void
add_window_row (GtkWidget          *list,
                const MqModel      *model,
                MqSlot              slot,
                const MqForecast   *forecast,
                const MqThresholds *thresholds,
                gint64              now_ms)
{
  const MqWindow *window = mq_model_get_window (model, slot);
  MqPeriod period = mq_wording_period (slot, window->period);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *title, *amount, *bar, *details;
  g_autofree char *title_text = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *summary = mq_wording_window_summary (window, now_ms);
  g_autofree char *forecast_text = mq_wording_forecast (forecast, now_ms);
  g_autofree char *pace = slot == MQ_SLOT_WEEKLY && forecast != NULL ? mq_wording_pace (forecast) : NULL;
  g_autoptr(GString) line = g_string_new (summary);
  const char *separator = mq_wording_separator (FALSE);
  gboolean has_percent = window->known && !window->unlimited && window->remaining_percent >= 0.0;

  gtk_widget_set_name (grid, "window-row");
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);

  /* Translators: a row of the main window: "Text models — 5-hour window" */
  title_text = g_strdup_printf (_("%s — %s"), mq_format_model_display_name (model->name),
                                mq_wording_window_name (period));
  title = label_new (title_text, 0.0, NULL);
  gtk_widget_set_hexpand (title, TRUE);
  label_set_scale (title, 1.0, TRUE);
  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, 1, 1);

  if (window->unlimited)
    amount_text = g_strdup (_("Unlimited"));
  else if (has_percent)
    {
      g_autofree char *percent = mq_format_percent (window->remaining_percent);

      /* Translators: the share left of a window in the main window: "63% left" */
      amount_text = g_strdup_printf (_("%s left"), percent);
    }
  else
    amount_text = g_strdup (_("No data"));
  amount = label_new (amount_text, 1.0, NULL);
  gtk_widget_set_name (amount, "amount");
  gtk_grid_attach (GTK_GRID (grid), amount, 1, 0, 1, 1);

  bar = gtk_level_bar_new_for_interval (0.0, 100.0);
  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar),
                           window->unlimited ? 100.0 : has_percent ? window->remaining_percent : 0.0);
  /* The theme colours a bar "low" at or under the low threshold. */
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW, thresholds->low);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH, thresholds->low);
  gtk_level_bar_add_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL, 100.0);
  gtk_widget_set_sensitive (bar, has_percent || window->unlimited);
  atk_object_set_name (gtk_widget_get_accessible (bar), title_text);
  atk_object_set_description (gtk_widget_get_accessible (bar), amount_text);
  gtk_grid_attach (GTK_GRID (grid), bar, 0, 1, 2, 1);

  if (forecast_text != NULL)
    g_string_append_printf (line, "%s%s", separator, forecast_text);
  if (pace != NULL)
    g_string_append_printf (line, "%s%s", separator, pace);
  /* "unlimited" says nothing the amount does not. */
  if (!window->unlimited || forecast_text != NULL)
    {
      details = label_new (line->str, 0.0, "dim-label");
      gtk_widget_set_name (details, "details");
      gtk_grid_attach (GTK_GRID (grid), details, 0, 2, 2, 1);
    }

  add_row (list, grid);
}

static void
fill_rows (AccountPage        *page,
           MqSnapshot         *snapshot,
           const GArray       *forecasts,
           const MqThresholds *thresholds,
           gint64              now_ms)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (page->rows));
  guint n_models = mq_snapshot_get_n_models (snapshot);
  g_autofree char *more = NULL;

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);

  for (guint i = 0; i < MIN (n_models, MAX_MODEL_ROWS); i++)
    {
      const MqModel *model = mq_snapshot_get_model (snapshot, i);
      const char *name = mq_format_model_display_name (model->name);

      if (!model->usable)
        {
          g_autofree char *text = mq_wording_unusable (name);

          add_sentence_row (page->rows, text, NULL, NULL);
        }
      else if (!model->in_plan)
        {
          g_autofree char *text = mq_wording_not_in_plan (name);

          /* Translators: the button beside a model the plan does not include */
          add_sentence_row (page->rows, text, _("_Upgrade…"), "app.upgrade");
        }
      else
        {
          add_window_row (page->rows, model, MQ_SLOT_INTERVAL,
                          find_forecast (forecasts, model, MQ_SLOT_INTERVAL), thresholds, now_ms);
          if (model->weekly.known || model->weekly.unlimited)
            add_window_row (page->rows, model, MQ_SLOT_WEEKLY,
                            find_forecast (forecasts, model, MQ_SLOT_WEEKLY), thresholds, now_ms);
        }
    }

  more = mq_wording_more_models (snapshot, MIN (n_models, MAX_MODEL_ROWS));
  if (more != NULL)
    /* Translators: the button beside "N more models…" in the main window */
    add_sentence_row (page->rows, more, _("Open _Dashboard"), "app.open-dashboard");
}

/* ------------------------------------------------------------------ */
/* Showing data                                                         */
/* ------------------------------------------------------------------ */

static void
show_headline (AccountPage        *page,
               MqSnapshot         *snapshot,
               const MqThresholds *thresholds,
               gint64              now_ms,
               gboolean            stale)
{
  MqWordedHeadline worded = { 0 };
  g_autofree char *detail = NULL;

  mq_wording_headline (snapshot, NULL, thresholds, &worded);
  if (worded.kind == MQ_HEADLINE_PERCENT)
    mq_gauge_set (MQ_GAUGE (page->gauge), worded.headline.remaining_percent,
                  worded.headline.state, FALSE, stale);
  else
    mq_gauge_set (MQ_GAUGE (page->gauge), MQ_PERCENT_UNKNOWN, MQ_STATE_UNKNOWN,
                  worded.kind == MQ_HEADLINE_UNLIMITED, stale);
  gtk_label_set_text (GTK_LABEL (page->headline), worded.sentence);
  atk_object_set_description (gtk_widget_get_accessible (page->gauge), worded.sentence);
  detail = mq_wording_headline_detail (&worded, now_ms);
  gtk_label_set_text (GTK_LABEL (page->detail), detail != NULL ? detail : "");
  gtk_widget_set_visible (page->detail, detail != NULL);
  mq_worded_headline_clear (&worded);
}

static void
show_status (AccountPage  *page,
             MqSnapshot   *snapshot,
             const GError *error,
             gint64        now_ms,
             gboolean      stale)
{
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (error == NULL && !stale)
    {
      gtk_widget_hide (page->status);
      return;
    }
  when = mq_format_clock (mq_snapshot_get_fetched_at_ms (snapshot), now_ms);
  if (error != NULL)
    /* Translators: under the headline when the last refresh failed: "Data
     * from 14:02 · the quota service cannot be reached: …" */
    text = g_strdup_printf (_("Data from %s%s%s"), when, mq_wording_separator (FALSE),
                            error->message);
  else
    /* Translators: under the headline when the data is old */
    text = g_strdup_printf (_("Data from %s"), when);
  gtk_label_set_text (GTK_LABEL (page->status), text);
  gtk_style_context_add_class (gtk_widget_get_style_context (page->status), "dim-label");
  gtk_widget_show (page->status);
}

static void
update_switcher (MqMainWindow *self)
{
  gtk_widget_set_visible (self->switcher, g_hash_table_size (self->pages) > 1);
}

void
mq_main_window_set_account (MqMainWindow       *self,
                            const char         *account_name,
                            const char         *plan_title,
                            MqSnapshot         *snapshot,
                            const GError       *error,
                            const GArray       *forecasts,
                            const MqThresholds *thresholds,
                            gint64              now_ms,
                            gboolean            stale)
{
  const MqThresholds default_thresholds = { MQ_THRESHOLD_LOW_DEFAULT, MQ_THRESHOLD_CRITICAL_DEFAULT };
  const char *key = page_key (account_name);
  AccountPage *page;

  g_return_if_fail (MQ_IS_MAIN_WINDOW (self));

  if (thresholds == NULL)
    thresholds = &default_thresholds;

  page = lookup_page (self, account_name);
  if (page == NULL)
    {
      page = account_page_new (self, account_name);
      g_hash_table_insert (self->pages, g_strdup (key), page);
      gtk_stack_add_titled (GTK_STACK (self->accounts), page->stack, key,
                            account_name != NULL && *account_name != '\0'
                              ? account_name
                              /* Translators: the account switcher's name for the one account */
                              : _("Default"));
      update_switcher (self);
    }

  if (plan_title != NULL)
    gtk_label_set_text (GTK_LABEL (page->plan), plan_title);
  gtk_widget_set_visible (page->plan, plan_title != NULL);

  if (snapshot == NULL)
    {
      if (g_error_matches (error, MQ_ERROR, MQ_ERROR_NO_KEY))
        gtk_stack_set_visible_child_name (GTK_STACK (page->stack), "no-key");
      else if (error != NULL)
        {
          gtk_label_set_text (GTK_LABEL (page->error_label), error->message);
          gtk_stack_set_visible_child_name (GTK_STACK (page->stack), "error");
        }
      else
        gtk_stack_set_visible_child_name (GTK_STACK (page->stack), "checking");
      return;
    }

  show_headline (page, snapshot, thresholds, now_ms, stale);
  show_status (page, snapshot, error, now_ms, stale);
  fill_rows (page, snapshot, forecasts, thresholds, now_ms);
  gtk_stack_set_visible_child_name (GTK_STACK (page->stack), "quota");
}

void
mq_main_window_set_snapshot (MqMainWindow       *self,
                             MqSnapshot         *snapshot,
                             const GError       *error,
                             const GArray       *forecasts,
                             const MqThresholds *thresholds,
                             gint64              now_ms,
                             gboolean            stale)
{
  mq_main_window_set_account (self, NULL, NULL, snapshot, error, forecasts, thresholds,
                              now_ms, stale);
}

void
mq_main_window_remove_account (MqMainWindow *self,
                               const char   *account_name)
{
  AccountPage *page;

  g_return_if_fail (MQ_IS_MAIN_WINDOW (self));

  page = lookup_page (self, account_name);
  if (page == NULL)
    return;
  gtk_widget_destroy (page->stack);
  g_hash_table_remove (self->pages, page_key (account_name));
  update_switcher (self);
}

gboolean
mq_main_window_show_account (MqMainWindow *self,
                             const char   *account_name)
{
  AccountPage *page;

  g_return_val_if_fail (MQ_IS_MAIN_WINDOW (self), FALSE);

  page = lookup_page (self, account_name);
  if (page == NULL)
    return FALSE;
  gtk_stack_set_visible_child (GTK_STACK (self->accounts), page->stack);
  return TRUE;
}

void
mq_main_window_set_history_path (MqMainWindow *self,
                                 const char   *history_path)
{
  g_return_if_fail (MQ_IS_MAIN_WINDOW (self));
  g_free (self->history_path);
  self->history_path = g_strdup (history_path);
}

void
mq_main_window_reload_history (MqMainWindow *self)
{
  GHashTableIter iter;
  AccountPage *page;

  g_return_if_fail (MQ_IS_MAIN_WINDOW (self));

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    mq_chart_view_reload (MQ_CHART_VIEW (page->chart));
}

/* ------------------------------------------------------------------ */
/* About                                                                */
/* ------------------------------------------------------------------ */

static void
action_about (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  MqMainWindow *self = MQ_MAIN_WINDOW (user_data);
  const char *authors[] = { _("Leeway developers"), NULL };
  const char *report[] = { _("Issue tracker"), NULL };
  g_autofree char *issues = g_strdup_printf ("%s %s", report[0], ISSUES_URL);
  const char *issue_links[] = { issues, NULL };

  if (self->about != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->about));
      return;
    }

  self->about = gtk_about_dialog_new ();
  g_object_add_weak_pointer (G_OBJECT (self->about), (gpointer *) &self->about);
  g_object_set (self->about,
                "transient-for", self,
                "modal", TRUE,
                "destroy-with-parent", TRUE,
                "program-name", _("Leeway"),
                "logo-icon-name", APP_ID,
                "version", PACKAGE_VERSION,
                "comments", _("Your MiniMax Token Plan quota at a glance"),
                "license-type", GTK_LICENSE_GPL_3_0,
                "website", HOMEPAGE_URL,
                "website-label", _("Website"),
                "authors", authors,
                /* Translators: your name and address, one per line; shown
                 * in the About window */
                "translator-credits", _("translator-credits"),
                NULL);
  /* Translators: a section of the About window, with the link to report a
   * problem */
  gtk_about_dialog_add_credit_section (GTK_ABOUT_DIALOG (self->about), _("Report a problem"),
                                       issue_links);
  g_signal_connect (self->about, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (self->about));
}

static const GActionEntry win_entries[] = {
  { "about", action_about, NULL, NULL, NULL, { 0 } },
};

/* ------------------------------------------------------------------ */
/* The window                                                           */
/* ------------------------------------------------------------------ */

static GtkWidget *
header_bar_new (MqMainWindow *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *refresh, *menu_button;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (header), TRUE);
  gtk_header_bar_set_title (GTK_HEADER_BAR (header), _("Leeway"));

  refresh = gtk_button_new_from_icon_name ("view-refresh-symbolic", GTK_ICON_SIZE_BUTTON);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (refresh), "app.refresh");
  gtk_widget_set_tooltip_text (refresh, _("Refresh now"));
  atk_object_set_name (gtk_widget_get_accessible (refresh), _("Refresh"));
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), refresh);

  self->switcher = gtk_stack_switcher_new ();
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (self->switcher), GTK_STACK (self->accounts));
  atk_object_set_name (gtk_widget_get_accessible (self->switcher), _("Accounts"));
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), self->switcher);

  g_menu_append (section, _("_Preferences"), "app.preferences");
  /* Translators: the main menu's About item */
  g_menu_append (section, _("_About Leeway"), "win.about");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_clear_object (&section);
  section = g_menu_new ();
  g_menu_append (section, _("_Quit"), "app.quit");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

  menu_button = gtk_menu_button_new ();
  gtk_button_set_image (GTK_BUTTON (menu_button),
                        gtk_image_new_from_icon_name ("open-menu-symbolic", GTK_ICON_SIZE_BUTTON));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (menu_button, _("Main menu"));
  atk_object_set_name (gtk_widget_get_accessible (menu_button), _("Main menu"));
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), menu_button);

  gtk_widget_show_all (header);
  return header;
}

static void
mq_main_window_init (MqMainWindow *self)
{
  self->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_window_set_title (GTK_WINDOW (self), _("Leeway"));
  gtk_window_set_default_size (GTK_WINDOW (self), 960, 700);
  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);

  self->accounts = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->accounts),
                                 GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_container_add (GTK_CONTAINER (self), self->accounts);
  gtk_window_set_titlebar (GTK_WINDOW (self), header_bar_new (self));
  update_switcher (self);
  gtk_widget_show (self->accounts);
}

static void
mq_main_window_dispose (GObject *object)
{
  MqMainWindow *self = MQ_MAIN_WINDOW (object);

  if (self->about != NULL)
    {
      GtkWidget *about = self->about;

      g_object_remove_weak_pointer (G_OBJECT (about), (gpointer *) &self->about);
      self->about = NULL;
      gtk_widget_destroy (about);
    }
  G_OBJECT_CLASS (mq_main_window_parent_class)->dispose (object);
}

static void
mq_main_window_finalize (GObject *object)
{
  MqMainWindow *self = MQ_MAIN_WINDOW (object);

  g_free (self->history_path);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  G_OBJECT_CLASS (mq_main_window_parent_class)->finalize (object);
}

static void
mq_main_window_class_init (MqMainWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mq_main_window_dispose;
  G_OBJECT_CLASS (klass)->finalize = mq_main_window_finalize;
}

MqMainWindow *
mq_main_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  return g_object_new (MQ_TYPE_MAIN_WINDOW, "application", application, NULL);
}

/* ------------------------------------------------------------------ */
/* Accessors                                                            */
/* ------------------------------------------------------------------ */

const char *
mq_main_window_get_page (MqMainWindow *self,
                         const char   *account_name)
{
  AccountPage *page;

  g_return_val_if_fail (MQ_IS_MAIN_WINDOW (self), NULL);
  page = lookup_page (self, account_name);
  return page != NULL ? gtk_stack_get_visible_child_name (GTK_STACK (page->stack)) : NULL;
}

#define PAGE_WIDGET(field)                                      \
  AccountPage *page;                                            \
  g_return_val_if_fail (MQ_IS_MAIN_WINDOW (self), NULL);        \
  page = lookup_page (self, account_name);                      \
  return page != NULL ? page->field : NULL

GtkWidget *
mq_main_window_get_gauge (MqMainWindow *self,
                          const char   *account_name)
{
  PAGE_WIDGET (gauge);
}

GtkWidget *
mq_main_window_get_rows (MqMainWindow *self,
                         const char   *account_name)
{
  PAGE_WIDGET (rows);
}

GtkWidget *
mq_main_window_get_chart_view (MqMainWindow *self,
                               const char   *account_name)
{
  PAGE_WIDGET (chart);
}

GtkWidget *
mq_main_window_get_headline (MqMainWindow *self,
                             const char   *account_name)
{
  PAGE_WIDGET (headline);
}

GtkWidget *
mq_main_window_get_switcher (MqMainWindow *self)
{
  g_return_val_if_fail (MQ_IS_MAIN_WINDOW (self), NULL);
  return self->switcher;
}

GtkWidget *
mq_main_window_get_about (MqMainWindow *self)
{
  g_return_val_if_fail (MQ_IS_MAIN_WINDOW (self), NULL);
  return self->about;
}
