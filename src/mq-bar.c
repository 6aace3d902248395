/* mq-bar.c: one status-bar line from the quota report (Waybar, Polybar, i3blocks) */
#define G_LOG_DOMAIN "mq-bar"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mq-bar.h"
#include "mq-format.h"

#define COLOUR_OK        "#2EC27E"
#define COLOUR_LOW       "#E5A50A"
#define COLOUR_CRITICAL  "#E01B24"
#define COLOUR_EXHAUSTED "#C01C28"
#define COLOUR_UNKNOWN   "#9A9996"
#define COLOUR_ERROR     "#E01B24"

static const char * const format_names[] = {
  [MQ_BAR_FORMAT_WAYBAR] = "waybar",
  [MQ_BAR_FORMAT_POLYBAR] = "polybar",
  [MQ_BAR_FORMAT_I3BLOCKS] = "i3blocks",
  [MQ_BAR_FORMAT_JSON] = "json",
};

gboolean
mq_bar_format_from_string (const char  *name,
                           MqBarFormat *out_format)
{
  g_return_val_if_fail (out_format != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (format_names); i++)
    if (g_str_equal (name, format_names[i]))
      {
        *out_format = (MqBarFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
mq_bar_format_to_string (MqBarFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), NULL);

  return format_names[format];
}

/* ---- Reading the document ---------------------------------------------- */

/* What a bar shows, read from the document. */
typedef struct {
  JsonObject *root;           /* NULL: no report */
  gboolean    is_error;
  const char *error_code;     /* of an error document, or NULL */
  const char *error_message;  /* of an error document, or the Error property */
  const char *state;          /* ok, low, critical, exhausted, unknown */
  double      percent;        /* headline, MQ_PERCENT_UNKNOWN (-1) when unknown */
  gboolean    unlimited;
  gint64      resets_at_ms;   /* headline, 0 unknown */
  gint64      fetched_at_ms;  /* 0 unknown */
  gboolean    stale;
} Bar;

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_boolean (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* A number (int or float) >= 0, else -1. */
static double
member_percent (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type;
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1.0;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    return -1.0;
  return isnan (value) || value < 0 ? -1.0 : MIN (value, 100.0);
}

/* An ISO 8601 member as epoch ms, 0 when absent or unreadable. */
static gint64
member_time_ms (JsonObject *object,
                const char *name)
{
  const char *text = member_string (object, name);
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return 0;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_unix (time) * 1000 : 0;
}

static const char *
valid_state (const char *state)
{
  static const char * const states[] = { "ok", "low", "critical", "exhausted" };

  for (guint i = 0; state != NULL && i < G_N_ELEMENTS (states); i++)
    if (g_str_equal (state, states[i]))
      return states[i];
  return "unknown";
}

static gboolean
bar_read (Bar        *bar,
          JsonParser *parser,
          const char *report_json,
          gboolean    stale,
          const char *error_message)
{
  JsonNode *root;
  JsonObject *headline;
  JsonObject *error;

  memset (bar, 0, sizeof *bar);
  bar->state = "unknown";
  bar->percent = -1.0;
  bar->stale = stale;
  bar->error_message = error_message != NULL && *error_message != '\0' ? error_message : NULL;

  if (report_json == NULL || *report_json == '\0')
    {
      bar->is_error = bar->error_message != NULL;
      return TRUE;
    }

  if (!json_parser_load_from_data (parser, report_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      bar->is_error = TRUE;
      bar->error_code = "unreadable";
      bar->error_message = _("The quota report could not be read.");
      return FALSE;
    }
  bar->root = json_node_get_object (root);

  error = member_object (bar->root, "error");
  if (error != NULL)
    {
      bar->is_error = TRUE;
      bar->error_code = member_string (error, "code");
      bar->error_message = member_string (error, "message");
      if (bar->error_message == NULL)
        bar->error_message = _("The quota could not be fetched.");
      bar->root = NULL;
      return TRUE;
    }

  headline = member_object (bar->root, "headline");
  bar->state = valid_state (member_string (headline, "state"));
  bar->percent = member_percent (headline, "remaining_percent");
  bar->unlimited = member_boolean (headline, "unlimited");
  bar->resets_at_ms = member_time_ms (headline, "resets_at");
  bar->fetched_at_ms = member_time_ms (bar->root, "fetched_at");
  return TRUE;
}

/* "63%", "∞" for no limit, "—" when there is no number. */
static char *
bar_text (const Bar *bar)
{
  if (bar->is_error)
    return g_strdup ("!");
  if (bar->unlimited && bar->percent < 0)
    return g_strdup ("∞");
  return mq_format_percent (bar->percent);
}

static gboolean
bar_has_number (const Bar *bar)
{
  return !bar->is_error && (bar->percent >= 0 || bar->unlimited);
}

static const char *
bar_colour (const Bar *bar)
{
  if (bar->is_error)
    return COLOUR_ERROR;
  if (g_str_equal (bar->state, "ok"))
    return COLOUR_OK;
  if (g_str_equal (bar->state, "low"))
    return COLOUR_LOW;
  if (g_str_equal (bar->state, "critical"))
    return COLOUR_CRITICAL;
  if (g_str_equal (bar->state, "exhausted"))
    return COLOUR_EXHAUSTED;
  return COLOUR_UNKNOWN;
}

/* ---- Tooltip ----------------------------------------------------------- */

static const char *
window_label (JsonObject *window,
              gboolean    weekly)
{
  /* "window_kind" names the window whatever its length today ("period"
   * is "4h" for the last 5-hour block of a day). */
  const char *kind = member_string (window, "window_kind");

  if (g_strcmp0 (kind, "5-hour") == 0)
    return _("5-hour window");
  if (g_strcmp0 (kind, "daily") == 0)
    return _("daily");
  if (g_strcmp0 (kind, "weekly") == 0 || weekly)
    return _("weekly");
  return _("current window");
}

static void
append_window (GString    *out,
               const char *model_name,
               JsonObject *window,
               gboolean    weekly,
               gint64      now_ms)
{
  JsonObject *forecast = member_object (window, "forecast");
  g_autofree char *percent = NULL;
  g_autofree char *reset = NULL;
  gint64 resets_at_ms;
  gint64 runs_out_ms;

  g_string_append_c (out, '\n');
  if (member_boolean (window, "unlimited"))
    {
      /* Translators: a tooltip line: "Text models, weekly: unlimited" */
      g_string_append_printf (out, _("%s, %s: unlimited"),
                              model_name, window_label (window, weekly));
      return;
    }

  percent = mq_format_percent (member_percent (window, "remaining_percent"));
  resets_at_ms = member_time_ms (window, "resets_at");
  reset = resets_at_ms != 0 ? mq_format_reset (resets_at_ms, now_ms) : NULL;
  if (reset != NULL)
    /* Translators: a tooltip line: "Text models, 5-hour window: 63% left,
     * resets in 2h 30m (16:30)"; the last %s is "resets in 2h 30m (16:30)"
     * or "reset due" */
    g_string_append_printf (out, _("%s, %s: %s left, %s"),
                            model_name, window_label (window, weekly), percent, reset);
  else
    /* Translators: a tooltip line: "Text models, weekly: 96% left" */
    g_string_append_printf (out, _("%s, %s: %s left"),
                            model_name, window_label (window, weekly), percent);

  /* The forecast, when there is history (issue 11's shape, null without
   * enough): {"rate_percent_per_hour", "runs_out_at": ISO-8601 or null,
   * "lasts_until_reset": bool, "samples"}. */
  runs_out_ms = member_time_ms (forecast, "runs_out_at");
  if (runs_out_ms != 0)
    {
      g_autofree char *when = mq_format_countdown (runs_out_ms, now_ms);

      /* Translators: appended to a tooltip line; %s is "1h 10m (15:10)" */
      g_string_append_printf (out, _(", runs out in %s at this pace"), when);
    }
  else if (member_boolean (forecast, "lasts_until_reset"))
    g_string_append (out, _(", lasts until the reset at this pace"));
}

static void
append_models (GString    *out,
               JsonObject *root,
               gint64      now_ms)
{
  JsonNode *node = json_object_get_member (root, "models");
  JsonArray *models;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  models = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonNode *element = json_array_get_element (models, i);
      JsonObject *model;
      JsonObject *interval;
      JsonObject *weekly;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      model = json_node_get_object (element);
      name = member_string (model, "display_name");
      if (name == NULL)
        name = member_string (model, "name");
      if (name == NULL)
        continue;

      interval = member_object (model, "interval");
      weekly = member_object (model, "weekly");

      if (!member_boolean (model, "in_plan"))
        {
          g_string_append_c (out, '\n');
          /* Translators: a tooltip line: "Video: not in plan" */
          g_string_append_printf (out, _("%s: not in plan"), name);
        }
      else if (!member_boolean (model, "usable") || (interval == NULL && weekly == NULL))
        {
          g_string_append_c (out, '\n');
          /* Translators: a tooltip line: "Video: no data" */
          g_string_append_printf (out, _("%s: no data"), name);
        }
      else
        {
          if (interval != NULL)
            append_window (out, name, interval, FALSE, now_ms);
          if (weekly != NULL)
            append_window (out, name, weekly, TRUE, now_ms);
        }
    }
}

/* Plain text; the caller escapes it for Pango. */
static char *
bar_tooltip (const Bar  *bar,
             gint64      now_ms)
{
  GString *out = g_string_new (_("Leeway"));

  if (bar->root != NULL)
    append_models (out, bar->root, now_ms);
  else if (!bar->is_error)
    {
      g_string_append_c (out, '\n');
      g_string_append (out, _("No quota yet."));
    }

  if (bar->stale && bar->fetched_at_ms != 0)
    {
      g_autofree char *age = mq_format_duration ((now_ms - bar->fetched_at_ms) / 1000);

      g_string_append_c (out, '\n');
      /* Translators: %s is a duration, "2h 30m" */
      g_string_append_printf (out, _("Not up to date: fetched %s ago"), age);
    }
  else if (bar->stale)
    {
      g_string_append_c (out, '\n');
      g_string_append (out, _("Not up to date"));
    }

  if (bar->error_message != NULL)
    {
      g_string_append_c (out, '\n');
      if (bar->root != NULL)
        /* Translators: %s is an error message */
        g_string_append_printf (out, _("Last refresh failed: %s"), bar->error_message);
      else
        g_string_append (out, bar->error_message);
    }

  return g_string_free (out, FALSE);
}

/* ---- Formats ----------------------------------------------------------- */

/* @generator's root on one line, ending in a newline. */
static char *
compact_line (JsonGenerator *generator)
{
  g_autofree char *line = NULL;

  json_generator_set_pretty (generator, FALSE);
  line = json_generator_to_data (generator, NULL);
  return g_strconcat (line, "\n", NULL);
}

static char *
format_waybar (const Bar *bar,
               gint64     now_ms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = bar_text (bar);
  g_autofree char *tooltip = bar_tooltip (bar, now_ms);
  g_autofree char *text_markup = g_markup_escape_text (text, -1);
  g_autofree char *tooltip_markup = g_markup_escape_text (tooltip, -1);
  const char *alt = bar->is_error ? "error" : bar->state;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text_markup);
  json_builder_set_member_name (builder, "alt");
  json_builder_add_string_value (builder, alt);
  json_builder_set_member_name (builder, "tooltip");
  json_builder_add_string_value (builder, tooltip_markup);
  /* Waybar takes a class or an array of classes. */
  json_builder_set_member_name (builder, "class");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, alt);
  if (bar->stale && !bar->is_error)
    json_builder_add_string_value (builder, "stale");
  json_builder_end_array (builder);
  if (bar_has_number (bar))
    {
      json_builder_set_member_name (builder, "percentage");
      json_builder_add_int_value (builder,
                                  bar->percent >= 0 ? (gint64) floor (bar->percent) : 100);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return compact_line (generator);
}

static char *
format_polybar (const Bar *bar)
{
  g_autofree char *text = NULL;
  const char *prefix;

  if (!bar_has_number (bar))
    return g_strdup ("\n");

  text = bar_text (bar);
  prefix = bar->stale ? "~" : "";
  if (g_str_equal (bar->state, "ok") || g_str_equal (bar->state, "unknown"))
    return g_strdup_printf ("%s%s\n", prefix, text);
  return g_strdup_printf ("%%{F%s}%s%s%%{F-}\n", bar_colour (bar), prefix, text);
}

static char *
first_line (const char *text)
{
  const char *end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

static char *
format_i3blocks (const Bar *bar,
                 gint64     now_ms)
{
  g_autofree char *text = bar_text (bar);
  g_autofree char *full = NULL;
  g_autofree char *reset = NULL;

  if (bar->is_error)
    {
      g_autofree char *message = first_line (bar->error_message != NULL ?
                                             bar->error_message : "");

      return g_strdup_printf ("%s\n!\n%s\n", message, COLOUR_ERROR);
    }

  if (bar->resets_at_ms != 0 && bar->percent >= 0)
    reset = mq_format_reset (bar->resets_at_ms, now_ms);
  if (reset != NULL)
    /* Translators: i3blocks' full text: "63% left, resets in 2h 30m (16:30)";
     * the second %s is "resets in 2h 30m (16:30)" or "resets now (16:30)" */
    full = g_strdup_printf (_("%s left, %s"), text, reset);
  else if (bar->unlimited && bar->percent < 0)
    /* Translators: i3blocks' full text when no limit applies */
    full = g_strdup (_("unlimited"));
  else if (bar_has_number (bar))
    /* Translators: i3blocks' full text: "63% left" */
    full = g_strdup_printf (_("%s left"), text);
  else
    full = g_strdup (text);

  if (bar->stale)
    {
      /* Translators: i3blocks' full text when the data is old: "63% left (stale)" */
      g_autofree char *marked = g_strdup_printf (_("%s (stale)"), full);

      return g_strdup_printf ("%s\n~%s\n%s\n", marked, text, bar_colour (bar));
    }

  return g_strdup_printf ("%s\n%s\n%s\n", full, text, bar_colour (bar));
}

static char *
format_json (const Bar   *bar,
             JsonParser  *parser)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) built = NULL;

  if (bar->root != NULL || (bar->is_error && bar->error_code != NULL &&
                            !g_str_equal (bar->error_code, "unreadable")))
    json_generator_set_root (generator, json_parser_get_root (parser));
  else
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      if (bar->is_error)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, bar->error_message);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
      built = json_builder_get_root (builder);
      json_generator_set_root (generator, built);
    }

  return compact_line (generator);
}

char *
mq_bar_format (MqBarFormat  format,
               const char  *report_json,
               gboolean     stale,
               const char  *error_message,
               gint64       now_ms)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  Bar bar;

  bar_read (&bar, parser, report_json, stale, error_message);

  switch (format)
    {
    case MQ_BAR_FORMAT_WAYBAR:
      return format_waybar (&bar, now_ms);
    case MQ_BAR_FORMAT_POLYBAR:
      return format_polybar (&bar);
    case MQ_BAR_FORMAT_I3BLOCKS:
      return format_i3blocks (&bar, now_ms);
    case MQ_BAR_FORMAT_JSON:
      return format_json (&bar, parser);
    default:
      g_return_val_if_reached (g_strdup ("\n"));
    }
}
