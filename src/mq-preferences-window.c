/* mq-preferences-window.c: the preferences window
 *
 * A template (ui/preferences-window.ui) declares the widgets and the
 * signals; settings are bound to the widgets with g_settings_bind() when
 * the window is constructed, so a change shows at once, without an Apply
 * button. The accounts are the exception: their list is MqAccounts' (in
 * the settings, their keys in the keyring), shown one MqAccountRow each
 * (region, rename, remove) and followed through MqAccounts::changed;
 * "Add Account…" opens MqAccountDialog, which checks a key with a real
 * fetch before storing it. Without a keyring a key that passed the check
 * is still used, for this session ("key-changed"), and the window says
 * how to keep it. No key is ever shown unless asked for (the peek icon)
 * or logged.
 */
#define G_LOG_DOMAIN "mq-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-account-dialog.h"
#include "mq-account-row.h"
#include "mq-accounts.h"
#include "mq-autostart.h"
#include "mq-preferences-parts.h"
#include "mq-preferences-window-private.h"
#include "mq-preferences-window.h"
#include "mq-region.h"
#include "mq-resources.h"
#include "mq-secret.h"

struct _MqPreferencesWindow
{
  GtkWindow          parent_instance;

  GSettings         *settings;
  MqConfig          *config;            /* the application's connection */
  MqAccounts        *accounts;
  MqAccountDialog   *account_dialog;    /* "Add Account", made once */
  GCancellable      *cancellable;       /* every async operation; cancelled in dispose */

  /* Template children */
  GtkHeaderBar      *header_bar;
  GtkScrolledWindow *scrolled_window;
  GtkWidget         *content_box;
  GtkWidget         *account_frame;
  GtkListBox        *account_list;
  GtkButton         *add_account_button;
  GtkListBox        *alerts_list;
  GtkListBox        *general_list;
  GtkLabel          *key_status_label;
  GtkLabel          *key_success_label;
  GtkLabel          *key_help_label;
  GtkComboBoxText   *region_combo;
  GtkComboBoxText   *refresh_combo;
  GtkSpinButton     *low_spin;
  GtkSpinButton     *critical_spin;
  GtkAdjustment     *critical_adjustment;
  GtkSwitch         *notifications_switch;
  GtkSwitch         *forecast_switch;
  GtkSpinButton     *forecast_lead_spin;
  GtkComboBoxText   *icon_model_combo;
  GtkSwitch         *show_label_switch;
  GtkSwitch         *autostart_switch;
  GtkLabel          *autostart_error_label;

  gboolean           key_known;         /* the keyring has answered once */
  gboolean           session_key;       /* a key in use that no keyring holds */
  gboolean           no_keyring;        /* no Secret Service on the bus */
  gboolean           keyring_failed;    /* the last lookup failed otherwise */
  guint              load_serial;       /* bumped for every load of the list */

  guint              fit_id;            /* the window grows when idle */
  int                fit_width;
  int                fit_height;

  gboolean           autostart_busy;
  gboolean           autostart_syncing;
};

