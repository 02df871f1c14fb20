#!/usr/bin/env bash
# The main job: install what is missing, build, and analyse the shipped
# Chengdu-Chongqing dataset.  Results go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
bin=build/release/chengyu
data=data/chengdu-chongqing.json
mkdir -p out
"$bin" validate "$data"
"$bin" info "$data"
"$bin" info --format json -o out/info.json "$data"
"$bin" weak-links --format html -o out/weak-links.html "$data"
"$bin" weak-links --format md -o out/weak-links.md "$data"
"$bin" weak-links --format json -o out/weak-links.json "$data"
"$bin" weak-links --format csv -o out/weak-links.csv "$data"
"$bin" render --quiet --view full -o out/full.svg "$data"
"$bin" render --quiet --view tiers -o out/tiers.svg "$data"
"$bin" render --quiet --view parks -o out/parks.svg "$data"
"$bin" render --quiet --view full --highlight weak-links -o out/weak-links.svg "$data"
"$bin" render --quiet --view parks -o out/parks.png "$data"
"$bin" render --quiet --view map --highlight weak-links -o out/map.svg "$data"
"$bin" resilience --attack degree --format json -o out/resilience-degree.json --plot out/resilience-degree.png "$data"
echo "main: report out/weak-links.html; diagrams, plot and data in out/"
