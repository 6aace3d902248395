/* mq-safe-text.c: server text made safe to show anywhere */
#define G_LOG_DOMAIN "mq-safe-text"

#include "config.h"

#include <string.h>

#include "mq-safe-text.h"

#define REPLACEMENT 0xFFFD
#define ELLIPSIS    0x2026

static gboolean
is_bidi_control (gunichar c)
{
  return c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

/* What @c becomes: itself, a space, or U+FFFD. */
static gunichar
safe_char (gunichar c)
{
  if (c == '\n' || c == '\r' || c == '\t' || c == 0x0B || c == 0x0C ||
      c == 0x85 || c == 0x2028 || c == 0x2029)
    return ' ';
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || is_bidi_control (c))
    return REPLACEMENT;
  return c;
}

char *
mq_safe_text (const char *text,
              gssize      length,
              guint       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  glong n_chars;
  const char *p;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, length);
  n_chars = g_utf8_strlen (valid, -1);
  out = g_string_sized_new (strlen (valid));

  p = valid;
  for (glong i = 0; *p != '\0'; i++, p = g_utf8_next_char (p))
    {
      if (max_chars > 0 && n_chars > (glong) max_chars && i == (glong) max_chars - 1)
        {
          g_string_append_unichar (out, ELLIPSIS);
          break;
        }
      g_string_append_unichar (out, safe_char (g_utf8_get_char (p)));
    }

  return g_string_free (out, FALSE);
}
