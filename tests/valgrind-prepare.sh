#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/ns/prepare.sh with every ovroot-init --prepare run under valgrind
# (memcheck, full leak check, definite leaks are errors), using the dynamic
# build/bin/ovroot-init: valgrind cannot follow the allocations of the
# static init.  Passes prepare.sh's TAP through and adds one line: every
# run of the init without an invalid access or a leak.  Valgrind 3.19 does
# not know openat2, fsopen, fsconfig, fsmount and move_mount: they fail with
# ENOSYS under it, so the init's fallbacks for older kernels are what runs.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
bin=$top/build/bin/ovroot-init
if [ ! -x "$bin" ] || ! command -v valgrind >/dev/null; then
	echo "not ok 1 - valgrind or $bin missing: make build/bin/ovroot-init"
	exit 1
fi
logs=$(mktemp -d /tmp/ovroot-vg.XXXXXX)
trap '[ -n "${KEEP_LOGS:-}" ] || rm -rf "$logs"' EXIT
vg="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
vg="$vg --suppressions=$top/tests/valgrind.supp --log-file=$logs/vg.%p"
OVROOT_INIT="$vg $bin" \
	unshare -m --propagation private sh tests/ns/prepare.sh | sed 's/^\(\(not \)\{0,1\}ok\) [0-9]*/\1/'
runs=$(ls "$logs" | wc -l)
bad=$(grep -L 'ERROR SUMMARY: 0 errors' "$logs"/* | wc -l)
if [ "$runs" -gt 0 ] && [ "$bad" -eq 0 ]; then
	echo "ok - valgrind: $runs runs of ovroot-init --prepare, no invalid access, no leak"
else
	echo "not ok - valgrind: $bad of $runs runs of ovroot-init --prepare reported errors"
	grep -L 'ERROR SUMMARY: 0 errors' "$logs"/* | xargs grep -h -A12 '^==[0-9]*== [A-Z]' |
		grep -v '^--' | head -n 60 | sed 's/^/#   /'
	exit 1
fi
