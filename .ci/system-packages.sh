#!/usr/bin/env bash
# Installs the Debian packages the test suites need, when missing. Idempotent.
set -euo pipefail
needed=()
# wrk drives bench/proxy's throughput run (benchmarks fall back to autocannon without it).
command -v wrk >/dev/null 2>&1 || needed+=(wrk)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${needed[@]}"
fi
