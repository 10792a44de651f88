#!/usr/bin/env bash
# Installs the Debian packages the test suites need, when missing. Idempotent.
# Benchmark-only tools (wrk) are not installed here: bench/ falls back without them.
set -euo pipefail
needed=()
# Later suites add their peers here, e.g.: command -v chromium >/dev/null || needed+=(chromium)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}"
fi
