#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The init's lines in the kernel log (lib/log.c): the probe reads /dev/kmsg
# in the booted system (probe.kmsg) and prints the records of ovroot-init
# with their levels; the console shows each line once, as before.
#   sh qemu-tests/test-kmsg.sh
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

qt_done
