/* applet-main.c: the tray applet (leeway-applet) */
#define G_LOG_DOMAIN "leeway"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "mq-application.h"
#include "mq-heap.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MqApplication) app = NULL;
  const char *localedir;

  /* Before anything else: it may start the program again. */
  mq_heap_use_malloc (argv);

  /* The applet draws with cairo into image surfaces and has no OpenGL
   * widget. Without this GDK probes GLX at start-up to choose visuals,
   * which maps the Mesa driver (with llvmpipe, libLLVM: about 50 MiB of
   * RSS) for nothing. A user's own GDK_GL setting wins. */
  g_setenv ("GDK_GL", "disable", FALSE);

  setlocale (LC_ALL, "");
  /* LEEWAY_LOCALEDIR: the translations of an uninstalled build
   * (<builddir>/po), as for the command line. */
  localedir = g_getenv ("LEEWAY_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE,
                  localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Leeway"));

  app = mq_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
