#!/usr/bin/env bash
# Builds, without any registry, a small image that stands in for a docker-mailserver v13+
# container in the integration tests: Debian's Postfix 3.7 + static busybox, assembled from
# the host's files and `docker import`ed. Like docker-mailserver since v13.0.0 (PR #3235) its
# master.cf names the 465 service "submissions", and at start it applies each line of
# /tmp/docker-mailserver/postfix-master.cf with `postconf -P`, which ignores a line for a
# service that does not exist (an old "smtps/..." line) with only a warning.
#
# Usage: .ci/build-mail-test-image.sh [TAG] [--force]      (default tag triage-it/dms-like:13)
set -euo pipefail

tag="triage-it/dms-like:13"
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) tag="$arg" ;;
  esac
done
if [[ $force -eq 0 ]] && docker image inspect "$tag" >/dev/null 2>&1; then
  echo "build-mail-test-image: $tag already exists, nothing to do (use --force to rebuild)"
  exit 0
fi

need=()
[[ -x /usr/sbin/postfix ]] || need+=(postfix)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [[ ${#need[@]} -gt 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" ||
    { apt-get update -q && apt-get install -y -q --no-install-recommends "${need[@]}"; }
fi

work=$(mktemp -d /tmp/mail-test-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,usr/sbin,usr/lib/postfix,etc/postfix,var/lib/postfix,var/spool/postfix,tmp/docker-mailserver,certs}
chmod 1777 "$root/tmp"

cp -a /usr/lib/postfix/. "$root/usr/lib/postfix/"
for f in postfix postconf postdrop postlog postqueue postsuper postmap; do cp -L "/usr/sbin/$f" "$root/usr/sbin/$f"; done
for f in postfix-files postfix-script post-install dynamicmaps.cf; do cp -L "/etc/postfix/$f" "$root/etc/postfix/$f"; done
mkdir -p "$root/etc/postfix/dynamicmaps.cf.d" "$root/etc/postfix/postfix-files.d"
cp -L /etc/services "$root/etc/services"

# every library of every ELF file, at the path ldd reports (merged /usr dereferenced)
find "$root/usr" -type f -exec sh -c 'head -c4 "$1" | grep -q ELF && echo "$1"' _ {} \; | while read -r elf; do
  ldd "$elf" 2>/dev/null || true
done | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' | sort -u | while read -r lib; do
  [[ -e "$root$lib" ]] && continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# Postfix's own libraries live in /usr/lib/postfix: tell the loader (ld.so.cache is not copied)
mkdir -p "$root/etc/ld.so.conf.d"

cp -L /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [[ -e "$root/bin/$applet" ]] || ln -s busybox "$root/bin/$applet"
done

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
postfix:x:101:101:postfix:/var/spool/postfix:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
postfix:x:101:
postdrop:x:102:
nogroup:x:65534:
EOF
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
: >"$root/etc/hosts"; : >"$root/etc/resolv.conf"
echo mail.triage.test >"$root/etc/mailname"
chown 101:101 "$root/var/lib/postfix"

cat >"$root/etc/postfix/main.cf" <<'EOF'
compatibility_level = 3.6
myhostname = mail.triage.test
mydestination =
inet_protocols = ipv4
maillog_file = /dev/stdout
smtpd_tls_chain_files = /certs/key.pem, /certs/chain.pem
smtpd_tls_security_level = may
smtpd_upstream_proxy_timeout = 5s
EOF
# docker-mailserver v13+'s names: submission (587) and submissions (465)
cat >"$root/etc/postfix/master.cf" <<'EOF'
smtp       inet  n       -       n       -       -       smtpd
submission inet  n       -       n       -       -       smtpd
submissions inet n       -       n       -       -       smtpd
  -o smtpd_tls_wrappermode=yes
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
smtp       unix  -       -       n       -       -       smtp
relay      unix  -       -       n       -       -       smtp
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
local      unix  -       n       n       -       -       local
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
EOF
cat >"$root/usr/sbin/dms-like-start" <<'EOF'
#!/bin/sh
# docker-mailserver's way: each postfix-master.cf line through postconf -P, unknown services ignored
set -e
if [ -f /tmp/docker-mailserver/postfix-master.cf ]; then
  grep -E '^[0-9a-z]' /tmp/docker-mailserver/postfix-master.cf | tr -d '\r' | while read -r line; do
    postconf -P "$line"
  done
fi
exec postfix start-fg
EOF
chmod 755 "$root/usr/sbin/dms-like-start"

tar -C "$root" --numeric-owner -cf "$work/rootfs.tar" .
old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
docker import \
  --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LD_LIBRARY_PATH=/usr/lib/postfix' \
  --change 'EXPOSE 25 465 587' \
  --change 'LABEL dev.triage.test-image=dms-like' \
  --change 'CMD ["/usr/sbin/dms-like-start"]' \
  "$work/rootfs.tar" "$tag" >/dev/null
new_id=$(docker image inspect -f '{{.Id}}' "$tag")
if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi
echo "build-mail-test-image: built $tag ($(docker image inspect -f '{{.Size}}' "$tag") bytes)"
