#!/usr/bin/env bash
# Install the Debian 12 packages chengyu needs, only those that are missing.
# Usage: scripts/deps.sh [build|test|bench]   (default: build)
set -euo pipefail

build_pkgs=(gcc make cmake pkg-config libigraph-dev libjansson-dev
            libgraphviz-dev libcairo2-dev fonts-noto-cjk libzip-dev libexpat1-dev
            libxlsxwriter-dev libglpk-dev gettext)
test_pkgs=(libcmocka-dev clang libclang-rt-14-dev valgrind python3 man-db
           python3-networkx python3-igraph python3-jsonschema chromium libxml2-utils
           python3-openpyxl python3-scipy
           # The MPI build (cmake -DCHENGYU_MPI=ON) and its test, docs/scaling.md.
           libopenmpi-dev openmpi-bin)
bench_pkgs=(hyperfine time python3-networkx python3-igraph python3-graph-tool)

want=("${build_pkgs[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test_pkgs[@]}") ;;
  bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: scripts/deps.sh [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