G_DEFINE_FINAL_TYPE (MqPreferencesWindow, mq_preferences_window, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_KEY_CHANGED,
  SIGNAL_ACCOUNTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
mq_preferences_window_set_snapshot (MqPreferencesWindow *self,
                                    MqSnapshot          *snapshot)
{
  g_return_if_fail (MQ_IS_PREFERENCES_WINDOW (self));

  if (snapshot == NULL)
    return;

  mq_preferences_set_icon_models (self->icon_model_combo, self->settings, snapshot);
}

/* ------------------------------------------------------------------ */
/* Layout                                                               */
/* ------------------------------------------------------------------ */

/* Critical stays below low: lowering "Warn at" pushes "Critical at" down. */
static void
update_critical_range (MqPreferencesWindow *self)
{
  guint low = g_settings_get_uint (self->settings, "low-threshold");
  double upper = low > 0 ? low - 1 : 0;

  gtk_adjustment_set_upper (self->critical_adjustment, upper);
  if (gtk_adjustment_get_value (self->critical_adjustment) > upper)
    gtk_adjustment_set_value (self->critical_adjustment, upper);
}

/* GTK 3 sizes a window once, when it is first shown; a message or a row
 * that appears later would need scrolling. Grow the window to fit its
 * content, up to the scrolled window's maximum (never shrink: no jumps).
 * Done once the scrolled window is allocated, where its allocation and the
 * window's size come from the same layout: between a change and the next
 * layout they do not (several changes in a row would add up). */
static gboolean
grow_window (gpointer user_data)
{
  MqPreferencesWindow *self = user_data;

  self->fit_id = 0;
  gtk_window_resize (GTK_WINDOW (self), self->fit_width, self->fit_height);
  return G_SOURCE_REMOVE;
}

static void
on_scrolled_window_allocated (MqPreferencesWindow *self)
{
  int have = gtk_widget_get_allocated_height (GTK_WIDGET (self->scrolled_window));
  /* The content's margins count in the width asked about. */
  int width = gtk_widget_get_allocated_width (GTK_WIDGET (self->scrolled_window));
  int max = gtk_scrolled_window_get_max_content_height (self->scrolled_window);
  int natural = 0;
  int window_width, window_height, target;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  gtk_widget_get_preferred_height_for_width (self->content_box, width, NULL, &natural);
  if (max > 0)
    natural = MIN (natural, max);

  gtk_window_get_size (GTK_WINDOW (self), &window_width, &window_height);
  target = window_height - have + natural;
  /* Not from inside the layout, where GTK 3 would drop it. */
  if (target > window_height && self->fit_id == 0)
    {
      self->fit_width = window_width;
      self->fit_height = target;
      self->fit_id = g_idle_add (grow_window, self);
    }
}

/* Something changed size: the next layout fits the window to it. */
static void
fit_window_height (MqPreferencesWindow *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_queue_resize (GTK_WIDGET (self->scrolled_window));
}

/* ------------------------------------------------------------------ */
/* Accounts                                                             */
/* ------------------------------------------------------------------ */

static void
update_key_status (MqPreferencesWindow *self)
{
  /* The variable the application takes its key from (--region honoured). */
  const char *variable = mq_config_get_key_variable (self->config);
  guint n_accounts = mq_accounts_get_n_accounts (self->accounts);
  g_autofree char *text = NULL;

  if (!self->key_known)
    text = g_strdup (_("Checking the keyring…"));
  else if (self->session_key && self->no_keyring)
    text = g_strdup (_("No keyring service is running, so the key in use is not saved: you will be asked for it again after a restart."));
  else if (self->session_key)
    text = g_strdup (_("The keyring did not save the key in use: you will be asked for it again after a restart."));
  else if (n_accounts > 0)
    text = NULL;
  else if (variable != NULL)
    /* Translators: %s is the name of an environment variable, such as
     * MINIMAX_API_KEY. */
    text = g_strdup_printf (_("Using the key from %s. An account added here takes its place."),
                            variable);
  else if (self->no_keyring)
    text = g_strdup (_("No keyring service is running: a key entered here is used until you log out, and asked for again after a restart."));
  else if (self->keyring_failed)
    text = g_strdup (_("The keyring could not be read. A key entered here is still used."));
  else
    text = g_strdup (_("No account yet: add one with a key from the MiniMax platform."));

  gtk_label_set_text (self->key_status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_status_label), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->account_frame), n_accounts > 0);

  /* Listed, each row says where its key is: no room for the help. */
  gtk_widget_set_visible (GTK_WIDGET (self->key_help_label), n_accounts == 0);

  /* Without a keyring, the help names the ways to keep a key. */
  if (self->no_keyring && n_accounts == 0)
    gtk_label_set_text (self->key_help_label,
                        _("To keep the key, install gnome-keyring, or KeePassXC with its Secret Service integration turned on, or set MINIMAX_API_KEY in your session."));
  else
    gtk_label_set_text (self->key_help_label,
                        _("Keys come from the MiniMax platform: sk-cp-… for a Token Plan, sk-api-… for pay-as-you-go. Each account’s key is kept in your keyring, never in the settings."));

  fit_window_height (self);
}

static void
show_key_message (MqPreferencesWindow *self,
                  const char          *success_text)
{
  gtk_label_set_text (self->key_success_label, success_text != NULL ? success_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->key_success_label), success_text != NULL);
  fit_window_height (self);
}

/* What a failed keyring tells: no Secret Service, or another failure. The
 * bus's own words never reach the window. */
static void
note_keyring_error (MqPreferencesWindow *self,
                    const GError        *error)
{
  self->no_keyring = error != NULL && mq_preferences_keyring_missing (error);
  self->keyring_failed = error != NULL && !self->no_keyring;
  if (error != NULL)
    g_debug ("The keyring: %s", error->message);
}

