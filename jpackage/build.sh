#!/usr/bin/env bash
# Builds triage as a native app image with jpackage, and a .deb where dpkg-deb, fakeroot and dpkg-shlibdeps exist:
#
#   jpackage/build.sh [--arch arm64] [--jar PATH] [--no-mvn] [--no-deb] [--no-tui-training] [--native-launcher]
#
#   target/jpackage/triage/                 the app image; launcher: target/jpackage/triage/bin/triage
#   target/jpackage/triage_VERSION-1_ARCH.deb   installs /opt/triage/ and /usr/bin/triage (a symlink)
#
# For the machine it runs on, with no network; idempotent: target/jpackage is wiped first.
#
#   --arch arm64        on an x86-64 Debian: an arm64 image and .deb in target/jpackage-arm64/
#                       (target/jpackage is left alone). Debian's arm64 JDK and the libraries it
#                       needs are fetched once with apt-get download (a private apt configuration
#                       and state in the cache folder: the host's dpkg is not changed) and unpacked
#                       there; the arm64 jlink runs under qemu-user (binfmt_misc + QEMU_LD_PREFIX).
#                       Needs qemu-user-static with qemu-aarch64 registered, and
#                       binutils-aarch64-linux-gnu to strip (else native symbols stay). The CDS
#                       class list of target/jpackage is reused when it was trained on the same
#                       jar, else training runs under qemu. TRIAGE_CROSS_CACHE: the cache folder
#                       (default target/cross-arm64).
#   --optional          with --arch: if this machine cannot run arm64 programs, say so and exit 0
#   --jar PATH          the shaded jar (default target/triage.jar; built with `mvn -o package` if
#                       missing, unless --no-mvn)
#   --no-mvn            fail instead of building a missing jar
#   --no-deb            the app image only
#   --no-tui-training   do not drive the text UI (in tmux) while recording the AOT cache / CDS archive
#   --native-launcher   keep jpackage's native bin/triage. By default it is replaced by
#                       jpackage/launcher.sh, which reads the same lib/app/triage.cfg: the native
#                       one runs `rpm -qf` and `dpkg -S` at every start (NOTES.md, "Launcher")
#
# JPACKAGE_JDK=/path/to/jdk   the JDK whose jlink/jpackage/runtime to use. Default: the JDK Maven
#   uses ($JAVA_HOME, else the javac on PATH: Debian's 17 here) if it has jlink, jpackage, jdeps
#   (and jmods before JDK 24); else the newest such JDK under /usr/lib/jvm. JDK 17..24: a static
#   AppCDS archive; JDK >= 25: an AOT cache (JEP 483/514). Measured choice: jpackage/NOTES.md.
# TRIAGE_DEB_MAINTAINER   the .deb's Maintainer e-mail (default triage@localhost)
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
root=$(cd "$here/.." && pwd)
out=$root/target/jpackage
work=$out/work
jar=$root/target/triage.jar
build_jar=1
want_deb=1
tui_training=1
native_launcher=0
target_arch=""
optional=0

log() { printf 'jpackage: %s\n' "$*" >&2; }
die() { printf 'jpackage: error: %s\n' "$*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --jar) [[ $# -ge 2 ]] || die "--jar needs a path"; jar=$(readlink -f "$2"); shift 2 ;;
    --jar=*) jar=$(readlink -f "${1#--jar=}"); shift ;;
    --no-mvn) build_jar=0; shift ;;
    --no-deb) want_deb=0; shift ;;
    --no-tui-training) tui_training=0; shift ;;
    --native-launcher) native_launcher=1; shift ;;
    --arch) [[ $# -ge 2 ]] || die "--arch needs amd64 or arm64"; target_arch=$2; shift 2 ;;
    --arch=*) target_arch=${1#--arch=}; shift ;;
    --optional) optional=1; shift ;;
    -h|--help) sed -n '2,41p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# The JDK
