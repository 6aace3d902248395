/* test-heap.c: the applet's memory is handed back after a big answer
 *
 * main() calls mq_heap_use_malloc() first, as the applet does, so on GLib
 * before 2.76 this program starts itself again with G_SLICE=always-malloc.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "mq-heap.h"

/* As many slices as json-glib allocates for an answer of 20,000 rows. */
#define N_SLICES   400000
#define SLICE_SIZE 48
#define HELD_MARGIN_KIB (4 * 1024)

static char *self_path;

static gsize
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static void
test_slices_freed (void)
{
  g_assert_true (mq_heap_slices_freed ());
}

/* G_SLICE is for the applet alone, not for a browser it starts. */
static void
test_variable_not_passed_on (void)
{
  g_assert_null (g_getenv ("G_SLICE"));
}

/* What issue 9.5 measured: the freed slices of a big parse stayed in
 * GLib's caches (+25 MiB held for the applet's life). */
static void
test_memory_handed_back (void)
{
  gpointer *slices;
  gsize before, during, after;

#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer holds freed memory in its quarantine");
  return;
#endif

  mq_heap_trim ();
  before = rss_kib ();
  slices = g_new (gpointer, N_SLICES);
  for (guint i = 0; i < N_SLICES; i++)
    {
      slices[i] = g_slice_alloc (SLICE_SIZE);
      memset (slices[i], 0x5a, SLICE_SIZE);
    }
  during = rss_kib ();
  for (guint i = 0; i < N_SLICES; i++)
    g_slice_free1 (SLICE_SIZE, slices[i]);
  g_free (slices);
  mq_heap_trim ();
  after = rss_kib ();

  g_test_message ("RSS %zu KiB, %zu with the slices, %zu after", before, during, after);
  g_assert_cmpuint (during, >, before + 2 * HELD_MARGIN_KIB);
  g_assert_cmpuint (after, <, before + HELD_MARGIN_KIB);
}

/* A user's own G_SLICE (a debugging option) is left as it is, for the
 * program and for what it starts. */
static void
test_user_setting_kept (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "G_SLICE", "debug-blocks", TRUE);
  const char *argv[] = { self_path, "--report", NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  if (glib_check_version (2, 76, 0) == NULL)
    g_assert_cmpstr (out, ==, "freed 1 G_SLICE debug-blocks\n");
  else
    g_assert_cmpstr (out, ==, "freed 0 G_SLICE debug-blocks\n");
}

/* `leeway` sets the variable before it execs the applet, which then need
 * not start itself again; a user's own setting wins. */
static void
test_prepare_exec (void)
{
  gboolean cached = glib_check_version (2, 76, 0) != NULL;

  g_assert_null (g_getenv ("G_SLICE"));
  mq_heap_prepare_exec ();
  g_assert_cmpstr (g_getenv ("G_SLICE"), ==, cached ? "always-malloc" : NULL);

  g_setenv ("G_SLICE", "debug-blocks", TRUE);
  mq_heap_prepare_exec ();
  g_assert_cmpstr (g_getenv ("G_SLICE"), ==, "debug-blocks");
  g_unsetenv ("G_SLICE");
}

int
main (int   argc,
      char *argv[])
{
  mq_heap_use_malloc (argv);

  if (argc == 2 && g_str_equal (argv[1], "--report"))
    {
      const char *slice = g_getenv ("G_SLICE");

      printf ("freed %d G_SLICE %s\n", mq_heap_slices_freed (), slice != NULL ? slice : "(unset)");
      return 0;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/heap/slices-freed", test_slices_freed);
  g_test_add_func ("/heap/variable-not-passed-on", test_variable_not_passed_on);
  g_test_add_func ("/heap/memory-handed-back", test_memory_handed_back);
  g_test_add_func ("/heap/user-setting-kept", test_user_setting_kept);
  g_test_add_func ("/heap/prepare-exec", test_prepare_exec);

  return g_test_run ();
}
