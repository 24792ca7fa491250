#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Proves the harness: the floor init boots a disk whose /sbin/init is the
# probe: once read-only, once read-write with Esc held through QMP.
#   sh qemu-tests/test-harness.sh
. "$(dirname "$0")/lib.sh"

root=$QT_TMP/root
mkdir -p "$root/sbin" "$root/etc/ovroot-test" "$root/dev" "$root/proc" \
	"$root/run"
probe=$(qt_guest probe) || exit 1
cp "$probe" "$root/sbin/init"
echo floor-ok >"$root/etc/ovroot-test/id"
qt_mkdisk "$QT_TMP/root.img" 32 testroot "$root"
sh "$QT_TOP/qemu-tests/floor-image.sh" "$QT_TMP/floor.cpio" ||
	qt_die "cannot build the floor initramfs"

qt_boot floor "$QT_TMP/floor.cpio" "floor.dev=/dev/vda" "$QT_TMP/root.img"
qt_tap $? "floor: guest powered off by itself"
qt_expect floor "PROBE: start" "floor: probe runs as init"
qt_expect floor "PROBE: file id=floor-ok" "floor: probe sees the test root"
qt_expect floor "PROBE: rootfs readonly" "floor: root is mounted read-only"
qt_expect_re floor "^PROBE: mnt .* / / .* - ext4 /dev/vda " "floor: / is vda"
qt_expect floor "PROBE: done" "floor: probe ran to the end"
qt_no_panic floor

# Read-write this time: the probe's marker must land on the disk.
QT_HOLD_ESC=1 qt_boot floor-esc "$QT_TMP/floor.cpio" \
	"floor.rw probe.write=/etc/ovroot-test/persist" "$QT_TMP/root.img"
qt_tap $? "floor-esc: guest powered off by itself"
qt_expect floor-esc "PROBE: rootfs writable" "floor-esc: floor.rw root is writable"
qt_expect floor-esc "PROBE: wrote /etc/ovroot-test/persist" "floor-esc: probe.write"
debugfs -R "cat /etc/ovroot-test/persist" "$QT_TMP/root.img" 2>/dev/null |
	grep -qx probe-wrote
qt_tap $? "floor-esc: the marker is on the disk after the boot"
qt_expect floor-esc "PROBE: done" "floor-esc: probe ran to the end"
qt_no_panic floor-esc
grep -q "qmp: connected" "$QT_OUT/floor-esc.qmp.log" 2>/dev/null
qt_tap $? "floor-esc: QMP helper connected"
grep -Eq "qmp: sent [1-9][0-9]* key events" "$QT_OUT/floor-esc.qmp.log"
qt_tap $? "floor-esc: QMP helper sent Esc events" ||
	sed 's/^/#   /' "$QT_OUT/floor-esc.qmp.log"

qt_done