feature_of() { sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
usable_jdk() {
  local j=$1 f
  [[ -x $j/bin/jlink && -x $j/bin/jpackage && -x $j/bin/jdeps && -x $j/bin/java ]] || return 1
  f=$(feature_of "$j"); [[ -n $f && $f -ge 17 ]] || return 1
  # jlink links from jmods before JDK 24; from 24 a JDK may be a linkable runtime (JEP 493)
  [[ -d $j/jmods || $f -ge 24 ]]
}
pick_jdk() {
  if [[ -n ${JPACKAGE_JDK:-} ]]; then
    local j; j=$(readlink -f "$JPACKAGE_JDK")
    usable_jdk "$j" || die "JPACKAGE_JDK=$JPACKAGE_JDK is not a JDK >= 17 with bin/jlink, bin/jpackage, bin/jdeps (and jmods/ before JDK 24)"
    echo "$j"; return
  fi
  # 1. the JDK Maven builds with and the plain jar runs on: $JAVA_HOME, else javac on PATH
  local c javac
  if [[ -n ${JAVA_HOME:-} ]]; then
    c=$(readlink -f "$JAVA_HOME")
  else
    javac=$(command -v javac 2>/dev/null || true)
    [[ -n $javac ]] && c=$(dirname "$(dirname "$(readlink -f "$javac")")")
  fi
  if [[ -n ${c:-} ]] && usable_jdk "$c"; then echo "$c"; return; fi
  # 2. else the newest usable JDK under /usr/lib/jvm (same version: first path)
  for c in /usr/lib/jvm/*/; do
    c=$(readlink -f "${c%/}")
    if usable_jdk "$c"; then printf '%s %s\n' "$(feature_of "$c")" "$c"; fi
  done | sort -k1,1nr -k2,2 | awk '{print $2; exit}'
}
jdk=$(pick_jdk)
[[ -n $jdk ]] || die "no JDK >= 17 with jlink, jpackage and jdeps found (looked at \$JAVA_HOME, javac on PATH, /usr/lib/jvm/*). Install one (Debian: openjdk-17-jdk-headless) or set JPACKAGE_JDK=/path/to/jdk"
feature=$(feature_of "$jdk")

# ---------------------------------------------------------------------------------------------
# The target architecture. A cross-build links the runtime from the target's own JDK (its jmods
# and its jlink, run under qemu: the host's jlink only links jmods of its own update) and runs
# training and the archive dump under qemu; jpackage (host) only lays out the image and the .deb.
deb_arch() { case $1 in x86_64|amd64) echo amd64 ;; aarch64|arm64) echo arm64 ;; *) echo "$1" ;; esac; }
host_arch=$(deb_arch "$(dpkg --print-architecture 2>/dev/null || uname -m)")
target_arch=$(deb_arch "${target_arch:-$host_arch}")
cross=0
tjdk=$jdk            # the JDK whose jmods and jlink make the runtime
tmo=1                # time limits of the training runs are multiplied by this
if [[ $target_arch != "$host_arch" ]]; then
  [[ $target_arch == arm64 && $host_arch == amd64 ]] || die "cross-builds: only --arch arm64 on amd64 (this machine: $host_arch)"
  ((feature == 17)) || die "--arch arm64 links Debian 12's arm64 JDK 17: build with a JDK 17 (this one: $feature)"
  cross=1 tmo=4
  out=$root/target/jpackage-$target_arch
  work=$out/work
  cache=${TRIAGE_CROSS_CACHE:-$root/target/cross-$target_arch}
  sysroot=$cache/sysroot
  # The packages, as Debian 12 names them: the JDK (jmods, jlink) and what its binaries link
  cross_pkgs="openjdk-17-jdk-headless openjdk-17-jre-headless libc6 zlib1g libgcc-s1 libstdc++6"
  cross_can_run() { QEMU_LD_PREFIX=$sysroot "$sysroot/usr/lib/jvm/java-17-openjdk-arm64/bin/java" -version >/dev/null 2>&1; }
  if [[ ! -f $sysroot/.triage-sysroot ]]; then
    command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "--arch arm64 needs apt-get and dpkg-deb (a Debian host)"
    log "fetching Debian's arm64 JDK into $cache (apt-get download with a private arm64 apt configuration)"
    rm -rf "$cache"
    mkdir -p "$cache/apt/state/lists/partial" "$cache/apt/cache/archives/partial" "$cache/debs" "$sysroot"
    : >"$cache/apt/state/status"
    # the host's sources and keys; an arm64-only architecture list and a state folder of its own
    cat >"$cache/apt/apt.conf" <<EOF
APT::Architecture "$target_arch";
APT::Architectures { "$target_arch"; };
APT::Sandbox::User "root";
Dir::State "$cache/apt/state";
Dir::State::status "$cache/apt/state/status";
Dir::Cache "$cache/apt/cache";
EOF
    export APT_CONFIG=$cache/apt/apt.conf
    apt-get -q -o Acquire::Languages=none update >"$cache/apt/update.log" 2>&1 \
      || { tail -5 "$cache/apt/update.log" >&2; die "apt-get update for arm64 failed (needs Debian's archive)"; }
    # shellcheck disable=SC2086
    (cd "$cache/debs" && apt-get -q download $cross_pkgs) >"$cache/apt/download.log" 2>&1 \
      || { tail -5 "$cache/apt/download.log" >&2; die "apt-get download of the arm64 JDK failed"; }
    unset APT_CONFIG
    for d in "$cache/debs"/*.deb; do dpkg-deb -x "$d" "$sysroot"; done
    (cd "$cache/debs" && ls) >"$sysroot/.triage-sysroot"
  fi
  log "arm64 sysroot $sysroot: $(tr '\n' ' ' <"$sysroot/.triage-sysroot")"
  tjdk=$sysroot/usr/lib/jvm/java-17-openjdk-arm64
  [[ -x $tjdk/bin/jlink && -d $tjdk/jmods ]] || die "no arm64 JDK with jmods in $tjdk (remove $cache and build again)"
  # every arm64 program below (jlink, java through the launcher) runs under qemu-user through
  # binfmt_misc, with the arm64 dynamic loader and libraries taken from the sysroot
  export QEMU_LD_PREFIX=$sysroot
  if ! cross_can_run; then
    msg="this machine cannot run arm64 programs: install qemu-user-static (Debian 12) and register qemu-aarch64 with binfmt_misc (mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; cat /usr/lib/binfmt.d/qemu-aarch64.conf >/proc/sys/fs/binfmt_misc/register)"
    ((optional)) && { log "skipped: $msg"; exit 0; }
    die "$msg"
  fi
  log "target arm64: JDK $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$tjdk/release") from Debian's arm64 packages, run under qemu"
fi
if ((feature >= 25)); then mode=aot; else mode=cds; fi
log "JDK $("$jdk/bin/java" -version 2>&1 | head -1 | sed 's/^[^"]*"\([^"]*\)".*/\1/') at $jdk (feature $feature): ${mode^^} archive"

# ---------------------------------------------------------------------------------------------
# The jar
if [[ ! -f $jar ]]; then
  ((build_jar)) || die "$jar is missing (build it with: mvn -B -o -DskipTests package, or drop --no-mvn)"
  [[ $jar == "$root/target/triage.jar" ]] || die "$jar is missing"
  log "building $jar (mvn -B -q -o -DskipTests package)"
  (cd "$root" && mvn -B -q -o -Dstyle.color=never -DskipTests package) || die "mvn package failed (offline: run once with network, or pass --jar)"
fi
version=$("$jdk/bin/java" -jar "$jar" --version 2>/dev/null | awk '{print $2; exit}')
version=$(printf '%s' "$version" | grep -o '^[0-9][0-9.]*' | sed 's/\.$//' || true)
[[ -n $version ]] || die "could not read the version from '$jar --version'"
log "jar $jar, version $version"

t0=$(date +%s)
rm -rf "$out"
mkdir -p "$work"

# ---------------------------------------------------------------------------------------------
# Modules. Each one in the runtime was found needed by running the app (NOTES.md, "Modules"):
#   java.base, java.logging (Main silences JLine via java.util.logging), java.management
#   (tinylog's runtime dialect, on the first log line), jdk.unsupported (sun.misc.Signal:
#   SIGWINCH, i.e. resizing the text UI), jdk.zipfs (scenarios are read from the jar as a zip file
#   system), and on JDK <= 21 jdk.crypto.ec (EC keys and ECDHE for TLS; in java.base since JDK 22).
# jdeps names more; those are left out on purpose (optional code paths, never reached):
#   java.desktop      JNA's Native.AWT (window handles); Lanterna's TextColor.toColor() used to
#                     name java.awt.Color, relocated to a stand-in in the jar (AwtColorStandIn):
#                     11 MB of runtime (with java.xml, java.prefs, java.datatransfer) for nothing
#   java.sql          picocli's optional converters, jackson-databind's and tinylog's JDBC types
#   java.naming       tinylog's JNDI lookups, Bouncy Castle's LDAP cert stores
#   java.security.jgss  httpclient5's SPNEGO/Kerberos auth (docker-java never uses it)
#   java.compiler     Error Prone annotations (compile time only)
modules=java.base,java.logging,java.management,jdk.unsupported,jdk.zipfs
((feature <= 21)) && modules+=,jdk.crypto.ec
not_needed="java.desktop java.sql java.naming java.security.jgss java.compiler"

log "jdeps: checking the jar's module needs against the list"
# Lanterna's module-info.class (META-INF/versions/9) makes jdeps see the whole shaded jar as that
# one module, which requires java.base only: analyse a copy without it
mkdir -p "$work/jdeps/x"
(cd "$work/jdeps/x" && "$jdk/bin/jar" xf "$jar")
find "$work/jdeps/x" -name module-info.class -delete
mv "$work/jdeps/x/META-INF/MANIFEST.MF" "$work/jdeps/MANIFEST.MF"
"$jdk/bin/jar" --create --no-compress --file "$work/jdeps/app.jar" --manifest "$work/jdeps/MANIFEST.MF" -C "$work/jdeps/x" .
jdeps_mods=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release "$feature" --print-module-deps "$work/jdeps/app.jar" | tail -1)
rm -rf "$work/jdeps/x"
log "jdeps --print-module-deps: $jdeps_mods"
unknown=""
for m in ${jdeps_mods//,/ }; do
  case ",$modules," in *",$m,"*) continue ;; esac
  case " $not_needed " in *" $m "*) continue ;; esac
  unknown+=" $m"
