#!/usr/bin/env bash
# Builds the host addon (native/build/Release/mcubench_native.node) with cmake-js, Release, only when a source,
# the source list or the build recipe changed since the last build. Called by scripts/setup.sh.
#   scripts/build-addon.sh           build if stale
#   scripts/build-addon.sh --force   rebuild from scratch
set -euo pipefail
cd "$(dirname "$0")/.."

ADDON=native/build/Release/mcubench_native.node
STAMP=native/build/sources.list

for tool in cmake g++ gcc make; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build-addon: '$tool' is not installed; run 'bash scripts/setup.sh' (it installs cmake, g++ and make) and retry" >&2
    exit 1
  fi
done
if [ ! -d node_modules/cmake-js ] || [ ! -d node_modules/node-addon-api ]; then
  echo "build-addon: npm dependencies are missing; run 'npm ci' (or 'bash scripts/setup.sh') first" >&2
  exit 1
fi

# One build at a time (parallel test workers may all ask); the staleness check below runs under the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/mcubench-build-addon.$(id -u).lock"
  flock 9
fi

sources="$(node native/addon-sources.js)"
stale=0
if [ "${1:-}" = "--force" ] || [ ! -f "$ADDON" ] || [ ! -f "$STAMP" ]; then
  stale=1
elif [ "$sources" != "$(cat "$STAMP")" ]; then
  stale=2   # a source was added or removed: CMake must re-read the list
elif [ -n "$(find native/runtime native/addon native/CMakeLists.txt native/addon-sources.js native/package.json \
              -newer "$ADDON" -type f -print -quit)" ]; then
  stale=3
fi
[ "$stale" -eq 0 ] && exit 0

echo "build-addon: building the native addon (cmake-js, Release)" >&2
if [ "$stale" -eq 3 ]; then action=compile; else action=rebuild; fi
if ! npx --no-install cmake-js "$action" -d native -O native/build --config Release --parallel 2 --log-level warn >native/build.log 2>&1; then
  echo "build-addon: the build failed; the last lines of native/build.log:" >&2
  tail -n 30 native/build.log >&2
  exit 1
fi
mkdir -p native/build
printf '%s' "$sources" >"$STAMP"
echo "build-addon: built $ADDON" >&2
