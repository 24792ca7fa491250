#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/ns/prepare.sh with every ovroot-init --prepare run under valgrind
# (memcheck, full leak check, definite leaks are errors), using the dynamic
# build/bin/ovroot-init: valgrind cannot follow the allocations of the
# static init.  Passes prepare.sh's TAP through (its plan checked here) and
# adds one line: every run of the init without an invalid access or a leak.
# Valgrind 3.19 does not know openat2, fsopen, fsconfig, fsmount and
# move_mount: they fail with ENOSYS under it, so the init's fallbacks for
# older kernels are what runs.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
bin=$top/build/bin/ovroot-init
if [ ! -x "$bin" ] || ! command -v valgrind >/dev/null; then
	echo "not ok 1 - valgrind or $bin missing: make build/bin/ovroot-init"
	echo 1..1
	exit 1
fi
logs=$(mktemp -d /tmp/ovroot-vg.XXXXXX)
tap=$(mktemp /tmp/ovroot-vg-tap.XXXXXX)
trap 'rm -f "$tap"; [ -n "${KEEP_LOGS:-}" ] || rm -rf "$logs"' EXIT
vg="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
vg="$vg --suppressions=$top/tests/valgrind.supp --log-file=$logs/vg.%p"
OVROOT_INIT="$vg $bin" \
	unshare -m --propagation private sh tests/ns/prepare.sh >"$tap" 2>&1
# prepare.sh's lines without their numbers and plan: this script adds lines.
grep -v '^1\.\.[0-9]' "$tap" | sed 's/^\(\(not \)\{0,1\}ok\) [0-9]*/\1/'
n=$(grep -Ec '^(not )?ok( |$)' "$tap")
failed=$(grep -c '^not ok' "$tap")
if ! grep -qx "1\.\.$n" "$tap"; then
	echo "not ok - prepare.sh under valgrind: $n tests, plan '$(grep '^1\.\.' "$tap")'"
	n=$((n + 1)) failed=$((failed + 1))
fi
runs=$(ls "$logs" | wc -l)
bad=$(grep -L 'ERROR SUMMARY: 0 errors' "$logs"/* | wc -l)
n=$((n + 1))
if [ "$runs" -gt 0 ] && [ "$bad" -eq 0 ]; then
	echo "ok - valgrind: $runs runs of ovroot-init --prepare, no invalid access, no leak"
else
	failed=$((failed + 1))
	echo "not ok - valgrind: $bad of $runs runs of ovroot-init --prepare reported errors"
	grep -L 'ERROR SUMMARY: 0 errors' "$logs"/* | xargs grep -h -A12 '^==[0-9]*== [A-Z]' |
		grep -v '^--' | head -n 60 | sed 's/^/#   /'
fi
echo "1..$n"
[ "$failed" -eq 0 ]
