#!/usr/bin/env bash
# Installs the .deb with the real dpkg of a real Debian root of its architecture, and checks that
# an older one refuses it (for CI after jpackage/build.sh; root):
#
#   jpackage/install-check.sh --prepare [--arch arm64]   makes the Debian roots (debootstrap: the
#                                                        Debian archive; .ci/run does this)
#   jpackage/install-check.sh [--arch arm64]             the checks, in those roots, offline
#
# Debian 12 (bookworm, glibc 2.36): `dpkg -i` installs it (Status: install ok installed), the
# postinst makes the CDS archive at /opt/triage and `triage list` takes its classes from it,
# `triage --version` and `triage list --json` print what the jar prints, /usr/bin/triage is
# the packaged link, `dpkg -r` removes all of it (the archive too), `dpkg -P` forgets the package.
# Debian 11 (bullseye, glibc 2.31, like Ubuntu 20.04): `dpkg -i` stops, naming libc6 (>= 2.34),
# and leaves the package unconfigured; `dpkg -r` takes the unpacked files away again.
#
# --arch arm64: the .deb of `build.sh --arch arm64`, in arm64 roots: debootstrap and everything in
# them run under qemu-user (binfmt_misc), as on a board. The roots are minimal (minbase) and kept in
# target/install-roots/ (TRIAGE_INSTALL_ROOTS for another folder); --prepare makes a root only
# when its marker is missing. Debian 11 is taken from archive.debian.org when the mirror no longer
# has it; when neither has it, its checks are skipped (said). The checks end with 'N passed, N
# failed, N skipped'; with no Debian 12 root they exit 3 and say to run --prepare.
set -uo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
arch=$(dpkg --print-architecture)
prepare=0
while (($#)); do
  case $1 in
    --prepare) prepare=1; shift ;;
    --arch) arch=${2:-}; shift $(($# >= 2 ? 2 : 1)) ;;
    --arch=*) arch=${1#--arch=}; shift ;;
    *) echo "install-check: unknown argument: $1 (--prepare, --arch arm64)" >&2; exit 64 ;;
  esac
done
case $arch in
  amd64) debdir=$root/target/jpackage ;;
  arm64|aarch64) arch=arm64 debdir=$root/target/jpackage-arm64 ;;
  *) echo "install-check: --arch takes arm64 or amd64" >&2; exit 64 ;;
