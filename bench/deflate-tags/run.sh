#!/usr/bin/env bash
# Xapian's deflate work on news.jsonl's build, replayed with zlib and libdeflate (bench/RESULTS.md, "Indexing,
# 2026-12-05 seventh session").
#   bench/deflate-tags/run.sh OLD_BIN_DIR [CORPUS]
# OLD_BIN_DIR: a dateline-index that does not answer zlib's calls itself (built before indexer/fast_deflate.cpp,
# e.g. `git worktree add /tmp/old b390da2` and a Release build there), so the preloaded dump.c sees them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
old="$1"
corpus="${2:-$here/../../../shared/corpora/news/news.jsonl}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -shared -fPIC "$here/dump.c" -o "$work/dump.so" -ldl -lpthread
gcc -O2 "$here/replay.c" -o "$work/replay" -lz -ldeflate
DEFLATE_TAGS_OUT="$work/tags.bin" LD_PRELOAD="$work/dump.so" "$old/dateline-index" -q --db "$work/db" "$corpus"
"$work/replay" "$work/tags.bin" zlib 6 0
"$work/replay" "$work/tags.bin" zlib 1 0
"$work/replay" "$work/tags.bin" zlib 6 2
for level in 1 6 9; do "$work/replay" "$work/tags.bin" libdeflate "$level"; done
