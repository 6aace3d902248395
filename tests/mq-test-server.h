/* mq-test-server.h: a loopback HTTP server for tests, benchmarks and e2e
 *
 * A SoupServer listening on 127.0.0.1, port chosen by the kernel, running on
 * the thread-default main context of the thread that created it (iterate
 * that context, or run a GMainLoop on it, for requests to be answered).
 *
 * Every path answers what its route says; a path without a route answers
 * 404 with a small JSON body. Routes can be changed at any time, between or
 * during requests. A route set from a file re-reads the file on every
 * request, so a script can change the answer by rewriting the file.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MqTestServer MqTestServer;

/* Listens on 127.0.0.1 port 0. Aborts the test (g_error) when it cannot. */
MqTestServer *mq_test_server_new              (void);
/* The same on a given port (0: any free port); NULL and @error on failure. */
MqTestServer *mq_test_server_new_on_port      (guint          port,
                                               GError       **error);

/* The same over HTTPS on any free port, with the certificate and key of
 * the PEM files (for tests that a certificate nobody trusts is refused);
 * NULL and @error when they cannot be read or the server cannot listen. */
MqTestServer *mq_test_server_new_https        (const char    *cert_file,
                                               const char    *key_file,
                                               GError       **error);

/* "http://127.0.0.1:PORT" ("https://" for an HTTPS server), no trailing
 * slash. */
char         *mq_test_server_get_base_url     (MqTestServer  *self);
guint         mq_test_server_get_port         (MqTestServer  *self);

/* Answer @status with @body (@len bytes, or NUL-terminated when -1) and
 * Content-Type @content_type (none when NULL). Replaces the route's body,
 * status and content type; keeps its headers, delay and fault settings. */
void          mq_test_server_set_route        (MqTestServer  *self,
                                               const char    *path,
                                               guint          status,
                                               const char    *content_type,
                                               const char    *body,
                                               gssize         len);
/* Answer @status with the file tests/data/@fixture, found with
 * g_test_build_filename (G_TEST_DIST, "data", fixture, NULL). Needs
 * g_test_init() (or G_TEST_SRCDIR set). Content type from the extension:
 * .json application/json, .html/.htm text/html; charset=UTF-8, else
 * text/plain; charset=UTF-8. */
void          mq_test_server_set_route_fixture (MqTestServer *self,
                                                const char   *path,
                                                guint         status,
                                                const char   *fixture);
/* Answer @status with the file at @filename (any path), read anew on every
 * request; a file that cannot be read answers 500. Content type as above. */
void          mq_test_server_set_route_file   (MqTestServer  *self,
                                               const char    *path,
                                               guint          status,
                                               const char    *filename);
/* Answers per API key: a request on @path whose "Authorization: Bearer
 * KEY" names @key gets @status, @content_type and @body (as
 * mq_test_server_set_route()). A request with another key (or none) gets
 * the route's own answer when it has one, else what MiniMax answers an
 * unknown key: 200 with base_resp status_code 2049. Delays, drops,
 * truncation, headers and faults of the route apply to every key. So one
 * server serves several accounts, Token Plan and pay-as-you-go alike. */
void          mq_test_server_set_key_route    (MqTestServer  *self,
                                               const char    *path,
                                               const char    *key,
                                               guint          status,
                                               const char    *content_type,
                                               const char    *body,
                                               gssize         len);
/* The same with the file tests/data/@fixture (read once, now). */
void          mq_test_server_set_key_route_fixture (MqTestServer *self,
                                                    const char   *path,
                                                    const char   *key,
                                                    guint         status,
                                                    const char   *fixture);
/* Requests on @path with @key, counted once @path answers per key. */
guint         mq_test_server_get_key_hits     (MqTestServer  *self,
                                               const char    *path,
                                               const char    *key);

/* Removes every setting of @path: it answers 404 again. */
void          mq_test_server_remove_route     (MqTestServer  *self,
                                               const char    *path);

/* Adds (or with @value NULL removes) a response header on @path, e.g.
 * "Retry-After" or "Location". */
void          mq_test_server_set_header       (MqTestServer  *self,
                                               const char    *path,
                                               const char    *name,
                                               const char    *value);

/* Answers after @ms milliseconds, without blocking the main context. */
void          mq_test_server_set_delay_ms     (MqTestServer  *self,
                                               const char    *path,
                                               guint          ms);
/* Closes the connection without answering anything. */
void          mq_test_server_set_drop         (MqTestServer  *self,
                                               const char    *path,
                                               gboolean       drop);
/* Sends the status line, the headers with the full Content-Length, and only
 * the first @bytes of the body, then closes the connection. -1 turns it off. */
void          mq_test_server_set_truncate     (MqTestServer  *self,
                                               const char    *path,
                                               gssize         bytes);
