/* mq-view-private.h: what mq-view.c and mq-view-accounts.c share */
#pragma once

#include "mq-view.h"

G_BEGIN_DECLS

struct _MqView {
  MqIconSpec icon;
  char      *icon_description;
  char      *label;
  char      *title;
  char      *header;
  char      *header_detail;
  GArray    *rows;
  char      *status;
  gboolean   show_upgrade;
  gboolean   show_set_key;
  gboolean   can_refresh;
  gboolean   reset_due;
};

/* Whether @input asks for one section per account: more than one
 * account, or a single pay-as-you-go one. */
gboolean  mq_view_has_account_sections (const MqViewInput *input);

/* mq_view_build() for such an input (mq-view-accounts.c). */
MqView   *mq_view_build_accounts       (const MqViewInput *input);

G_END_DECLS
