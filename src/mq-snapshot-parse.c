/* mq-snapshot-parse.c: mq_snapshot_parse(), a body -> MqSnapshot, never trusting the input
 *
 * The endpoint has no published schema and changed shape twice in 2026, so
 * every field is optional, numbers may be int, float or numeric string, and
 * a row with a value of the wrong kind is kept but marked unusable rather
 * than guessed at. Interpretation happens in mq-snapshot.c. A web page is
 * told from data once, by mq_response_read(); here it is just not JSON.
 */
#define G_LOG_DOMAIN "mq-snapshot-parse"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mq-error.h"
#include "mq-json-text.h"
#include "mq-plan.h"
#include "mq-region.h"
#include "mq-safe-text.h"
#include "mq-snapshot-private.h"

/* Real responses nest four levels deep; anything much deeper is hostile. */
#define MAX_NESTING MQ_JSON_TEXT_MAX_DEPTH
/* A plan lists a handful of models; bound the work a hostile body causes. */
#define MAX_ROWS 100000

#define MIN_EPOCH_MS G_GINT64_CONSTANT (946684800000)   /* 2000-01-01 */
/* Times below this are epoch seconds (docs/API.md, rule 9): in milliseconds it
 * would be 1973, in seconds it is the year 5138. */
#define SECONDS_BELOW 1e11
#define MAX_EPOCH_MS G_GINT64_CONSTANT (7258118400000)  /* 2200-01-01 */
#define MAX_DURATION_MS (G_GINT64_CONSTANT (400) * 24 * 3600 * 1000)
#define MAX_COUNT 1e15
/* A boost is a multiplier of the allowance in per mille: more than ×1,
 * at most ×100; anything else is not a boost anybody sells. */
#define MIN_BOOST_PERMILLE 1000
#define MAX_BOOST_PERMILLE 100000

typedef MqJsonField FieldResult;
#define FIELD_ABSENT MQ_JSON_FIELD_ABSENT
#define FIELD_OK     MQ_JSON_FIELD_OK
#define FIELD_BAD    MQ_JSON_FIELD_BAD

/* A plain decimal number: [+-] digits [. digits] [e [+-] digits]. No hex,
 * no inf or nan, nothing before or after (g_ascii_strtod() reads all of
 * those: "0x32" would be 50). */
static gboolean
is_plain_decimal (const char *text)
{
  const char *p = text;
  gboolean digits = FALSE;

  if (*p == '+' || *p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '+' || *p == '-')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0';
}

MqJsonField
mq_json_read_number (JsonObject *object,
                     const char *member,
                     double     *out)
{
  JsonNode *node = json_object_get_member (object, member);
  double value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FIELD_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FIELD_BAD;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = (double) json_node_get_int (node);
      break;

    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;

    case G_TYPE_STRING:
      {
        g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
        char *end = NULL;

        if (*text == '\0')
          return FIELD_ABSENT;
        if (!is_plain_decimal (text))
          return FIELD_BAD;
        value = g_ascii_strtod (text, &end);
        if (end == text || *end != '\0')
          return FIELD_BAD;
      }
      break;

    default:
      return FIELD_BAD;
    }

  if (!isfinite (value))
    return FIELD_BAD;

  *out = value;
  return FIELD_OK;
}

/* A number within [min, max]; outside it the value is of the wrong kind. */
static FieldResult
read_in_range (JsonObject *object,
               const char *member,
               double      min,
               double      max,
               double     *out)
{
  FieldResult result = mq_json_read_number (object, member, out);

  if (result == FIELD_OK && (*out < min || *out > max))
    return FIELD_BAD;
  return result;
}

/* Counts: whole, non-negative, below an absurd bound. */
static FieldResult
read_count (JsonObject *object,
            const char *member,
            gboolean   *has,
            gint64     *out)
{
  double value = 0;
  FieldResult result = read_in_range (object, member, 0, MAX_COUNT, &value);

  if (result == FIELD_OK)
    {
      *has = TRUE;
      *out = (gint64) llround (value);
    }
  return result;
}

static FieldResult
read_percent (JsonObject *object,
              const char *member,
              gboolean   *has,
              double     *out)
{
  double value = 0;
  FieldResult result = read_in_range (object, member, 0, 100, &value);

  if (result == FIELD_OK)
    {
      *has = TRUE;
      *out = value;
    }
  return result;
}

