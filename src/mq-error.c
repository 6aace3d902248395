/* mq-error.c: the project's error domain */
#define G_LOG_DOMAIN "mq-error"

#include "config.h"

#include "mq-error.h"

G_DEFINE_QUARK (mq-error-quark, mq_error)

int
mq_error_exit_code (const GError *error)
{
  if (error == NULL)
    return 0;

  if (error->domain != MQ_ERROR)
    return 3;

  switch ((MqError) error->code)
    {
    case MQ_ERROR_INVALID_ARGUMENT:
      return 1;
    case MQ_ERROR_NO_KEY:
    case MQ_ERROR_KEY_REJECTED:
    case MQ_ERROR_NO_PLAN:
      return 2;
    case MQ_ERROR_RATE_LIMITED:
    case MQ_ERROR_NETWORK:
    case MQ_ERROR_TIMEOUT:
    case MQ_ERROR_SERVER:
      return 3;
    case MQ_ERROR_UNREADABLE:
      return 4;
    default:
      return 3;
    }
}

const char *
mq_error_code_nick (const GError *error)
{
  if (error == NULL)
    return "none";
  if (error->domain != MQ_ERROR)
    return "network";

  switch ((MqError) error->code)
    {
    case MQ_ERROR_NO_KEY: return "no-key";
    case MQ_ERROR_KEY_REJECTED: return "key-rejected";
    case MQ_ERROR_NO_PLAN: return "no-plan";
    case MQ_ERROR_RATE_LIMITED: return "rate-limited";
    case MQ_ERROR_NETWORK: return "network";
    case MQ_ERROR_TIMEOUT: return "timeout";
    case MQ_ERROR_SERVER: return "server";
    case MQ_ERROR_UNREADABLE: return "unreadable";
    case MQ_ERROR_INVALID_ARGUMENT: return "invalid-argument";
    default: return "unknown";
    }
}
