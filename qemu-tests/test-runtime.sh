#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What the booted system sees of the init.  Its lines in the kernel log
# (lib/log.c): the probe reads /dev/kmsg (probe.kmsg) and prints the records
# of ovroot-init with their levels; the console shows each line once, as
# before.  The size limits of /run (20%) and the tmpfs upper (50%,
# ovroot.uppersize=) in the guest's mountinfo.
#   sh qemu-tests/test-runtime.sh
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/stores.sh"

# A fallback: v9 is missing, v1 boots; warnings and notices, debug lines.
store k1 'root=v9+v1\nfallback=v1\n'
boot fallback k1 "probe.kmsg ovroot.debug"
qt_expect fallback "PROBE: file id=v1" "fallback: v1 boots"
qt_expect fallback "PROBE: kmsg 4 ovroot: version v9 is missing: passed over" \
	"fallback: dmesg has the passed-over version as a warning"
qt_expect fallback "PROBE: kmsg 4 ovroot: booting v1 (layer-missing, upper tmpfs)" \
	"fallback: dmesg has the fallback boot as a warning"
qt_expect_re fallback "PROBE: kmsg 6 ovroot: \[[0-9]+\.[0-9]{3}\] store device /dev/vda" \
	"fallback: ovroot.debug lines are info, with their time"
n=$(grep -c "^ovroot: booting v1" "$QT_OUT/fallback.log")
qt_tap "$([ "$n" = 1 ]; echo $?)" "fallback: the console shows the line once ($n)"
qt_expect_not fallback "] ovroot: booting" "fallback: the kernel did not echo it on the console"

store k2 'root=v2+v1\n'
boot promoted k2 "probe.kmsg quiet"
qt_expect promoted "PROBE: kmsg 5 ovroot: booting v2+v1 (promoted, upper tmpfs)" \
	"promoted (quiet): dmesg has the ordinary line as a notice"
qt_expect_re promoted "^ovroot: booting v2\+v1" "promoted (quiet): the console has it too"

# tmpfs sizes: /run size=20%, the upper 50% (2.5 times /run's), or ovroot.uppersize=
size_of() {	# LOG MOUNTPOINT: size= in k of that tmpfs in the probe's mountinfo
	sed -n "s|^PROBE: mnt [0-9]* [0-9]* [0-9:]* / $2 .* - tmpfs .*size=\([0-9]*\)k.*|\1|p" \
		"$QT_OUT/$1.log" | tr -d '\r'
}
run=$(size_of fallback /run) upper=$(size_of fallback /run/ovroot/upper)
qt_tap "$([ -n "$run" ] && [ -n "$upper" ] && [ $((upper * 10)) -ge $((run * 24)) ] &&
	[ $((upper * 10)) -le $((run * 26)) ]; echo $?)" \
	"sizes: /run ${run:-?}k (20%), the tmpfs upper ${upper:-?}k (50%)"
qt_expect_re fallback "^PROBE: mnt .* /run rw,.* - tmpfs tmpfs .*nr_inodes=819200" \
	"sizes: /run has systemd's inode limit"
boot uppersize k2 "ovroot.uppersize=32m"
qt_tap "$([ "$(size_of uppersize /run/ovroot/upper)" = 32768 ]; echo $?)" \
	"uppersize: ovroot.uppersize=32m limits the upper to 32768k"

qt_done