/* Statuses other than 1, 2, 3 carry no meaning we know: ignored. */
static FieldResult
read_status (JsonObject *object,
             const char *member,
             gboolean   *has,
             gint64     *out)
{
  double value = 0;
  FieldResult result = mq_json_read_number (object, member, &value);

  if (result != FIELD_OK)
    return result;
  if (value != 1 && value != 2 && value != 3)
    return FIELD_ABSENT;

  *has = TRUE;
  *out = (gint64) value;
  return FIELD_OK;
}

/* Times are tolerated when wrong (the reset falls back to the other of
 * end_time and remains_time): an out-of-range value is simply absent. An
 * @epoch time is in milliseconds, or in seconds below SECONDS_BELOW; a
 * duration is in milliseconds. */
static void
read_time_ms (JsonObject *object,
              const char *member,
              gboolean    epoch,
              gboolean   *has,
              gint64     *out)
{
  double value = 0;

  if (mq_json_read_number (object, member, &value) != FIELD_OK)
    return;
  if (epoch && value > 0 && value < SECONDS_BELOW)
    value *= 1000;
  if (epoch ? value < MIN_EPOCH_MS || value > MAX_EPOCH_MS
            : value < 0 || value > MAX_DURATION_MS)
    return;

  *has = TRUE;
  *out = (gint64) value;
}

static void
read_boost (JsonObject        *object,
            const char * const *members,
            gboolean          *has,
            double            *out)
{
  for (guint i = 0; members[i] != NULL; i++)
    {
      double value = 0;

      if (mq_json_read_number (object, members[i], &value) != FIELD_OK)
        continue;
      if (value <= MIN_BOOST_PERMILLE || value > MAX_BOOST_PERMILLE)
        continue;

      *has = TRUE;
      *out = value;
      return;
    }
}

typedef struct {
  const char *total;
  const char *usage;
  const char *remaining_aliases[3];
  const char *used_alias;
  const char *percent;
  const char *status;
  const char *boost[5];
  const char *start;
  const char *end;
  const char *remains;
} WindowFields;

static const WindowFields interval_fields = {
  "current_interval_total_count",
  "current_interval_usage_count",
  { "current_interval_remaining_count", "current_interval_remains_count", NULL },
  "current_interval_used_count",
  "current_interval_remaining_percent",
  "current_interval_status",
  { "interval_boost_permille", "interval_boost_permill",
    "current_interval_boost_permille", "current_interval_boost_permill", NULL },
  "start_time",
  "end_time",
  "remains_time",
};

static const WindowFields weekly_fields = {
  "current_weekly_total_count",
  "current_weekly_usage_count",
  { "current_weekly_remaining_count", "current_weekly_remains_count", NULL },
  "current_weekly_used_count",
  "current_weekly_remaining_percent",
  "current_weekly_status",
  { "weekly_boost_permille", "weekly_boost_permill",
    "current_weekly_boost_permille", "current_weekly_boost_permill", NULL },
  "weekly_start_time",
  "weekly_end_time",
  "weekly_remains_time",
};

/* Returns FALSE when a counted field held a value of the wrong kind. */
static gboolean
read_window (JsonObject         *row,
             const WindowFields *fields,
             MqRawWindow        *raw)
{
  gboolean ok = TRUE;

  ok &= read_count (row, fields->total, &raw->has_total, &raw->total) != FIELD_BAD;
  ok &= read_count (row, fields->usage, &raw->has_usage, &raw->usage) != FIELD_BAD;
  for (guint i = 0; fields->remaining_aliases[i] != NULL && !raw->has_remaining_alias; i++)
    ok &= read_count (row, fields->remaining_aliases[i],
                      &raw->has_remaining_alias, &raw->remaining_alias) != FIELD_BAD;
  ok &= read_count (row, fields->used_alias, &raw->has_used_alias, &raw->used_alias) != FIELD_BAD;
  ok &= read_percent (row, fields->percent, &raw->has_percent, &raw->percent) != FIELD_BAD;
  ok &= read_status (row, fields->status, &raw->has_status, &raw->status) != FIELD_BAD;

  read_boost (row, fields->boost, &raw->has_boost, &raw->boost_permille);
  read_time_ms (row, fields->start, TRUE, &raw->has_start, &raw->start_ms);
  read_time_ms (row, fields->end, TRUE, &raw->has_end, &raw->end_ms);
  read_time_ms (row, fields->remains, FALSE, &raw->has_remains, &raw->remains_ms);

  return ok;
}

