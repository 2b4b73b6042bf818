#!/usr/bin/env bash
# Regenerates the plain-text screen captures in assets/screens/*.txt for the README: the packaged
# jar in tmux at 80x24, driven by keys, read with capture-pane.
#
#   mvn -B -q package -DskipTests && assets/screens/capture.sh
#
# Needs tmux, a Docker engine that answers and the probe image (redis:7.2-alpine) for the
# bridge-intercontainer screens; the fix screens use mailu-proxy-ooo with a mailu.env of its own
# and change nothing (the confirm dialog is answered "Not now"). Everything it makes (a tmux server,
# a temp folder with the state folder and the env file) is removed at the end; the probe containers
# are the program's own, removed by the program when it is left. Only assets/screens/*.txt is written.
#
# Environment: TRIAGE_JAR (default target/triage.jar), JAVA (default java).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${TRIAGE_JAR:-$root/target/triage.jar}
java=${JAVA:-java}
[ -f "$jar" ] || { echo "capture.sh: $jar is missing: mvn -B -q package -DskipTests" >&2; exit 1; }
command -v tmux >/dev/null || { echo "capture.sh: tmux is not installed" >&2; exit 1; }
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")

# a fixed-length temp folder, so that its path in a capture can be replaced without moving columns
tmp=$(mktemp -d /tmp/triage-shots.XXXXXX)
shown_tmp=/home/admin/docker-stack # as long as /tmp/triage-shots.XXXXXX: boxes keep their width
sock=triage-shots-$$
session=""
socket_path=""

t() { tmux -u -L "$sock" -f /dev/null "$@"; }

# Ctrl-C to a program still running (it stops its probes and restores the terminal), then the server goes.
finish() {
  if [ -n "$session" ] && [ ! -e "$tmp/$session.exit" ]; then
    t send-keys -t "$session" C-c 2>/dev/null || true
    for _ in $(seq 1 150); do [ -e "$tmp/$session.exit" ] && break; sleep 0.1; done
  fi
  session=""
}
cleanup() {
  finish
  t kill-server 2>/dev/null || true
  [ -n "$socket_path" ] && rm -f "$socket_path"
  rm -rf "$tmp"
}
trap cleanup EXIT

# start NAME COLS ROWS VAR=VALUE... -- ARGS...: the jar in a new session, with exactly these
# locale and terminal variables; its exit code goes to $tmp/NAME.exit.
start() {
  finish
  session=$1 cols=$2 rows=$3
  shift 3
  local vars=() args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do vars+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  args=("$@")
  {
    echo '#!/bin/sh'
    echo "cd '$tmp'"
    printf 'env -u LANG -u LANGUAGE -u LC_ALL -u LC_CTYPE -u LC_MESSAGES -u TERM -u NO_COLOR -u COLUMNS -u LINES -u TMUX'
    printf " '%s'" "${vars[@]}" "TRIAGE_STATE_DIR=$tmp/state" "$java" -jar "$jar" "${args[@]}"
    echo
    echo "echo \$? > '$tmp/$session.exit'"
    echo 'exec sleep 600'
  } > "$tmp/$session.sh"
  if [ -z "$socket_path" ]; then
    TMUX= t new-session -d -s "$session" -x "$cols" -y "$rows" "sh '$tmp/$session.sh'"
    socket_path=$(t display-message -p '#{socket_path}')
  else
    t new-session -d -s "$session" -x "$cols" -y "$rows" "sh '$tmp/$session.sh'"
  fi
  t set-option -t "$session" status off >/dev/null
}

screen() { t capture-pane -p -t "$session" | sed 's/[[:space:]]*$//'; }

# wait_for TEXT...: until the screen shows every TEXT and is the same on two captures 100 ms apart
wait_for() {
  local prev="" cur missing
  for _ in $(seq 1 300); do
    cur=$(screen)
    missing=0
    for want in "$@"; do
      [[ "$cur" == *"$want"* ]] || missing=1
    done
    if [ $missing = 0 ] && [ "$cur" = "$prev" ]; then
      return 0
    fi
    prev=$cur
    sleep 0.1
  done
  echo "capture.sh: waited 30 s for: $*; the screen is:" >&2
  echo "$cur" >&2
  exit 1
}

keys() { for k in "$@"; do t send-keys -t "$session" "$k"; done; }
type_text() { t send-keys -t "$session" -l "$1"; }

# run ids, bridge names and the temp folder change every run: same-length stand-ins keep the layout
tidy() {
  sed -E -e 's/[[:space:]]+$//' \
      -e 's/triage-[0-9a-f]{8}-/triage-5e1f0c2a-/g' \
      -e 's/br-[0-9a-f]{12}/br-5e1f0c2a9d3b/g' \
      -e "s#$tmp#$shown_tmp#g"
}

