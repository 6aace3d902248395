/* test-icon.c: the tray icon renderer and its PNG files */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "mq-icon.h"

static const MqIconSpec ok_63 = { MQ_ICON_PERCENT, 63, MQ_STATE_OK, FALSE };

static cairo_surface_t *
render (MqIconKind kind,
        int        percent,
        MqState    state,
        gboolean   stale,
        int        size)
{
  MqIconSpec spec = { kind, percent, state, stale };
  cairo_surface_t *surface = mq_icon_render (&spec, size);

  g_assert_nonnull (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static gboolean
same_pixels (cairo_surface_t *a,
             cairo_surface_t *b)
{
  int height = cairo_image_surface_get_height (a);
  int width = cairo_image_surface_get_width (a);
  int stride_a = cairo_image_surface_get_stride (a);
  int stride_b = cairo_image_surface_get_stride (b);
  const guchar *data_a, *data_b;

  if (width != cairo_image_surface_get_width (b) || height != cairo_image_surface_get_height (b))
    return FALSE;

  cairo_surface_flush (a);
  cairo_surface_flush (b);
  data_a = cairo_image_surface_get_data (a);
  data_b = cairo_image_surface_get_data (b);
  for (int y = 0; y < height; y++)
    if (memcmp (data_a + y * stride_a, data_b + y * stride_b, (gsize) width * 4) != 0)
      return FALSE;
  return TRUE;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guchar *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);
}

/* Pixels at least half opaque. */
static guint
count_opaque (cairo_surface_t *surface)
{
  int size = cairo_image_surface_get_width (surface);
  guint n = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      if ((pixel_at (surface, x, y) >> 24) >= 128)
        n++;
  return n;
}

/* Pixels that, laid over a background of grey level @bg (0..255), end up
 * at least @min_difference levels away from it. */
static guint
count_contrasting (cairo_surface_t *surface,
                   guint            bg,
                   guint            min_difference)
{
  int size = cairo_image_surface_get_width (surface);
  guint n = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        guint32 p = pixel_at (surface, x, y);
        guint a = p >> 24;
        /* Premultiplied: over a grey background, channel = c + bg·(1 − a). */
        guint r = ((p >> 16) & 0xff) + bg * (255 - a) / 255;
        guint g = ((p >> 8) & 0xff) + bg * (255 - a) / 255;
        guint b = (p & 0xff) + bg * (255 - a) / 255;
        guint lum = (r * 299 + g * 587 + b * 114) / 1000;

        if ((guint) ABS ((int) lum - (int) bg) >= min_difference)
          n++;
      }
  return n;
}

static void
test_render_sizes (void)
{
  const int sizes[] = { 16, 22, 24, 32, 44 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *surface = mq_icon_render (&ok_63, sizes[i]);
      guint opaque;

      g_assert_cmpint (cairo_surface_get_type (surface), ==, CAIRO_SURFACE_TYPE_IMAGE);
      g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_ARGB32);
      g_assert_cmpint (cairo_image_surface_get_width (surface), ==, sizes[i]);
      g_assert_cmpint (cairo_image_surface_get_height (surface), ==, sizes[i]);

      /* Drawn, and not a filled square: the corners stay clear. */
      opaque = count_opaque (surface);
      g_assert_cmpuint (opaque, >, (guint) (sizes[i] * sizes[i]) / 3);
      g_assert_cmpuint (opaque, <, (guint) (sizes[i] * sizes[i]));
      g_assert_cmpuint (pixel_at (surface, 0, 0) >> 24, ==, 0);
      cairo_surface_destroy (surface);
    }
}

static void
test_render_deterministic (void)
{
  cairo_surface_t *a = mq_icon_render (&ok_63, 22);
  cairo_surface_t *b = mq_icon_render (&ok_63, 22);

  g_assert_true (same_pixels (a, b));
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
}

static void
test_percents_differ (void)
{
  const int percents[] = { 0, 1, 7, 9, 10, 18, 42, 63, 64, 88, 99, 100 };
  cairo_surface_t *surfaces[G_N_ELEMENTS (percents)];

  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    surfaces[i] = render (MQ_ICON_PERCENT, percents[i], MQ_STATE_OK, FALSE, 22);

  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (percents); j++)
      if (same_pixels (surfaces[i], surfaces[j]))
        g_error ("%d%% and %d%% look the same", percents[i], percents[j]);

  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    cairo_surface_destroy (surfaces[i]);
}

