#!/usr/bin/env bash
# Regenerates NAME.json from NAME.nft: loads each ruleset with `nft -f` in a network namespace
# of its own (never in the host's) and keeps `nft -j list ruleset` as the kernel gives it back.
# Needs root, iproute2 and nftables. Usage: capture.sh [NAME.nft ...]
set -euo pipefail
cd "$(dirname "$0")"
ns="triage-nft-capture-$$"
ip netns add "$ns"
trap 'ip netns delete "$ns"' EXIT
# fw4's default ruleset names eth0/eth1; a veth pair gives it real devices
ip -n "$ns" link add eth0 type veth peer name eth1
files=("$@")
[[ ${#files[@]} -gt 0 ]] || files=(*.nft)
for f in "${files[@]}"; do
  ip netns exec "$ns" nft flush ruleset
  ip netns exec "$ns" nft -f "$f"
  ip netns exec "$ns" nft -j list ruleset | python3 -m json.tool --indent 1 > "${f%.nft}.json"
  echo "captured ${f%.nft}.json"
done
