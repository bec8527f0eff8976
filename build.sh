#!/usr/bin/env bash
# ./build.sh [target] [cake options]   targets: build (default), test, run, native, clean
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
target="${1:-build}"
[ $# -gt 0 ] && shift
exec dotnet cake build.cake --target="$target" "$@"
