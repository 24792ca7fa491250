#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The tmpfs upper's size limit (ovroot.uppersize=, default 50% of the RAM),
# read back from the mount options, through ovroot-init --prepare.  /run's
# limit (size=20%) is the PID 1 path's: qemu-tests/test-runtime.sh reads it in a
# booted guest.  Runs in a private mount namespace.
. "$PWD/tests/prepare-env.sh"

mkdir -p "$s/versions/v1/etc"
bootable "$s/versions/v1"
mkstore "root=v1
"
attach
upper_opt() { findmnt -n -o OPTIONS "$t/run/upper" | tr , '\n' | sed -n "s/^$1=//p"; }
# tmpfs takes a percentage of the RAM the kernel manages (MemTotal), rounded up to pages
pages=$(($(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo) / 4))

prep ""
check "the tmpfs upper is limited to half the RAM by default" \
	'[ $rc = 0 ] && [ "$(state upper)" = tmpfs ] && is "$(upper_opt size)" "$(((pages * 50 + 99) / 100 * 4))k"'
prep "ovroot.uppersize=64m"
check "ovroot.uppersize=64m: size=65536k" '[ $rc = 0 ] && is "$(upper_opt size)" 65536k'
prep "ovroot.uppersize=10%"
check "ovroot.uppersize=10%: a tenth of the RAM" 'is "$(upper_opt size)" "$(((pages * 10 + 99) / 100 * 4))k"'
prep "ovroot.uppersize=1,nr_inodes=0"
check "a bad size is said and the default kept (no other option slips in)" \
	'[ $rc = 0 ] && said "bad value ignored: ovroot.uppersize=1,nr_inodes=0" && is "$(upper_opt size)" "$(((pages * 50 + 99) / 100 * 4))k" && [ -z "$(upper_opt nr_inodes)" ]'
prep "ovroot.uppersize=64k"
check "the limit holds: a file larger than the upper cannot be written" \
	'[ $rc = 0 ] && ! dd if=/dev/zero of="$t/mnt/big" bs=1k count=128 2>/dev/null'
tap_done
