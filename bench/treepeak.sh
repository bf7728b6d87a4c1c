#!/usr/bin/env bash
# Used for BENCHMARKS.md, "Issue 13: readers in processes":
#   bash bench/treepeak.sh target/release/diaodu run DIR --force --quiet --timings
# Run a command; every 10 ms sum the resident memory (/proc/PID/statm) of its whole process
# tree (the process and its children) and note each one's CPU time (/proc/PID/stat utime+stime).
# Prints wall s, tree CPU s (last sample of each process), tree peak MiB, parent peak MiB.
"$@" & pid=$!
peak=0; ppeak=0; start=$(date +%s.%N); pg=$(getconf PAGESIZE); declare -A cpu
while kill -0 $pid 2>/dev/null; do
  tot=0
  kids=$(cat /proc/$pid/task/*/children 2>/dev/null)
  for p in $pid $kids; do
    read -r _ r _ < /proc/$p/statm 2>/dev/null || r=0
    tot=$((tot + r))
    [ "$p" = "$pid" ] && [ "$r" -gt "$ppeak" ] && ppeak=$r
    if read -r st < /proc/$p/stat 2>/dev/null; then
      st=${st##*) }; set -- $st; cpu[$p]=$(( ${12} + ${13} ))
    fi
  done
  [ $tot -gt $peak ] && peak=$tot
  sleep 0.01
done
wait $pid; rc=$?
end=$(date +%s.%N)
ticks=0; for p in "${!cpu[@]}"; do ticks=$((ticks + cpu[$p])); done
echo "rc=$rc wall=$(echo "$end - $start" | bc) tree_cpu=$(echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc) procs=${#cpu[@]} tree_peak_MiB=$((peak*pg/1048576)) parent_peak_MiB=$((ppeak*pg/1048576))" >&2
