#!/usr/bin/env bash
# Benchmark, not a test: a healthy `triage diagnose bridge-intercontainer` next to the same steps
# done by hand with the docker CLI (network create, run server, run client PING, rm, network rm),
# in the same run on the same machine, interleaved. Prints the median wall time over N runs
# (default 7) of: the hand run, the plain jar, and the installed binary (jpackage/build.sh) when
# there is one; then where the binary's time goes (median of its runs): the 'engine' test (client
# set-up and the engine's /version and /info), the 'bridge' test (the Docker work), and the rest
# (JVM start, scenario loading, the report, exit). And peak RSS.
# Needs: a Docker engine, the probe image (.ci/build-probe-image.sh), target/triage.jar (mvn package).
#   TRIAGE_BENCH_BIN   the binary (default target/jpackage/triage/bin/triage; "none" to leave it out)
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
runs=${1:-7}
jar=target/triage.jar
bin=${TRIAGE_BENCH_BIN:-target/jpackage/triage/bin/triage}
[[ $bin == none || ! -x $bin ]] && bin=""
image=${TRIAGE_BENCH_IMAGE:-redis:7.2-alpine}
[[ -f $jar ]] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
tmp=$(mktemp -d /tmp/triage-bench-bridge.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export TRIAGE_STATE_DIR=$tmp/state   # the runs' log stays out of the user's state folder
mkdir -p "$TRIAGE_STATE_DIR"

by_hand() {
  local n="bench-hand-$$-$RANDOM"
  docker network create "$n-net" >/dev/null
  docker run -d --name "$n-srv" --network "$n-net" "$image" redis-server --protected-mode no >/dev/null
  # a fresh server needs a moment; retry like triage does, bounded like triage is
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    out=$(docker run --rm --network "$n-net" "$image" timeout 3 redis-cli -h "$n-srv" PING 2>&1) && [[ $out == PONG ]] && break
    sleep 0.1
  done
  docker rm -f "$n-srv" >/dev/null
  docker network rm "$n-net" >/dev/null
  [[ $out == PONG ]]
}

# a run that does not end healthy is counted, not fatal: its time is still shown
with_jar() {
  java -jar "$jar" diagnose bridge-intercontainer --json >/dev/null 2>&1 || echo jar >>"$tmp/unhealthy"
}

# the text report, kept: its per-test times give the breakdown
with_bin() {
  "$bin" diagnose bridge-intercontainer >"$tmp/bin.out" 2>&1 || true
  grep -q '^VERDICT: healthy' "$tmp/bin.out" || echo binary >>"$tmp/unhealthy"
  awk '$2 == "->" && ($1 == "engine" || $1 == "bridge") {print $1, $4}' "$tmp/bin.out" | paste -sd' ' >>"$tmp/steps"
}

# wall milliseconds of one call of function $1
wall_ms() {
  local s e
  s=$(date +%s%N)
  "$1"
  e=$(date +%s%N)
  echo $(( (e - s) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
by_hand; with_jar; [[ -n $bin ]] && with_bin   # warm the page cache and the engine once, for all
: >"$tmp/steps"; : >"$tmp/unhealthy"
hand=(); tri=(); bins=()
for _ in $(seq "$runs"); do    # interleaved, so all see the same machine state
  hand+=("$(wall_ms by_hand)")
  tri+=("$(wall_ms with_jar)")
  [[ -n $bin ]] && bins+=("$(wall_ms with_bin)")
done
rss=n/a rss_bin=n/a
if [[ -x /usr/bin/time ]]; then
  rss="$(/usr/bin/time -f %M java -jar "$jar" diagnose bridge-intercontainer --json 2>&1 >/dev/null | tail -n 1) KB"
  [[ -n $bin ]] && rss_bin="$(/usr/bin/time -f %M "$bin" diagnose bridge-intercontainer --json 2>&1 >/dev/null | tail -n 1) KB"
fi
echo "machine: $(nproc) cores, $(uname -m), $(docker version -f 'Docker {{.Server.Version}}'), $(java -version 2>&1 | head -n 1), load $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "runs: $runs each, interleaved"
echo "by hand (docker CLI):  median $(printf '%s\n' "${hand[@]}" | median) ms   all: ${hand[*]}"
echo "triage, java -jar:     median $(printf '%s\n' "${tri[@]}" | median) ms   all: ${tri[*]}"
if [[ -n $bin ]]; then
  b=$(printf '%s\n' "${bins[@]}" | median)
  e=$(awk '{print $2}' "$tmp/steps" | median); g=$(awk '{print $4}' "$tmp/steps" | median)
  echo "triage, binary:        median $b ms   all: ${bins[*]}   ($bin)"
  echo "  binary, where it goes (medians): engine test $e ms, bridge test $g ms, the rest (JVM start, scenario, report, exit) $((b - e - g)) ms"
  echo "  binary / by hand:    $(awk -v a="$b" -v h="$(printf '%s\n' "${hand[@]}" | median)" 'BEGIN {printf "%.2fx", a / h}')"
fi
echo "triage peak RSS:       java -jar $rss, binary $rss_bin"
[[ -s $tmp/unhealthy ]] && echo "NOT HEALTHY: $(sort "$tmp/unhealthy" | uniq -c | paste -sd' ') runs (a busy machine? the times of those runs are in the lists above)"
exit 0
