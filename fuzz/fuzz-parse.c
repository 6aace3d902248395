/* fuzz-parse.c: libFuzzer target for the response parser
 *
 * The input is a response body for mq_snapshot_parse(); a snapshot is then
 * put through the headline and both reports of `leeway --once`, so
 * the rules and the renderers see whatever the parser lets through. See
 * fuzz-common.h.
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
  fuzz_parse_input (data, size);
  return 0;
}