static void
test_states_differ (void)
{
  const MqState states[] = { MQ_STATE_OK, MQ_STATE_LOW, MQ_STATE_CRITICAL,
                             MQ_STATE_EXHAUSTED, MQ_STATE_UNKNOWN };
  cairo_surface_t *surfaces[G_N_ELEMENTS (states)];

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    surfaces[i] = render (MQ_ICON_PERCENT, 4, states[i], FALSE, 22);

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (states); j++)
      if (same_pixels (surfaces[i], surfaces[j]))
        g_error ("states %s and %s look the same",
                 mq_state_to_string (states[i]), mq_state_to_string (states[j]));

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    cairo_surface_destroy (surfaces[i]);
}

static void
test_stale_differs (void)
{
  const MqIconKind kinds[] = { MQ_ICON_PERCENT, MQ_ICON_UNLIMITED, MQ_ICON_UNKNOWN };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      cairo_surface_t *fresh = render (kinds[i], 63, MQ_STATE_OK, FALSE, 22);
      cairo_surface_t *stale = render (kinds[i], 63, MQ_STATE_OK, TRUE, 22);

      g_assert_false (same_pixels (fresh, stale));
      g_assert_cmpuint (count_opaque (stale), >, 22 * 22 / 3);
      cairo_surface_destroy (fresh);
      cairo_surface_destroy (stale);
    }
}

static void
test_kinds_distinct (void)
{
  const MqIconKind kinds[] = { MQ_ICON_NO_KEY, MQ_ICON_ERROR, MQ_ICON_UNKNOWN,
                               MQ_ICON_UNLIMITED, MQ_ICON_PERCENT };
  const int sizes[] = { 16, 44 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      cairo_surface_t *surfaces[G_N_ELEMENTS (kinds)];

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          surfaces[i] = render (kinds[i], 50, MQ_STATE_OK, FALSE, sizes[s]);
          g_assert_cmpuint (count_opaque (surfaces[i]), >, (guint) (sizes[s] * sizes[s]) / 3);
        }

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        for (guint j = i + 1; j < G_N_ELEMENTS (kinds); j++)
          if (same_pixels (surfaces[i], surfaces[j]))
            g_error ("icon kinds %u and %u look the same at %d px", kinds[i], kinds[j], sizes[s]);

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        cairo_surface_destroy (surfaces[i]);
    }
}

/* Readable on a black and on a white panel: many pixels stand out from
 * either. */
static void
test_contrast_on_dark_and_light (void)
{
  const MqState states[] = { MQ_STATE_OK, MQ_STATE_LOW, MQ_STATE_CRITICAL, MQ_STATE_EXHAUSTED };
  const int sizes[] = { 16, 22, 24 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint i = 0; i < G_N_ELEMENTS (states); i++)
      {
        cairo_surface_t *surface = render (MQ_ICON_PERCENT, 45, states[i], FALSE, sizes[s]);
        guint area = (guint) (sizes[s] * sizes[s]);

        g_assert_cmpuint (count_contrasting (surface, 0, 96), >, area / 8);
        g_assert_cmpuint (count_contrasting (surface, 255, 96), >, area / 3);
        cairo_surface_destroy (surface);
      }
}

/* "100" fits: no bright glyph pixel on the outermost columns, at any size. */
static void
test_hundred_fits (void)
{
  const int sizes[] = { 16, 22, 24, 44, 64 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      cairo_surface_t *surface = render (MQ_ICON_PERCENT, 100, MQ_STATE_OK, FALSE, sizes[s]);
      int size = sizes[s];

      for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x += size - 1)
          {
            guint32 p = pixel_at (surface, x, y);

            /* White text is the only near-white colour drawn. */
            g_assert_false (((p >> 16) & 0xff) > 230 && ((p >> 8) & 0xff) > 230 &&
                            (p & 0xff) > 230);
          }
      cairo_surface_destroy (surface);
    }
}

/* The radius of the dark face inside the ring, as the renderer lays it
 * out: the ring is an eighth of the icon wide (2 px at least). */
static double
face_radius (int size)
{
  return size / 2.0 - MAX (2.0, size * 0.125);
}

/* Glyph ink: a near-white, near-opaque pixel (white digits are the only
 * such colour in a fresh, OK icon). */
