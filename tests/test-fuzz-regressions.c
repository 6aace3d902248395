/* test-fuzz-regressions.c: every crash the fuzzers found, replayed
 *
 * tests/data/fuzz-regressions/<target>/ holds the inputs that once crashed
 * fuzz/<target> (minimised). Each one runs through the same function as the
 * fuzz target (fuzz/fuzz-common.c), with the same checks, so a fixed bug
 * that comes back fails here, in every build; the sanitizer run of
 * tools/test.sh also catches the undefined behaviour some of them caused.
 */
#include "config.h"

#include "../fuzz/fuzz-common.h"

typedef void (*InputFunc) (const guint8 *data,
                           gsize         size);

static const struct {
  const char *target;
  InputFunc   func;
} targets[] = {
  { "fuzz-parse", fuzz_parse_input },
  { "fuzz-response", fuzz_response_input },
};

typedef struct {
  char      *path;
  InputFunc  func;
} Case;

static void
case_free (gpointer data)
{
  Case *test_case = data;

  g_free (test_case->path);
  g_free (test_case);
}

static void
test_replay (gconstpointer data)
{
  const Case *test_case = data;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (test_case->path, &contents, &length, &error);
  g_assert_no_error (error);

  test_case->func ((const guint8 *) contents, length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Registers one test per input file; returns how many. */
static guint
add_target_tests (GPtrArray  *cases,
                  const char *target,
                  InputFunc   func)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regressions",
                                                     target, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      Case *test_case = g_new0 (Case, 1);
      g_autofree char *test_path = NULL;

      test_case->path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      test_case->func = func;
      g_ptr_array_add (cases, test_case);

      test_path = g_strdup_printf ("/fuzz-regressions/%s/%s", target,
                                   (const char *) g_ptr_array_index (names, i));
      g_test_add_data_func (test_path, test_case, test_replay);
    }

  return names->len;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  guint total = 0;

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    total += add_target_tests (cases, targets[i].target, targets[i].func);

  /* The inputs are the test: none found means the data went missing. */
  if (total == 0)
    g_error ("no inputs in %s", g_test_get_dir (G_TEST_DIST));

  return g_test_run ();
}
