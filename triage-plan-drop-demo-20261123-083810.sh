#!/bin/sh
# triage fix 'drop-demo' for demo-env / demo-on, planned 2026-11-23T08:38:10.557674216Z
# Remove DEMO from the env file
# Review before running. Unlike 'triage fix', this script keeps no journal, cannot undo
# and does not verify; files get a .before-triage copy.
set -eu

# 1. Change /tmp/junit-6014322558006176007/app.env: Remove DEMO from the env file (triage fix 'drop-demo')
# --- /tmp/junit-6014322558006176007/app.env
# +++ /tmp/junit-6014322558006176007/app.env
# @@ -1,1 +0,0 @@
# -DEMO=1
[ -e /tmp/junit-6014322558006176007/app.env ] && cp -p /tmp/junit-6014322558006176007/app.env /tmp/junit-6014322558006176007/app.env.before-triage
cat > /tmp/junit-6014322558006176007/app.env <<'TRIAGE_EOF'

TRIAGE_EOF

# Then check: triage diagnose demo-env (with the same --set options)
