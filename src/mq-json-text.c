/* mq-json-text.c: is a body one JSON text, exactly as RFC 8259 has it? */
#define G_LOG_DOMAIN "mq-json-text"

#include "config.h"

#include <string.h>

#include "mq-json-text.h"

/* The four hex digits of a \u escape at @data (@left bytes there). */
static gboolean
read_hex4 (const char *data,
           gsize       left,
           guint      *out)
{
  guint value = 0;

  if (left < 4)
    return FALSE;
  for (guint k = 0; k < 4; k++)
    {
      if (!g_ascii_isxdigit (data[k]))
        return FALSE;
      value = value * 16 + (guint) g_ascii_xdigit_value (data[k]);
    }

  *out = value;
  return TRUE;
}

/* A string from its opening quote: escapes as RFC 8259 has them, no raw
 * control characters, and UTF-16 surrogates only in pairs (alone they are
 * no character; json-glib leaks or makes invalid UTF-8 of them). Leaves
 * *pos after the closing quote. */
static gboolean
skip_json_string (const char *data,
                  gsize       length,
                  gsize      *pos)
{
  gsize i = *pos + 1;

  while (i < length)
    {
      guchar c = (guchar) data[i];

      if (c == '"')
        {
          *pos = i + 1;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c != '\\')
        {
          i++;
          continue;
        }
      if (i + 1 >= length)
        return FALSE;
      if (data[i + 1] == 'u')
        {
          guint unit, low;

          if (!read_hex4 (data + i + 2, length - i - 2, &unit))
            return FALSE;
          i += 6;
          if (unit >= 0xdc00 && unit <= 0xdfff)
            return FALSE;
          if (unit >= 0xd800 && unit <= 0xdbff)
            {
              if (i + 2 > length || data[i] != '\\' || data[i + 1] != 'u' ||
                  !read_hex4 (data + i + 2, length - i - 2, &low) ||
                  low < 0xdc00 || low > 0xdfff)
                return FALSE;
              i += 6;
            }
        }
      else if (strchr ("\"\\/bfnrt", data[i + 1]) != NULL && data[i + 1] != '\0')
        i += 2;
      else
        return FALSE;
    }

  return FALSE;
}

static gsize
skip_digits (const char *data,
             gsize       length,
             gsize       i)
{
  while (i < length && g_ascii_isdigit (data[i]))
    i++;
  return i;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
skip_json_number (const char *data,
                  gsize       length,
                  gsize      *pos)
{
  gsize i = *pos, end;

  if (i < length && data[i] == '-')
    i++;
  if (i < length && data[i] == '0')
    i++;
  else if (i < length && g_ascii_isdigit (data[i]))
    i = skip_digits (data, length, i);
  else
    return FALSE;

  if (i < length && data[i] == '.')
    {
      end = skip_digits (data, length, i + 1);
      if (end == i + 1)
        return FALSE;
      i = end;
    }
  if (i < length && (data[i] == 'e' || data[i] == 'E'))
    {
      i++;
      if (i < length && (data[i] == '+' || data[i] == '-'))
        i++;
      end = skip_digits (data, length, i);
      if (end == i)
        return FALSE;
      i = end;
    }

  *pos = i;
  return TRUE;
}

typedef enum {
  WANT_VALUE,
  WANT_VALUE_OR_CLOSE,   /* just after '[' */
  WANT_KEY,
  WANT_KEY_OR_CLOSE,     /* just after '{' */
  WANT_COLON,
  WANT_COMMA_OR_CLOSE,   /* after a value in an object or array */
  WANT_NOTHING,          /* after the top-level value */
} JsonWant;

gboolean
mq_json_text_is_valid (const char *data,
                       gsize       length)
{
  char stack[MQ_JSON_TEXT_MAX_DEPTH];   /* the open '{' and '[' */
  guint depth = 0;
  JsonWant want = WANT_VALUE;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;

  for (;;)
    {
      char c;

      while (i < length && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
        i++;
      if (i == length)
        return want == WANT_NOTHING;

      c = data[i];
      switch (want)
        {
        case WANT_NOTHING:
          return FALSE;

        case WANT_COLON:
          if (c != ':')
            return FALSE;
          i++;
          want = WANT_VALUE;
          continue;

        case WANT_COMMA_OR_CLOSE:
          if (c == ',')
            {
              i++;
              want = stack[depth - 1] == '{' ? WANT_KEY : WANT_VALUE;
              continue;
            }
          if (c != (stack[depth - 1] == '{' ? '}' : ']'))
            return FALSE;
          i++;
          depth--;
          want = depth == 0 ? WANT_NOTHING : WANT_COMMA_OR_CLOSE;
          continue;

        case WANT_KEY_OR_CLOSE:
        case WANT_VALUE_OR_CLOSE:
          if (c == (want == WANT_KEY_OR_CLOSE ? '}' : ']'))
            {
              i++;
              depth--;
              want = depth == 0 ? WANT_NOTHING : WANT_COMMA_OR_CLOSE;
              continue;
            }
          want = want == WANT_KEY_OR_CLOSE ? WANT_KEY : WANT_VALUE;
          break;

        case WANT_KEY:
        case WANT_VALUE:
        default:
          break;
        }

      if (want == WANT_KEY)
        {
          if (c != '"' || !skip_json_string (data, length, &i))
            return FALSE;
          want = WANT_COLON;
          continue;
        }

      /* WANT_VALUE */
      if (c == '{' || c == '[')
        {
          if (depth >= MQ_JSON_TEXT_MAX_DEPTH)
            return FALSE;
          stack[depth++] = c;
          i++;
          want = c == '{' ? WANT_KEY_OR_CLOSE : WANT_VALUE_OR_CLOSE;
          continue;
        }

      if (c == '"')
        {
          if (!skip_json_string (data, length, &i))
            return FALSE;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!skip_json_number (data, length, &i))
            return FALSE;
        }
      else if (length - i >= 4 && (memcmp (data + i, "true", 4) == 0 || memcmp (data + i, "null", 4) == 0))
        i += 4;
      else if (length - i >= 5 && memcmp (data + i, "false", 5) == 0)
        i += 5;
      else
        return FALSE;

      want = depth == 0 ? WANT_NOTHING : WANT_COMMA_OR_CLOSE;
    }
}
