/* Deflates every tag of a dump (dump.c) the way Xapian 1.4's CompressionStream::compress() does: a raw stream
 * reset before each tag, one deflate(Z_FINISH) into a buffer one byte shorter than the tag (a tag that does not
 * shrink is stored as it is). Prints CPU seconds and the bytes stored, for zlib at a level and strategy, or for
 * libdeflate at a level.
 *   replay TAGS zlib LEVEL STRATEGY     (Xapian: zlib 6 0, memLevel 9, window -15)
 *   replay TAGS libdeflate LEVEL */
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: replay TAGS zlib LEVEL STRATEGY | replay TAGS libdeflate LEVEL\n");
    return 2;
  }
  FILE* f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  rewind(f);
  unsigned char* buf = malloc(size);
  if (fread(buf, 1, size, f) != (size_t)size) return 1;
  fclose(f);
  const int use_zlib = strcmp(argv[2], "zlib") == 0;
  const int level = atoi(argv[3]);
  z_stream z;
  memset(&z, 0, sizeof z);
  struct libdeflate_compressor* c = NULL;
  if (use_zlib) {
    if (deflateInit2(&z, level, Z_DEFLATED, -15, 9, argc > 4 ? atoi(argv[4]) : Z_DEFAULT_STRATEGY) != Z_OK) return 1;
  } else {
    c = libdeflate_alloc_compressor(level);
  }
  unsigned char* out = malloc(1 << 24);
  long in_bytes = 0, stored = 0, tags = 0, raw = 0;
  struct timespec a, b;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
  for (long pos = 0; pos + 4 <= size;) {
    uint32_t n;
    memcpy(&n, buf + pos, 4);
    pos += 4;
    size_t got = 0;
    if (use_zlib) {
      deflateReset(&z);
      z.next_in = buf + pos;
      z.avail_in = n;
      z.next_out = out;
      z.avail_out = n > 0 ? n - 1 : 0;
      if (deflate(&z, Z_FINISH) == Z_STREAM_END) got = z.total_out;
    } else if (n > 1) {
      got = libdeflate_deflate_compress(c, buf + pos, n, out, n - 1);
    }
    if (got == 0) ++raw;
    stored += got ? (long)got : (long)n;
    in_bytes += n;
    ++tags;
    pos += n;
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  printf("%s level %d%s: %ld tags, %ld bytes in, %ld stored (%ld as they are), %.3f CPU s\n", argv[2], level,
         use_zlib && argc > 4 && atoi(argv[4]) == Z_HUFFMAN_ONLY ? " (Huffman only)" : "", tags,
         in_bytes, stored, raw, (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
