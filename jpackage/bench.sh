#!/usr/bin/env bash
# Measures the packaged binary against the plain jar on the system JDK, in the same run:
#
#   jpackage/bench.sh [--runs N] [--tui-runs N] [--rss-runs N] [--no-diagnose]
#
# Reports (medians): app image and .deb size; wall time from start to the '--version' output; to
# the first text-UI frame (tmux, 80x24: the first capture that shows "Symptom: what do you see?");
# and peak RSS, wall and CPU time of a healthy 'diagnose bridge-intercontainer' (needs root and a
# Docker engine with redis:7.2-alpine; /usr/bin/time from Debian's 'time', else /proc polling).
# Targets (issue): image < 60 MB, '--version' at least 2x faster than the jar, peak RSS < 100 MB.
#
# BENCH_LAUNCHER   default target/jpackage/triage/bin/triage
# BENCH_JAR        default target/triage.jar
# BENCH_JAVA       the system JDK's java for the jar (default: java on PATH)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
launcher=${BENCH_LAUNCHER:-$root/target/jpackage/triage/bin/triage}
jar=${BENCH_JAR:-$root/target/triage.jar}
java=${BENCH_JAVA:-$(command -v java)}
runs=11 tui_runs=7 rss_runs=3 diagnose=1
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --tui-runs) tui_runs=$2; shift 2 ;;
    --rss-runs) rss_runs=$2; shift 2 ;;
    --no-diagnose) diagnose=0; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 64 ;;
  esac
