/* mq-test-util.c: helpers shared by the test programs */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "mq-test-util.h"

/* ---- Environment --------------------------------------------------------- */

const char * const mq_test_proxy_variables[] = {
  "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
  NULL,
};

/**
 * mq_test_unset_proxies:
 *
 * Unsets every proxy variable of this process and makes GIO resolve every
 * address directly (GIO_USE_PROXY_RESOLVER=dummy), so that requests to
 * the loopback servers go straight there. Call it first in main(), before
 * GIO reads the environment.
 */
void
mq_test_unset_proxies (void)
{
  for (guint i = 0; mq_test_proxy_variables[i] != NULL; i++)
    g_unsetenv (mq_test_proxy_variables[i]);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
}

/**
 * mq_test_environ_unset:
 * @envp: (transfer full): an environment, as from g_get_environ()
 * @names: (array zero-terminated=1): the variables to remove
 *
 * Returns: (transfer full): @envp without @names
 */
char **
mq_test_environ_unset (char               **envp,
                       const char * const  *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    envp = g_environ_unsetenv (envp, names[i]);

  return envp;
}

/**
 * mq_test_environ_apply:
 * @envp: (transfer full): an environment, as from g_get_environ()
 * @overrides: (array zero-terminated=1) (nullable): "NAME=VALUE" sets
 *   NAME, a bare "NAME" unsets it
 *
 * Returns: (transfer full): @envp with @overrides applied, in order
 */
char **
mq_test_environ_apply (char               **envp,
                       const char * const  *overrides)
{
  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    {
      const char *eq = strchr (overrides[i], '=');

      if (eq == NULL)
        envp = g_environ_unsetenv (envp, overrides[i]);
      else
        {
          g_autofree char *name = g_strndup (overrides[i], eq - overrides[i]);

          envp = g_environ_setenv (envp, name, eq + 1, TRUE);
        }
    }

  return envp;
}

/* ---- Files ----------------------------------------------------------------- */

/**
 * mq_test_write_file:
 * @path: the file
 * @contents: what it holds, NUL-terminated
 *
 * Writes @path, making its folders (0700) first.
 */