esac
((EUID == 0)) || { echo "install-check: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v unshare >/dev/null || { echo "install-check: needs unshare (util-linux)" >&2; exit 1; }
roots=${TRIAGE_INSTALL_ROOTS:-$root/target/install-roots}
if ((prepare)); then
  command -v debootstrap >/dev/null || { echo "install-check: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
  # the machine's own Debian mirror (a .../debian entry of apt's sources), else Debian's;
  # TRIAGE_DEBIAN_MIRROR for another. Debian 11 may only be on archive.debian.org one day: tried next.
  mirror=${TRIAGE_DEBIAN_MIRROR:-$(awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v -- -security | grep '/debian/\?$' | head -n 1)}
  mirror=${mirror:-http://deb.debian.org/debian}
  # a minimal Debian root of SUITE for the .deb's architecture, made once, from the first MIRROR that has it
  debian_root() { # SUITE MIRROR... -> prints the root's path
    local suite=$1 dir=$roots/$1-$arch m; shift
    if [[ ! -f $dir/.triage-root ]]; then
      for m in "$@"; do
        rm -rf --one-file-system "$dir" && mkdir -p "$roots"
        echo "install-check: debootstrap $suite ($arch) from $m into $dir" >&2
        if unshare -m --propagation private debootstrap --arch="$arch" --variant=minbase "$suite" "$dir" "$m" \
            >"$roots/$suite-$arch.log" 2>&1; then
          : >"$dir/.triage-root"
          break
        fi
        tail -n 5 "$roots/$suite-$arch.log" >&2
      done
      [[ -f $dir/.triage-root ]] || return 1
    fi
    echo "$dir"
  }
  debian_root bookworm "$mirror" >/dev/null || { echo "install-check: no Debian 12 root (above)" >&2; exit 1; }
  debian_root bullseye "$mirror" http://archive.debian.org/debian >/dev/null \
    || echo "install-check: no Debian 11 root: its checks will be skipped (above)" >&2
  echo "install-check: the $arch roots are in $roots"
  exit 0
fi
# a root made by --prepare, or nothing
made_root() { [[ -f $roots/$1-$arch/.triage-root ]] && echo "$roots/$1-$arch"; }
[[ -n $(made_root bookworm) ]] || { echo "install-check: no Debian 12 $arch root in $roots: make the roots with jpackage/install-check.sh --prepare$([[ $arch == arm64 ]] && echo ' --arch arm64') (it fetches them from the Debian archive)" >&2; exit 3; }
deb=$(ls -t "$debdir"/triage_*_"$arch".deb 2>/dev/null | head -n 1)   # the newest
[[ -n $deb ]] || { echo "install-check: no $debdir/triage_*_$arch.deb (run jpackage/build.sh$([[ $arch == arm64 ]] && echo ' --arch arm64'))" >&2; exit 1; }
jar=$root/target/triage.jar
[[ -f $jar ]] || { echo "install-check: no $jar (mvn -B package)" >&2; exit 1; }
command -v java >/dev/null || { echo "install-check: needs java on PATH (to compare with the jar's output)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/triage-install-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0
ok() { passed=$((passed + 1)); echo "ok    $*"; }
bad() { failed=$((failed + 1)); echo "FAIL  $*"; }
skip() { skipped=$((skipped + 1)); echo "skip  $*"; }

# Every mount is made in a mount namespace of the process that needs it (unshare -m), so none
# outlives it, even when it is killed: no /proc is ever left mounted inside target/.
# runs CMD in ROOT with /proc mounted there (the JVM reads it)
in_root() { # ROOT CMD...
  unshare -m --propagation private sh -c 'mount -t proc proc "$1/proc" && r=$1 && shift && exec chroot "$r" "$@"' sh "$@"
}
status_of() { in_root "$1" dpkg-query -W -f '${Status}' triage 2>/dev/null; }

# ---- Debian 12: installs, works, goes away ----------------------------------------------------
if new=$(made_root bookworm); then
  cp "$deb" "$new/tmp/triage.deb"
  in_root "$new" dpkg -P triage >/dev/null 2>&1   # an earlier run's leftover, if it was cut short
  if in_root "$new" dpkg -i /tmp/triage.deb >"$tmp/install.out" 2>&1 && [[ $(status_of "$new") == "install ok installed" ]]; then
    ok "Debian 12 ($arch): dpkg -i installs it ($(in_root "$new" dpkg-query -W -f '${Depends}' triage))"
  else
    bad "Debian 12 ($arch): dpkg -i: $(cat "$tmp/install.out")"
  fi
  [[ $(readlink "$new/usr/bin/triage") == ../../opt/triage/bin/triage ]] \
    && ok "Debian 12 ($arch): /usr/bin/triage -> ../../opt/triage/bin/triage" \
    || bad "Debian 12 ($arch): /usr/bin/triage is '$(readlink "$new/usr/bin/triage")'"
  if [[ -f $new/opt/triage/lib/app/triage.jsa ]]; then
    in_root "$new" env JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=/tmp/classes.log" triage list >/dev/null 2>&1
    shared=$(grep -c 'source: shared objects file' "$new/tmp/classes.log" 2>/dev/null); all=$(grep -c 'source:' "$new/tmp/classes.log" 2>/dev/null)
    rm -f "$new/tmp/classes.log"
    if ((${all:-0} > 0 && ${shared:-0} * 100 >= all * 80)); then
      ok "Debian 12 ($arch): the postinst made /opt/triage/lib/app/triage.jsa; $shared of $all classes of 'list' came from it"
    else
      bad "Debian 12 ($arch): the archive serves ${shared:-0} of ${all:-0} classes of 'list'"
    fi
  else
    bad "Debian 12 ($arch): the postinst made no /opt/triage/lib/app/triage.jsa"
  fi
  for args in "--version" "list --json"; do
    # shellcheck disable=SC2086
    want=$(java -jar "$jar" $args 2>/dev/null); got=$(in_root "$new" env TRIAGE_STATE_DIR=/tmp/triage-state triage $args 2>/dev/null)
    [[ -n $want && $got == "$want" ]] && ok "Debian 12 ($arch): 'triage $args' prints what the jar prints" \
      || bad "Debian 12 ($arch): 'triage $args' printed '${got:0:200}', the jar '${want:0:200}'"
  done
  rm -rf "$new/tmp/triage-state"
  in_root "$new" dpkg -r triage >"$tmp/remove.out" 2>&1
  if [[ ! -e $new/opt/triage && ! -e $new/usr/bin/triage && ! -L $new/usr/bin/triage ]]; then
    ok "Debian 12 ($arch): dpkg -r removes /opt/triage (the archive too) and /usr/bin/triage"
  else
    bad "Debian 12 ($arch): after dpkg -r: $(ls -d "$new/opt/triage" "$new/usr/bin/triage" 2>&1 | tr '\n' ' ')$(cat "$tmp/remove.out")"
  fi
  in_root "$new" dpkg -P triage >/dev/null 2>&1
  [[ -z $(status_of "$new") || $(status_of "$new") == "unknown ok not-installed" ]] \
    && ok "Debian 12 ($arch): dpkg -P forgets it" || bad "Debian 12 ($arch): after dpkg -P: $(status_of "$new")"
  rm -f "$new/tmp/triage.deb"
else
  bad "Debian 12 ($arch): no root (debootstrap failed, above)"
fi

# ---- Debian 11: glibc 2.31 is refused by dpkg, before anything can run ----------------------------
if old=$(made_root bullseye); then
  cp "$deb" "$old/tmp/triage.deb"
  in_root "$old" dpkg -P triage >/dev/null 2>&1
  libc=$(in_root "$old" dpkg-query -W -f '${Version}' libc6)
  if in_root "$old" dpkg -i /tmp/triage.deb >"$tmp/install.out" 2>&1; then
    bad "Debian 11 ($arch, libc6 $libc): dpkg -i installed it"
  elif grep -q 'triage depends on libc6 (>= 2\.[0-9]*)' "$tmp/install.out" && [[ $(status_of "$old") != "install ok installed" ]]; then
    ok "Debian 11 ($arch, libc6 $libc): dpkg -i refuses to configure it: $(grep -m1 'depends on libc6' "$tmp/install.out" | sed 's/^ *//')"
  else
    bad "Debian 11 ($arch, libc6 $libc): dpkg -i failed for another reason: $(cat "$tmp/install.out")"
  fi
  in_root "$old" dpkg -P triage >/dev/null 2>&1
  [[ ! -e $old/opt/triage ]] && ok "Debian 11 ($arch): dpkg -P takes the unpacked files away" \
    || bad "Debian 11 ($arch): /opt/triage is left after dpkg -P"
  rm -f "$old/tmp/triage.deb"
else
  # the archive is not this project's: a Debian 11 that cannot be fetched is said, not failed
  skip "Debian 11 ($arch): no Debian 11 root (--prepare could fetch bullseye from neither the mirror nor archive.debian.org)"
fi

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