done
[[ -x $launcher ]] || { echo "bench: no launcher $launcher (run jpackage/build.sh)" >&2; exit 1; }
[[ -f $jar ]] || { echo "bench: no jar $jar" >&2; exit 1; }
image=$(cd "$(dirname "$launcher")/.." && pwd)
tmp=$(mktemp -d /tmp/triage-bench.XXXXXX)
export TRIAGE_STATE_DIR=$tmp/state   # the runs' log and journal stay out of the user's state folder
mkdir -p "$TRIAGE_STATE_DIR"
sock=triage-bench-$$
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"; rm -rf "$tmp"; }
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR] = $1} END {if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mib() { awk -v b="$1" 'BEGIN {printf "%.1f MiB", b / 1048576}'; }

# the two commands under test, as words
bin=("$launcher")
plain=("$java" -jar "$jar")

# ---------------------------------------------------------------- sizes
image_b=$(du -sb "$image" | cut -f1)
jar_b=$(stat -c %s "$jar")
deb=$(ls "$image"/../triage_*.deb 2>/dev/null | head -1 || true)
deb_b=""; [[ -n $deb ]] && deb_b=$(stat -c %s "$deb")
archive=$(ls "$image"/lib/app/triage.aot "$image"/lib/app/triage.jsa 2>/dev/null | head -1 || true)

# ---------------------------------------------------------------- --version
version_ms() { # CMD... -> ms
  local t0 t1
  t0=$(now_ms); "$@" --version >/dev/null 2>&1 </dev/null; t1=$(now_ms)
  echo $((t1 - t0))
}
for cmd in bin plain; do : >"$tmp/version.$cmd"; done
"${bin[@]}" --version >/dev/null; "${plain[@]}" --version >/dev/null   # warm the page cache
for ((i = 0; i < runs; i++)); do   # interleaved, so both see the same machine
  version_ms "${bin[@]}" >>"$tmp/version.bin"
  version_ms "${plain[@]}" >>"$tmp/version.plain"
done
v_bin=$(median <"$tmp/version.bin"); v_plain=$(median <"$tmp/version.plain")

# ---------------------------------------------------------------- first text-UI frame
f_bin=n/a f_plain=n/a
if command -v tmux >/dev/null; then
  tmux -L "$sock" -f /dev/null new-session -d -s bench -x 80 -y 24 'sleep 100000'
  tmux -L "$sock" set-option -g default-size 80x24 >/dev/null 2>&1 || true
  frame_ms() { # CMD... -> ms until the symptoms screen is on the tmux pane, or "" on timeout
    local t0 t1 w="r$RANDOM" q; q=$(printf '%q ' "$@")
    t0=$(now_ms)
    tmux -L "$sock" new-window -d -t bench -n "$w" "env TERM=xterm-256color LANG=C.UTF-8 $q 2>/dev/null; sleep 5"
    while :; do
      if tmux -L "$sock" capture-pane -p -t "bench:$w" 2>/dev/null | grep -q 'Symptom: what do you see'; then
        t1=$(now_ms); break
      fi
      if (($(now_ms) - t0 > 30000)); then t1=""; break; fi
      sleep 0.005
    done
    tmux -L "$sock" send-keys -t "bench:$w" C-c 2>/dev/null || true
    sleep 0.5
    tmux -L "$sock" kill-window -t "bench:$w" 2>/dev/null || true
    [[ -n $t1 ]] && echo $((t1 - t0))
  }
  : >"$tmp/frame.bin"; : >"$tmp/frame.plain"
  for ((i = 0; i < tui_runs; i++)); do
    frame_ms "${bin[@]}" >>"$tmp/frame.bin" || true
    frame_ms "${plain[@]}" >>"$tmp/frame.plain" || true
  done
  f_bin=$(median <"$tmp/frame.bin"); f_plain=$(median <"$tmp/frame.plain")
fi

# ---------------------------------------------------------------- diagnose: peak RSS
r_bin=n/a r_plain=n/a w_bin=n/a w_plain=n/a c_bin=n/a c_plain=n/a rc_note=""
if ((diagnose)); then
  rss_run() { # NAME CMD... -> appends "rss_kb wall_ms cpu_ms rc" to $tmp/rss.NAME
    local name=$1; shift
    local t0 t1 rc=0
    if [[ -x /usr/bin/time ]]; then
      t0=$(now_ms)
      /usr/bin/time -o "$tmp/time.out" -f '%M %U %S' "$@" diagnose bridge-intercontainer >"$tmp/diag.out" 2>&1 </dev/null || rc=$?
      t1=$(now_ms)
      read -r kb u s <"$tmp/time.out" || true
      [[ $kb =~ ^[0-9]+$ ]] || { kb=$(tail -1 "$tmp/time.out" | awk '{print $1}'); u=0; s=0; }
      echo "$kb $((t1 - t0)) $(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1000}') $rc" >>"$tmp/rss.$name"
    else
      # no GNU time: poll VmHWM (the JVM runs in the launcher's own process)
      t0=$(now_ms)
      "$@" diagnose bridge-intercontainer >"$tmp/diag.out" 2>&1 </dev/null & local pid=$! hwm=0 h
      while kill -0 "$pid" 2>/dev/null; do
        h=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [[ -n $h ]] && hwm=$h
        sleep 0.02
      done
      wait "$pid" || rc=$?
      t1=$(now_ms)
      echo "$hwm $((t1 - t0)) n/a $rc" >>"$tmp/rss.$name"
    fi
  }
  : >"$tmp/rss.bin"; : >"$tmp/rss.plain"
  for ((i = 0; i < rss_runs; i++)); do
    rss_run bin "${bin[@]}"
    rss_run plain "${plain[@]}"
  done
  col() { awk -v c="$2" '{print $c}' "$tmp/rss.$1" | median; }
  r_bin=$(col bin 1); r_plain=$(col plain 1)
  w_bin=$(col bin 2); w_plain=$(col plain 2)
  c_bin=$(col bin 3); c_plain=$(col plain 3)
  bad=$(awk '$4 != 0' "$tmp/rss.bin" "$tmp/rss.plain" | wc -l)
  ((bad == 0)) || rc_note=" ($bad runs did not end healthy, exit != 0: see the figures with care)"
fi

# ---------------------------------------------------------------- report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", b / a; else print "n/a"}'; }
kb_mib() { [[ $1 == n/a ]] && echo n/a || awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
echo "triage packaged binary vs plain jar  ($(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) cores)"
echo "  binary: $launcher ($(sed -n 's/^java-options=-XX:\(AOTCache\|SharedArchiveFile\)=.*/\1/p' "$image/lib/app/triage.cfg" | head -1 || true); runtime $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$image/lib/runtime/release"))"
echo "  jar:    $("$java" -version 2>&1 | head -1) -jar $jar"
echo
echo "| measure | binary | plain jar | |"
echo "|---|---|---|---|"
echo "| size | image $(mib "$image_b") (archive $( [[ -n $archive ]] && mib "$(stat -c %s "$archive")" || echo none)) | jar $(mib "$jar_b") (+ a JDK) | target image < 60 MB |"
echo "| .deb | $( [[ -n $deb_b ]] && mib "$deb_b" || echo 'not built') | - | |"
echo "| --version, median of $runs | ${v_bin} ms | ${v_plain} ms | $(ratio "$v_bin" "$v_plain") faster (target >= 2x) |"
echo "| first text-UI frame, median of $tui_runs | ${f_bin} ms | ${f_plain} ms | $(ratio "$f_bin" "$f_plain") faster |"
echo "| diagnose bridge-intercontainer: peak RSS, median of $rss_runs | $(kb_mib "$r_bin") | $(kb_mib "$r_plain") | target < 100 MB$rc_note |"
echo "| diagnose: wall / CPU (user+sys) | ${w_bin} / ${c_bin} ms | ${w_plain} / ${c_plain} ms | |"
