#!/usr/bin/env bash
# Checks that the packaged binary behaves like the plain jar (for CI after jpackage/build.sh):
#
#   jpackage/smoke.sh [--arch arm64] [LAUNCHER]   (default target/jpackage/triage/bin/triage,
#                                                 with --arch arm64 target/jpackage-arm64/...)
#
# --version, --help, list, list --json and validate: the same stdout and exit code as
# `java -jar target/triage.jar`; a healthy `diagnose bridge-intercontainer` (Docker and root; skipped
# with SMOKE_DOCKER=0); a TLS handshake with an ECDSA certificate (openssl s_server on loopback:
# EC crypto and the trust path); the text UI's first frame, a resize (SIGWINCH) and Ctrl-C (tmux);
# the CDS archive / AOT cache serving the classes; and, where the .deb is next to the image, its
# postinst making the archive in an unpacked copy (dpkg-deb -R) that the launcher then uses.
# Ends with 'N passed, N failed'.
#
# --arch arm64: the image of `build.sh --arch arm64`, run under qemu-user (binfmt_misc) with
# QEMU_LD_PREFIX at the build's arm64 sysroot (TRIAGE_CROSS_CACHE, default target/cross-arm64);
# the same checks with longer waits, the JVM checked to be an arm64 one, and the .deb's
# Architecture and Depends (the same as the host .deb's, when that is built).
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
arch=""
if [[ ${1:-} == --arch ]]; then arch=$2; shift 2; elif [[ ${1:-} == --arch=* ]]; then arch=${1#--arch=}; shift; fi
slow=1   # waits are multiplied by this
case $arch in
  "") bin=${1:-$root/target/jpackage/triage/bin/triage} ;;
  arm64|aarch64)
    arch=arm64 slow=5
    bin=${1:-$root/target/jpackage-arm64/triage/bin/triage}
    export QEMU_LD_PREFIX=${QEMU_LD_PREFIX:-${TRIAGE_CROSS_CACHE:-$root/target/cross-arm64}/sysroot}
    [[ -d $QEMU_LD_PREFIX/lib ]] || { echo "smoke: no arm64 sysroot at $QEMU_LD_PREFIX (run jpackage/build.sh --arch arm64)" >&2; exit 1; } ;;
  *) echo "smoke: --arch takes arm64 (the host's own image needs no --arch)" >&2; exit 64 ;;
