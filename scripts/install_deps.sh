#!/usr/bin/env bash
# Installs the Debian packages lava-mcp needs to build (and, with --test, to run its tests).
# Idempotent: packages already present are not touched and apt is not called at all.
# --only: exactly the packages in $LAVA_MCP_PACKAGES (scripts/build_windows.sh).
set -euo pipefail

packages=(cmake g++ make pkg-config nlohmann-json3-dev libcpp-httplib-dev libcurl4-openssl-dev libcli11-dev libssl-dev
          libmimalloc-dev)
if [[ "${1:-}" == "--only" ]]; then
  read -r -a packages <<<"${LAVA_MCP_PACKAGES:?}"
elif [[ "${1:-}" == "--test" ]]; then
  packages+=(doctest-dev curl clang-14 libclang-rt-14-dev clang-format-14)  # clang: the libFuzzer targets; clang-format: the format check
  packages+=(lintian dpkg-dev file)  # the package test (tests/package/package_test.sh)
  packages+=(ccache)  # the forced-portable build reuses the default build's objects (scripts/test.sh)
  packages+=(g++-mingw-w64-x86-64-posix wine64)  # the Windows phase (tests/windows/run_wine.sh)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "install_deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
