/* mq-account-row.c: one account in the preferences window's list
 *
 * Built in code (a row per account, made and remade as the list changes).
 * Every change goes straight to MqAccounts; the row only shows what
 * failed. An operation keeps the row alive until it ends, and touches no
 * part of it once the row is destroyed.
 */
#define G_LOG_DOMAIN "mq-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "mq-account-row.h"
#include "mq-preferences-parts.h"

struct _MqAccountRow
{
  GtkListBoxRow  parent_instance;

  MqAccounts    *accounts;
  GCancellable  *cancellable;
  char          *name;
  gboolean       destroyed;
  gboolean       busy;
  gboolean       syncing;         /* the combo follows the store */

  GtkStack      *name_stack;
  GtkLabel      *name_label;
  GtkEntry      *rename_entry;
  GtkButton     *rename_apply_button;
  GtkLabel      *detail_label;
  GtkLabel      *error_label;
  GtkComboBoxText *region_combo;
  GtkButton     *rename_button;
  GtkButton     *remove_button;
  GtkWidget     *remove_dialog;   /* "Remove the account?" while it asks */
};

G_DEFINE_FINAL_TYPE (MqAccountRow, mq_account_row, GTK_TYPE_LIST_BOX_ROW)

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
show_error (MqAccountRow *self,
            const char   *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
set_busy (MqAccountRow *self,
          gboolean      busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_combo), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rename_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rename_entry), !busy);
}

/* The end of a rename or a remove (@ok and @error from its finish): nothing
 * when it was cancelled or the row is gone, else the row idle again and the
 * error shown. TRUE when it succeeded and the row is still there. */
static gboolean
op_done (MqAccountRow *self,
         gboolean      ok,
         const GError *error)
{
  if (!ok && is_cancelled (error))
    return FALSE;
  if (self->destroyed)
    return FALSE;

  set_busy (self, FALSE);
  if (error != NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Region                                                               */
/* ------------------------------------------------------------------ */

static void
on_region_changed (MqAccountRow *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->region_combo));
  g_autoptr(GError) error = NULL;
  MqRegion region;

  if (self->syncing || id == NULL || !mq_region_from_string (id, &region))
    return;

  if (!mq_accounts_set_region (self->accounts, self->name, region, &error))
    show_error (self, error->message);
  else
    show_error (self, NULL);
}

void
mq_account_row_set_region (MqAccountRow *self,
                           MqRegion      region)
{
  g_return_if_fail (MQ_IS_ACCOUNT_ROW (self));

  self->syncing = TRUE;
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->region_combo), mq_region_to_string (region));
  self->syncing = FALSE;
}

/* ------------------------------------------------------------------ */
/* Rename                                                               */
/* ------------------------------------------------------------------ */

/* The new name, or NULL (and the reason shown; none for the same name). */
static char *
checked_new_name (MqAccountRow *self)
{
  const char *text = gtk_entry_get_text (self->rename_entry);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (text, self->name))
    {
      show_error (self, NULL);
      return NULL;
    }
  if (!mq_accounts_check_name (self->accounts, text, self->name, &error))
    {
      show_error (self, error->message);
      return NULL;
    }

  show_error (self, NULL);
  return g_strdup (text);
}

static void
on_rename_entry_changed (MqAccountRow *self)
{
  g_autofree char *name = checked_new_name (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->rename_apply_button), name != NULL && !self->busy);
}

static void
set_editing (MqAccountRow *self,
             gboolean      editing)
{
  if (editing)
    {
      gtk_entry_set_text (self->rename_entry, self->name);
      gtk_stack_set_visible_child_name (self->name_stack, "edit");
      gtk_widget_grab_focus (GTK_WIDGET (self->rename_entry));
      on_rename_entry_changed (self);
    }
  else
    {
      gtk_stack_set_visible_child_name (self->name_stack, "view");
      show_error (self, NULL);
    }
}

static void
on_renamed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MqAccountRow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = mq_accounts_rename_finish (MQ_ACCOUNTS (source), result, &error);

  if (!op_done (self, ok, error))
    return;

  g_free (self->name);
  self->name = g_strdup (gtk_entry_get_text (self->rename_entry));
  gtk_label_set_text (self->name_label, self->name);
  set_editing (self, FALSE);
}

static void
on_rename_apply (MqAccountRow *self)
{
  g_autofree char *new_name = NULL;

  if (self->busy)
    return;

  new_name = checked_new_name (self);
  if (new_name == NULL)
    {
      /* The same name: nothing to do. */
      if (g_str_equal (gtk_entry_get_text (self->rename_entry), self->name))
        set_editing (self, FALSE);
      return;
    }

  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rename_apply_button), FALSE);
  mq_accounts_rename_async (self->accounts, self->name, new_name, self->cancellable,
                            on_renamed, g_object_ref (self));
}

