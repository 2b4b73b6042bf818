# Shared by the offline image builders (.ci/build-probe-image.sh, .ci/build-mail-test-image.sh):
# argument handling, copying binaries with their libraries, busybox applets, and `docker import`.
# Sourced, not run.

# image_args DEFAULT_TAG "$@": sets $tag and $force; prints the script's header on -h.
image_args() {
  tag="$1"; shift
  force=0
  for arg in "$@"; do
    case "$arg" in
      --force) force=1 ;;
      -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
      *) tag="$arg" ;;
    esac
  done
}

# image_present NAME: true (and says so) when $tag exists and --force was not given.
image_present() {
  if [[ $force -eq 0 ]] && docker image inspect "$tag" >/dev/null 2>&1; then
    echo "$1: $tag already exists, nothing to do (use --force to rebuild)"
    return 0
  fi
  return 1
}

# copy_libs ROOT FILE...: each library (and the loader) of the ELF files, to exactly the path ldd
# reports; -L dereferences merged-/usr and soname symlinks so the rootfs holds real files at
# paths the loader searches by default. Nothing is arch-specific here.
copy_libs() {
  local root="$1"; shift
  local libs
  libs=$(for elf in "$@"; do ldd "$elf" 2>/dev/null || true; done)
  if grep -q 'not found' <<<"$libs"; then echo "$libs" >&2; return 1; fi
  awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' <<<"$libs" | sort -u |
    while read -r lib; do
      [[ -e "$root$lib" ]] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
}

# busybox_applets ROOT: static busybox (copied without libraries) with a link for every applet.
busybox_applets() {
  local root="$1"
  mkdir -p "$root/bin"
  cp -L /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [[ -e "$root/bin/$applet" ]] || ln -s busybox "$root/bin/$applet"
  done
}

# import_image ROOT NAME CHANGE...: docker import of the rootfs as $tag; a rebuild removes the
# image it replaces unless a container still uses it.
import_image() {
  local root="$1" name="$2"; shift 2
  local tarball changes=() old_id new_id
  tarball="$(dirname "$root")/rootfs.tar"
  tar -C "$root" --numeric-owner -cf "$tarball" .
  for c in "$@"; do changes+=(--change "$c"); done
  old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
  docker import "${changes[@]}" "$tarball" "$tag" >/dev/null
  new_id=$(docker image inspect -f '{{.Id}}' "$tag")
  if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then docker rmi "$old_id" >/dev/null 2>&1 || true; fi
  echo "$name: built $tag ($(docker image inspect -f '{{.Size}}' "$tag") bytes)"
}
