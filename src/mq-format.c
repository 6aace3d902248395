/* mq-format.c: short, translated strings for durations, percentages, times */
#define G_LOG_DOMAIN "mq-format"

#include "config.h"

#include <langinfo.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "mq-format.h"
#include "mq-snapshot.h"

#define SECONDS_PER_MINUTE ((gint64) 60)
#define SECONDS_PER_HOUR   ((gint64) 3600)
#define SECONDS_PER_DAY    ((gint64) 86400)

char *
mq_format_duration (gint64 seconds)
{
  int days, hours, minutes;

  if (seconds < SECONDS_PER_MINUTE)
    /* Translators: a duration shorter than one minute */
    return g_strdup (C_("duration", "<1m"));

  if (seconds < SECONDS_PER_HOUR)
    {
      minutes = (int) (seconds / SECONDS_PER_MINUTE);
      /* Translators: a duration in minutes, e.g. "45m" */
      return g_strdup_printf (C_("duration", "%dm"), minutes);
    }

  if (seconds < SECONDS_PER_DAY)
    {
      hours = (int) (seconds / SECONDS_PER_HOUR);
      minutes = (int) ((seconds % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
      if (minutes == 0)
        /* Translators: a duration in whole hours, e.g. "2h" */
        return g_strdup_printf (C_("duration", "%dh"), hours);
      /* Translators: a duration in hours and minutes, e.g. "2h 30m" */
      return g_strdup_printf (C_("duration", "%dh %dm"), hours, minutes);
    }

  days = (int) MIN (seconds / SECONDS_PER_DAY, G_MAXINT);
  hours = (int) ((seconds % SECONDS_PER_DAY) / SECONDS_PER_HOUR);
  if (hours == 0)
    /* Translators: a duration in whole days, e.g. "3d" */
    return g_strdup_printf (C_("duration", "%dd"), days);
  /* Translators: a duration in days and hours, e.g. "3d 4h" */
  return g_strdup_printf (C_("duration", "%dd %dh"), days, hours);
}

int
mq_format_percent_whole (double pct)
{
  if (isnan (pct) || pct < 0.0)
    return -1;

  /* Anything left is at least 1: "0" must never hide a last request. */
  if (pct > 0.0 && pct < 1.0)
    return 1;

  return (int) floor (MIN (pct, 1e9));
}

char *
mq_format_percent (double pct)
{
  if (isnan (pct) || pct < 0.0)
    /* Translators: shown instead of a percentage that is not known */
    return g_strdup (C_("percent", "—"));

  if (pct > 0.0 && pct < 1.0)
    /* Translators: less than one percent; %d is always 1 */
    return g_strdup_printf (C_("percent", "<%d%%"), 1);

  /* Translators: a percentage, e.g. "63%" */
  return g_strdup_printf (C_("percent", "%d%%"), mq_format_percent_whole (pct));
}

static gboolean
same_local_day (GDateTime *a,
                GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

static gint64
floor_div (gint64 value,
           gint64 divisor)
{
  gint64 q = value / divisor;

  if ((value % divisor) != 0 && (value < 0))
    q--;
  return q;
}

char *
mq_format_local_time (gint64      epoch_ms,
                      gint64      now_ms,
                      const char *same_day_format,
                      const char *week_format,
                      const char *later_format)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *format;
  gint64 distance_ms;

  when = g_date_time_new_from_unix_local (floor_div (epoch_ms, 1000));
  now = g_date_time_new_from_unix_local (floor_div (now_ms, 1000));
  if (when == NULL || now == NULL)
    return g_strdup (C_("percent", "—"));

  distance_ms = epoch_ms > now_ms ? epoch_ms - now_ms : now_ms - epoch_ms;

  if (same_local_day (when, now))
    format = same_day_format;
  else if (distance_ms < 7 * SECONDS_PER_DAY * 1000)
    format = week_format;
  else
    format = later_format;

  return g_date_time_format (when, format);
}

char *
mq_format_clock (gint64 epoch_ms,
                 gint64 now_ms)
{
  return mq_format_local_time (epoch_ms, now_ms,
                               /* xgettext:no-c-format */
                               /* Translators: a time of day today, in g_date_time_format() syntax */
                               C_("clock", "%H:%M"),
                               /* xgettext:no-c-format */
                               /* Translators: a weekday and time within a week, in
                                * g_date_time_format() syntax, e.g. "Tue 16:30" */
                               C_("clock", "%a %H:%M"),
                               /* xgettext:no-c-format */
                               /* Translators: a date further than a week away, in
                                * g_date_time_format() syntax, e.g. "Nov 30" */
                               C_("clock", "%b %-d"));
}

/* "resets in 2h 30m (16:30)" with @verb, else "2h 30m (16:30)"; NULL
 * when the reset is not known (0). */
static char *
format_reset (gint64   resets_at_ms,
              gint64   now_ms,
              gboolean verb)
{
  g_autofree char *duration = NULL;
  g_autofree char *clock = NULL;

  if (resets_at_ms == 0)
    return NULL;

  /* A reset time in the past is stale data (the answer is older than
   * its window), not a countdown: never "in now". */
  if (resets_at_ms <= now_ms)
    /* Translators: the reset time of a quota window has passed and the
     * numbers shown are from before it; a fresh answer is due */
    return g_strdup (C_("countdown", "reset due"));

  clock = mq_format_clock (resets_at_ms, now_ms);
  duration = mq_format_duration ((resets_at_ms - now_ms) / 1000);
  return g_strdup_printf (verb
                          /* Translators: first %s is a duration ("2h 30m"), second a time ("16:30") */
                          ? _("resets in %s (%s)")
                          /* Translators: "2h 30m (16:30)": a countdown and the clock time */
                          : C_("countdown", "%s (%s)"),
                          duration, clock);
}

char *
mq_format_countdown (gint64 resets_at_ms,
                     gint64 now_ms)
{
  return format_reset (resets_at_ms, now_ms, FALSE);
}

char *
mq_format_reset (gint64 resets_at_ms,
                 gint64 now_ms)
{
  return format_reset (resets_at_ms, now_ms, TRUE);
}

static const char *
thousands_separator (void)
{
  const char *sep = nl_langinfo (THOUSEP);

  if (sep == NULL || *sep == '\0' || !g_utf8_validate (sep, -1, NULL))
    return ",";
  return sep;
}

char *
mq_format_count (gint64 count)
{
  g_autoptr(GString) out = g_string_new (NULL);
  char digits[32];
  const char *sep = thousands_separator ();
  guint64 magnitude;
  gsize n_digits;

  magnitude = count < 0 ? (guint64) (-(count + 1)) + 1 : (guint64) count;
  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, magnitude);
  n_digits = strlen (digits);

  if (count < 0)
    g_string_append_c (out, '-');

  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
mq_format_boost (double boost)
{
  g_autofree char *number = NULL;
  int decimals;

  if (isnan (boost) || boost <= 0.0 || fabs (boost - 1.0) < 0.0005)
    return NULL;

  if (fabs (boost - round (boost)) < 0.0005)
    decimals = 0;
  else if (fabs (boost * 10.0 - round (boost * 10.0)) < 0.005)
    decimals = 1;
  else
    decimals = 2;

  number = g_strdup_printf ("%.*f", decimals, boost);
  /* Translators: an allowance multiplier, e.g. "×2" or "×1.5" */
  return g_strdup_printf (C_("boost", "×%s"), number);
}

const char *
mq_format_model_display_name (const char *model_name)
{
  const char *unnamed = mq_model_name_unnamed_display (model_name);

  if (unnamed != NULL)
    return unnamed;
  if (model_name == NULL || *model_name == '\0')
    return _("Unnamed model");

  if (g_str_equal (model_name, "general"))
    return _("Text models");
  if (g_str_equal (model_name, "video"))
    return _("Video");
  if (g_str_equal (model_name, "MiniMax-M*"))
    return _("Text (MiniMax-M)");
  if (g_str_has_prefix (model_name, "speech-"))
    return _("Speech");
  if (g_str_has_prefix (model_name, "image-"))
    return _("Image");
  if (g_str_equal (model_name, "music-cover"))
    return _("Music cover");
  if (g_str_has_prefix (model_name, "music-"))
    return _("Music");

  return model_name;
}

char *
mq_format_iso8601_utc (gint64 epoch_ms)
{
  g_autoptr(GDateTime) when = NULL;

  when = g_date_time_new_from_unix_utc (floor_div (epoch_ms, 1000));
  if (when == NULL)
    return NULL;

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
}

gsize
mq_format_display_width (const char *text)
{
  gsize width = 0;
  const char *p = text;

  if (text == NULL)
    return 0;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: count the byte as one column and go on. */
          width++;
          p++;
          continue;
        }

      if (g_unichar_iszerowidth (c))
        ;
      else if (g_unichar_iswide (c))
        width += 2;
      else
        width += 1;

      p = g_utf8_next_char (p);
    }

  return width;
}