static void
on_rename_clicked (MqAccountRow *self)
{
  set_editing (self, !g_str_equal (gtk_stack_get_visible_child_name (self->name_stack), "edit"));
}

static gboolean
on_rename_key_press (MqAccountRow *self,
                     GdkEventKey  *event)
{
  if (event->keyval != GDK_KEY_Escape)
    return GDK_EVENT_PROPAGATE;

  set_editing (self, FALSE);
  return GDK_EVENT_STOP;
}

/* ------------------------------------------------------------------ */
/* Remove                                                               */
/* ------------------------------------------------------------------ */

static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MqAccountRow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = mq_accounts_remove_finish (MQ_ACCOUNTS (source), result, &error);

  op_done (self, ok, error);
}

static void
on_remove_response (MqAccountRow *self,
                    int           response,
                    GtkDialog    *dialog)
{
  self->remove_dialog = NULL;
  gtk_widget_destroy (GTK_WIDGET (dialog));

  if (response != GTK_RESPONSE_ACCEPT || self->busy)
    return;

  set_busy (self, TRUE);
  show_error (self, NULL);
  mq_accounts_remove_async (self->accounts, self->name, self->cancellable,
                            on_removed, g_object_ref (self));
}

/* Removing cannot be undone: ask first. */
static void
on_remove_clicked (MqAccountRow *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  if (self->busy)
    return;
  if (self->remove_dialog == NULL)
    {
      self->remove_dialog =
        mq_preferences_remove_account_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                                  self->name);
      g_signal_connect_object (self->remove_dialog, "response",
                               G_CALLBACK (on_remove_response), self, G_CONNECT_SWAPPED);
    }

  gtk_window_present (GTK_WINDOW (self->remove_dialog));
}

/* ------------------------------------------------------------------ */
/* The row                                                              */
/* ------------------------------------------------------------------ */

void
mq_account_row_set_key (MqAccountRow *self,
                        gboolean      key_found,
                        MqKeyKind     kind)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MQ_IS_ACCOUNT_ROW (self));

  if (key_found)
    /* Translators: %s is the kind of key: "Token Plan" or "Pay-as-you-go". */
    text = g_strdup_printf (_("%s key · in your keyring"), mq_preferences_key_kind_text (kind));
  else
    text = g_strdup (_("Its key is not in the keyring, or the keyring could not be read"));

  gtk_label_set_text (self->detail_label, text);
}

const char *
mq_account_row_get_name (MqAccountRow *self)
{
  g_return_val_if_fail (MQ_IS_ACCOUNT_ROW (self), NULL);

  return self->name;
}

static GtkWidget *
named (GtkWidget  *widget,
       const char *name)
{
  gtk_widget_set_name (widget, name);
  gtk_widget_show (widget);
  return widget;
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon, GTK_ICON_SIZE_BUTTON);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return named (button, name);
}

