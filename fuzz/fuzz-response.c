/* fuzz-response.c: libFuzzer target for "bytes + headers -> snapshot or error"
 *
 * The input is what a server sends back (a whole HTTP/1.x answer, or a bare
 * body); it goes through mq_response_read(), the code every fetch of
 * MqClient runs. See fuzz-common.h.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "fuzz-common.h"

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_response_input (data, size);
  return 0;
}
