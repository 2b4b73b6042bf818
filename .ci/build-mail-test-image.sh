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
. "$(dirname "$0")/image-lib.sh"

image_args "triage-it/dms-like:13" "$@"
image_present build-mail-test-image && exit 0

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

# every library of every ELF file (Postfix's own ones in /usr/lib/postfix are found through
# LD_LIBRARY_PATH below: the host's ld.so.cache is not copied)
mapfile -t elves < <(find "$root/usr" -type f -exec sh -c 'head -c4 "$1" | grep -q ELF && echo "$1"' _ {} \;)
copy_libs "$root" "${elves[@]}"
busybox_applets "$root"

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

import_image "$root" build-mail-test-image \
  'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
  'ENV LD_LIBRARY_PATH=/usr/lib/postfix' \
  'EXPOSE 25 465 587' \
  'LABEL dev.triage.test-image=dms-like' \
  'CMD ["/usr/sbin/dms-like-start"]'
