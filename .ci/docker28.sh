#!/usr/bin/env bash
# A second, real Docker engine for the integration tests: Debian sid's docker.io (Docker 28, the
# engine generation of incident 000) next to the host's own engine, which keeps running untouched.
#
#   .ci/docker28.sh start    build or reuse the cached root, start dockerd, load the probe image
#   .ci/docker28.sh env      print the variables the tests read (export lines, for eval)
#   .ci/docker28.sh status   exit 0 when the engine answers
#   .ci/docker28.sh stop     remove everything start made (containers, daemon, namespaces, cgroups)
#
# How it is isolated:
#   - the root is a debootstrapped Debian sid (minbase + docker.io, iptables, iproute2), cached
#     under $TRIAGE_D28_CACHE keyed by a version stamp, rebuilt when the stamp differs or the root
#     is broken;
#   - dockerd runs in a network namespace of its own ($NS), so its bridges and iptables rules never
#     touch the host's, and in a private mount namespace where the root becomes / by pivot_root
#     (a chroot would make runc exec in the daemon's root instead of the container's);
#   - the netns has an uplink to an "outside world" namespace ($NS_OUT) on 198.18.254.0/30;
#   - /usr/local/sbin/iptables in the root is a stand-in for the kernel: while the switch file
#     $RUN/no-iptables-raw exists it refuses "-t raw" with the message of a kernel without
#     CONFIG_IP_NF_RAW (moby #49557); otherwise it runs the real iptables. Docker itself is unchanged.
#     With firewalld, the iptables that firewalld runs for Docker is the stand-in too.
#
# Variables: TRIAGE_D28_CACHE (default /var/cache/triage-ci/docker28), TRIAGE_D28_MIRROR (default:
# the Debian mirror apt already uses on this machine), TRIAGE_D28_IMAGES (images copied in from
# the host engine, default redis:7.2-alpine), TRIAGE_D28_MIN_API_VERSION (DOCKER_MIN_API_VERSION for
# dockerd, to see an API-version refusal by hand; the tests' docker client then needs that version).
set -euo pipefail

CACHE=${TRIAGE_D28_CACHE:-/var/cache/triage-ci/docker28}
ROOT=$CACHE/root
# bump when the package list or the root's preparation changes: the cached root is then rebuilt
STAMP="sid minbase docker.io iptables iproute2 ca-certificates v1"
NS=triage-d28
NS_OUT=triage-d28-out
RUN=/run/triage-docker28
SOCK=$RUN/sock/docker.sock
HOST_URI=unix://$SOCK
CGROUP_PARENT=triage-docker28
IMAGES=${TRIAGE_D28_IMAGES:-redis:7.2-alpine}
# 1: firewalld in the bed (FirewalldDocker28IT needs it; the other Docker 28 tests pass with and without it)
FIREWALLD=${TRIAGE_D28_FIREWALLD:-0}

say() { echo "docker28: $*" >&2; }

# The Debian archive apt uses here (deb822 .sources or one-line sources.list), not security/updates.
mirror() {
  if [[ -n "${TRIAGE_D28_MIRROR:-}" ]]; then echo "$TRIAGE_D28_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}' | grep -v -- '-security' | grep '/debian/\?$' | head -n1 || true)
  [[ -z "$m" ]] && m=$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' | grep -v -- '-security' | head -n1 || true)
  [[ -z "$m" ]] && { say "no Debian mirror found in /etc/apt; set TRIAGE_D28_MIRROR"; return 1; }
  echo "$m"
}

root_ok() {
  [[ -f $CACHE/stamp && "$(cat "$CACHE/stamp")" == "$STAMP" && -x $ROOT/usr/sbin/dockerd ]] \
    && chroot "$ROOT" /usr/sbin/dockerd --version >/dev/null 2>&1
}