static gboolean
is_white_ink (guint32 p)
{
  return (p >> 24) >= 200 && ((p >> 16) & 0xff) >= 200 && ((p >> 8) & 0xff) >= 200 &&
         (p & 0xff) >= 200;
}

/* "100" at panel sizes: every white pixel of the digits lies inside the
 * ring's inner edge, and there are digits to see. */
static void
test_hundred_inside_ring (void)
{
  const int sizes[] = { 16, 22, 24, 32, 44 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int size = sizes[s];
      cairo_surface_t *surface = render (MQ_ICON_PERCENT, 100, MQ_STATE_OK, FALSE, size);
      double limit = face_radius (size);
      guint ink = 0, outside = 0;
      int min_x = size, max_x = -1;

      cairo_surface_flush (surface);
      for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++)
          {
            double dx = x + 0.5 - size / 2.0;
            double dy = y + 0.5 - size / 2.0;

            if (!is_white_ink (pixel_at (surface, x, y)))
              continue;
            ink++;
            min_x = MIN (min_x, x);
            max_x = MAX (max_x, x);
            if (sqrt (dx * dx + dy * dy) > limit)
              outside++;
          }

      if (outside > 0)
        g_error ("\"100\" at %d px: %u of %u white pixels over the ring", size, outside, ink);
      /* Three digits, not a dot: ink across most of the face. */
      g_assert_cmpuint (ink, >=, (guint) (size * size) / 20);
      g_assert_cmpint (max_x - min_x + 1, >=, (int) (limit * 1.3));
      cairo_surface_destroy (surface);
    }
}

/* Pixels that, laid over a background of grey level @bg, differ in
 * luminance by at least @min_difference between @a and @b. */
static guint
count_differing (cairo_surface_t *a,
                 cairo_surface_t *b,
                 guint            bg,
                 guint            min_difference)
{
  int size = cairo_image_surface_get_width (a);
  guint n = 0;

  cairo_surface_flush (a);
  cairo_surface_flush (b);
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        guint lum[2];

        for (int i = 0; i < 2; i++)
          {
            guint32 p = pixel_at (i == 0 ? a : b, x, y);
            guint alpha = p >> 24;
            guint r = ((p >> 16) & 0xff) + bg * (255 - alpha) / 255;
            guint g = ((p >> 8) & 0xff) + bg * (255 - alpha) / 255;
            guint bl = (p & 0xff) + bg * (255 - alpha) / 255;

            lum[i] = (r * 299 + g * 587 + bl * 114) / 1000;
          }
        if ((guint) ABS ((int) lum[0] - (int) lum[1]) >= min_difference)
          n++;
      }
  return n;
}

/* Stale at 22 px is another picture, not the same one dimmed: on a dark,
 * a mid-grey and a light panel, a fifth of the pixels change clearly. */
static void
test_stale_obvious (void)
{
  const struct { int percent; MqState state; } cases[] = {
    { 100, MQ_STATE_OK }, { 63, MQ_STATE_OK }, { 18, MQ_STATE_CRITICAL }, { 0, MQ_STATE_EXHAUSTED },
  };
  const guint backgrounds[] = { 0x30, 0x80, 0xf0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      cairo_surface_t *fresh = render (MQ_ICON_PERCENT, cases[i].percent, cases[i].state, FALSE, 22);
      cairo_surface_t *stale = render (MQ_ICON_PERCENT, cases[i].percent, cases[i].state, TRUE, 22);

      for (guint b = 0; b < G_N_ELEMENTS (backgrounds); b++)
        {
          guint n = count_differing (fresh, stale, backgrounds[b], 64);

          if (n < 22 * 22 / 5)
            g_error ("stale %d%% on grey %u: only %u of %u pixels differ clearly",
                     cases[i].percent, backgrounds[b], n, 22 * 22);
        }
      cairo_surface_destroy (fresh);
      cairo_surface_destroy (stale);
    }
}

/* The ring of a stale icon is broken, even where the fresh one is whole:
 * at 100 %, pixels on the ring go clear. */