static void
on_keyring_probed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MqPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Only whether the keyring answers matters here. */
  mq_secret_free_key (mq_secret_lookup_finish (result, &error));
  if (is_cancelled (error))
    return;

  self->key_known = TRUE;
  /* A key accepted for this session keeps what its store said. */
  if (!self->session_key)
    note_keyring_error (self, error);
  update_key_status (self);
}

/* Whether the keyring answers at all: the old single key's lookup (an
 * account's key is looked up with the list). */
static void
probe_keyring (MqPreferencesWindow *self)
{
  mq_secret_lookup_async (self->cancellable, on_keyring_probed, self);
}

static MqAccountRow *
row_at (MqPreferencesWindow *self,
        guint                index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->account_list, index);

  return row != NULL ? MQ_ACCOUNT_ROW (row) : NULL;
}

/* The rows follow the stored list: the same names in the same order keep
 * their rows (a region is updated in place), anything else remakes them. */
static void
sync_rows (MqPreferencesWindow *self)
{
  guint n = mq_accounts_get_n_accounts (self->accounts);
  gboolean same = TRUE;

  for (guint i = 0; i <= n && same; i++)
    {
      MqAccountRow *row = row_at (self, i);
      g_autofree char *name = i < n ? mq_accounts_dup_name (self->accounts, i) : NULL;

      same = (row == NULL) == (name == NULL) &&
             (row == NULL || g_str_equal (mq_account_row_get_name (row), name));
    }

  if (!same)
    {
      g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (self->account_list));

      for (GList *l = rows; l != NULL; l = l->next)
        gtk_widget_destroy (l->data);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *name = mq_accounts_dup_name (self->accounts, i);

          gtk_container_add (GTK_CONTAINER (self->account_list),
                             mq_account_row_new (self->accounts, name,
                                                 mq_accounts_get_region (self->accounts, i),
                                                 self->cancellable));
        }
    }
  else
    {
      for (guint i = 0; i < n; i++)
        mq_account_row_set_region (row_at (self, i), mq_accounts_get_region (self->accounts, i));
    }

  update_key_status (self);
}

typedef struct {
  MqPreferencesWindow *self;   /* not a reference: dispose cancels the load */
  guint                serial;
} LoadData;

static void
on_accounts_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree LoadData *data = user_data;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  MqPreferencesWindow *self;

  loaded = mq_accounts_load_finish (MQ_ACCOUNTS (source), result, &error);
  if (is_cancelled (error))
    return;

  self = data->self;
  /* The list changed meanwhile: a newer load is on its way. */
  if (data->serial != self->load_serial || loaded == NULL)
    return;

  /* Only whether each key is there, and its kind: the keys themselves are
   * wiped with the array. */
  for (guint i = 0; i < loaded->len; i++)
    {
      MqAccount *account = g_ptr_array_index (loaded, i);
      MqAccountRow *row = row_at (self, i);

      if (row == NULL || !g_str_equal (mq_account_row_get_name (row), mq_account_get_name (account)))
        continue;
      mq_account_row_set_key (row, mq_account_get_key (account) != NULL,
                              mq_account_get_key_kind (account));
    }
  fit_window_height (self);
}

static void
load_accounts (MqPreferencesWindow *self)
{
  LoadData *data = g_new0 (LoadData, 1);

  sync_rows (self);
  data->self = self;
  data->serial = ++self->load_serial;
  mq_accounts_load_async (self->accounts, self->cancellable, on_accounts_loaded, data);
}

static void
on_accounts_changed (MqPreferencesWindow *self)
{
  load_accounts (self);
  g_signal_emit (self, signals[SIGNAL_ACCOUNTS_CHANGED], 0);
}

/* Checked, stored and listed: the list follows through ::changed. */
static void
on_account_added (MqPreferencesWindow *self,
                  const char          *name,
                  const char          *message)
{
  self->session_key = FALSE;
  self->key_known = TRUE;
  self->no_keyring = FALSE;
  self->keyring_failed = FALSE;
  show_key_message (self, message);
  update_key_status (self);
}

/* The key works but no keyring took it: used for this session, and the
 * status line says how to keep it. */
static void
on_account_unsaved (MqPreferencesWindow *self,
                    const char          *key,
                    gboolean             no_keyring,
                    const char          *message)
{
  self->key_known = TRUE;
  self->session_key = TRUE;
  self->no_keyring = no_keyring;
  self->keyring_failed = !no_keyring;
  show_key_message (self, message);
  update_key_status (self);

  g_signal_emit (self, signals[SIGNAL_KEY_CHANGED], 0, key);
}

