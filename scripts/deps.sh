#!/usr/bin/env bash
# Installs the Debian packages Dateline needs that are missing. Idempotent; silent when nothing is missing.
# Run by scripts/demo, scripts/test and scripts/fuzz.
#   scripts/deps.sh [EXTRA_PACKAGE...]   also the packages named (scripts/fuzz: clang-14 libclang-rt-14-dev)
set -euo pipefail

DATELINE_PACKAGES=(
  g++ cmake make pkg-config git time python3
  libxapian-dev xapian-tools
  libicu-dev
  libcxxopts-dev libspdlog-dev nlohmann-json3-dev
  zlib1g-dev libxxhash-dev libgumbo-dev wget
  libgtest-dev libgmock-dev ccache
  libjemalloc-dev libdeflate-dev
  dpkg-dev zsh
  "$@"
)

missing=()
for p in "${DATELINE_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