esac
jar=${SMOKE_JAR:-$root/target/triage.jar}
java=${SMOKE_JAVA:-java}
[[ -x $bin ]] || { echo "smoke: no launcher $bin (run jpackage/build.sh)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/triage-smoke.XXXXXX)
export TRIAGE_STATE_DIR=$tmp/state
mkdir -p "$TRIAGE_STATE_DIR"
sock=triage-smoke-$$
tls_pid=""
cleanup() {
  [[ -n $tls_pid ]] && kill "$tls_pid" 2>/dev/null
  tmux -L "$sock" kill-server 2>/dev/null
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0 failed=0 skipped=0
ok() { passed=$((passed + 1)); echo "ok    $*"; }
bad() { failed=$((failed + 1)); echo "FAIL  $*"; }
skip() { skipped=$((skipped + 1)); echo "skip  $*"; }
image=$(cd "$(dirname "$bin")/.." && pwd)
# Under qemu the JVM runs 5 to 20 times slower than on the host, more when the machine is busy,
# while the scenarios' time limits (engine answer 3 s, a TLS handshake 5 s) assume a real CPU:
# there they are multiplied by TRIAGE_TIME_SCALE (default 5 under qemu; the product's own
# setting, README), and a check bound by them gets up to 3 attempts, and says how many it took.
attempts=1
if ((slow > 1)); then attempts=3; export TRIAGE_TIME_SCALE=${TRIAGE_TIME_SCALE:-5}; fi
tries() { # OUT CHECK-FUNCTION CMD...: runs CMD (stdout+stderr to OUT) until CHECK-FUNCTION OUT RC passes
  local out=$1 check=$2 i rc; shift 2
  for ((i = 1; i <= attempts; i++)); do
    rc=0; "$@" >"$out" 2>&1 </dev/null || rc=$?
    "$check" "$out" "$rc" && { tries_note=""; ((i > 1)) && tries_note=" (attempt $i of $attempts under qemu)"; return 0; }
  done
  tries_rc=$rc
  return 1
}

if [[ $arch == arm64 ]]; then
  machine=$(readelf -h "$image/lib/runtime/bin/java" 2>/dev/null | sed -n 's/^ *Machine: *//p')
  if [[ $machine == AArch64 ]] && "$bin" --version >/dev/null 2>&1 </dev/null; then
    ok "arm64: the image's JVM is an AArch64 program and runs here under qemu ($(uname -m) host)"
  else
    bad "arm64: the image's JVM is '$machine', or it does not run under qemu (binfmt_misc: $(cat /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null | head -1))"
  fi
fi

same_as_jar() { # NAME ARGS...: stdout, stderr and exit code equal to the plain jar's
  local name=$1; shift
  local rb=0 rj=0
  "$bin" "$@" >"$tmp/b.out" 2>"$tmp/b.err" </dev/null || rb=$?
  "$java" -jar "$jar" "$@" >"$tmp/j.out" 2>"$tmp/j.err" </dev/null || rj=$?
  if [[ $rb == "$rj" ]] && cmp -s "$tmp/b.out" "$tmp/j.out" && cmp -s "$tmp/b.err" "$tmp/j.err" \
      && [[ -s $tmp/b.out || -s $tmp/b.err ]]; then
    ok "$name: same output as the jar (exit $rb, $(cat "$tmp/b.out" "$tmp/b.err" | wc -l) lines)"
  else
    bad "$name: exit $rb vs jar $rj; diff (stdout, stderr):"
    diff "$tmp/b.out" "$tmp/j.out" | head -20; diff "$tmp/b.err" "$tmp/j.err" | head -10
  fi
}

same_as_jar "--version" --version
same_as_jar "--help" --help
same_as_jar "list" list
same_as_jar "list --json" list --json
[[ -d $root/scenarios ]] && same_as_jar "validate scenarios/" validate "$root/scenarios"
same_as_jar "diagnose with an unknown scenario (usage error)" diagnose no-such-scenario

# stdout must stay clean (no JVM or library line) with --json
"$bin" list --json 2>/dev/null | head -c 1 | grep -q '\[' && ok "list --json: stdout starts with the JSON" || bad "list --json: stdout does not start with '['"

# the archive serves the classes (a mismatch would be skipped silently)
JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$tmp/cl.log" "$bin" list >/dev/null 2>&1 </dev/null
shared=$(grep -c 'source: shared objects file' "$tmp/cl.log" 2>/dev/null); all=$(grep -c 'source:' "$tmp/cl.log" 2>/dev/null)
if ((${all:-0} > 0 && ${shared:-0} * 100 >= ${all:-0} * 80)); then
  ok "archive: $shared of $all classes of 'list' from the CDS archive / AOT cache"
else
  bad "archive: only ${shared:-0} of ${all:-0} classes of 'list' from the archive"
fi

if [[ ${SMOKE_DOCKER:-1} == 0 ]]; then
  skip "diagnose bridge-intercontainer (SMOKE_DOCKER=0)"
else
  healthy() { [[ $2 == 0 ]] && grep -q '^VERDICT: healthy' "$1"; }
  if tries "$tmp/d.out" healthy "$bin" diagnose bridge-intercontainer; then
    ok "diagnose bridge-intercontainer: healthy$tries_note"
  else
    bad "diagnose bridge-intercontainer: exit $tries_rc"; tail -20 "$tmp/d.out"
  fi
  # stdout only: --json keeps stderr apart
  json_healthy() { [[ $2 == 0 ]] && head -c 1 "$1" | grep -q '{' && grep -q '"status" *: *"healthy"' "$1"; }
  json_run() { "$bin" diagnose bridge-intercontainer --json 2>/dev/null; }
  if tries "$tmp/dj.out" json_healthy json_run; then
    ok "diagnose bridge-intercontainer --json: one JSON document, healthy$tries_note"
  else
    bad "diagnose --json: exit $tries_rc"; head -5 "$tmp/dj.out"
  fi
fi

# TLS: ECDSA certificate (P-256), TLS 1.3, a CA file, and the system trust store for the second run
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -keyout "$tmp/k.pem" \
    -out "$tmp/c.pem" -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1
  port=$((20000 + RANDOM % 20000))
  openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$tmp/c.pem" -key "$tmp/k.pem" </dev/null >/dev/null 2>&1 &
  tls_pid=$!
  sleep 0.5
  handshake() { [[ $2 == 0 ]] && grep -q 'handshake works (TLSv1.3); certificate valid for localhost' "$1"; }
  if tries "$tmp/t.out" handshake "$bin" diagnose smtps-proxy-protocol --set "server=127.0.0.1:$port" --set "ca=$tmp/c.pem" --set hostname=localhost; then
    ok "TLS: handshake with an ECDSA certificate, trusted through --set ca$tries_note"
  else
    bad "TLS with an ECDSA certificate: exit $tries_rc"; sed -n 1,6p "$tmp/t.out"
  fi
  untrusted() { grep -q 'not trusted by the system store' "$1"; }
  if tries "$tmp/t2.out" untrusted "$bin" diagnose smtps-proxy-protocol --set "server=127.0.0.1:$port" --set hostname=localhost; then
    ok "TLS: the system trust store (cacerts) is read, and does not trust a self-signed certificate$tries_note"
  else
    bad "TLS without --set ca: unexpected"; sed -n 1,4p "$tmp/t2.out"
  fi
  kill "$tls_pid" 2>/dev/null; tls_pid=""
else
  skip "TLS (no openssl)"
fi

# the text UI: first frame, a resize to 100x30 (SIGWINCH, jdk.unsupported), Ctrl-C leaves with 130
if command -v tmux >/dev/null; then
  tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
    "env TERM=xterm-256color LANG=C.UTF-8 '$bin' 2>'$tmp/tui.err'; echo \$? >'$tmp/tui.rc'; sleep 30"
  seen=0
  for _ in $(seq $((300 * slow))); do
    tmux -L "$sock" capture-pane -p | grep -q 'Symptom: what do you see' && { seen=1; break; }
    sleep 0.1
  done
  if ((seen)); then ok "text UI: first frame shows the symptoms"; else bad "text UI: no first frame"; tmux -L "$sock" capture-pane -p | head; fi
  width() { tmux -L "$sock" capture-pane -p | grep -m1 'Symptoms' | LC_ALL=C.UTF-8 awk '{print length($0)}'; }
  # under qemu the first frame may still be drawing when its title shows: wait for the list's frame
  w0=""
  for _ in $(seq $((30 * slow))); do w0=$(width); [[ -n $w0 ]] && break; sleep 0.1; done
  tmux -L "$sock" resize-window -x 100 -y 30 2>/dev/null
  w1=""
  for _ in $(seq $((15 * slow))); do
    sleep 0.1; w1=$(width); [[ -n $w0 && -n $w1 ]] && ((w1 > w0)) && break
  done
  if [[ -n $w0 && -n $w1 ]] && ((w1 > w0)); then ok "text UI: resize 80 -> 100 columns lays the screen out again ($w0 -> $w1)"; else bad "text UI: no re-layout on resize ($w0 -> $w1)"; fi
  tmux -L "$sock" send-keys C-c
  for _ in $(seq $((50 * slow))); do [[ -s $tmp/tui.rc ]] && break; sleep 0.1; done
  if [[ $(cat "$tmp/tui.rc" 2>/dev/null) == 130 && ! -s $tmp/tui.err ]]; then ok "text UI: Ctrl-C leaves with 130, nothing on stderr"; else bad "text UI: exit $(cat "$tmp/tui.rc" 2>/dev/null), stderr: $(head -c 300 "$tmp/tui.err")"; fi
  tmux -L "$sock" kill-server 2>/dev/null
else
  skip "text UI (no tmux)"
fi

# the line dialog without a terminal (stdin a pipe)
rb=0
printf 'q\n' | "$bin" --plain >"$tmp/p.out" 2>"$tmp/p.err" || rb=$?
if [[ $rb == 130 ]] && grep -q 'What do you see?' "$tmp/p.out" && grep -q 'bridge-intercontainer' "$tmp/p.out" \
    && ! grep -q 'WARNING\|Exception' "$tmp/p.out" "$tmp/p.err"; then
  ok "--plain from a pipe: the symptoms dialog, q leaves with 130, no JLine warning"
else
  bad "--plain from a pipe: exit $rb"; tail -5 "$tmp/p.out" "$tmp/p.err"
fi

# the .deb: its postinst makes the archive at the installed path (JDK 17's CDS records absolute
# paths); run here on an unpacked copy, with /opt/triage replaced by the copy's path
deb=$(ls "$image"/../triage_*.deb 2>/dev/null | head -1)
if [[ -z $deb ]]; then
  skip "the .deb's postinst (no .deb next to $image)"
elif [[ $(dpkg-deb -c "$deb") != *lib/app/triage.classlist* ]]; then
  skip "the .deb's postinst (the .deb ships an AOT cache, not a class list)"
else
  dpkg-deb -R "$deb" "$tmp/pkg"
  inst=$tmp/pkg/opt/triage
  sed "s#/opt/triage#$inst#g" "$tmp/pkg/DEBIAN/postinst" >"$tmp/postinst"
  rc=0; sh "$tmp/postinst" configure >"$tmp/postinst.out" 2>&1 || rc=$?
  JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$tmp/pcl.log" "$inst/bin/triage" list >/dev/null 2>&1 </dev/null
  shared=$(grep -c 'source: shared objects file' "$tmp/pcl.log" 2>/dev/null); all=$(grep -c 'source:' "$tmp/pcl.log" 2>/dev/null)
  if [[ $rc == 0 && -s $inst/lib/app/triage.jsa ]] && ((${all:-0} > 0 && ${shared:-0} * 100 >= ${all:-0} * 80)); then
    ok "postinst: made lib/app/triage.jsa ($(du -m "$inst/lib/app/triage.jsa" | cut -f1) MB) in the unpacked .deb; $shared of $all classes of 'list' came from it"
  else
    bad "postinst: exit $rc, archive $(ls -la "$inst/lib/app/triage.jsa" 2>&1), ${shared:-0} of ${all:-0} classes shared"; tail -5 "$tmp/postinst.out"
  fi
  if [[ $arch == arm64 ]]; then
    host_deb=$(ls "$root"/target/jpackage/triage_*.deb 2>/dev/null | head -1)
    a=$(dpkg-deb -f "$deb" Architecture); d=$(dpkg-deb -f "$deb" Depends | sed 's/ *$//')
    hd=""; [[ -n $host_deb ]] && hd=$(dpkg-deb -f "$host_deb" Depends | sed 's/ *$//')
    if [[ $a == arm64 && -n $d && ( -z $hd || $d == "$hd" ) ]]; then
      ok ".deb: Architecture arm64, Depends: $d${hd:+ (the same as $(basename "$host_deb"))}"
    else
      bad ".deb: Architecture '$a', Depends '$d' (host .deb: '$hd')"
    fi
  fi
fi

echo
echo "$passed passed, $failed failed${skipped:+, $skipped skipped}"
((failed == 0))
