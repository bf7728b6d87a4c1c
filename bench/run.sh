#!/usr/bin/env bash
# The scale benchmark (issue 5): times `diaodu run` end to end on generated
# corpora of 60, 500 and 2000 units x 100 projects x 3 milestones, next to the
# floor of opening every workbook with calamine single-threaded (bare_read).
#
#   bash bench/run.sh                 # all three sizes, 3 runs each
#   REPEAT=5 bash bench/run.sh 60 500 # chosen sizes, 5 runs each
#   BENCH_DIR=/data/bench bash bench/run.sh
#
# Needs /usr/bin/time (Debian package `time`). Corpora are generated once into
# $BENCH_DIR (default /tmp/diaodu-bench) and reused. Prints a Markdown table
# (medians of REPEAT runs; peak memory the largest seen) and the per-stage times
# of the median run, the lines BENCHMARKS.md is made of. Run it on a quiet
# machine: `uptime` is printed before each size.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(60 500 2000)
REPEAT=${REPEAT:-3}
ROOT=${BENCH_DIR:-/tmp/diaodu-bench}
PROJECTS=${PROJECTS:-100}
MILESTONES=${MILESTONES:-3}

if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing: apt-get install time" >&2
  exit 2
fi
cargo build --release --bin diaodu --example gen_corpus --example bare_read >&2
# BIN: the binary to time (default: the one just built), e.g. an older build to compare.
BIN=${BIN:-target/release/diaodu}
EX=target/release/examples

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, $(uname -sr)"
echo
TABLE="| units | files | rows | wall s | rows/s | µs/row | peak MiB | bare read s | ratio to bare | before write s | its ratio | CPU s |"
TABLE+=$'\n'"|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
STAGES=""
for n in "${SIZES[@]}"; do
  dir="$ROOT/u$n-p$PROJECTS-m$MILESTONES"
  if [ ! -f "$dir/gen.txt" ]; then
    rm -rf "$dir"
    "$EX/gen_corpus" --units "$n" --projects "$PROJECTS" --milestones "$MILESTONES" --out "$dir" >"$dir.gen.tmp"
    mv "$dir.gen.tmp" "$dir/gen.txt"
  fi
  files=$(sed -E 's/.* ([0-9]+) files.*/\1/' "$dir/gen.txt")
  rows=$(sed -E 's/.* ([0-9]+) rows.*/\1/' "$dir/gen.txt")
  echo "== $n units: $files files, $rows rows, $(du -sh "$dir/inbox" | cut -f1) ($(uptime | sed 's/.*load/load/'))" >&2
  # Warm the page cache so both sides read from memory.
  cat "$dir"/inbox/* >/dev/null
  bare=()
  walls=()
  peak=0
  runs=()
  for i in $(seq "$REPEAT"); do
    b=$("$EX/bare_read" "$dir/inbox" | sed -E 's/.*secs=([0-9.]+).*/\1/')
    bare+=("$b")
    log="$dir/run$i.log"
    timeout "${RUN_TIMEOUT:-900}" /usr/bin/time -v "$BIN" run "$dir" --force --quiet --timings >"$dir/run$i.out" 2>"$log" || {
      echo "bench: run $i of $n units failed or took over ${RUN_TIMEOUT:-900} s (see $log)" >&2
      exit 1
    }
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(k=1;k<=n;k++) s=s*60+t[k]; print s}' "$log")
    m=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$log")
    walls+=("$w")
    runs+=("$w $i")
    [ "$m" -gt "$peak" ] && peak=$m
    echo "   run $i: bare $b s, diaodu $w s, $m MiB" >&2
  done
  bare_med=$(printf '%s\n' "${bare[@]}" | median)
  wall_med=$(printf '%s\n' "${walls[@]}" | median)
  mid=$(printf '%s\n' "${runs[@]}" | sort -g | awk -v k=$(((REPEAT + 1) / 2)) 'NR==k {print $2}')
  # Everything but writing the outputs: the stages the median run timed before "write".
  pre=$(awk '/^阶段用时/ {on=1; next} on && $1 == "write" {exit} on && NF >= 2 && $2 ~ /^[0-9.]+$/ {s += $2} END {print s}' "$dir/run$mid.log")
  # CPU time (user + system) of the median run: steadier than wall time on a busy machine.
  cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ {s += $2} END {print s}' "$dir/run$mid.log")
  TABLE+=$'\n'$(awk -v u="$n" -v f="$files" -v r="$rows" -v w="$wall_med" -v p="$peak" -v b="$bare_med" -v pre="$pre" -v cpu="$cpu" \
    'BEGIN {printf "| %d | %d | %d | %.2f | %.0f | %.1f | %d | %.2f | %.2f | %.2f | %.2f | %.2f |", u, f, r, w, r/w, 1e6*w/r, p, b, w/b, pre, pre/b, cpu}')
  STAGES+=$'\n'"$n units (run $mid, wall $wall_med s):"$'\n'
  STAGES+=$(sed -n '/^阶段用时/,$p' "$dir/run$mid.log" | grep -v -E '^\s*(Command being timed|User time|System time|Percent of CPU|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)')
done
echo "$TABLE"
echo
echo "per-stage times (seconds, median run of each size):"
echo "$STAGES"
