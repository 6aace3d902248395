/* mq-heap.h: the long-running applet's memory, handed back to the system */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Call first thing in main(), with main's argv. On GLib before 2.76,
 * whose slice allocator keeps freed memory (json-glib's nodes) in its own
 * caches for good, starts the program again (same process, same
 * arguments) with G_SLICE=always-malloc; it returns at once on later GLib,
 * when the user set G_SLICE, or in the program started again. */
void     mq_heap_use_malloc  (char **argv);

/* For a program about to exec the applet: sets G_SLICE=always-malloc
 * where mq_heap_use_malloc() would, so that the applet need not start
 * itself again. */
void     mq_heap_prepare_exec (void);

/* Whether mq_heap_use_malloc() found the slice allocator handing memory
 * back: GLib 2.76 or later, or G_SLICE=always-malloc at start. */
gboolean mq_heap_slices_freed (void);

/* Hands the heap's free pages back to the system (after a big answer). */
void     mq_heap_trim        (void);

G_END_DECLS
