#!/usr/bin/env bash
# Captures the wizard's "Practice on a lab" screens for the README's Training section: the
# packaged jar in tmux at 80x24, driven by keys, read with capture-pane (as capture.sh does).
#
#   mvn -B -q package -DskipTests && assets/screens/capture-lab.sh
#
# Needs tmux, root, a Docker engine that answers and the probe image: it really starts the lab
# drop-in-docker-user, and stops it (triage lab stop) before it ends. Everything it makes (a tmux
# server, a temp folder with the state folder) is removed at the end. Writes lab-*.txt only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${TRIAGE_JAR:-$root/target/triage.jar}
java=${JAVA:-java}
[ -f "$jar" ] || { echo "capture-lab.sh: $jar is missing: mvn -B -q package -DskipTests" >&2; exit 1; }
command -v tmux >/dev/null || { echo "capture-lab.sh: tmux is not installed" >&2; exit 1; }
jar=$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")
tmp=$(mktemp -d /tmp/triage-shots.XXXXXX)
sock=triage-lab-shots-$$
t() { tmux -u -L "$sock" -f /dev/null "$@"; }
cleanup() {
  t kill-server 2>/dev/null || true
  TRIAGE_STATE_DIR="$tmp/state" "$java" -jar "$jar" lab stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

printf '#!/bin/sh\ncd %s\nexec env -u LANGUAGE -u LC_ALL -u LC_CTYPE -u NO_COLOR -u COLUMNS -u LINES -u TMUX TERM=xterm-256color LANG=C.UTF-8 TRIAGE_STATE_DIR=%s/state %s -jar %s\n' \
  "$tmp" "$tmp" "$java" "$jar" > "$tmp/run.sh"
TMUX= t new-session -d -s lab -x 80 -y 24 "sh '$tmp/run.sh'"
t set-option -t lab status off >/dev/null

screen() { t capture-pane -p -t lab | sed 's/[[:space:]]*$//'; }
wait_for() {
  local prev="" cur missing
  for _ in $(seq 1 600); do
    cur=$(screen); missing=0
    for want in "$@"; do [[ "$cur" == *"$want"* ]] || missing=1; done
    if [ $missing = 0 ] && [ "$cur" = "$prev" ]; then return 0; fi
    prev=$cur; sleep 0.1
  done
  echo "capture-lab.sh: waited 60 s for: $*; the screen is:" >&2; echo "$cur" >&2; exit 1
}
# the lab's token and bridge change every run: same-length stand-ins keep the layout
tidy() { sed -E -e 's/triage-lab-[0-9a-f]{8}/triage-lab-3c9e41d7/g' -e 's/br-[0-9a-f]{12}/br-5e1f0c2a9d3b/g'; }
snap() { screen | tidy > "$here/$1"; echo "  $1"; }

echo "capturing into $here:"
wait_for "┌─Symptoms" "Practice on a lab"
t send-keys -t lab End
wait_for "A disposable sandbox"
snap lab-symptoms.txt
t send-keys -t lab Enter
wait_for "┌─Labs" "What you will see"
snap lab-list.txt
t send-keys -t lab Enter
wait_for "Inputs (" "triage-lab-"
snap lab-inputs.txt
t send-keys -t lab C-c
sleep 2
