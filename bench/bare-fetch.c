/* bare-fetch.c: the floor for `leeway --once --json`
 *
 * The least a program can do for the same answer: one libsoup GET of the
 * remains endpoint, parsed with json-glib and printed back. No quota
 * interpretation, no keyring, no error mapping. bench/cli_vs_mmx.py times it
 * beside leeway and mmx-cli.
 *
 * Usage: MINIMAX_API_KEY=... bare-fetch URL
 */
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *text = NULL;
  const char *key = g_getenv ("MINIMAX_API_KEY");

  if (argc != 2 || key == NULL)
    {
      g_printerr ("usage: MINIMAX_API_KEY=KEY bare-fetch URL\n");
      return 1;
    }

  session = soup_session_new ();
  message = soup_message_new ("GET", argv[1]);
  if (message == NULL)
    {
      g_printerr ("bare-fetch: bad URL\n");
      return 1;
    }

  authorization = g_strconcat ("Bearer ", key, NULL);
  soup_message_headers_append (soup_message_get_request_headers (message),
                               "Authorization", authorization);

  body = soup_session_send_and_read (session, message, NULL, &error);
  if (body == NULL)
    {
      g_printerr ("bare-fetch: %s\n", error->message);
      return 3;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   (gssize) g_bytes_get_size (body), &error))
    {
      g_printerr ("bare-fetch: %s\n", error->message);
      return 4;
    }

  generator = json_generator_new ();
  json_generator_set_root (generator, json_parser_get_root (parser));
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);

  return 0;
}