static void
test_stale_ring_broken (void)
{
  const int sizes[] = { 16, 22, 24 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int size = sizes[s];
      cairo_surface_t *fresh = render (MQ_ICON_PERCENT, 100, MQ_STATE_OK, FALSE, size);
      cairo_surface_t *stale = render (MQ_ICON_PERCENT, 100, MQ_STATE_OK, TRUE, size);
      guint gaps = 0;

      cairo_surface_flush (fresh);
      cairo_surface_flush (stale);
      /* The top half only: the clock sits in the bottom right corner. */
      for (int y = 0; y < size / 2; y++)
        for (int x = 0; x < size; x++)
          if ((pixel_at (fresh, x, y) >> 24) >= 224 && (pixel_at (stale, x, y) >> 24) < 64)
            gaps++;
      g_assert_cmpuint (gaps, >=, (guint) size / 2);
      cairo_surface_destroy (fresh);
      cairo_surface_destroy (stale);
    }
}

static void
test_write_png (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mq-icon-XXXXXX", &error);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const int sizes[] = { 16, 22, 24, 44 };
  struct stat st;

  g_assert_no_error (error);
  dir = g_build_filename (tmp, "app", APP_ID, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *read_back;
      cairo_surface_t *expected;
      g_autofree char *name = g_strdup_printf ("mq-%d.png", sizes[i]);

      g_free (path);
      path = g_build_filename (dir, name, NULL);
      g_assert_true (mq_icon_write_png (&ok_63, sizes[i], path, &error));
      g_assert_no_error (error);

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);

      read_back = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (read_back), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (read_back), ==, sizes[i]);
      g_assert_cmpint (cairo_image_surface_get_height (read_back), ==, sizes[i]);
      g_assert_cmpuint (count_opaque (read_back), >, (guint) (sizes[i] * sizes[i]) / 3);

      expected = mq_icon_render (&ok_63, sizes[i]);
      g_assert_true (same_pixels (read_back, expected));
      cairo_surface_destroy (expected);
      cairo_surface_destroy (read_back);
    }

  /* The folder was created private; no temporary file is left behind. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, &error);
    const char *entry;
    guint n = 0;

    g_assert_no_error (error);
    while ((entry = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *entry_path = g_build_filename (dir, entry, NULL);

        g_assert_true (g_str_has_suffix (entry, ".png"));
        g_assert_cmpint (g_unlink (entry_path), ==, 0);
        n++;
      }
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (sizes));
  }

  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_write_png_replaces (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mq-icon-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmp, "icon.png", NULL);
  MqIconSpec other = { MQ_ICON_ERROR, 0, MQ_STATE_UNKNOWN, FALSE };
  cairo_surface_t *read_back, *expected;

  g_assert_no_error (error);
  g_assert_true (mq_icon_write_png (&ok_63, 22, path, &error));
  g_assert_true (mq_icon_write_png (&other, 22, path, &error));
  g_assert_no_error (error);

  read_back = cairo_image_surface_create_from_png (path);
  expected = mq_icon_render (&other, 22);
  g_assert_true (same_pixels (read_back, expected));
  cairo_surface_destroy (expected);
  cairo_surface_destroy (read_back);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

static void
test_write_png_fails (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("mq-icon-XXXXXX", &error);
  g_autofree char *file = g_build_filename (tmp, "a-file", NULL);
  g_autofree char *path = g_build_filename (file, "icon.png", NULL);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));

  /* The folder would have to be a regular file: a clean error. */
  g_assert_false (mq_icon_write_png (&ok_63, 22, path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);

  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (tmp), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/icon/render/sizes", test_render_sizes);
  g_test_add_func ("/icon/render/deterministic", test_render_deterministic);
  g_test_add_func ("/icon/render/percents-differ", test_percents_differ);
  g_test_add_func ("/icon/render/states-differ", test_states_differ);
  g_test_add_func ("/icon/render/stale-differs", test_stale_differs);
  g_test_add_func ("/icon/render/kinds-distinct", test_kinds_distinct);
  g_test_add_func ("/icon/render/contrast", test_contrast_on_dark_and_light);
  g_test_add_func ("/icon/render/hundred-fits", test_hundred_fits);
  g_test_add_func ("/icon/render/hundred-inside-ring", test_hundred_inside_ring);
  g_test_add_func ("/icon/render/stale-obvious", test_stale_obvious);
  g_test_add_func ("/icon/render/stale-ring-broken", test_stale_ring_broken);
  g_test_add_func ("/icon/png/write", test_write_png);
  g_test_add_func ("/icon/png/replace", test_write_png_replaces);
  g_test_add_func ("/icon/png/failure", test_write_png_fails);

  return g_test_run ();
}