static gboolean
window_has_quota (const MqRawWindow *raw)
{
  return raw->has_total || raw->has_usage || raw->has_remaining_alias ||
         raw->has_used_alias || raw->has_percent || raw->has_status;
}

/* Whether a row carries any number of a quota. */
static gboolean
row_has_quota (const MqRawRow *raw)
{
  return window_has_quota (&raw->interval) || window_has_quota (&raw->weekly);
}

/* The name of a row without one, from its window: a daily window is a
 * daily quota, anything else (a 5-hour window, or none said) the text
 * lane of the older count-based plans. */
static const char *
unnamed_row_name (const MqRawWindow *interval)
{
  if (interval->has_start && interval->has_end &&
      interval->end_ms - interval->start_ms >= 20 * 3600 * G_GINT64_CONSTANT (1000) &&
      interval->end_ms - interval->start_ms <= 28 * 3600 * G_GINT64_CONSTANT (1000))
    return MQ_MODEL_NAME_UNNAMED_DAILY;

  return MQ_MODEL_NAME_UNNAMED_TEXT;
}

/* Whether a body that is not valid JSON failed on its depth (json-glib
 * recurses per level). Strings are skipped, escapes included. */
static gboolean
nesting_within (const char *data,
                gsize       length,
                guint       limit)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '{':
        case '[':
          if (++depth > limit)
            return FALSE;
          break;
        case '}':
        case ']':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

static gboolean
check_api_status (JsonObject  *base_resp,
                  gboolean     balance,
                  GError     **error)
{
  double code = 0;

  /* A code is a whole number of a sane size: 1e23 or 0.5 is no code at
   * all, and must not reach a message as "error code -1" or "0". */
  if (mq_json_read_number (base_resp, "status_code", &code) == FIELD_BAD ||
      code != floor (code) || fabs (code) > G_MAXINT32)
    {
      g_set_error (error, MQ_ERROR, MQ_ERROR_UNREADABLE,
                   _("MiniMax answered with a status this version cannot read. Try again later; if it persists, update Leeway."));
      return FALSE;
    }

  if (code == 0)
    return TRUE;

  switch ((gint64) code)
    {
    case 1004:
      if (balance)
        g_set_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                     _("MiniMax did not accept the API key (MiniMax code 1004). Check that it is a pay-as-you-go key (sk-api-…) and was copied whole."));
      else
        g_set_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                     _("MiniMax did not accept the API key (MiniMax code 1004). Check that it is a Token Plan key (sk-cp-…) and was copied whole."));
      break;
    case 2049:
      g_set_error (error, MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                   _("The API key was rejected (MiniMax code 2049). Check the key and its region: keys are per region."));
      break;
    case 2062:
      g_set_error (error, MQ_ERROR, MQ_ERROR_NO_PLAN,
                   _("This account has no active Token Plan (MiniMax code 2062). Subscribe to a plan, or check that the key belongs to the account that has one."));
      break;
    case 1008:
      g_set_error (error, MQ_ERROR, MQ_ERROR_NO_PLAN,
                   _("The account balance is insufficient (MiniMax code 1008). Top up or renew the plan."));
      break;
    case 1002:
      g_set_error (error, MQ_ERROR, MQ_ERROR_RATE_LIMITED,
                   _("MiniMax is limiting how often quota can be checked (MiniMax code 1002). It will be checked again later."));
      break;
    case 1000:
    case 1024:
      g_set_error (error, MQ_ERROR, MQ_ERROR_SERVER,
                   _("MiniMax reported an internal error (MiniMax code %d). Try again later."),
                   (int) code);
      break;
    default:
      g_set_error (error, MQ_ERROR, MQ_ERROR_SERVER,
                   _("MiniMax answered with error code %.0f. Try again later."),
                   code);
      break;
    }

  return FALSE;
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static gboolean
unreadable (GError     **error,
            const char  *message)
{
  g_set_error_literal (error, MQ_ERROR, MQ_ERROR_UNREADABLE, message);
  return FALSE;
}

/* docs/API.md, "Plan name": a title at the top level, inside "data", or in the
 * first row. */
