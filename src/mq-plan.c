/* mq-plan.c: the name of a Token Plan, reported or inferred */
#define G_LOG_DOMAIN "mq-plan"

#include "config.h"

#include "mq-plan.h"
#include "mq-safe-text.h"

static const char * const title_fields[] = {
  "current_subscribe_title",
  "plan_name",
  "combo_title",
  "current_plan_title",
  NULL,
};

/* A non-blank string member of @object, sanitized; NULL otherwise. */
static char *
read_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *safe = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  safe = mq_safe_text (json_node_get_string (node), -1, MQ_SAFE_TEXT_NAME_MAX);
  if (safe == NULL || *g_strstrip (safe) == '\0')
    return NULL;
  return g_steal_pointer (&safe);
}

char *
mq_plan_read_title (JsonObject *object)
{
  JsonNode *plan;

  if (object == NULL)
    return NULL;

  for (guint i = 0; title_fields[i] != NULL; i++)
    {
      char *title = read_string (object, title_fields[i]);

      if (title != NULL)
        return title;
    }

  plan = json_object_get_member (object, "plan");
  if (plan == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (plan))
    return read_string (object, "plan");
  if (JSON_NODE_HOLDS_OBJECT (plan))
    {
      JsonObject *inner = json_node_get_object (plan);
      char *title = read_string (inner, "title");

      return title != NULL ? title : read_string (inner, "name");
    }
  return NULL;
}

typedef struct {
  const char *name;
  gint64      prompts;
  gint64      model_calls;
} Tier;

/* docs/API.md, "Plan name": the 5-hour allowance of each tier (1 prompt is
 * about 15 model calls). */
static const Tier global_tiers[] = {
  { "Starter", 100, 1500 },
  { "Plus", 300, 4500 },
  { "Max", 1000, 15000 },
  { "Ultra", 2000, 30000 },
};

static const Tier cn_tiers[] = {
  { "Starter", 40, 600 },
  { "Plus", 100, 1500 },
  { "Max", 300, 4500 },
};

const char *
mq_plan_infer_tier (MqRegion region,
                    gint64   five_hour_total)
{
  const Tier *tiers;
  gsize n_tiers;

  switch (region)
    {
    case MQ_REGION_GLOBAL:
      tiers = global_tiers;
      n_tiers = G_N_ELEMENTS (global_tiers);
      break;
    case MQ_REGION_CN:
      tiers = cn_tiers;
      n_tiers = G_N_ELEMENTS (cn_tiers);
      break;
    case MQ_REGION_AUTO:
    default:
      return NULL;
    }

  if (five_hour_total <= 0)
    return NULL;

  for (gsize i = 0; i < n_tiers; i++)
    if (five_hour_total == tiers[i].prompts || five_hour_total == tiers[i].model_calls)
      return tiers[i].name;

  return NULL;
}
