/* mq-test-util.h: helpers shared by the test programs
 *
 * The environment of a loopback test, waiting on this thread's main
 * context for an async result or a count, and running a built program
 * (the command line, the applet) with its output captured.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* MQ_TEST_UNDER_ASAN: 1 in a build with AddressSanitizer (gcc or clang),
 * else 0. */
#if defined(__SANITIZE_ADDRESS__)
#define MQ_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MQ_TEST_UNDER_ASAN 1
#endif
#endif
#ifndef MQ_TEST_UNDER_ASAN
#define MQ_TEST_UNDER_ASAN 0
#endif

/* ---- Environment --------------------------------------------------------- */

/* The variables that name a proxy, NULL-terminated: loopback must never go
 * through a proxy of the machine running the tests. */
extern const char * const mq_test_proxy_variables[];

void    mq_test_unset_proxies    (void);

char  **mq_test_environ_unset    (char               **envp,
                                  const char * const  *names);
char  **mq_test_environ_apply    (char               **envp,
                                  const char * const  *overrides);

/* ---- Files ----------------------------------------------------------------- */

void    mq_test_write_file       (const char          *path,
                                  const char          *contents);
void    mq_test_remove_tree      (const char          *path);

/* ---- Waiting on the main context ----------------------------------------- */

void          mq_test_store_result   (GObject       *source,
                                      GAsyncResult  *result,
                                      gpointer       user_data);
GAsyncResult *mq_test_wait_result    (GAsyncResult **slot,
                                      guint          seconds,
                                      const char    *what);
void          mq_test_wait_count     (const guint   *count,
                                      guint          wanted,
                                      guint          seconds,
                                      const char    *what);
void          mq_test_unref_and_wait (gpointer       object_ptr,
                                      guint          seconds);

/* ---- Running a program ----------------------------------------------------- */

/**
 * MqTestRun:
 * @status: the exit status
 * @out: everything written on stdout (never %NULL)
 * @err: everything written on stderr (never %NULL)
 *
 * What a program run with mq_test_run_program() did.
 */
typedef struct {
  int   status;
  char *out;
  char *err;
} MqTestRun;

void mq_test_run_clear (MqTestRun *run);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MqTestRun, mq_test_run_clear)

typedef struct _MqTestProcess MqTestProcess;

char          **mq_test_make_argv                (const char         *program,
                                                  const char * const *args);
MqTestProcess  *mq_test_process_start            (const char         *program,
                                                  const char * const *args,
                                                  const char * const *envp,
                                                  GSubprocessFlags    flags);
const char     *mq_test_process_get_command_line (MqTestProcess      *process);
MqTestRun       mq_test_process_finish           (MqTestProcess      *process,
                                                  guint               seconds);
MqTestRun       mq_test_run_program              (const char         *program,
                                                  const char * const *args,
                                                  const char * const *envp,
                                                  GSubprocessFlags    flags,
                                                  guint               seconds);

G_END_DECLS
