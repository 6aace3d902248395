/* mq-fetch-plan.c: the host × path plan of one fetch
 *
 * Which attempt comes next and what a failure means for the others, as
 * docs/API.md has it: a legacy path is tried only after the current one failed
 * with 404/405, a network error or an unreadable body; a host that cannot
 * be reached is not tried on later paths; a rejected key ends the walk,
 * or under region AUTO only the hosts of that region.
 */
#define G_LOG_DOMAIN "mq-client"

#include "config.h"

#include <string.h>

#include "mq-error.h"
#include "mq-fetch-plan.h"

#define N_REGIONS (MQ_REGION_CN + 1)
#define HTTP_NOT_FOUND          404
#define HTTP_METHOD_NOT_ALLOWED 405

/* How much an error tells the user, least first; the highest one met is
 * reported when every attempt failed. */
typedef enum {
  RANK_NOT_FOUND,
  RANK_NETWORK,
  RANK_TIMEOUT,
  RANK_UNREADABLE,
  RANK_SERVER,
  RANK_RATE_LIMITED,
  RANK_NO_PLAN,
  RANK_KEY_REJECTED,
} Rank;

/* What a failed attempt means for the rest of the plan. */
typedef enum {
  NEXT_HOST,          /* try the other hosts on this path */
  NEXT_HOST_AND_PATH, /* and this host again on the next path */
  NEXT_HOST_DEAD,     /* this host is unreachable: not on later paths */
  SKIP_REGION,        /* key rejected under AUTO: no more hosts of this region */
  STOP,               /* no other host can change the answer */
} Next;

typedef struct {
  char    *base_url;
  char    *name;          /* host[:port], for messages and debug logs */
  MqRegion region;
  gboolean dead;
  gboolean try_now;       /* on the current path */
  gboolean try_next;      /* on the next path */
} Host;

struct _MqFetchPlan {
  const char * const *paths;
  GPtrArray          *hosts;
  guint               path_index;
  guint               host_index;
  gboolean            started;
  gboolean            auto_regions;
  gboolean            region_rejected[N_REGIONS];

  GError             *best_error;
  Rank                best_rank;
};

static void
host_free (gpointer data)
{
  Host *host = data;

  g_free (host->base_url);
  g_free (host->name);
  g_free (host);
}

static Host *
host_new (const char *base_url,
          MqRegion    region)
{
  Host *host = g_new0 (Host, 1);
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  const char *name = uri != NULL ? g_uri_get_host (uri) : NULL;

  host->base_url = g_strdup (base_url);
  if (name == NULL || *name == '\0')
    host->name = g_strdup (base_url);
  else if (g_uri_get_port (uri) > 0)
    host->name = g_strdup_printf (strchr (name, ':') != NULL ? "[%s]:%d" : "%s:%d",
                                  name, g_uri_get_port (uri));
  else
    host->name = g_strdup (name);
  host->region = region;
  host->try_now = TRUE;

  return host;
}

MqFetchPlan *
mq_fetch_plan_new (const char * const *paths,
                   gboolean            auto_regions)
{
  MqFetchPlan *plan;

  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);

  plan = g_new0 (MqFetchPlan, 1);
  plan->paths = paths;
  plan->hosts = g_ptr_array_new_with_free_func (host_free);
  plan->auto_regions = auto_regions;

  return plan;
}

void
mq_fetch_plan_free (MqFetchPlan *plan)
{
  if (plan == NULL)
    return;

  g_ptr_array_unref (plan->hosts);
  g_clear_error (&plan->best_error);
  g_free (plan);
}

void
mq_fetch_plan_add_host (MqFetchPlan *plan,
                        const char  *base_url,
                        MqRegion     region)
{
  g_return_if_fail (plan != NULL && base_url != NULL);
  g_return_if_fail (region < N_REGIONS);

  g_ptr_array_add (plan->hosts, host_new (base_url, region));
}

static Host *
current_host (MqFetchPlan *plan)
{
  g_return_val_if_fail (plan->started && plan->host_index < plan->hosts->len, NULL);

  return g_ptr_array_index (plan->hosts, plan->host_index);
}

/* Moves to the next path with the hosts that earned another try there.
 * FALSE when there is none. */
static gboolean
advance_path (MqFetchPlan *plan)
{
  gboolean any = FALSE;

  if (plan->paths[plan->path_index + 1] == NULL)
    return FALSE;

  plan->path_index++;
  plan->host_index = 0;

  for (guint i = 0; i < plan->hosts->len; i++)
    {
      Host *host = g_ptr_array_index (plan->hosts, i);

      host->try_now = host->try_next && !host->dead && !plan->region_rejected[host->region];
      host->try_next = FALSE;
      any = any || host->try_now;
    }

  return any;
}

