#!/usr/bin/env bash
# chengyu centrality against NetworkX and python-igraph (Debian's
# python3-networkx and python3-igraph, run with /usr/bin/python3): degrees,
# strength, betweenness, PageRank, coreness, closeness and harmonic on
# synthetic networks of 60 and 300 firms written by the Python helper
# and on two networks from `chengyu generate --preset regional` (205 and
# 612 firms), directed, undirected, normalized, weighted and by park,
# all to 1e-6 relative.
# usage: test_centrality.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
set -eo pipefail
py=/usr/bin/python3

if ! "$py" -c 'import networkx, igraph' 2>/dev/null; then
  echo "test_centrality: needs python3-networkx and python3-igraph (bash scripts/deps.sh test)" >&2
  exit 1
fi
work=$tmp

"$bin" generate --preset regional --seed 2 --oems 5 --suppliers 200 -o "$work/regional-small.json"
"$bin" generate --preset regional --seed 3 --oems 12 --suppliers 600 -o "$work/regional-medium.json"
"$py" "$src/tests/cli/centrality_reference.py" "$bin" "$work" \
  "$work/regional-small.json" "$work/regional-medium.json"
