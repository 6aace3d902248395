/* mq-demo.h: a built-in, changing sample served on loopback for --demo */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MQ_TYPE_DEMO (mq_demo_get_type ())
G_DECLARE_FINAL_TYPE (MqDemo, mq_demo, MQ, DEMO, GObject)

/* The key the demo server accepts; it unlocks nothing anywhere else. */
#define MQ_DEMO_API_KEY "demo-key-for-loopback-only"

/* Starts a SoupServer on 127.0.0.1 (a free port) on the thread-default
 * main context. Each answer uses fewer requests than the one before, so a
 * window crosses the warning thresholds within a few refreshes, then
 * refills; "video" is never in the plan. */
MqDemo     *mq_demo_new          (GError **error);
const char *mq_demo_get_base_url (MqDemo  *self);
guint       mq_demo_get_requests (MqDemo  *self);

/* The body of answer number @step at @now_ms (pure; exposed for tests). */
char       *mq_demo_build_body   (guint    step,
                                  gint64   now_ms);

G_END_DECLS
