/* mq-error.h: the project's error domain
 *
 * Every failure a user can meet maps to one of these codes; each code has a
 * message that names the cause and the fix.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MQ_ERROR (mq_error_quark ())

typedef enum {
  MQ_ERROR_NO_KEY,          /* no API key anywhere */
  MQ_ERROR_KEY_REJECTED,    /* 401/403, 1004, 2049 */
  MQ_ERROR_NO_PLAN,         /* 2062: no active Token Plan subscription */
  MQ_ERROR_RATE_LIMITED,    /* 429, 1002 */
  MQ_ERROR_NETWORK,         /* unreachable, DNS, refused, TLS */
  MQ_ERROR_TIMEOUT,         /* connect or total timeout */
  MQ_ERROR_SERVER,          /* 5xx, 408, 1000, 1024, other API codes */
  MQ_ERROR_UNREADABLE,      /* HTML, bad JSON, too large, wrong shape */
  MQ_ERROR_INVALID_ARGUMENT /* bad base URL, region, option */
} MqError;

GQuark      mq_error_quark     (void);

/* Exit status of `leeway --once` for an error:
 * 1 wrong usage, 2 no key or key rejected, 3 network/server/rate limit,
 * 4 unreadable response. */
int         mq_error_exit_code (const GError *error);

/* A stable short name for JSON and logs: "no-key", "key-rejected", ... */
const char *mq_error_code_nick (const GError *error);

G_END_DECLS
