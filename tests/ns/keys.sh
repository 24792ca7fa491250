#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The key window with virtual keyboards made through /dev/uinput
# (build/tests/ns-uinput), through ovroot-init --prepare, which reads the
# host's /dev/input: a keyboard that appears in the middle of the window
# holding Esc is read (the fallback boots), one that appears after it is not.
# A kernel without uinput skips every check, counted as skips.
. "$PWD/tests/prepare-env.sh"
kbd=$PWD/build/tests/ns-uinput
need "$kbd" build/tests/ns-uinput

mkdir -p "$s/versions/v1/etc" "$s/versions/v2/etc"
bootable "$s/versions/v1"
root="root=v2+v1
"
if ! "$kbd" check 2>/dev/null; then
	for what in "a keyboard in the middle of the window is read" \
		"a keyboard after the window is not"; do
		n=$((n + 1)); echo "ok $n # SKIP $what: no /dev/uinput on this kernel"
	done
	echo "1..$n"
	exit 0
fi

mkstore "$root"
attach
"$kbd" idle 0 6 & idle=$!
"$kbd" keyboard 700 6 & late=$!
sleep 0.2
prep "ovroot.key=esc ovroot.keywait=2000"
check "a keyboard that appears in the middle of the window holding Esc: the fallback" \
	'[ $rc = 0 ] && [ "$(state reason)" = key ] && [ "$(state stack)" = v1 ]'
wait $idle $late

mkstore "$root"
attach
"$kbd" idle 0 6 & idle=$!
"$kbd" keyboard 3000 3 & late=$!
sleep 0.2
prep "ovroot.key=esc ovroot.keywait=500"
check "a keyboard that appears after the window: the root boots" \
	'[ $rc = 0 ] && [ "$(state reason)" = promoted ]'
wait $idle $late
echo "1..$n"
