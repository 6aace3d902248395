/* mq-preferences-parts.h: the parts of the preferences window that need
 * none of its state */
#pragma once

#include <gtk/gtk.h>

#include "mq-account.h"
#include "mq-snapshot.h"

G_BEGIN_DECLS

/* "Refresh every": the presets, and any other interval once it is set. */
void       mq_preferences_bind_refresh          (GSettings       *settings,
                                                 GtkComboBoxText *combo);

/* "Icon shows" (its first item, the text models, comes from the .ui): the
 * stored choice is always listed. */
void       mq_preferences_bind_icon_model       (GSettings       *settings,
                                                 GtkComboBoxText *combo);

/* Lists the models of @snapshot's plan, and the stored choice; a choice the
 * plan lacks says that the icon shows the text models. */
void       mq_preferences_set_icon_models       (GtkComboBoxText *combo,
                                                 GSettings       *settings,
                                                 MqSnapshot      *snapshot);

/* A separator between the rows of @list. */
void       mq_preferences_separate_rows         (GtkListBox      *list);

/* A "key-press-event" handler: Escape hides @widget. */
gboolean   mq_preferences_hide_on_escape        (GtkWidget       *widget,
                                                 GdkEventKey     *event);

/* "Remove the account “@name”?" with Cancel (the default) and a
 * destructive Remove (GTK_RESPONSE_ACCEPT); not yet shown. */
GtkWidget *mq_preferences_remove_account_dialog_new (GtkWindow  *parent,
                                                     const char *name);

/* Whether @error from libsecret means that nothing provides the Secret
 * Service (no gnome-keyring, no KeePassXC): the bus's own errors. */
gboolean   mq_preferences_keyring_missing       (const GError    *error);

/* "Key saved — 63% left", "Key in use — no limit applies", or "… — it
 * works": @stored says whether the keyring took the key, @unlimited and
 * @percent (nullable, "63%") come from the check's headline
 * (mq_wording_headline()). */
char      *mq_preferences_key_success_text      (gboolean         stored,
                                                 gboolean         unlimited,
                                                 const char      *percent);

/* The same for a pay-as-you-go key: "Key saved — $25.40 available";
 * @amount (nullable) as mq_balance_format_amount() writes it. */
char      *mq_preferences_balance_success_text  (gboolean         stored,
                                                 const char      *amount);

/* "Token Plan" or "Pay-as-you-go", for an account's row. */
const char *mq_preferences_key_kind_text        (MqKeyKind        kind);

G_END_DECLS