static void
on_add_account_clicked (MqPreferencesWindow *self)
{
  if (!mq_account_dialog_get_busy (self->account_dialog))
    mq_account_dialog_reset (self->account_dialog);
  show_key_message (self, NULL);
  mq_account_dialog_present (self->account_dialog);
}

/* ------------------------------------------------------------------ */
/* Start on login                                                       */
/* ------------------------------------------------------------------ */

static void
sync_autostart_switch (MqPreferencesWindow *self)
{
  gboolean enabled = mq_autostart_is_enabled (self->settings);

  self->autostart_syncing = TRUE;
  gtk_switch_set_active (self->autostart_switch, enabled);
  gtk_switch_set_state (self->autostart_switch, enabled);
  self->autostart_syncing = FALSE;
}

static void
on_autostart_set (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MqPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mq_autostart_set_finish (result, &error) && is_cancelled (error))
    return;

  self->autostart_busy = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), TRUE);
  sync_autostart_switch (self);

  if (error != NULL)
    {
      gtk_label_set_text (self->autostart_error_label, error->message);
      gtk_widget_show (GTK_WIDGET (self->autostart_error_label));
      fit_window_height (self);
    }
}

/* The switch shows the new position at once and its state (the colour)
 * once the file is written or the portal has answered. */
static gboolean
on_autostart_state_set (MqPreferencesWindow *self,
                        gboolean             state)
{
  if (self->autostart_syncing)
    return FALSE;

  if (self->autostart_busy)
    return TRUE;

  self->autostart_busy = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->autostart_switch), FALSE);
  gtk_widget_hide (GTK_WIDGET (self->autostart_error_label));

  mq_autostart_set_async (state, GTK_WINDOW (self), self->settings, self->cancellable,
                          on_autostart_set, self);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The window                                                           */
/* ------------------------------------------------------------------ */

static void
on_settings_changed (MqPreferencesWindow *self,
                     const char          *key)
{
  if (g_str_equal (key, "region"))
    update_key_status (self);
  else if (g_str_equal (key, "low-threshold"))
    update_critical_range (self);

  if (g_str_equal (key, "region") || g_str_equal (key, "last-region"))
    mq_account_dialog_update_link (self->account_dialog);
}

MqPreferencesWindow *
mq_preferences_window_new (GtkApplication *app,
                           GSettings      *settings,
                           MqConfig       *config)
{
  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (MQ_IS_CONFIG (config), NULL);

  return g_object_new (MQ_TYPE_PREFERENCES_WINDOW,
                       "application", app,
                       "settings", settings,
                       "config", config,
                       NULL);
}

void
mq_preferences_window_override_hosts (MqPreferencesWindow *self,
                                      MqRegion             region,
                                      const char * const  *base_urls)
{
  g_return_if_fail (MQ_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (region == MQ_REGION_GLOBAL || region == MQ_REGION_CN);

  mq_account_dialog_override_hosts (self->account_dialog, region, base_urls);
}

MqAccountDialog *
mq_preferences_window_get_account_dialog (MqPreferencesWindow *self)
{
  g_return_val_if_fail (MQ_IS_PREFERENCES_WINDOW (self), NULL);

  return self->account_dialog;
}

void
mq_preferences_window_present (MqPreferencesWindow *self,
                               gboolean             focus_key)
{
  g_return_if_fail (MQ_IS_PREFERENCES_WINDOW (self));

  /* Things may have changed behind the window's back. */
  probe_keyring (self);
  load_accounts (self);
  if (!self->autostart_busy)
    sync_autostart_switch (self);

  gtk_window_present (GTK_WINDOW (self));

  if (focus_key)
    gtk_widget_grab_focus (GTK_WIDGET (self->add_account_button));
}

/* ------------------------------------------------------------------ */
/* GObject                                                              */
/* ------------------------------------------------------------------ */

static void
mq_preferences_window_constructed (GObject *object)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);
  GtkListBox *lists[] = {
    self->account_list, self->general_list, self->alerts_list,
  };

  G_OBJECT_CLASS (mq_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_assert (MQ_IS_CONFIG (self->config));

  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    mq_preferences_separate_rows (lists[i]);

  /* The critical range follows the low threshold first, so that binding
   * the critical spin button never stores an inconsistent pair. */
  update_critical_range (self);

  g_settings_bind (self->settings, "region", self->region_combo, "active-id",
                   G_SETTINGS_BIND_DEFAULT);
  mq_preferences_bind_refresh (self->settings, self->refresh_combo);
  g_settings_bind (self->settings, "low-threshold", self->low_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "critical-threshold", self->critical_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications-enabled",
                   self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "forecast-alerts", self->forecast_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "forecast-lead-minutes", self->forecast_lead_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->forecast_switch, "active", self->forecast_lead_spin, "sensitive",
                          G_BINDING_SYNC_CREATE);
  mq_preferences_bind_icon_model (self->settings, self->icon_model_combo);
  g_settings_bind (self->settings, "show-label", self->show_label_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (on_settings_changed), self, G_CONNECT_SWAPPED);

  self->accounts = mq_accounts_new (self->settings);
  g_signal_connect_object (self->accounts, "changed",
                           G_CALLBACK (on_accounts_changed), self, G_CONNECT_SWAPPED);
  self->account_dialog = mq_account_dialog_new (GTK_WINDOW (self), self->accounts, self->config);
  g_signal_connect_object (self->account_dialog, "added",
                           G_CALLBACK (on_account_added), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account_dialog, "unsaved",
                           G_CALLBACK (on_account_unsaved), self, G_CONNECT_SWAPPED);

  sync_autostart_switch (self);
  probe_keyring (self);
  load_accounts (self);
}