void
mq_test_write_file (const char *path,
                    const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/**
 * mq_test_remove_tree:
 * @path: a folder
 *
 * Removes @path and everything below it; symbolic links are removed, not
 * followed.
 */
void
mq_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
          !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        mq_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ---- Waiting on the main context ----------------------------------------- */

/**
 * mq_test_store_result:
 * @source: the source object
 * @result: the result
 * @user_data: a `GAsyncResult **` slot, %NULL until now
 *
 * A #GAsyncReadyCallback that keeps a reference to @result in the slot,
 * for mq_test_wait_result().
 */
void
mq_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static gboolean
on_watchdog (gpointer user_data)
{
  g_error ("%s did not finish within the time allowed", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_timed_out (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * mq_test_wait_result:
 * @slot: filled by mq_test_store_result()
 * @seconds: how long to wait at most; 0 waits for ever
 * @what: (nullable): what is awaited, for the message when time runs out
 *
 * Iterates this thread's main context (the loopback servers answer on it)
 * until @slot holds a result. When @seconds pass first, the test aborts,
 * naming @what.
 *
 * Returns: (transfer none): the result in @slot, still owned by @slot
 */
GAsyncResult *
mq_test_wait_result (GAsyncResult **slot,
                     guint          seconds,
                     const char    *what)
{
  guint id = 0;

  if (seconds > 0)
    id = g_timeout_add_seconds (seconds, on_watchdog,
                                (gpointer) (what != NULL ? what : "an async call"));

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (id != 0)
    g_source_remove (id);

  return *slot;
}

/**
 * mq_test_wait_count:
 * @count: a counter that the main context's callbacks raise
 * @wanted: the count to reach
 * @seconds: how long to wait at most
 * @what: what is awaited, for the message when time runs out
 *
 * Iterates this thread's main context until *@count reaches @wanted; the
 * test aborts, naming @what, when @seconds pass first.
 */
void
mq_test_wait_count (const guint *count,
                    guint        wanted,
                    guint        seconds,
                    const char  *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timed_out, &timed_out);

  while (*count < wanted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

/**
 * mq_test_unref_and_wait:
 * @object_ptr: (inout): a `GObject **` holding the last reference the
 *   test has
 * @seconds: how long to wait at most
 *
 * Drops that reference and iterates this thread's main context until the
 * object is finalized (a task cancelled in dispose may hold it until it
 * returns on the main loop); *@object_ptr is then %NULL. Asserts that it
 * was finalized within @seconds.
 */
void
mq_test_unref_and_wait (gpointer object_ptr,
                        guint    seconds)
{
  GObject **object = object_ptr;
  gboolean timed_out = FALSE;
  guint id;

  g_object_add_weak_pointer (*object, (gpointer *) object);
  g_object_unref (*object);
  id = g_timeout_add_seconds (seconds, on_timed_out, &timed_out);
  while (*object != NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (*object);
  g_source_remove (id);
}

/* ---- Running a program ----------------------------------------------------- */

/**
 * mq_test_run_clear:
 * @run: a run
 *
 * Frees the output of @run and sets it to %NULL.
 */
void
mq_test_run_clear (MqTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

struct _MqTestProcess {
  GSubprocess  *process;
  GAsyncResult *result;
  char         *command_line;
};

/**
 * mq_test_make_argv:
 * @program: the program
 * @args: (array zero-terminated=1) (nullable): its arguments
 *
 * Returns: (transfer full): @program followed by @args, NULL-terminated
 */
char **
mq_test_make_argv (const char         *program,
                   const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, g_strdup (program));
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  return (char **) g_ptr_array_free (argv, FALSE);
}

/**
 * mq_test_process_start:
 * @program: the program to run
 * @args: (array zero-terminated=1) (nullable): its arguments
 * @envp: (array zero-terminated=1): its whole environment
 * @flags: flags besides G_SUBPROCESS_FLAGS_STDOUT_PIPE and
 *   G_SUBPROCESS_FLAGS_STDERR_PIPE, which are always set
 *
 * Starts @program and collects its stdout and stderr as the main context
 * runs. Finish it with mq_test_process_finish().
 *
 * Returns: (transfer full): the running process
 */
MqTestProcess *
mq_test_process_start (const char         *program,
                       const char * const *args,
                       const char * const *envp,
                       GSubprocessFlags    flags)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = mq_test_make_argv (program, args);
  MqTestProcess *process = g_new0 (MqTestProcess, 1);

  launcher = g_subprocess_launcher_new (flags |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, (char **) envp);
  process->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv,
                                                   &error);
  g_assert_no_error (error);
  process->command_line = g_strjoinv (" ", argv);

  g_subprocess_communicate_utf8_async (process->process, NULL, NULL,
                                       mq_test_store_result, &process->result);
  return process;
}

/**
 * mq_test_process_get_command_line:
 * @process: a process from mq_test_process_start()
 *
 * Returns: the program and its arguments, joined by spaces
 */
const char *
mq_test_process_get_command_line (MqTestProcess *process)
{
  return process->command_line;
}

/**
 * mq_test_process_finish:
 * @process: (transfer full): a process from mq_test_process_start()
 * @seconds: how long to wait at most; 0 waits for ever
 *
 * Iterates this thread's main context until @process has exited (the test
 * aborts when it does not within @seconds, or when it was killed by a
 * signal), then frees @process.
 *
 * Returns: its exit status and output; clear with mq_test_run_clear()
 */
MqTestRun
mq_test_process_finish (MqTestProcess *process,
                        guint          seconds)
{
  g_autoptr(GError) error = NULL;
  MqTestRun run = { 0 };

  mq_test_wait_result (&process->result, seconds, process->command_line);
  g_subprocess_communicate_utf8_finish (process->process, process->result,
                                        &run.out, &run.err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process->process));
  run.status = g_subprocess_get_exit_status (process->process);
  if (run.out == NULL)
    run.out = g_strdup ("");
  if (run.err == NULL)
    run.err = g_strdup ("");

  g_clear_object (&process->process);
  g_clear_object (&process->result);
  g_free (process->command_line);
  g_free (process);

  return run;
}

/**
 * mq_test_run_program:
 * @program: the program to run
 * @args: (array zero-terminated=1) (nullable): its arguments
 * @envp: (array zero-terminated=1): its whole environment
 * @flags: as for mq_test_process_start()
 * @seconds: as for mq_test_process_finish()
 *
 * mq_test_process_start() and mq_test_process_finish() in one.
 *
 * Returns: its exit status and output; clear with mq_test_run_clear()
 */
MqTestRun
mq_test_run_program (const char         *program,
                     const char * const *args,
                     const char * const *envp,
                     GSubprocessFlags    flags,
                     guint               seconds)
{
  return mq_test_process_finish (mq_test_process_start (program, args, envp, flags),
                                 seconds);
}
