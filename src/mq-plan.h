/* mq-plan.h: the name of a Token Plan, reported or inferred
 *
 * Pure. The remains answer seldom names the plan (docs/API.md, "Plan name"):
 * a title is read when one of the known fields carries it, else the tier
 * is inferred from the text lane's 5-hour allowance by the region's known
 * tiers, on an exact match only, and marked as a guess. Percent-only
 * answers (allowance 0) give no guess; neither does region AUTO, whose
 * two tables overlap (1,500 is Starter worldwide and Plus in China).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "mq-region.h"

G_BEGIN_DECLS

/* The plan title reported in @object (nullable), safe to show
 * (mq_safe_text(), MQ_SAFE_TEXT_NAME_MAX), or NULL. The fields, first
 * found wins: current_subscribe_title, plan_name, combo_title,
 * current_plan_title, plan (a string, or an object whose title or name
 * is one). Blank strings and values of another kind are skipped. */
char       *mq_plan_read_title      (JsonObject *object);

/* The tier whose 5-hour allowance in @region is exactly @five_hour_total
 * prompts or model calls: "Starter", "Plus", "Max" or "Ultra" (global
 * only); NULL for anything else (and for region AUTO). Static strings:
 * tier names are product names, not translated. */
const char *mq_plan_infer_tier      (MqRegion    region,
                                     gint64      five_hour_total);

G_END_DECLS