done
[[ -z $unknown ]] || die "jdeps finds modules not decided on:$unknown. Check whether the app reaches them (NOTES.md, 'Modules') and add each to 'modules' or 'not_needed' in $0"

# ---------------------------------------------------------------------------------------------
# The runtime
if ((feature >= 21)); then compress=zip-9; else compress=2; fi
strip_cmds=(); ((native_launcher)) && strip_cmds=(--strip-native-commands)
# --strip-debug also strips native symbols with the host's objcopy, which cannot read arm64
# libraries: a cross-build strips class files only, and the .so files below with the target's strip
strip_debug=--strip-debug; ((cross)) && strip_debug=--strip-java-debug-attributes
log "jlink: $modules (--compress=$compress)$( ((cross)) && echo ", the $target_arch jlink under qemu")"
"$tjdk/bin/jlink" --add-modules "$modules" "$strip_debug" --no-header-files --no-man-pages \
  "${strip_cmds[@]}" --compress="$compress" --output "$work/runtime"
# JLine logs its terminal troubles through java.util.logging. Main turns the "org.jline" logger off,
# but JUL holds loggers weakly: after a GC the level is gone, and a line such as "WARNING: Error in
# output pump" can reach the terminal at exit (more often with a small heap). Configured here, the
# level applies to that logger whenever it is created again.
printf '\n# triage: JLine never logs over the screen\norg.jline.level = OFF\n' >>"$work/runtime/conf/logging.properties"
# the script launcher needs bin/java only
find "$work/runtime/bin" -type f ! -name java -delete 2>/dev/null || true
strip_tool=strip; ((cross)) && strip_tool=aarch64-linux-gnu-strip
if command -v "$strip_tool" >/dev/null; then
  # the JDKs' .so keep their symbol tables (libjvm: about 5 MB); hs_err files lose symbol names
  find "$work/runtime" -name '*.so' -exec "$strip_tool" --strip-unneeded {} +
