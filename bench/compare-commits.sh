#!/usr/bin/env bash
# Every benchmark on two commits in one run, alternated (base, head, base, head ...), outputs side by side per round.
# Usage: bench/compare-commits.sh BASE [HEAD] [ROUNDS]   (BENCH_ONLY="import query" picks benchmarks)
# Shared machines are noisy: both commits run in the same minutes, in turn, so load hits them alike; compare the
# figures of one round, and the medians over rounds. Sizes are the benchmarks' smaller ones (minutes, not hours).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
base=$(git -C "$repo" rev-parse --short "${1:?base commit}")
head=$(git -C "$repo" rev-parse --short "${2:-HEAD}")
rounds=${3:-2}
out=${BENCH_OUT:-$(mktemp -d)}
only=${BENCH_ONLY:-"import query collect twin store"}

# Smaller than each benchmark's defaults so a round takes minutes; BENCH_ARGS_<name> overrides one.
declare -A args=(
  [import]="${BENCH_ARGS_import:---runs 3}"
  [query]="${BENCH_ARGS_query:---sizes 10k,100k}"
  [collect]="${BENCH_ARGS_collect:---users 100 --hours 12}"
  [twin]="${BENCH_ARGS_twin:---users 200 --days 14}"
  [store]="${BENCH_ARGS_store:---parts import,sizes --sizes 100k --runs 7}"
)

for c in "$base" "$head"; do
  dir="$out/tree-$c"
  if [ ! -d "$dir" ]; then
    git -C "$repo" worktree add -q --detach "$dir" "$c"
    ln -s "$repo/node_modules" "$dir/node_modules"
  fi
done
trap 'for c in "$base" "$head"; do git -C "$repo" worktree remove --force "$out/tree-$c" || true; done' EXIT

for round in $(seq 1 "$rounds"); do
  for b in $only; do
    for c in "$base" "$head"; do
      log="$out/$b-$c-$round.txt"
      echo "== bench:$b at $c, round $round (${args[$b]})" >&2
      (cd "$out/tree-$c" && BENCH_RUNS=7 npm run -s "bench:$b" -- ${args[$b]} >"$log" 2>&1) ||
        echo "(bench:$b failed at $c: see $log)" >&2
    done
  done
done

for b in $only; do
  for round in $(seq 1 "$rounds"); do
    for c in "$base" "$head"; do
      echo
      echo "######## bench:$b ${args[$b]} — commit $c ($([ "$c" = "$base" ] && echo before || echo after)), round $round"
      grep -v '^\s*$' "$out/$b-$c-$round.txt" | grep -v '^>' || true
    done
  done
done
echo
echo "(raw outputs in $out)"