static char *
read_plan_title (JsonObject *top,
                 JsonObject *payload,
                 JsonArray  *rows)
{
  JsonObject *wrapped = member_object (top, "data");
  char *title = mq_plan_read_title (top);

  if (title == NULL && payload != top)
    title = mq_plan_read_title (payload);
  if (title == NULL && wrapped != NULL && wrapped != payload)
    title = mq_plan_read_title (wrapped);
  if (title == NULL && json_array_get_length (rows) > 0)
    {
      JsonNode *first = json_array_get_element (rows, 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        title = mq_plan_read_title (json_node_get_object (first));
    }
  return title;
}

JsonParser *
mq_json_load_object (const char  *data,
                     gsize        length,
                     JsonObject **out_top,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (out_top != NULL, NULL);

  if (length == 0)
    {
      unreadable (error, _("MiniMax sent an empty answer. Try again later."));
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, NULL))
    {
      unreadable (error, _("MiniMax sent text that is not valid UTF-8. Try again later; if it persists, update Leeway."));
      return NULL;
    }

  /* json-glib 1.6 is lenient (single quotes, comments, several values)
   * and leaks memory on some of what it accepts or refuses, and recurses
   * per nesting level: it only ever sees one JSON text of sane depth. */
  if (!mq_json_text_is_valid (data, length))
    {
      /* Only on failure: say which, without a second pass on good data. */
      if (!nesting_within (data, length, MAX_NESTING))
        unreadable (error, _("MiniMax sent data nested too deeply to be quota data. Try again later."));
      else
        unreadable (error, _("MiniMax sent data that is not valid JSON. Try again later; if it persists, update Leeway."));
      return NULL;
    }

  /* A mutable tree: sealing every node (json_parser_new_immutable) costs
   * 7% of the parse for a tree that is read once and freed. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_debug ("Response is not JSON (%zu bytes)", length);
      unreadable (error, _("MiniMax sent data that is not valid JSON. Try again later; if it persists, update Leeway."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      unreadable (error, _("MiniMax sent JSON of an unexpected shape. Try again later; if it persists, update Leeway."));
      return NULL;
    }

  *out_top = json_node_get_object (root);
  return g_steal_pointer (&parser);
}

gboolean
mq_json_check_base_resp (JsonObject  *top,
                         JsonObject  *payload,
                         gboolean     balance,
                         GError     **error)
{
  JsonObject *base_resp = member_object (top, "base_resp");

  if (base_resp == NULL)
    base_resp = member_object (payload, "base_resp");

  return base_resp == NULL || check_api_status (base_resp, balance, error);
}

/* One row read and interpreted into @out (its name a new copy); FALSE for
 * a row that is skipped (not an object, or neither a name nor numbers). */
static gboolean
read_row (JsonArray *rows,
          guint      i,
          gint64     now_ms,
          MqModel   *out)
{
  JsonNode *row_node = json_array_get_element (rows, i);
  JsonObject *row;
  JsonNode *name_node;
  g_autofree char *safe_name = NULL;
  MqRawRow raw = { 0 };

  if (!JSON_NODE_HOLDS_OBJECT (row_node))
    {
      g_debug ("Skipping quota row %u: not an object", i);
      return FALSE;
    }

  row = json_node_get_object (row_node);
  if (!read_window (row, &interval_fields, &raw.interval))
    raw.malformed = TRUE;
  if (!read_window (row, &weekly_fields, &raw.weekly))
    raw.malformed = TRUE;

  name_node = json_object_get_member (row, "model_name");
  if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node) &&
      json_node_get_value_type (name_node) == G_TYPE_STRING &&
      *json_node_get_string (name_node) != '\0')
    {
      /* Never shown raw (controls, bidi overrides, endless names); a
       * \ud800 escape is not UTF-8 once decoded either. */
      raw.name = safe_name = mq_safe_text (json_node_get_string (name_node), -1,
                                           MQ_SAFE_TEXT_NAME_MAX);
    }
  else if (row_has_quota (&raw))
    {
      /* Rule 9: older accounts send rows without a name; a row with
       * numbers is kept, named by its window. */
      raw.name = unnamed_row_name (&raw.interval);
    }
  else
    {
      g_debug ("Skipping quota row %u: no model name", i);
      return FALSE;
    }

  mq_model_interpret (&raw, now_ms, out);
  return TRUE;
}

/* Which rows an answer of more than MQ_SNAPSHOT_MAX_MODELS keeps: the
 * text lane's and 5-hour windows first (the headline is among them), then
 * the other models in the plan, then unreadable rows, then those not in
 * the plan; in the order of the answer within each. */
typedef enum {
  KEEP_TEXT,
  KEEP_IN_PLAN,
  KEEP_UNUSABLE,
  KEEP_NOT_IN_PLAN,
  N_KEEP_RANKS,
  KEEP_SKIPPED = N_KEEP_RANKS,
} KeepRank;