else
  log "no '$strip_tool' (binutils$( ((cross)) && echo -aarch64-linux-gnu)): native libraries left unstripped"
fi

# ---------------------------------------------------------------------------------------------
# The launcher's JVM options (lib/app/triage.cfg). For a 512 MB board: Serial GC (no GC threads,
# no remembered sets), a small heap that starts small, C1 only (short runs: no C2 threads or
# code), no hsperfdata file in /tmp. The archive option is added after training.
java_opts=(-XX:+UseSerialGC -Xms8m -Xmx160m -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
# Map the archive at its own base address instead of always relocating it (the default since
# JDK 17.0.x/20 is 1: always relocate, for ASLR). Relocation writes every pointer in the 30-40 MB
# archive at each start: measured 23 ms and 15 MB RSS on 'java -version' here. The trade: the
# archived class metadata sits at a fixed address, as with every JDK before that change.
java_opts+=(-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0)
if [[ $mode == aot ]]; then
  # compact object headers (JEP 519): smaller heap; JLine's FFM terminal would warn on stderr
  # without native access; AOT cache problems are reported as [error][aot] on *stdout* by
  # default, which would break --json: a cache that does not fit is skipped silently (build.sh
  # and smoke.sh check that it is used)
  java_opts+=(-XX:+UseCompactObjectHeaders --enable-native-access=ALL-UNNAMED -Xlog:aot=off)
fi
mkdir -p "$work/input"
cp -p "$jar" "$work/input/triage.jar"
jp_opts=()
for o in "${java_opts[@]}"; do jp_opts+=(--java-options "$o"); done
log "jpackage: app image"
"$jdk/bin/jpackage" --type app-image --name triage --app-version "$version" \
  --input "$work/input" --main-jar triage.jar --main-class dev.triage.Main \
  --runtime-image "$work/runtime" --dest "$out" "${jp_opts[@]}"
image=$out/triage
launcher=$image/bin/triage
cfg=$image/lib/app/triage.cfg
[[ -x $launcher && -f $cfg ]] || die "jpackage made no $launcher"
if ((native_launcher)); then
  log "launcher: jpackage's native one"
else
  install -m 755 "$here/launcher.sh" "$launcher"
  rm -f "$image/lib/libapplauncher.so"   # the native launcher's library (and its libstdc++ dependency)
  log "launcher: jpackage/launcher.sh (reads lib/app/triage.cfg; the native one runs dpkg -S at every start)"
fi

# ---------------------------------------------------------------------------------------------
# Training: the launcher itself runs the workload, so the class path recorded is the launcher's.
# Runs use a state folder of their own (log, journal), not the user's.
export TRIAGE_STATE_DIR=$work/state
mkdir -p "$TRIAGE_STATE_DIR"
train_log=$work/training.log
: >"$train_log"

# run_tui ENVSPEC: drives the text UI in a private tmux server: first frame, pick
# bridge-intercontainer, run its tests, open the verdict, Ctrl-C. Returns 1 if a screen never came.
run_tui() {
  local envspec=$1 sock="triage-train-$$" rc_file=$work/tui.rc i
  command -v tmux >/dev/null || { log "no tmux: text UI not trained"; return 1; }
  rm -f "$rc_file"
  tmux -L "$sock" -f /dev/null new-session -d -x 80 -y 24 \
    "env $envspec TERM=xterm-256color LANG=C.UTF-8 '$launcher' 2>>'$train_log'; echo \$? >'$rc_file'"
  screen_has() { # PATTERN TIMEOUT_S
    local end=$((SECONDS + $2))
    while ((SECONDS < end)); do
      tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q -- "$1" && return 0
      [[ -f $rc_file ]] && return 1
      sleep 0.1
    done
    return 1
  }
  # loose markers: the screens' wording changes with the app
  local stage="first frame (Symptom)"
  if screen_has 'Symptom' $((60 * tmo)); then
    tmux -L "$sock" send-keys -l intercontainer; sleep 0.5
    tmux -L "$sock" send-keys Enter
    stage="inputs screen (Run the tests)"
    if screen_has 'Run the tests' $((10 * tmo)); then
      # Enter walks the five input fields, then presses <Run the tests>
      for i in 1 2 3 4 5 6; do tmux -L "$sock" send-keys Enter; sleep 0.3; done
      stage="end of the tests (See the verdict)"
      # when the tests end, the focus is on <See the verdict>
      if screen_has 'See the verdict' $((90 * tmo)); then
        sleep 0.3; tmux -L "$sock" send-keys Enter
        stage="verdict screen"
        screen_has ' Verdict' $((10 * tmo)) && stage=""
      fi
    fi
  fi
  tmux -L "$sock" send-keys C-c 2>/dev/null || true
  for i in $(seq 150); do [[ -f $rc_file ]] && break; sleep 0.1; done
  tmux -L "$sock" kill-server 2>/dev/null || true
  [[ -f $rc_file ]] || { log "text UI training did not end"; return 1; }
  [[ -z $stage ]] || { log "text UI training stopped: no $stage within its time (see $train_log)"; return 1; }
  return 0
}

# TLS peer for training (17..24 only, where runs can be merged): openssl s_server, EC key, loopback
tls_port="" tls_pid=""
tmux_dir=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)
trap 'rc=$?; set +e; [[ -n $tls_pid ]] && kill "$tls_pid" 2>/dev/null; tmux -L "triage-train-$$" kill-server 2>/dev/null; rm -f "$tmux_dir/triage-train-$$"; exit $rc' EXIT
start_tls_peer() {
  command -v openssl >/dev/null || return 1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$work/tls.key" -out "$work/tls.pem" -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1 || return 1
  tls_port=$((20000 + RANDOM % 20000))
  openssl s_server -quiet -accept "127.0.0.1:$tls_port" -cert "$work/tls.pem" -key "$work/tls.key" \
    </dev/null >/dev/null 2>&1 &
  tls_pid=$!
  sleep 0.5
  kill -0 "$tls_pid" 2>/dev/null
}

