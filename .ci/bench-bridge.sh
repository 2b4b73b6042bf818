#!/usr/bin/env bash
# Benchmark, not a test: a healthy `triage diagnose bridge-intercontainer` next to the same steps
# done by hand with the docker CLI (network create, run server, run client PING, rm, network rm),
# in the same run on the same machine. Prints median wall time over N runs (default 7) and peak RSS.
# Needs: a Docker engine, the probe image (.ci/build-probe-image.sh), target/triage.jar (mvn package).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
runs=${1:-7}
jar=target/triage.jar
image=${TRIAGE_BENCH_IMAGE:-redis:7.2-alpine}
[[ -f $jar ]] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }

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

with_triage() {
  java -jar "$jar" diagnose bridge-intercontainer --json >/dev/null 2>&1
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

by_hand; with_triage   # warm the page cache and the engine once, for both
hand=(); tri=()
for _ in $(seq "$runs"); do    # interleaved, so both see the same machine state
  hand+=("$(wall_ms by_hand)")
  tri+=("$(wall_ms with_triage)")
done
rss=n/a
if [[ -x /usr/bin/time ]]; then
  rss="$(/usr/bin/time -f %M java -jar "$jar" diagnose bridge-intercontainer --json 2>&1 >/dev/null | tail -n 1) KB"
fi
echo "machine: $(nproc) cores, $(uname -m), $(docker version -f 'Docker {{.Server.Version}}'), $(java -version 2>&1 | head -n 1)"
echo "runs: $runs each, interleaved"
echo "by hand (docker CLI):  median $(printf '%s\n' "${hand[@]}" | median) ms   all: ${hand[*]}"
echo "triage diagnose:       median $(printf '%s\n' "${tri[@]}" | median) ms   all: ${tri[*]}"
echo "triage peak RSS:       $rss"
