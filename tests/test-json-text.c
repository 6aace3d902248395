/* test-json-text.c: what counts as one JSON text before json-glib sees it */
#include "config.h"

#include <string.h>

#include "mq-json-text.h"

static const char * const valid[] = {
  "{}",
  "[]",
  "  {\"a\": 1}\r\n\t ",
  "\xEF\xBB\xBF{\"model_remains\": []}",
  "{\"a\": [1, -2, 0.5, -0.0, 1e9, 2E-3, 3.25e+10, true, false, null, \"x\"]}",
  "{\"a\": {\"b\": {\"c\": []}}, \"d\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
  "{\"name\": \"\\u6587\\u672c \\ud83d\\ude00 \\u0000\"}",
  "{\"raw\": \"文本 ✓\"}",
  "0",
  "\"just a string\"",
  "null",
};

static const char * const invalid[] = {
  "",
  "   ",
  "\xEF\xBB\xBF",
  /* Several values: json-glib keeps the first and leaks the rest. */
  "{}{}",
  "{\"a\": 1}{\"b\": {\"c\": 2}}",
  "\"63\"{\"base_resp\": {}}",
  "5 {\"a\": 1}",
  "{} 5",
  /* What json-glib accepts and JSON has not. */
  "'}'{\"a\": 1}",
  "{'a': 1}",
  "/* c */ {\"a\": 1}",
  "{\"a\": 1,}",
  "[1, 2,]",
  "{\"a\" 1}",
  "{a: 1}",
  "{\"a\": 01}",
  "{\"a\": 1.}",
  "{\"a\": .5}",
  "{\"a\": 1e}",
  "{\"a\": +1}",
  "{\"a\": NaN}",
  "{\"a\": tru}",
  "{\"a\": True}",
  /* Strings: escapes, control characters, surrogates. */
  "{\"a\": \"\\x41\"}",
  "{\"a\": \"\\u6u87\"}",
  "{\"a\": \"\\u12\"}",
  "{\"a\": \"tab\there\"}",
  "{\"a\": \"line\nbreak\"}",
  "{\"a\": \"\\ud800\"}",
  "{\"a\": \"\\ud800x\"}",
  "{\"a\": \"\\ud800\\u0041\"}",
  "{\"a\": \"\\ud800\\ud800\"}",
  "{\"a\": \"\\udc00\"}",
  "{\"a\": \"unterminated}",
  "{\"a\": \"ends in a backslash\\",
  /* Structure. */
  "{",
  "[1, 2",
  "{\"a\": [1, 2}",
  "{\"a\": 1]",
  "}",
  ":",
};

static void
test_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_test_message ("valid: %s", valid[i]);
      g_assert_true (mq_json_text_is_valid (valid[i], strlen (valid[i])));
    }
}

static void
test_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("invalid: %s", invalid[i]);
      g_assert_false (mq_json_text_is_valid (invalid[i], strlen (invalid[i])));
    }
}

/* The length is respected: what follows it is not part of the text. */
static void
test_length (void)
{
  static const char text[] = "{\"a\": 1}{\"b\": 2}";

  g_assert_true (mq_json_text_is_valid (text, 8));
  g_assert_false (mq_json_text_is_valid (text, 7));
  g_assert_false (mq_json_text_is_valid (text, strlen (text)));
  g_assert_false (mq_json_text_is_valid (NULL, 0));
  /* A \u escape cut off by the length. */
  g_assert_false (mq_json_text_is_valid ("\"\\u12345\"", 5));
}

static void
test_depth (void)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < MQ_JSON_TEXT_MAX_DEPTH; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < MQ_JSON_TEXT_MAX_DEPTH; i++)
    g_string_append_c (text, ']');
  g_assert_true (mq_json_text_is_valid (text->str, text->len));

  g_string_prepend_c (text, '[');
  g_string_append_c (text, ']');
  g_assert_false (mq_json_text_is_valid (text->str, text->len));

  g_string_free (text, TRUE);
}

/* Every fixture that json-glib reads as data is one JSON text. */
static void
test_fixtures (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_test_message ("fixture: %s", name);
      g_assert_true (mq_json_text_is_valid (contents, length));
      count++;
    }
  g_assert_cmpuint (count, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-text/valid", test_valid);
  g_test_add_func ("/json-text/invalid", test_invalid);
  g_test_add_func ("/json-text/length", test_length);
  g_test_add_func ("/json-text/depth", test_depth);
  g_test_add_func ("/json-text/fixtures", test_fixtures);

  return g_test_run ();
}