gboolean
mq_fetch_plan_next (MqFetchPlan *plan)
{
  g_return_val_if_fail (plan != NULL, FALSE);

  if (plan->started)
    plan->host_index++;
  plan->started = TRUE;

  for (;;)
    {
      Host *host;

      if (plan->host_index >= plan->hosts->len)
        {
          if (!advance_path (plan))
            return FALSE;
          continue;
        }

      host = g_ptr_array_index (plan->hosts, plan->host_index);
      if (host->try_now && !host->dead && !plan->region_rejected[host->region])
        return TRUE;
      plan->host_index++;
    }
}

const char *
mq_fetch_plan_get_base_url (MqFetchPlan *plan)
{
  return current_host (plan)->base_url;
}

const char *
mq_fetch_plan_get_host_name (MqFetchPlan *plan)
{
  return current_host (plan)->name;
}

const char *
mq_fetch_plan_get_path (MqFetchPlan *plan)
{
  return plan->paths[plan->path_index];
}

MqRegion
mq_fetch_plan_get_region (MqFetchPlan *plan)
{
  return current_host (plan)->region;
}

static Rank
rank_for_error (const GError *error)
{
  if (error->domain != MQ_ERROR)
    return RANK_NETWORK;

  switch ((MqError) error->code)
    {
    case MQ_ERROR_KEY_REJECTED: return RANK_KEY_REJECTED;
    case MQ_ERROR_NO_PLAN: return RANK_NO_PLAN;
    case MQ_ERROR_RATE_LIMITED: return RANK_RATE_LIMITED;
    case MQ_ERROR_SERVER: return RANK_SERVER;
    case MQ_ERROR_UNREADABLE: return RANK_UNREADABLE;
    case MQ_ERROR_TIMEOUT: return RANK_TIMEOUT;
    case MQ_ERROR_NO_KEY:
    case MQ_ERROR_INVALID_ARGUMENT:
    case MQ_ERROR_NETWORK:
    default: return RANK_NETWORK;
    }
}

/* Keeps @error (taken) when it says more than the best one so far; among
 * equals the first wins: it came from the host tried first. */
static void
record_error (MqFetchPlan *plan,
              GError      *error,
              Rank         rank)
{
  if (plan->best_error == NULL || rank > plan->best_rank)
    {
      g_clear_error (&plan->best_error);
      plan->best_error = error;
      plan->best_rank = rank;
    }
  else
    {
      g_error_free (error);
    }
}

void
mq_fetch_plan_record (MqFetchPlan *plan,
                      GError      *error)
{
  g_return_if_fail (plan != NULL && error != NULL);

  record_error (plan, error, rank_for_error (error));
}

/* What @error met on an attempt means for the rest of the plan. */
static Next
next_after (MqFetchPlan  *plan,
            const GError *error,
            guint         status,
            Rank         *rank)
{
  *rank = rank_for_error (error);
  if (error->domain != MQ_ERROR)
    return NEXT_HOST;

  switch ((MqError) error->code)
    {
    case MQ_ERROR_KEY_REJECTED:
      /* Keys are per region: under AUTO the other region may still accept it. */
      return plan->auto_regions ? SKIP_REGION : STOP;
    case MQ_ERROR_NO_PLAN:
    case MQ_ERROR_RATE_LIMITED:
      return STOP;
    case MQ_ERROR_UNREADABLE:
      return NEXT_HOST_AND_PATH;
    case MQ_ERROR_SERVER:
      if (status == HTTP_NOT_FOUND || status == HTTP_METHOD_NOT_ALLOWED)
        {
          *rank = RANK_NOT_FOUND;
          return NEXT_HOST_AND_PATH;
        }
      return NEXT_HOST;
    case MQ_ERROR_NETWORK:
    case MQ_ERROR_TIMEOUT:
      /* No answer in time, or none at all: this host is unreachable. */
      return NEXT_HOST_DEAD;
    case MQ_ERROR_NO_KEY:
    case MQ_ERROR_INVALID_ARGUMENT:
    default:
      return NEXT_HOST;
    }
}

gboolean
mq_fetch_plan_fail (MqFetchPlan *plan,
                    GError      *error,
                    guint        status)
{
  Host *host = current_host (plan);
  Rank rank;
  Next next;

  g_return_val_if_fail (error != NULL, FALSE);

  next = next_after (plan, error, status, &rank);
  record_error (plan, error, rank);

  switch (next)
    {
    case STOP:
      return FALSE;
    case NEXT_HOST_AND_PATH:
      host->try_next = TRUE;
      break;
    case NEXT_HOST_DEAD:
      host->dead = TRUE;
      break;
    case SKIP_REGION:
      plan->region_rejected[host->region] = TRUE;
      break;
    case NEXT_HOST:
    default:
      break;
    }

  return TRUE;
}

GError *
mq_fetch_plan_take_error (MqFetchPlan *plan)
{
  g_return_val_if_fail (plan != NULL, NULL);

  return g_steal_pointer (&plan->best_error);
}
