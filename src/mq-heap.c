/* mq-heap.c: the long-running applet's memory, handed back to the system
 *
 * An answer of thousands of rows (under the caps, hostile or not) is parsed
 * into a json-glib tree of a million nodes and freed again. Two things
 * would keep that memory for the applet's life: GLib's slice allocator
 * before 2.76 (json-glib allocates every node with it, and freed slices
 * stay in its caches), and glibc's heap, which only returns its top. See
 * docs/PERFORMANCE.md, "Hostile answers".
 */
#define G_LOG_DOMAIN "mq-heap"

#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

#include "mq-heap.h"

#define SLICE_VARIABLE "G_SLICE"
#define SLICE_MALLOC   "always-malloc"

static gboolean slices_freed;

/* Whether the slice allocator keeps freed memory: GLib before 2.76, whose
 * g_slice_alloc() is not yet a plain malloc. */
static gboolean
slices_cached (void)
{
  return glib_check_version (2, 76, 0) != NULL;
}

void
mq_heap_prepare_exec (void)
{
  if (slices_cached ())
    g_setenv (SLICE_VARIABLE, SLICE_MALLOC, FALSE);
}

void
mq_heap_use_malloc (char **argv)
{
  const char *slice;

  g_return_if_fail (argv != NULL && argv[0] != NULL);

  if (!slices_cached ())
    {
      slices_freed = TRUE;
      return;
    }

  slice = g_getenv (SLICE_VARIABLE);
  if (slice != NULL)
    {
      slices_freed = strstr (slice, SLICE_MALLOC) != NULL;
      /* Read by GLib before main(): not for the programs the applet
       * starts (a browser), unless the user asked for more than this. */
      if (g_str_equal (slice, SLICE_MALLOC))
        g_unsetenv (SLICE_VARIABLE);
      return;
    }

  /* The slice allocator reads G_SLICE when GLib is loaded, before main():
   * the only way to set it is to start again with it set. (Started by
   * `leeway`, the applet has it already: mq_heap_prepare_exec().) */
  g_setenv (SLICE_VARIABLE, SLICE_MALLOC, TRUE);
  execv ("/proc/self/exe", argv);
  /* No /proc: run on, with the caches. */
  g_debug ("Could not start again with %s=%s: %s", SLICE_VARIABLE, SLICE_MALLOC,
           g_strerror (errno));
  g_unsetenv (SLICE_VARIABLE);
}

gboolean
mq_heap_slices_freed (void)
{
  return slices_freed;
}

void
mq_heap_trim (void)
{
  malloc_trim (0);
}
