#!/usr/bin/env bash
# Regenerates firewalld-docker-zone.json and firewalld-block-zone.json: Debian's firewalld (1.3)
# runs in a network namespace and a mount namespace of its own, with a private D-Bus system bus
# and a private copy of /etc/firewalld, so nothing of the host's is touched. A veth "eth0" is in
# zone public; a veth named like a compose bridge is first in a "docker" zone with target ACCEPT
# (as Docker creates it through firewalld's D-Bus API), then moved into zone "block", then that
# zone loses its intra-zone forwarding.
# Needs root, iproute2, nftables, dbus and firewalld.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ns="triage-fwd-capture-$$"
work="$(mktemp -d)"
trap 'ip netns delete "$ns" 2>/dev/null; rm -rf "$work"' EXIT
ip netns add "$ns"
ip netns exec "$ns" unshare --mount --propagation private bash -s "$here" "$work" <<'INNER'
set -euo pipefail
here="$1"; work="$2"
mkdir -p /run/dbus "$work/etc"
mount -t tmpfs tmpfs /run/dbus
cp -a /etc/firewalld/. "$work/etc/" && mount --bind "$work/etc" /etc/firewalld
ip link add eth0 type veth peer name eth1
ip link add br-4e4eb4db3fbd type veth peer name vethc
dbus-daemon --system --fork --nopidfile
firewalld --nofork --nopid >"$work/firewalld.log" 2>&1 &
for _ in $(seq 60); do firewall-cmd --state >/dev/null 2>&1 && break; sleep 0.5; done
firewall-cmd --permanent --new-zone=docker >/dev/null
firewall-cmd --permanent --zone=docker --set-target=ACCEPT >/dev/null
firewall-cmd --reload >/dev/null
firewall-cmd --zone=public --change-interface=eth0 >/dev/null
firewall-cmd --zone=docker --change-interface=br-4e4eb4db3fbd >/dev/null
nft -j list ruleset | python3 -m json.tool --indent 1 >"$here/firewalld-docker-zone.json"
firewall-cmd --zone=block --change-interface=br-4e4eb4db3fbd >/dev/null
nft -j list ruleset | python3 -m json.tool --indent 1 >"$here/firewalld-block-zone.json"
# without intra-zone forwarding, traffic between two containers of the bridge is rejected too
firewall-cmd --zone=block --remove-forward >/dev/null
nft -j list ruleset | python3 -m json.tool --indent 1 >"$here/firewalld-block-noforward.json"
kill %1
INNER
echo "captured firewalld-docker-zone.json, firewalld-block-zone.json and firewalld-block-noforward.json"
