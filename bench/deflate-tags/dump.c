/* LD_PRELOAD shim: appends the input of every deflate() call (Xapian deflates one whole tag per call) to
 * $DEFLATE_TAGS_OUT as a 4-byte little-endian length and the bytes. Only works on a dateline-index that does
 * not define zlib's functions itself (a build before indexer/fast_deflate.cpp, e.g. commit b390da2): the
 * executable's own definitions come before a preloaded library's. See run.sh. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static FILE* out;

int deflate(z_streamp s, int flush) {
  static int (*real)(z_streamp, int);
  if (!real) real = (int (*)(z_streamp, int))dlsym(RTLD_NEXT, "deflate");
  pthread_mutex_lock(&mu);
  if (!out) out = fopen(getenv("DEFLATE_TAGS_OUT") ? getenv("DEFLATE_TAGS_OUT") : "tags.bin", "wb");
  uint32_t n = s->avail_in;
  fwrite(&n, 4, 1, out);
  fwrite(s->next_in, 1, n, out);
  pthread_mutex_unlock(&mu);
  return real(s, flush);
}