build_root() {
  command -v debootstrap >/dev/null || apt-get install -y -q --no-install-recommends debootstrap >&2
  local m t0=$SECONDS
  m=$(mirror)
  say "building the Debian sid root with docker.io from $m (a few minutes, cached afterwards)"
  rm -rf "$ROOT" "$CACHE/root.tmp" "$CACHE/stamp"
  debootstrap --variant=minbase --include=docker.io,iptables,iproute2,ca-certificates sid "$CACHE/root.tmp" "$m" \
    >"$CACHE/debootstrap.log" 2>&1 || { tail -n 30 "$CACHE/debootstrap.log" >&2; return 1; }
  rm -rf "$CACHE/root.tmp/var/cache/apt/archives/"*.deb
  mv "$CACHE/root.tmp" "$ROOT"
  echo "$STAMP" >"$CACHE/stamp"
  say "root built in $((SECONDS - t0)) s"
}

ensure_root() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  if root_ok; then
    say "cached root: $(chroot "$ROOT" /usr/sbin/dockerd --version)"
  else
    build_root
    root_ok || { say "the new root does not run dockerd"; return 1; }
  fi
  ensure_firewalld
  install_kernel_stand_in
  exec 9>&-
}

# firewalld and its D-Bus system bus, added to a root cached before they were part of it (and to a
# new one): installed once, with apt inside the root, no service started by the packages' scripts.
FIREWALLD_PACKAGES="firewalld dbus-daemon"
firewalld_ok() {
  [[ -x $ROOT/usr/sbin/firewalld && -x $ROOT/usr/bin/dbus-daemon ]]
}

ensure_firewalld() {
  firewalld_ok && return 0
  local t0=$SECONDS
  say "installing $FIREWALLD_PACKAGES into the cached root"
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
  unshare --mount --propagation private sh -c '
    set -e
    mount -t proc proc "$1/proc"
    chroot "$1" sh -c "apt-get -o Acquire::Check-Valid-Until=false update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $2 && apt-get clean"
  ' sh "$ROOT" "$FIREWALLD_PACKAGES" >"$CACHE/firewalld-install.log" 2>&1 || {
    rm -f "$ROOT/usr/sbin/policy-rc.d"; tail -n 30 "$CACHE/firewalld-install.log" >&2; return 1; }
  rm -f "$ROOT/usr/sbin/policy-rc.d"
  firewalld_ok || { say "firewalld is still missing in the root"; return 1; }
  say "firewalld installed in $((SECONDS - t0)) s"
}

install_kernel_stand_in() {
  mkdir -p "$ROOT/usr/local/sbin"
  cat >"$ROOT/usr/local/sbin/iptables" <<'EOF'
#!/bin/sh
# Test bed only: a stand-in for a kernel without the iptables raw table (CONFIG_IP_NF_RAW unset,
# moby #49557). While the switch file exists, "-t raw" fails as iptables-legacy does on such a
# kernel; everything else goes to the real iptables.
if [ -e /run/triage-docker28/no-iptables-raw ]; then
  prev=
  for a in "$@"; do
    if [ "$prev" = "-t" ] && [ "$a" = raw ]; then
      v=$(/usr/sbin/iptables-legacy --version 2>/dev/null | sed -n 's/^iptables \(v[0-9.]*\).*/\1/p')
      echo "iptables ${v:-v1.8.11} (legacy): can't initialize iptables table \`raw': Table does not exist (do you need to insmod?)" >&2
      echo "Perhaps iptables or your kernel needs to be upgraded." >&2
      exit 3
    fi
    prev=$a
  done
fi
# with firewalld, /etc/alternatives/iptables is this file: the real one is then kept aside
[ -e /etc/alternatives/triage-real/iptables ] && exec /etc/alternatives/triage-real/iptables "$@"
exec /usr/sbin/iptables "$@"
EOF
  chmod 0755 "$ROOT/usr/local/sbin/iptables"
}

answers() {
  docker -H "$HOST_URI" version --format '{{.Server.Version}}' 2>/dev/null
}