if [[ $mode == aot ]]; then
  # One training run records the AOT configuration (JDK 25 cannot merge runs): the text UI with a
  # full diagnosis covers picocli, scenario loading, Lanterna, docker-java, httpclient5, Jackson
  # and tinylog; without tmux (or if the UI did not answer) a command-line diagnosis does instead.
  conf=$work/triage.aotconf
  rec="JAVA_TOOL_OPTIONS='-XX:AOTMode=record -XX:AOTConfiguration=$conf'"
  trained=""
  if ((tui_training)) && run_tui "$rec" && [[ -s $conf ]]; then
    trained="text UI: first frame, bridge-intercontainer run, verdict, Ctrl-C"
  else
    rm -f "$conf"
    JAVA_TOOL_OPTIONS="-XX:AOTMode=record -XX:AOTConfiguration=$conf" \
      "$launcher" diagnose bridge-intercontainer >>"$train_log" 2>&1 || true
    trained="diagnose bridge-intercontainer"
  fi
  [[ -s $conf ]] || die "AOT training recorded nothing (see $train_log)"
  log "AOT training: $trained"
  JAVA_TOOL_OPTIONS="-XX:AOTMode=create -XX:AOTConfiguration=$conf -XX:AOTCache=$image/lib/app/triage.aot" \
    "$launcher" >>"$train_log" 2>&1 || die "AOT cache creation failed (see $train_log)"
  [[ -s $image/lib/app/triage.aot ]] || die "no AOT cache written (see $train_log)"
  archive_opt='-XX:AOTCache=$APPDIR/triage.aot'
  archive=$image/lib/app/triage.aot
