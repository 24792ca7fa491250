#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The core boot scenarios again with the tiny (klibc) init, which finds the
# store by /dev path, PARTLABEL= or MAJOR:MINOR and has no libblkid.
#   sh qemu-tests/test-tiny.sh
. "$(dirname "$0")/lib.sh"
INIT=$QT_TOP/build/init/ovroot-init-tiny
ROOT="root=/dev/vda rootfstype=ext4"
. "$(dirname "$0")/stores.sh"

store t1 'root=v2+v1\nfallback=v1\ntries=1\n'
boot tiny-promoted t1 ""
qt_expect tiny-promoted "PROBE: file id=v2" "tiny-promoted: v2 over v1"
qt_expect tiny-promoted "PROBE: file base=only-in-v1" "tiny-promoted: v1 below"
in_store t1 boot | grep -qx "tries=0"
qt_tap $? "tiny-promoted: the try was counted"
boot tiny-spent t1 ""
qt_expect tiny-spent "PROBE: booted reason=tries-exhausted" "tiny-spent: fell back by itself"

store t2 'root=v3+v1\n'
QT_HOLD_ESC=1 boot tiny-key t2 ""
qt_expect tiny-key "PROBE: booted reason=key" "tiny-key: the held key is seen"
qt_expect tiny-key "PROBE: file id=v1" "tiny-key: the fallback v1 boots"
ROOT="root=254:0" boot tiny-squashfs t2 ""
qt_expect tiny-squashfs "PROBE: file id=v3" "tiny-squashfs: squashfs layer, store by MAJOR:MINOR and probed type"

store_gpt t3 'root=v2+v1\n'
ROOT="root=PARTLABEL=ovstore" boot tiny-partlabel t3 ""
qt_expect tiny-partlabel "PROBE: booted store=/dev/vda1" "tiny-partlabel: found by PARTLABEL= in sysfs, type probed"

qt_boot tiny-label "$img" "root=LABEL=ovstore ovroot.fatal=halt" "$QT_TMP/t2.disk"
qt_tap $? "tiny-label: powered off by ovroot.fatal=halt"
qt_expect tiny-label "needs the full init" "tiny-label: LABEL= is refused in one line"
qt_no_panic tiny-label
qt_boot tiny-nostore "$img" "root=/dev/vdz rootdelay=1 ovroot.fatal=halt" "$QT_TMP/t2.disk"
qt_tap $? "tiny-nostore: powered off by ovroot.fatal=halt"
qt_expect tiny-nostore "did not appear within 1 s" "tiny-nostore: says what is missing"
qt_no_panic tiny-nostore

qt_done
