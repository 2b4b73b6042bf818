#!/bin/bash
# triage launcher, installed by jpackage/build.sh as bin/triage of the app image in place of
# jpackage's native launcher. That one runs `rpm -qf` and `dpkg -S` on its own path twice at every
# start (about 100 ms on a PC, far more on an SD card); this one reads the same
# lib/app/triage.cfg (the options given to jpackage --java-options, $APPDIR and friends expanded)
# and starts the bundled runtime with them.
# readlink comes from coreutils: cron or `env -i` may leave PATH empty or unset
PATH=${PATH:+$PATH:}/usr/bin:/bin
self=$(readlink -f -- "$0") || { echo "triage: cannot resolve the launcher's path ($0)" >&2; exit 127; }
root=${self%/bin/*}
appdir=$root/lib/app
[[ -r $appdir/triage.cfg ]] || { echo "triage: $appdir/triage.cfg is missing: reinstall triage" >&2; exit 127; }
opts=() cp="" main=""
while IFS= read -r line || [[ -n $line ]]; do
  case $line in
    app.classpath=*) cp+=${cp:+:}${line#app.classpath=} ;;
    app.mainclass=*) main=${line#app.mainclass=} ;;
    java-options=*) opts+=("${line#java-options=}") ;;
  esac
done <"$appdir/triage.cfg"
opts=("${opts[@]//\$APPDIR/$appdir}")
opts=("${opts[@]//\$BINDIR/$root/bin}")
opts=("${opts[@]//\$ROOTDIR/$root}")
cp=${cp//\$APPDIR/$appdir}
# only what the cfg says, as with the native launcher (which ignores JDK_JAVA_OPTIONS)
unset JDK_JAVA_OPTIONS
exec "$root/lib/runtime/bin/java" "${opts[@]}" "-Djpackage.app-path=$self" -cp "$cp" "$main" "$@"