/* Sends the body with chunked transfer encoding (no Content-Length). */
void          mq_test_server_set_chunked      (MqTestServer  *self,
                                               const char    *path,
                                               gboolean       chunked);

/* Faults injected on a route, for the fault-injection tests: each replaces
 * the route's answer (keeping its hit count) until set back to NONE. */
typedef enum {
  MQ_TEST_FAULT_NONE,
  /* 200 with the status line and headers (Content-Length: 4096), then no
   * body at all: the connection stays open until the client leaves. */
  MQ_TEST_FAULT_STALL,
  /* The route's answer with its full Content-Length but only the first
   * half of its body, then the connection closes. */
  MQ_TEST_FAULT_HALF_BODY,
  /* 200, application/json, a body of @argument bytes (decimal; NULL:
   * MQ_TEST_FAULT_HUGE_SIZE) streamed in 64 KiB pieces, never held in
   * memory, with chunked transfer encoding... */
  MQ_TEST_FAULT_HUGE_CHUNKED,
  /* ... or with a Content-Length announcing it. */
  MQ_TEST_FAULT_HUGE_LENGTH,
  /* 302 Found with Location: @argument (another host). */
  MQ_TEST_FAULT_REDIRECT,
  /* 200, application/json, a quota answer with bytes that are not UTF-8. */
  MQ_TEST_FAULT_INVALID_UTF8,
  /* 200, application/json, arrays nested MQ_TEST_FAULT_NESTING_DEPTH deep. */
  MQ_TEST_FAULT_DEEP_NESTING,
  /* 429 Too Many Requests with Retry-After: @argument (NULL: "120"). */
  MQ_TEST_FAULT_RATE_LIMITED,
  /* The route's own answer on the 1st, 3rd, 5th... request since the fault
   * was set, 500 Internal Server Error on the 2nd, 4th... */
  MQ_TEST_FAULT_ALTERNATE,
  /* 200, chunked, then one byte every 100 ms, for ever: every read
   * succeeds, only a deadline on the whole answer ends it. */
  MQ_TEST_FAULT_DRIP,
  /* 200 and header lines without end, @argument bytes of them (NULL:
   * MQ_TEST_FAULT_HUGE_SIZE), streamed like HUGE_*. */
  MQ_TEST_FAULT_HUGE_HEADERS,
  /* 200, Content-Encoding: gzip, about 50 KB that inflate to
   * MQ_TEST_FAULT_HUGE_SIZE bytes of JSON whitespace. */
  MQ_TEST_FAULT_GZIP_BOMB,
} MqTestFault;

#define MQ_TEST_FAULT_HUGE_SIZE     G_GUINT64_CONSTANT (50000000)  /* 50 MB */
#define MQ_TEST_FAULT_NESTING_DEPTH 10000
#define MQ_TEST_FAULT_RETRY_AFTER   "120"

/* Sets (NONE: clears) the fault of @path; @argument as the fault says,
 * copied. Answers already under way finish as they started. */
void          mq_test_server_set_fault        (MqTestServer  *self,
                                               const char    *path,
                                               MqTestFault    fault,
                                               const char    *argument);
/* "stall", "half-body", "huge", "huge-length", "redirect", "invalid-utf8",
 * "deep-nesting", "rate-limited", "alternate", "drip", "huge-headers",
 * "gzip-bomb", "none". */
const char   *mq_test_fault_to_string         (MqTestFault    fault);
/* Reads "NAME" or "NAME=ARGUMENT" (names as above). @argument gets a new
 * string or NULL. FALSE and @error for an unknown name, a missing
 * redirect target or a size that is not a number. */
gboolean      mq_test_fault_parse             (const char    *spec,
                                               MqTestFault   *fault,
                                               char         **argument,
                                               GError       **error);

/* Bytes written after the status line by the streamed faults (HUGE_*,
 * DRIP; with any chunk framing) on @path, as the kernel accepted them: what the
 * client could have received before it closed the connection. */
guint64       mq_test_server_get_bytes_streamed (MqTestServer *self,
                                                 const char   *path);
/* Connections a STALL fault holds open right now (the client has not
 * closed them yet). */
guint         mq_test_server_get_held_connections (MqTestServer *self);

/* Requests received on @path (counted on arrival, whatever the answer). */
guint         mq_test_server_get_hits         (MqTestServer  *self,
                                               const char    *path);
/* Requests received on any path. */
guint         mq_test_server_get_total_hits   (MqTestServer  *self);
/* A request header of the last request received (any path); NULL when that
 * request had no such header or there was no request yet. */
char         *mq_test_server_dup_last_header  (MqTestServer  *self,
                                               const char    *name);
/* The path of the last request received, NULL before any. */
char         *mq_test_server_dup_last_path    (MqTestServer  *self);

/* Stops listening, closes every connection and drops pending answers. */
void          mq_test_server_free             (MqTestServer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MqTestServer, mq_test_server_free)

G_END_DECLS