else
  # Static AppCDS: class lists of several runs are merged, then dumped once through the launcher.
  # A cross-build takes the host build's list when it was trained on this very jar: the same
  # code paths load the same classes (the JDK's own lines that do not exist on the target are
  # skipped by the dump), and training under qemu would take minutes.
  host_image=$root/target/jpackage/triage
  n=0
  if ((cross)) && [[ -s $host_image/lib/app/triage.classlist ]] && cmp -s "$host_image/lib/app/triage.jar" "$jar"; then
    cp "$host_image/lib/app/triage.classlist" "$work/classes.0"
    trained="the class list of target/jpackage (trained there on this jar)"
  else
  ((cross)) && log "CDS training under qemu (no class list of target/jpackage trained on this jar)"
  trained="--version, --help, list, list --json, diagnose bridge-intercontainer"
  for a in "--version" "--help" "list" "list --json" "diagnose bridge-intercontainer"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$work/classes.$n" "$launcher" $a >>"$train_log" 2>&1 </dev/null || true
  done
  if start_tls_peer; then
    n=$((n + 1))
    JAVA_TOOL_OPTIONS="-XX:DumpLoadedClassList=$work/classes.$n" "$launcher" diagnose smtps-proxy-protocol \
      --set "server=127.0.0.1:$tls_port" --set "ca=$work/tls.pem" --set hostname=localhost >>"$train_log" 2>&1 || true
    kill "$tls_pid" 2>/dev/null || true; tls_pid=""
    trained+=", a TLS diagnosis (smtps-proxy-protocol against openssl s_server)"
  fi
  n=$((n + 1))
  if ((tui_training)) && run_tui "JAVA_TOOL_OPTIONS='-XX:DumpLoadedClassList=$work/classes.$n'"; then
    trained+=", the text UI (first frame, a diagnosis, verdict, Ctrl-C)"
  fi
  fi
  log "CDS training: $trained"
  cat "$work"/classes.* 2>/dev/null | grep -v '^#' | awk '!seen[$0]++' >"$image/lib/app/triage.classlist"
  rm -f "$work"/classes.*
  JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=$image/lib/app/triage.classlist -XX:SharedArchiveFile=$image/lib/app/triage.jsa" \
    "$launcher" >>"$train_log" 2>&1 || die "CDS dump failed (see $train_log)"
  archive_opt='-XX:SharedArchiveFile=$APPDIR/triage.jsa'
  archive=$image/lib/app/triage.jsa
