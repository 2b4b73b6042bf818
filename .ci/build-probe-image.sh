#!/usr/bin/env bash
# Builds a small stand-in for the redis image (default tag redis:7.2-alpine)
# without any registry: CI and dev machines can reach Debian apt but no
# container registry, so we assemble a rootfs from the host's Debian
# redis-server/redis-cli + static busybox and `docker import` it.
#
# Usage: .ci/build-probe-image.sh [TAG] [--force]
#   --force  rebuild even if TAG already exists (otherwise this is a no-op).
set -euo pipefail

tag="redis:7.2-alpine"
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) tag="$arg" ;;
  esac
done

if [[ $force -eq 0 ]] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "build-probe-image: $tag already exists, nothing to do (use --force to rebuild)"
  exit 0
fi

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

# Copy each library (and the loader) to exactly the path ldd reports; -L
# dereferences merged-/usr and soname symlinks so the rootfs holds real files
# at paths the loader searches by default. Nothing is arch-specific here.
libs=$(ldd "$redis_server" "$redis_cli")
if grep -q 'not found' <<<"$libs"; then echo "$libs" >&2; exit 1; fi
awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' <<<"$libs" | sort -u |
  while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done

cp -L /bin/busybox "$root/bin/busybox"
# Link every applet this busybox has (tests may want more than the minimum),
# then insist on the ones the probes rely on.
for applet in $("$root/bin/busybox" --list); do
  [[ -e "$root/bin/$applet" ]] || ln -s busybox "$root/bin/$applet"
done
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

tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" .
old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /data' \
  --change 'EXPOSE 6379' \
  --change 'LABEL dev.triage.probe-image=offline' \
  --change 'CMD ["redis-server","--protected-mode","no","--save","","--appendonly","no"]' \
  "$work/rootfs.tar" "$tag" >/dev/null
# A --force rebuild would otherwise leave the previous image dangling; keep
# it if a container still uses it.
new_id=$(docker image inspect -f '{{.Id}}' "$tag")
if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi
echo "build-probe-image: built $tag ($(docker image inspect -f '{{.Size}}' "$tag") bytes)"