snap() { screen | tidy > "$here/$1"; echo "  $1"; }

# the inputs screen: Tab past its fields (as many as the box has rows) to the run button
run_tests() {
  local fields
  fields=$(screen | awk '/Inputs \(/{f=1; n=0; next} f && /^(└|\+)/{print n; exit} f{n++}')
  for _ in $(seq 1 "$fields"); do keys Tab; done
  keys Enter
}

echo "capturing into $here:"

# --- the text UI, UTF-8 --------------------------------------------------------------------------
start utf8 80 24 TERM=xterm-256color LANG=C.UTF-8 --
wait_for "┌─Symptoms" "Type words to filter"
snap symptoms.txt
keys F1
wait_for "Help" "Close"
snap help.txt
keys Escape
wait_for "Type words to filter"
type_text resolve
wait_for "Filter: resolve"
keys Enter
wait_for "Inputs (" "About this field" "redis:7.2-alpine"
snap inputs.txt
run_tests
wait_for "<See the verdict>"
snap tests.txt
keys Enter
wait_for "┌─Why" "Save report"
snap verdict.txt
keys C-c
finish

# --- LANG=C: ASCII ---------------------------------------------------------------------------------
start ascii 80 24 TERM=xterm-256color LANG=C --
wait_for "+-Symptoms" "Type words to filter"
snap symptoms-ascii.txt
type_text resolve
wait_for "Filter: resolve"
keys Enter
wait_for "Inputs (" "redis:7.2-alpine"
run_tests
wait_for "<See the verdict>"
snap tests-ascii.txt
keys C-c
finish

# --- a fix: mailu-proxy-ooo from a mailu.env alone (no Mailu container needed) --------------------
mkdir -p "$tmp/mailu"
printf '%s\n' 'HOSTNAMES=mail.example.com' 'PROXY_PROTOCOL=all' 'REAL_IP_FROM=192.0.2.10/32' > "$tmp/mailu/mailu.env"
start fix 80 24 TERM=xterm-256color LANG=C.UTF-8 --
wait_for "┌─Symptoms"
type_text vacation
wait_for "Filter: vacation" "#004"
keys Enter
wait_for "Inputs (" "env-file"
keys Tab # container, env-file, version, ...
type_text "$tmp/mailu/mailu.env"
keys Tab
type_text 2.0.31
keys BTab BTab
wait_for "2.0.31"
run_tests
wait_for "<See the verdict>"
keys Enter
wait_for "┌─Why" "Fixes ("
snap fix-verdict.txt
keys f
wait_for "The exact plan" "Apply"
snap fix-plan.txt
keys a
wait_for "Confirm" "Not now"
snap fix-confirm.txt
keys Enter # "Not now" has the focus
wait_for "Save script"
keys Enter # "No"
wait_for "nothing was changed"
keys C-c
finish
grep -qx 'PROXY_PROTOCOL=all' "$tmp/mailu/mailu.env" || { echo "capture.sh: the env file was changed" >&2; exit 1; }

# --- line mode (TERM=dumb): the transcript of a healthy run ----------------------------------------
start line 80 24 TERM=dumb LANG=C.UTF-8 --
wait_for "q to quit:"
type_text resolve; keys Enter
# a filter with a single match goes straight to it
wait_for "One symptom matches 'resolve'"
# Enter keeps each input's default: one Enter per new prompt ("name [default]:"), until the report question
prompts() { t capture-pane -p -J -S - -t "$session" | sed 's/[[:space:]]*$//' | grep -Ec '^[a-z][a-z0-9-]*( \[[^]]*\])?:$' || true; }
answered=0
for _ in $(seq 1 600); do
  if t capture-pane -p -J -S - -t "$session" | grep -q 'Save a report.*\[y/N\]:'; then
    break
  fi
  if [ "$(prompts)" -gt "$answered" ]; then
    keys Enter
    answered=$((answered + 1))
  fi
  sleep 0.1
done
type_text n; keys Enter
# then it offers another diagnosis: no
for _ in $(seq 1 150); do
  t capture-pane -p -J -S - -t "$session" | grep -q 'Another diagnosis? \[y/N\]:' && break
  sleep 0.1
done
type_text n; keys Enter
for _ in $(seq 1 150); do [ -e "$tmp/line.exit" ] && break; sleep 0.1; done
t capture-pane -p -J -S - -t "$session" | tidy | sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}' > "$here/line-mode.txt"
echo "  line-mode.txt"
finish

echo "done."