static KeepRank
keep_rank (const MqModel *model)
{
  if (!model->usable)
    return KEEP_UNUSABLE;
  if (!model->in_plan)
    return KEEP_NOT_IN_PLAN;
  if (model->lane == MQ_LANE_TEXT || model->interval.period == MQ_PERIOD_FIVE_HOUR)
    return KEEP_TEXT;
  return KEEP_IN_PLAN;
}

/* Every row of @rows into @models, at most MQ_SNAPSHOT_MAX_MODELS of them;
 * returns how many readable rows were left out. A hostile answer of
 * 20,000 rows would otherwise be carried whole into every report, menu
 * and alert; past the limit the rows are read twice (once to rank, once
 * to keep) so that no more than the kept names are ever held at once. */
static guint
read_rows (JsonArray *rows,
           gint64     now_ms,
           GArray    *models)
{
  guint n_rows = json_array_get_length (rows);
  g_autofree guint8 *ranks = NULL;
  guint per_rank[N_KEEP_RANKS] = { 0 };
  guint quota[N_KEEP_RANKS] = { 0 };
  guint left = MQ_SNAPSHOT_MAX_MODELS;
  guint n_read = 0;

  if (n_rows <= MQ_SNAPSHOT_MAX_MODELS)
    {
      for (guint i = 0; i < n_rows; i++)
        {
          MqModel model;

          if (read_row (rows, i, now_ms, &model))
            g_array_append_val (models, model);
        }
      return 0;
    }

  ranks = g_new (guint8, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      MqModel model;

      if (!read_row (rows, i, now_ms, &model))
        {
          ranks[i] = KEEP_SKIPPED;
          continue;
        }
      ranks[i] = keep_rank (&model);
      per_rank[ranks[i]]++;
      n_read++;
      g_free (model.name);
    }

  for (guint r = 0; r < N_KEEP_RANKS; r++)
    {
      quota[r] = MIN (per_rank[r], left);
      left -= quota[r];
    }

  for (guint i = 0; i < n_rows; i++)
    {
      MqModel model;

      if (ranks[i] == KEEP_SKIPPED || quota[ranks[i]] == 0)
        continue;
      quota[ranks[i]]--;
      if (read_row (rows, i, now_ms, &model))
        g_array_append_val (models, model);
    }

  g_debug ("The answer lists %u models; %u kept", n_read, models->len);
  return n_read - models->len;
}

MqSnapshot *
mq_snapshot_parse (const char  *data,
                   gsize        length,
                   gint64       now_ms,
                   MqRegion     region,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) models = NULL;
  JsonObject *top = NULL, *payload;
  JsonNode *rows_node = NULL;
  JsonArray *rows;
  guint n_rows, n_omitted;
  MqSnapshot *snapshot;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  parser = mq_json_load_object (data, length, &top, error);
  if (parser == NULL)
    return NULL;

  /* The web/cookie variant wraps the payload in {"data": {...}}. */
  payload = top;
  if (!json_object_has_member (top, "model_remains") && member_object (top, "data") != NULL)
    payload = member_object (top, "data");

  if (!mq_json_check_base_resp (top, payload, FALSE, error))
    return NULL;

  rows_node = json_object_get_member (payload, "model_remains");
  if (rows_node == NULL || JSON_NODE_HOLDS_NULL (rows_node))
    {
      unreadable (error, _("MiniMax’s answer holds no quota data. Try again later; if it persists, update Leeway."));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (rows_node))
    {
      unreadable (error, _("MiniMax sent quota data of an unexpected shape. Try again later; if it persists, update Leeway."));
      return NULL;
    }

  rows = json_node_get_array (rows_node);
  n_rows = json_array_get_length (rows);
  if (n_rows > MAX_ROWS)
    {
      unreadable (error, _("MiniMax sent far more quota rows than any plan has. Try again later."));
      return NULL;
    }

  models = g_array_sized_new (FALSE, TRUE, sizeof (MqModel), MIN (n_rows, MQ_SNAPSHOT_MAX_MODELS));
  n_omitted = read_rows (rows, now_ms, models);

  snapshot = mq_snapshot_new_take (g_steal_pointer (&models), now_ms, region);
  mq_snapshot_set_plan_title_take (snapshot, read_plan_title (top, payload, rows));
  mq_snapshot_set_n_omitted (snapshot, n_omitted);
  return snapshot;
}
