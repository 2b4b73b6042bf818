#!/usr/bin/env bash
# Builds a small stand-in for the redis image (default tag redis:7.2-alpine)
# without any registry: CI and dev machines can reach Debian apt but no
# container registry, so we assemble a rootfs from the host's Debian
# redis-server/redis-cli + static busybox and `docker import` it.
#
# Usage: .ci/build-probe-image.sh [TAG] [--force]
#   --force  rebuild even if TAG already exists (otherwise this is a no-op).
set -euo pipefail
. "$(dirname "$0")/image-lib.sh"

image_args "redis:7.2-alpine" "$@"
image_present build-probe-image && exit 0

# The product's tests probe port 6379 on the host, so a host redis started by
# the package's postinst must not survive. Only the host-namespace listener is
# targeted: redis-servers inside containers also show up in the host's process
# list and must be left alone.
stop_host_redis() {
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    systemctl disable --now redis-server >/dev/null 2>&1 || true
  elif command -v service >/dev/null && [[ -x /etc/init.d/redis-server ]]; then
    service redis-server stop >/dev/null 2>&1 || true
  fi
  local pids=""
  [[ -s /run/redis/redis-server.pid ]] && pids=$(cat /run/redis/redis-server.pid)
  if command -v ss >/dev/null; then
    pids+=" $(ss -Hltnp 'sport = :6379' 2>/dev/null | grep -o '"redis-server",pid=[0-9]*' | grep -o '[0-9]*$' || true)"
  fi
  for pid in $pids; do
    [[ "$(cat /proc/"$pid"/comm 2>/dev/null)" == redis-server ]] && kill "$pid" 2>/dev/null || true
  done
}

# Static busybox matters: it is copied without its libraries. The dynamic
# `busybox` package would also provide /bin/busybox, hence the dpkg check.
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-cli >/dev/null || need+=(redis-tools)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [[ ${#need[@]} -gt 0 ]]; then
  echo "build-probe-image: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" ||
    { apt-get update -q && apt-get install -y -q --no-install-recommends "${need[@]}"; }
  stop_host_redis
fi

work=$(mktemp -d /tmp/probe-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,usr/bin,etc,data,root}
install -d -m 1777 "$root/tmp"

redis_server=$(command -v redis-server)
redis_cli=$(command -v redis-cli)
cp -L "$redis_server" "$root/usr/bin/redis-server"
cp -L "$redis_cli" "$root/usr/bin/redis-cli"

copy_libs "$root" "$redis_server" "$redis_cli"

# Every applet this busybox has (tests may want more than the minimum), then
# insist on the ones the probes rely on.
busybox_applets "$root"
for applet in sh ash sleep nslookup ping nc timeout cat ls echo true false ps kill id hostname wget; do
  [[ -e "$root/bin/$applet" ]] || { echo "build-probe-image: busybox lacks $applet" >&2; exit 1; }
done

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
redis:x:999:999:redis:/data:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
redis:x:999:
nogroup:x:65534:
EOF
# glibc's resolver (redis-cli) needs this to use docker's embedded DNS.
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
: >"$root/etc/hosts"        # docker bind-mounts the real ones
: >"$root/etc/resolv.conf"
echo probe >"$root/etc/hostname"

import_image "$root" build-probe-image \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'WORKDIR /data' \
  'EXPOSE 6379' \
  'LABEL dev.triage.probe-image=offline' \
  'CMD ["redis-server","--protected-mode","no","--save","","--appendonly","no"]'
