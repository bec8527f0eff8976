#!/usr/bin/env bash
# ./build.sh [target] [cake options]   targets: build (default), test, run, native, clean
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The CPU device's native test suite needs GoogleTest (Debian's libgtest-dev); install it when missing and allowed.
if ! ls /usr/lib/*/libgtest.a /usr/lib/libgtest.a >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q libgtest-dev >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q libgtest-dev >/dev/null; }
  else
    echo "build.sh: GoogleTest (libgtest-dev) is missing; install it to build the CPU device's native tests" >&2
  fi
fi
dotnet tool restore >/dev/null
target="${1:-build}"
[ $# -gt 0 ] && shift
exec dotnet cake build.cake --target="$target" "$@"
