#!/usr/bin/env bash
# Installs whatever this checkout needs and is missing: Debian packages (ARM toolchain, CMake, QEMU),
# npm dependencies, and the native addon build. Idempotent and quiet when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v arm-none-eabi-gcc >/dev/null || need_apt+=(gcc-arm-none-eabi)
[ -e /usr/lib/arm-none-eabi/newlib ] || [ -e /usr/lib/arm-none-eabi/lib ] || need_apt+=(libnewlib-arm-none-eabi)
command -v cmake >/dev/null || need_apt+=(cmake)
command -v qemu-system-arm >/dev/null || need_apt+=(qemu-system-arm)
command -v g++ >/dev/null || need_apt+=(g++)
command -v make >/dev/null || need_apt+=(make)
# Headless Chromium renders the HTML report in its test.
command -v chromium >/dev/null || need_apt+=(chromium)
# socat gives the device-launcher tests a real pty pair standing in for an ST-Link VCP.
command -v socat >/dev/null || need_apt+=(socat)
# A real Redis for the job-queue tests (each test starts its own server on loopback or a Unix socket).
command -v redis-server >/dev/null || need_apt+=(redis-server)
# The trusted flashers beside ours: their probe-free checks (version, config parsing) run in the tests.
command -v openocd >/dev/null || need_apt+=(openocd)
command -v st-flash >/dev/null || need_apt+=(stlink-tools)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# npm dependencies: install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# The host reference addon, built once per source change (scripts/build-addon.sh decides).
if [ -x scripts/build-addon.sh ]; then bash scripts/build-addon.sh; fi
