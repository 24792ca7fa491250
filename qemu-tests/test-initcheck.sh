#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real boots of the PID 1 paths around the root's init and the store's
# check: an init whose ELF loader is missing is passed over before the
# switch (the fallback boots, the line names the loader); an init that
# passes the check but fails to execute after the switch reboots, and the
# root's own /bin/sh is not run in its place; an image with e2fsck preens a
# store that was not cleanly unmounted before counting a try.
#   sh qemu-tests/test-initcheck.sh
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/stores.sh"

ld=$(readelf -l /bin/true | sed -n 's/.*interpreter: \(.*\)]$/\1/p')
v=$base/ovroot/versions
mkdir -p "$v/dyn/sbin" "$v/badelf/sbin" "$v/badelf/bin"
for d in dev proc sys run; do mkdir -p "$v/dyn/$d" "$v/badelf/$d"; done
cp /bin/true "$v/dyn/sbin/init"
# an ELF header the check takes for a static program, which execve refuses
# (no program headers, no machine): the failure comes after the switch
printf '\177ELF\002\001\001' >"$v/badelf/sbin/init"
truncate -s 64 "$v/badelf/sbin/init"
chmod 755 "$v/badelf/sbin/init"
cp /bin/busybox "$v/badelf/bin/busybox" && ln -s busybox "$v/badelf/bin/sh"

# 1. the loader missing: passed over before the switch, the fallback boots
store c1 'root=dyn\nfallback=v1\n'
boot noloader c1 ""
qt_expect noloader "/sbin/init: needs the ELF interpreter $ld, missing there: version dyn passed over" \
	"noloader: the real cause is named, the version passed over"
qt_expect noloader "PROBE: file id=v1" "noloader: the fallback v1 boots"

# 2. an init that fails after the switch: one line, a reboot, never the root's shell
store c2 'root=badelf\n'
# a reboot, which -no-reboot turns into QEMU's exit: no "Power down" here
QT_TIMEOUT=90 qt_boot badelf "$img" "root=LABEL=ovstore" "$QT_TMP/c2.disk"
qt_expect badelf "reboot: Restarting system" "badelf: the guest rebooted by itself"
qt_no_panic badelf
qt_expect badelf "ovroot: cannot switch root: switch root: no init executed: /sbin/init: Exec format error;" \
	"badelf: the exec failure is said"
qt_expect badelf "ovroot: rebooting in 10 s" "badelf: the default after the switch is a reboot"
qt_expect_not badelf "ovroot: starting" "badelf: the root's /bin/sh is not started"
store c3 'root=badelf\n'
QT_TIMEOUT=90 boot badelfhalt c3 "ovroot.fatal=halt"
qt_expect badelfhalt "ovroot: powering off" "badelf, ovroot.fatal=halt: powered off as asked"

# 3. e2fsck in the image: a store not cleanly unmounted is preened before the try
fimg=$QT_TMP/fsck.img
"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" -m "$(qt_moddir)" --fsck \
	-o "$fimg" || qt_die "cannot build the image with --fsck"
store c4 'root=v2+v1\nfallback=v1\ntries=2\n'
debugfs -w -R "ssv state 0" "$QT_TMP/c4.disk" >/dev/null 2>&1
qt_boot fsck "$fimg" "root=LABEL=ovstore" "$QT_TMP/c4.disk"
qt_tap $? "fsck: powered off by itself"
qt_expect fsck "ovroot: store /dev/vda: fsck fixed errors (exit 1: " "fsck: the dirty store is preened, said"
qt_expect fsck "PROBE: booted reason=promoted" "fsck: the promoted stack boots"
in_store c4 boot | grep -qx "tries=1"
qt_tap $? "fsck: the try was counted after the check"
e2fsck -n "$QT_TMP/c4.disk" >/dev/null 2>&1
qt_tap $? "fsck: the store is clean after the boot"

qt_done