fi
[[ $(awk '/^\[/ {s = $0} END {print s}' "$cfg") == '[JavaOptions]' ]] || die "$cfg does not end with [JavaOptions]"
printf 'java-options=%s\n' "$archive_opt" >>"$cfg"

# ---------------------------------------------------------------------------------------------
# Is the archive used? A mismatch (class path, jar size or time, JVM options) is skipped silently.
verify_archive() { # LAUNCHER -> prints "shared total"
  local f=$work/verify.$$.log
  rm -f "$f"
  JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$f" "$1" --version >/dev/null 2>&1 </dev/null || true
  printf '%s %s\n' "$(grep -c 'source: shared objects file' "$f" || true)" "$(grep -c 'source:' "$f" || true)"
  rm -f "$f"
}
read -r shared total < <(verify_archive "$launcher")
log "archive check: $shared of $total classes of '--version' came from $(basename "$archive")"
((total > 0 && shared * 100 >= total * 80)) || die "the archive is not used by the launcher ($shared of $total classes)"

# ---------------------------------------------------------------------------------------------
# The .deb's Depends: dpkg-shlibdeps over every ELF file of the unpacked package ROOT, with the
# versions the files' symbols need (from the library packages' symbols files). For a cross-build
# the target's library packages, unpacked from the cache with their control files, are where it
# looks (-S), and it reads the target's ELF files with the target's objdump
# (binutils-aarch64-linux-gnu).
image_depends() { # ROOT -> prints "pkg (>= v), ..."
  local root=$1 d tmp elf=() f opts=()
  tmp=$(mktemp -d "$work/shlibdeps.XXXXXX") || die "mktemp failed in $work"
  while IFS= read -r -d '' f; do
    [[ $(head -c 4 "$f" | od -An -c | tr -d ' ') == 177ELF ]] && elf+=("-e$f")
  done < <(find "$root" -type f -print0)
  ((${#elf[@]})) || { rm -rf "$tmp"; return 0; }
  mkdir -p "$tmp/debian" && : >"$tmp/debian/control"
  if ((cross)); then
    for d in "$cache/debs"/*.deb; do
      dpkg-deb -R "$d" "$tmp/$(dpkg-deb -f "$d" Package)" || die "cannot unpack $d"
      opts+=("-S$tmp/$(dpkg-deb -f "$d" Package)")
    done
    export DEB_HOST_ARCH=$target_arch DEB_HOST_MULTIARCH=aarch64-linux-gnu DEB_HOST_GNU_TYPE=aarch64-linux-gnu
  fi
  # the image's own libraries (libjvm.so, libjli.so) are found next to the files that need them
  (cd "$tmp" && dpkg-shlibdeps -O "${opts[@]}" -l"$root/opt/triage/lib/runtime/lib" \
      -l"$root/opt/triage/lib/runtime/lib/server" "${elf[@]}" 2>"$tmp/err") >"$tmp/out" \
    || { cat "$tmp/err" >&2; rm -rf "$tmp"; die "dpkg-shlibdeps could not compute the .deb's Depends (above)"; }
  unset DEB_HOST_ARCH DEB_HOST_MULTIARCH DEB_HOST_GNU_TYPE
  sed -n 's/^shlibs:Depends=//p' "$tmp/out"
  rm -rf "$tmp"
}

# ---------------------------------------------------------------------------------------------
# The .deb
deb=""
if ((want_deb)); then
  missing=""
  for t in dpkg-deb fakeroot dpkg-shlibdeps; do command -v "$t" >/dev/null || missing+=" $t"; done
  if [[ -n $missing ]]; then
    log "no .deb: missing$missing (Debian: apt-get install dpkg fakeroot dpkg-dev)"
  else
    log "jpackage: .deb"
    maint=${TRIAGE_DEB_MAINTAINER:-triage@localhost}
    # jpackage's own compression is thrown away by the repack below
    DPKG_DEB_COMPRESSOR_TYPE=none "$jdk/bin/jpackage" --type deb --app-image "$image" --name triage \
      --app-version "$version" --dest "$work/deb" --vendor triage --linux-deb-maintainer "$maint" \
      --linux-app-category admin --linux-package-name triage \
      --description "Troubleshooting wizard for containerized mail servers on Docker" >>"$work/jpackage-deb.log" 2>&1 \
      || { cat "$work/jpackage-deb.log" >&2; die "jpackage --type deb failed"; }
    jdeb=$(ls "$work/deb"/*.deb)
    # Repack: (1) jpackage copies the image without its file times, and the JVM rejects an archive
    # whose jar (or runtime) has another mtime; (2) add /usr/bin/triage as a packaged symlink.
    pkg=$work/deb/root
    dpkg-deb -R "$jdeb" "$pkg"
    inst=$pkg/opt/triage
    [[ -x $inst/bin/triage ]] || die "unexpected .deb layout (no opt/triage/bin/triage)"
    (cd "$image" && find . -print0) | while IFS= read -r -d '' f; do
      [[ -e $inst/$f ]] && touch -h -r "$image/$f" "$inst/$f"
    done
    mkdir -p "$pkg/usr/bin"
    ln -s ../../opt/triage/bin/triage "$pkg/usr/bin/triage"
    if [[ $mode == cds ]]; then
      # JDK 17's CDS records absolute paths: an archive dumped in target/ is useless in /opt.
      # Ship the class list and dump the archive at install time through the installed launcher.
      rm -f "$inst/lib/app/triage.jsa"
      cat >>"$pkg/DEBIAN/postinst" <<'EOF'

# triage: class-data sharing archive for this machine's JVM and path
if [ "$1" = configure ]; then
  JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=/opt/triage/lib/app/triage.classlist -XX:SharedArchiveFile=/opt/triage/lib/app/triage.jsa" \
    /opt/triage/bin/triage >/dev/null 2>&1 || true
fi
EOF
      cat >>"$pkg/DEBIAN/prerm" <<'EOF'

rm -f /opt/triage/lib/app/triage.jsa
EOF
      # the scripts end with 'exit 0': move those lines to the end
      for s in postinst prerm; do
        grep -v '^exit 0$' "$pkg/DEBIAN/$s" >"$work/$s.tmp"; echo 'exit 0' >>"$work/$s.tmp"
        cat "$work/$s.tmp" >"$pkg/DEBIAN/$s"; rm -f "$work/$s.tmp"
      done
    fi
    deb=$out/$(basename "$jdeb")
    # Depends, with the versions the image's ELF files need (as dpkg-shlibdeps computes them for
    # any Debian package): jpackage writes an unversioned list (and none at all for a cross-build,
    # whose libraries its host ldd cannot read), so a board whose glibc is too old (Ubuntu 20.04:
    # 2.31; Debian 12's OpenJDK needs GLIBC_2.34) would install it and then fail to start java.
    depends=$(image_depends "$pkg")
    [[ -n $depends ]] || die "found no library the $target_arch image depends on (dpkg-shlibdeps)"
    sed -i -e "s/^Architecture: .*/Architecture: $target_arch/" -e "s/^Depends: .*/Depends: $depends/" "$pkg/DEBIAN/control"
    grep -q '^Depends: ' "$pkg/DEBIAN/control" || echo "Depends: $depends" >>"$pkg/DEBIAN/control"
    if ((cross)); then
      deb=$out/$(basename "$jdeb" "_${host_arch}.deb")_$target_arch.deb
    fi
    dpkg-deb --root-owner-group -Zxz -b "$pkg" "$deb" >/dev/null
    rm -rf "$pkg" "$jdeb"
    contents=$(dpkg-deb -c "$deb")
    grep -q "opt/triage/lib/app/triage\.\(aot\|classlist\)" <<<"$contents" || die "the archive is not in $deb"
    grep -q "usr/bin/triage -> ../../opt/triage/bin/triage" <<<"$contents" || die "no /usr/bin/triage in $deb"
    log ".deb $(basename "$deb"): Architecture: $(dpkg-deb -f "$deb" Architecture), Depends: $(dpkg-deb -f "$deb" Depends)"
  fi
fi

rm -rf "$work/input" "$work/jdeps" "$work/runtime" "$work/deb" "$TRIAGE_STATE_DIR"
t1=$(date +%s)
log "done in $((t1 - t0)) s (jar build excluded)"
log "  image  $image ($(du -sm "$image" | cut -f1) MB; archive $(du -m "$archive" | cut -f1) MB)"
log "  launcher $launcher"
[[ -n $deb ]] && log "  .deb   $deb ($(du -m "$deb" | cut -f1) MB): dpkg -i it, then run triage (/usr/bin/triage -> /opt/triage/bin/triage)"
exit 0