netns_up() {
  ip netns add "$NS"
  ip netns add "$NS_OUT"
  ip link add d28up type veth peer name d28out
  ip link set d28up netns "$NS"
  ip link set d28out netns "$NS_OUT"
  ip -n "$NS" link set lo up
  ip -n "$NS" addr add 198.18.254.1/30 dev d28up
  ip -n "$NS" link set d28up up
  ip -n "$NS" route add default via 198.18.254.2
  # as on a freshly booted host: forwarding off, so Docker turns it on and sets the FORWARD policy
  # to DROP (a new netns would otherwise inherit the host's forwarding and keep ACCEPT)
  ip netns exec "$NS" sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'
  ip -n "$NS_OUT" link set lo up
  ip -n "$NS_OUT" addr add 198.18.254.2/30 dev d28out
  ip -n "$NS_OUT" link set d28out up
}

# The caller's open descriptors (flock's lock file under "flock LOCK .ci/docker28.sh start") would
# otherwise be inherited by dockerd and firewalld and held until the bed stops.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

start() {
  if answers >/dev/null; then say "already running: Docker $(answers)"; return 0; fi
  local t0=$SECONDS
  ensure_root
  stop_quiet
  local t1=$SECONDS
  close_inherited_fds
  # 0755 as /run/docker.sock's folder is: access is decided by the socket's own mode (root only here)
  mkdir -p -m 0755 "$RUN" "$RUN/sock"
  netns_up
  # The daemon's private mount namespace: root -> /, fresh /proc and a /sys of this netns, the
  # host's /dev and cgroups, a tmpfs /run with $RUN shared so the socket is reachable from the host.
  setsid nohup nsenter --net="/run/netns/$NS" unshare --mount --propagation private \
    sh -c '
      set -e
      R=$1; RUN=$2; SOCK=$3; CG=$4
      mount --bind "$R" "$R"
      mount -t proc proc "$R/proc"
      mount -t sysfs sysfs "$R/sys"
      mount --rbind /sys/fs/cgroup "$R/sys/fs/cgroup"
      mount --rbind /dev "$R/dev"
      mount -t tmpfs -o mode=0755 tmpfs "$R/run"
      mkdir -p "$R$RUN" "$R/.oldroot"
      mount --bind "$RUN" "$R$RUN"
      if [ "$5" = 1 ]; then
        # the permanent firewalld configuration is per run: the cached root stays as built
        mkdir -p "$RUN/firewalld-etc"
        cp -a "$R/etc/firewalld/." "$RUN/firewalld-etc/"
        mount --bind "$RUN/firewalld-etc" "$R/etc/firewalld"
        # with firewalld running, Docker sends its iptables calls through firewalld, which runs
        # /usr/sbin/iptables (-> /etc/alternatives/iptables) itself: a per-run alternatives folder
        # points that at the kernel stand-in too, and keeps the real one under triage-real/
        mkdir -p "$RUN/alternatives"
        cp -a "$R/etc/alternatives/." "$RUN/alternatives/"
        mkdir -p "$RUN/alternatives/triage-real"
        mv "$RUN/alternatives/iptables" "$RUN/alternatives/triage-real/iptables"
        ln -s /usr/local/sbin/iptables "$RUN/alternatives/iptables"
        mount --bind "$RUN/alternatives" "$R/etc/alternatives"
      fi
      cd "$R"
      pivot_root . .oldroot
      umount -l /.oldroot
      if [ "$5" = 1 ]; then
        # firewalld with a D-Bus system bus of its own, up before dockerd so that Docker registers
        # its "docker" zone and puts its bridges in it, as on a Debian or Fedora host
        mkdir -p /run/dbus
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin dbus-daemon --system --fork
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin firewalld --nofork --nopid >"$RUN/firewalld.log" 2>&1 &
        echo $! >"$RUN/firewalld.pid"
        i=0
        until firewall-cmd --state >/dev/null 2>&1; do
          i=$((i + 1)); [ $i -le 120 ] || { echo "firewalld did not start" >&2; exit 1; }
          sleep 0.5
        done
      fi
      exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root ${TRIAGE_D28_MIN_API_VERSION:+DOCKER_MIN_API_VERSION=$TRIAGE_D28_MIN_API_VERSION} \
        /usr/sbin/dockerd -H "unix://$SOCK" --cgroup-parent "$CG" --pidfile /run/docker.pid
    ' sh "$ROOT" "$RUN" "$SOCK" "$CGROUP_PARENT" "$FIREWALLD" >"$RUN/dockerd.log" 2>&1 </dev/null &
  echo $! >"$RUN/starter.pid"
  local i
  for i in $(seq 120); do
    answers >/dev/null && break
    sleep 0.5
  done
  if ! answers >/dev/null; then
    say "dockerd did not answer within 60 s; its log:"
    tail -n 40 "$RUN/dockerd.log" >&2
    stop_quiet
    return 1
  fi
  local t2=$SECONDS
  if [[ $FIREWALLD == 1 ]]; then
    # the bed's own firewall-cmd, run where its firewalld and D-Bus bus are (the host has none)
    mkdir -p "$RUN/bin"
    printf '#!/bin/sh\nexec nsenter -t "$(cat %s/firewalld.pid)" -m -n /usr/bin/firewall-cmd "$@"\n' "$RUN" >"$RUN/bin/firewall-cmd"
    chmod 0755 "$RUN/bin/firewall-cmd"
  fi
  local img
  for img in $IMAGES; do
    docker save "$img" | docker -H "$HOST_URI" load -q >/dev/null
  done
  say "Docker $(answers) up in netns $NS$([[ $FIREWALLD == 1 ]] && echo " with firewalld") (root $((t1 - t0)) s, daemon $((t2 - t1)) s, images $((SECONDS - t2)) s)"
}

