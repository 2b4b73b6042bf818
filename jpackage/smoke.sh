#!/usr/bin/env bash
# Checks that the packaged binary behaves like the plain jar (for CI after jpackage/build.sh):
#
#   jpackage/smoke.sh [LAUNCHER]      (default target/jpackage/triage/bin/triage)
#
# --version, --help, list, list --json and validate: the same stdout and exit code as
# `java -jar target/triage.jar`; a healthy `diagnose bridge-intercontainer` (Docker and root; skipped
# with SMOKE_DOCKER=0); a TLS handshake with an ECDSA certificate (openssl s_server on loopback:
# EC crypto and the trust path); the text UI's first frame, a resize (SIGWINCH) and Ctrl-C (tmux);
# and the CDS archive / AOT cache serving the classes. Ends with 'N passed, N failed'.
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
bin=${1:-$root/target/jpackage/triage/bin/triage}
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
  rc=0
  "$bin" diagnose bridge-intercontainer >"$tmp/d.out" 2>&1 </dev/null || rc=$?
  if [[ $rc == 0 ]] && grep -q '^VERDICT: healthy' "$tmp/d.out"; then
    ok "diagnose bridge-intercontainer: healthy"
  else
    bad "diagnose bridge-intercontainer: exit $rc"; tail -20 "$tmp/d.out"
  fi
  rc=0
  "$bin" diagnose bridge-intercontainer --json >"$tmp/dj.out" 2>/dev/null </dev/null || rc=$?
  if [[ $rc == 0 ]] && head -c 1 "$tmp/dj.out" | grep -q '{' && grep -q '"status" *: *"healthy"' "$tmp/dj.out"; then
    ok "diagnose bridge-intercontainer --json: one JSON document, healthy"
  else
    bad "diagnose --json: exit $rc"; head -5 "$tmp/dj.out"
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
  rc=0
  "$bin" diagnose smtps-proxy-protocol --set "server=127.0.0.1:$port" --set "ca=$tmp/c.pem" --set hostname=localhost \
    >"$tmp/t.out" 2>&1 </dev/null || rc=$?
  if [[ $rc == 0 ]] && grep -q 'handshake works (TLSv1.3); certificate valid for localhost' "$tmp/t.out"; then
    ok "TLS: handshake with an ECDSA certificate, trusted through --set ca"
  else
    bad "TLS with an ECDSA certificate: exit $rc"; sed -n 1,6p "$tmp/t.out"
  fi
  "$bin" diagnose smtps-proxy-protocol --set "server=127.0.0.1:$port" --set hostname=localhost >"$tmp/t2.out" 2>&1 </dev/null
  if grep -q 'not trusted by the system store' "$tmp/t2.out"; then
    ok "TLS: the system trust store (cacerts) is read, and does not trust a self-signed certificate"
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
  for _ in $(seq 300); do
    tmux -L "$sock" capture-pane -p | grep -q 'Symptom: what do you see' && { seen=1; break; }
    sleep 0.1
  done
  if ((seen)); then ok "text UI: first frame shows the symptoms"; else bad "text UI: no first frame"; tmux -L "$sock" capture-pane -p | head; fi
  width() { tmux -L "$sock" capture-pane -p | grep -m1 'Symptoms' | LC_ALL=C.UTF-8 awk '{print length($0)}'; }
  w0=$(width)
  tmux -L "$sock" resize-window -x 100 -y 30 2>/dev/null
  sleep 1.5
  w1=$(width)
  if [[ -n $w0 && -n $w1 ]] && ((w1 > w0)); then ok "text UI: resize 80 -> 100 columns lays the screen out again ($w0 -> $w1)"; else bad "text UI: no re-layout on resize ($w0 -> $w1)"; fi
  tmux -L "$sock" send-keys C-c
  for _ in $(seq 50); do [[ -s $tmp/tui.rc ]] && break; sleep 0.1; done
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

echo
echo "$passed passed, $failed failed${skipped:+, $skipped skipped}"
((failed == 0))