static void
build (MqAccountRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *edit_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *widget;
  PangoAttrList *bold = pango_attr_list_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);
  g_object_set (box, "margin-start", 12, "margin-end", 12, "margin-top", 3, "margin-bottom", 3, NULL);

  self->name_stack = GTK_STACK (named (gtk_stack_new (), "account_name_stack"));
  gtk_stack_set_homogeneous (self->name_stack, FALSE);
  gtk_stack_set_interpolate_size (self->name_stack, TRUE);

  widget = named (gtk_label_new (self->name), "account_name_label");
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (widget), bold);
  pango_attr_list_unref (bold);
  gtk_label_set_xalign (GTK_LABEL (widget), 0);
  gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
  self->name_label = GTK_LABEL (widget);
  gtk_stack_add_named (self->name_stack, widget, "view");

  widget = named (gtk_entry_new (), "rename_entry");
  gtk_entry_set_max_length (GTK_ENTRY (widget), MQ_ACCOUNT_NAME_MAX);
  gtk_entry_set_width_chars (GTK_ENTRY (widget), 12);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_tooltip_text (widget, _("The account’s new name"));
  self->rename_entry = GTK_ENTRY (widget);
  g_signal_connect_object (widget, "changed", G_CALLBACK (on_rename_entry_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (widget, "activate", G_CALLBACK (on_rename_apply), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (widget, "key-press-event", G_CALLBACK (on_rename_key_press), self,
                           G_CONNECT_SWAPPED);
  gtk_container_add (GTK_CONTAINER (edit_box), widget);
  widget = named (gtk_button_new_with_mnemonic (_("Re_name")), "rename_apply_button");
  gtk_style_context_add_class (gtk_widget_get_style_context (widget), "suggested-action");
  self->rename_apply_button = GTK_BUTTON (widget);
  g_signal_connect_object (widget, "clicked", G_CALLBACK (on_rename_apply), self,
                           G_CONNECT_SWAPPED);
  gtk_container_add (GTK_CONTAINER (edit_box), widget);
  gtk_widget_show (edit_box);
  gtk_stack_add_named (self->name_stack, edit_box, "edit");
  gtk_stack_set_visible_child_name (self->name_stack, "view");
  gtk_container_add (GTK_CONTAINER (text_box), GTK_WIDGET (self->name_stack));

  widget = named (gtk_label_new (_("Looking for its key…")), "account_detail_label");
  gtk_label_set_xalign (GTK_LABEL (widget), 0);
  gtk_label_set_line_wrap (GTK_LABEL (widget), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (widget), 40);
  gtk_style_context_add_class (gtk_widget_get_style_context (widget), "dim-label");
  gtk_style_context_add_class (gtk_widget_get_style_context (widget), "caption");
  self->detail_label = GTK_LABEL (widget);
  gtk_container_add (GTK_CONTAINER (text_box), widget);

  widget = gtk_label_new (NULL);
  gtk_widget_set_name (widget, "account_error_label");
  gtk_label_set_xalign (GTK_LABEL (widget), 0);
  gtk_label_set_line_wrap (GTK_LABEL (widget), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (widget), 40);
  gtk_label_set_selectable (GTK_LABEL (widget), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (widget), "error");
  self->error_label = GTK_LABEL (widget);
  gtk_container_add (GTK_CONTAINER (text_box), widget);

  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_widget_show (text_box);
  gtk_container_add (GTK_CONTAINER (box), text_box);

  widget = named (gtk_combo_box_text_new (), "account_region_combo");
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (widget), "auto", _("Automatic"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (widget), "global", _("Global"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (widget), "cn", _("China"));
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (widget, _("Where the key was issued"));
  self->region_combo = GTK_COMBO_BOX_TEXT (widget);
  g_signal_connect_object (widget, "changed", G_CALLBACK (on_region_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_container_add (GTK_CONTAINER (box), widget);

  widget = icon_button ("document-edit-symbolic", _("Rename this account"), "rename_button");
  self->rename_button = GTK_BUTTON (widget);
  g_signal_connect_object (widget, "clicked", G_CALLBACK (on_rename_clicked), self,
                           G_CONNECT_SWAPPED);
  gtk_container_add (GTK_CONTAINER (box), widget);

  widget = icon_button ("user-trash-symbolic", _("Remove this account and delete its key"),
                        "remove_button");
  self->remove_button = GTK_BUTTON (widget);
  g_signal_connect_object (widget, "clicked", G_CALLBACK (on_remove_clicked), self,
                           G_CONNECT_SWAPPED);
  gtk_container_add (GTK_CONTAINER (box), widget);

  gtk_widget_show (box);
  gtk_container_add (GTK_CONTAINER (self), box);
}

GtkWidget *
mq_account_row_new (MqAccounts   *accounts,
                    const char   *name,
                    MqRegion      region,
                    GCancellable *cancellable)
{
  MqAccountRow *self;

  g_return_val_if_fail (MQ_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  self = g_object_new (MQ_TYPE_ACCOUNT_ROW, NULL);
  self->accounts = g_object_ref (accounts);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->name = g_strdup (name);
  build (self);
  mq_account_row_set_region (self, region);
  gtk_widget_show (GTK_WIDGET (self));

  return GTK_WIDGET (self);
}

static void
mq_account_row_destroy (GtkWidget *widget)
{
  MqAccountRow *self = MQ_ACCOUNT_ROW (widget);

  self->destroyed = TRUE;
  if (self->remove_dialog != NULL)
    gtk_widget_destroy (g_steal_pointer (&self->remove_dialog));

  GTK_WIDGET_CLASS (mq_account_row_parent_class)->destroy (widget);
}

static void
mq_account_row_finalize (GObject *object)
{
  MqAccountRow *self = MQ_ACCOUNT_ROW (object);

  g_clear_object (&self->accounts);
  g_clear_object (&self->cancellable);
  g_free (self->name);

  G_OBJECT_CLASS (mq_account_row_parent_class)->finalize (object);
}

static void
mq_account_row_class_init (MqAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mq_account_row_finalize;
  widget_class->destroy = mq_account_row_destroy;
}

static void
mq_account_row_init (MqAccountRow *self)
{
}
