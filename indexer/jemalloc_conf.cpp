/** @file
 *  @brief jemalloc's settings for dateline-index, linked only where jemalloc replaces malloc.
 *
 *  jemalloc reads the global `malloc_conf` at start-up (its documented compile-time configuration; the
 *  MALLOC_CONF environment variable still overrides it). Freed pages are handed back to the kernel after 1 s
 *  unused instead of jemalloc's 10 s: the documents of one batch are freed as the next is built, so with 10 s
 *  the freed pages of several batches were kept at once. On news.jsonl peak RSS went from 132-135 MB to
 *  111-115 MB, with no more CPU (bench/RESULTS.md, "Indexing, 2026-12-05"). Purging at once (0 ms) cost 3 s of
 *  system time.
 */

extern "C" {
// NOLINTNEXTLINE: the name and linkage are jemalloc's.
const char* malloc_conf = "dirty_decay_ms:1000";
}