# Every process in the bed's netns is the daemon's or a container's: the bed made the namespace.
kill_bed_processes() {
  [[ -e /run/netns/$NS ]] || return 0
  local pids
  pids=$(ip netns pids "$NS" 2>/dev/null || true)
  [[ -z "$pids" ]] && return 0
  kill -TERM $pids 2>/dev/null || true
  local i
  for i in $(seq 40); do
    pids=$(ip netns pids "$NS" 2>/dev/null || true)
    [[ -z "$pids" ]] && return 0
    sleep 0.25
  done
  kill -KILL $pids 2>/dev/null || true
  sleep 0.5
}

stop_quiet() {
  if answers >/dev/null; then
    local ids
    ids=$(docker -H "$HOST_URI" ps -aq 2>/dev/null || true)
    [[ -n "$ids" ]] && docker -H "$HOST_URI" rm -f $ids >/dev/null 2>&1 || true
  fi
  kill_bed_processes
  [[ -s $RUN/starter.pid ]] && kill "$(cat "$RUN/starter.pid")" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  ip netns del "$NS_OUT" 2>/dev/null || true
  # the container cgroups Docker made under its parent; empty once their processes are gone
  local d
  for d in /sys/fs/cgroup/*/"$CGROUP_PARENT" /sys/fs/cgroup/"$CGROUP_PARENT"; do
    [[ -d $d ]] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  # the daemon's data (images, containers) is per run; the root itself stays cached
  rm -rf "${ROOT:?}/var/lib/docker" "${ROOT:?}/var/lib/containerd" "$RUN"
}

stop() {
  stop_quiet
  say "stopped; nothing left but the cached root in $ROOT"
}

print_env() {
  cat <<EOF
export TRIAGE_DOCKER28_NETNS=$NS
export TRIAGE_DOCKER28_HOST=$HOST_URI
export TRIAGE_DOCKER28_NO_RAW_SWITCH=$RUN/no-iptables-raw
EOF
  if [[ $FIREWALLD == 1 ]]; then
    echo "export TRIAGE_DOCKER28_FIREWALLD_BIN=$RUN/bin"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  status) v=$(answers) && echo "Docker $v in netns $NS" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
