#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel-log copy of the init's lines (lib/log.c), through ovroot-init
# --prepare --kmsg FILE: a plain file stands in for /dev/kmsg, so each
# record's level prefix can be read back.  Runs in a private mount namespace.
. "$PWD/tests/prepare-env.sh"

mkdir -p "$s/versions/v1/etc"
bootable "$s/versions/v1"
k=$t/kmsg
: >"$k"	# like /dev/kmsg, it is there: the init does not create it

mkstore "root=v2+v1
fallback=v1
"
attach
prep "ovroot.debug" "--kmsg $k"
check "the boot went on (v2 missing: the fallback)" '[ $rc = 0 ] && [ "$(state stack)" = v1 ]'
check "every console line is a record of the kernel log, in order" \
	'[ "$(sed "s/^ovroot: //" "$t/out")" = "$(sed -E "s/^<[0-9]>ovroot: //" "$k")" ]'
check "a fallback is a warning: <4>" 'grep -qx "<4>ovroot: booting v1 (layer-missing, upper tmpfs)" "$k"'
check "a version passed over is a warning" 'grep -q "^<4>ovroot: version v2 is missing: passed over" "$k"'
check "debug lines are info <6> and carry the time" 'grep -Eq "^<6>ovroot: \[[0-9]+\.[0-9]{3}\] store device " "$k"'
check "... on the console too" 'grep -Eq "^ovroot: \[[0-9]+\.[0-9]{3}\] store device " "$t/out"'

: >"$k"
mkstore "root=v1
"
attach
prep "" "--kmsg $k"
check "an ordinary line is a notice: <5>" 'grep -qx "<5>ovroot: booting v1 (promoted, upper tmpfs)" "$k"'
check "no warning in an ordinary boot" '! grep -q "^<4>" "$k"'
check "each record is one line" '[ "$(wc -l <"$k")" = "$(grep -c "^<[0-9]>ovroot: " "$k")" ]'

prep "" "--kmsg $t/no/such/dir/kmsg"
check "a kernel log that cannot be opened: the boot goes on, the console has the lines" \
	'[ $rc = 0 ] && said "booting v1"'
: >"$k"
prep ""
check "without --kmsg nothing goes anywhere but stderr" '[ $rc = 0 ] && [ ! -s "$k" ]'
tap_done
