/* mq-accounts-private.h: what mq-accounts.c shares with mq-accounts-load.c */
#pragma once

#include "mq-accounts.h"

G_BEGIN_DECLS

#define KEY_ACCOUNTS "accounts"
#define KEY_MIGRATED "accounts-migrated"

struct _MqAccounts {
  GObject          parent_instance;

  GSettings       *settings;      /* NULL: no schema, or no "accounts" key */
  gboolean         has_migrated_key;
};

/* One entry of the stored list. */
typedef struct {
  char    *name;
  MqRegion region;
} Entry;

/* The state of one asynchronous operation (the GTask's data). */
typedef struct {
  char    *name;
  char    *new_name;
  MqRegion region;
  char    *key;       /* wiped when freed */
  guint    next;      /* load: the next account to look up */
  GArray  *list;      /* load: the accounts */
  GPtrArray *loaded;  /* load: MqAccount */
} OpData;

/* The stored list (an array of Entry): names that are not valid and
 * duplicates skipped, an unknown region read as auto. */
GArray   *mq_accounts_read_list   (MqAccounts          *self);

/* Appends @name, checked again (the list may have changed meanwhile). */
gboolean  mq_accounts_list_append (MqAccounts          *self,
                                   const char          *name,
                                   MqRegion             region,
                                   GError             **error);

/* A task on @self with a new OpData (@out_op) as its data. */
GTask    *mq_accounts_op_new      (MqAccounts          *self,
                                   gpointer             source_tag,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data,
                                   OpData             **out_op);

G_END_DECLS