static void
mq_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mq_preferences_window_dispose (GObject *object)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);

  /* Before the template children go: no callback may reach them. */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->fit_id, g_source_remove);

  if (self->account_dialog != NULL)
    gtk_widget_destroy (GTK_WIDGET (g_steal_pointer (&self->account_dialog)));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (mq_preferences_window_parent_class)->dispose (object);
}

static void
mq_preferences_window_finalize (GObject *object)
{
  MqPreferencesWindow *self = MQ_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mq_preferences_window_parent_class)->finalize (object);
}

static void
mq_preferences_window_class_init (MqPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = mq_preferences_window_constructed;
  object_class->set_property = mq_preferences_window_set_property;
  object_class->dispose = mq_preferences_window_dispose;
  object_class->finalize = mq_preferences_window_finalize;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The application's resolved connection: where a key is checked, which
   * variable an environment key comes from, the remembered region. */
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, MQ_TYPE_CONFIG,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The key is passed without a copy (static scope), so that no copy
   * outlives the emission unwiped. */
  signals[SIGNAL_KEY_CHANGED] =
    g_signal_new ("key-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* An account was added, renamed or removed, or its region changed (here
   * or anywhere else: MqAccounts::changed), keys stored first. */
  signals[SIGNAL_ACCOUNTS_CHANGED] =
    g_signal_new ("accounts-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* The resource is compiled into the same static library; naming it makes
   * the linker keep it, and its constructor registers it. */
  if (mq_get_resource () == NULL)
    g_error ("The resources of %s are missing", APP_ID);

  gtk_widget_class_set_template_from_resource (widget_class, MQ_PREFERENCES_WINDOW_RESOURCE);

#define BIND_CHILD(name) \
  gtk_widget_class_bind_template_child (widget_class, MqPreferencesWindow, name)
  BIND_CHILD (header_bar);
  BIND_CHILD (scrolled_window);
  BIND_CHILD (content_box);
  BIND_CHILD (account_frame);
  BIND_CHILD (account_list);
  BIND_CHILD (add_account_button);
  BIND_CHILD (alerts_list);
  BIND_CHILD (general_list);
  BIND_CHILD (key_status_label);
  BIND_CHILD (key_success_label);
  BIND_CHILD (key_help_label);
  BIND_CHILD (region_combo);
  BIND_CHILD (refresh_combo);
  BIND_CHILD (low_spin);
  BIND_CHILD (critical_spin);
  BIND_CHILD (critical_adjustment);
  BIND_CHILD (notifications_switch);
  BIND_CHILD (forecast_switch);
  BIND_CHILD (forecast_lead_spin);
  BIND_CHILD (icon_model_combo);
  BIND_CHILD (show_label_switch);
  BIND_CHILD (autostart_switch);
  BIND_CHILD (autostart_error_label);
#undef BIND_CHILD

  gtk_widget_class_bind_template_callback_full (widget_class, "gtk_widget_hide_on_delete",
                                                G_CALLBACK (gtk_widget_hide_on_delete));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_key_press",
                                                G_CALLBACK (mq_preferences_hide_on_escape));
  gtk_widget_class_bind_template_callback (widget_class, fit_window_height);
  gtk_widget_class_bind_template_callback (widget_class, on_scrolled_window_allocated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_account_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_autostart_state_set);
}

static void
mq_preferences_window_init (MqPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
}
