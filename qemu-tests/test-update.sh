#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole update cycle in a booted VM: the booted system runs the ovroot
# command (from the probe's /etc/ovroot-test/run hook), then reboots.
#   ovroot promote v3+v1 --tries 2 -> v3 boots twice -> back on v2+v1 by itself;
#   with mark-good it stays on v3 and status says so.
. "$(dirname "$0")/lib.sh"

img=$QT_TMP/ovroot.img
src=$QT_TMP/store
v1=$src/ovroot/versions/v1
probe=$(qt_guest probe) || exit 1
"$QT_TOP/build/mkinitramfs/ovroot-mkinitramfs" -k "$(qt_kver)" -m "$(qt_moddir)" \
	--init "$QT_TOP/build/init/ovroot-init" -o "$img" || qt_die "cannot build the image"

mkdir -p "$v1/sbin" "$v1/bin" "$v1/usr/sbin" "$v1/etc/ovroot-test"
for d in dev proc sys run tmp; do mkdir -p "$v1/$d"; done
cp "$probe" "$v1/sbin/init"
cp /bin/busybox "$v1/bin/busybox" || qt_die "no /bin/busybox (busybox-static)"
cp "$QT_TOP/build/command/ovroot" "$v1/usr/sbin/ovroot"
# the command is linked with libmount: bring its libraries along
for lib in $(ldd "$QT_TOP/build/command/ovroot" | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }'); do
	mkdir -p "$v1${lib%/*}" && cp -L "$lib" "$v1$lib"
done
cat >"$v1/etc/ovroot-test/run" <<'SH'
#!/bin/busybox sh
case $(/bin/busybox cat /proc/cmdline) in
*cycle=promote*) /usr/sbin/ovroot promote v3+v1 --tries 2 ;;
*cycle=good*) /usr/sbin/ovroot mark-good ;;
esac
/usr/sbin/ovroot status | /bin/busybox sed 's/^/STATUS: /'
SH
chmod +x "$v1/etc/ovroot-test/run"
echo v1 >"$v1/etc/ovroot-test/id"
for v in v2 v3; do
	mkdir -p "$src/ovroot/versions/$v/etc/ovroot-test"
	echo $v >"$src/ovroot/versions/$v/etc/ovroot-test/id"
done
printf 'root=v2+v1\n' >"$src/ovroot/boot"
qt_mkdisk "$QT_TMP/a.disk" 64 ovstore "$src"
cp "$QT_TMP/a.disk" "$QT_TMP/b.disk"

boot() {	# NAME DISK APPEND
	qt_boot "$1" "$img" "root=LABEL=ovstore ovroot.keywait=0 $3" "$QT_TMP/$2.disk"
	qt_tap $? "$1: powered off by itself"
}
in_store() { debugfs -R "cat /ovroot/boot" "$QT_TMP/$1.disk" 2>/dev/null; }

boot promote a cycle=promote
qt_expect promote "PROBE: file id=v2" "promote: runs on v2"
in_store a | grep -qx 'root=v3+v1' && in_store a | grep -qx 'tries=2' &&
	in_store a | grep -qx 'fallback=v2+v1'
qt_tap $? "promote: the store says root=v3+v1, tries=2, fallback=v2+v1"

boot try1 a ""
qt_expect try1 "PROBE: file id=v3" "try1: v3 boots"
qt_expect try1 "PROBE: booted tries=1" "try1: one try left"
boot try2 a ""
qt_expect try2 "PROBE: file id=v3" "try2: v3 boots again"
qt_expect try2 "PROBE: booted tries=0" "try2: no try left"
boot spent a ""
qt_expect spent "PROBE: booted reason=tries-exhausted" "spent: back on the previous stack by itself"
qt_expect spent "PROBE: file id=v2" "spent: v2 runs"
qt_expect_line spent \
	"STATUS: ROLLBACK: booted v2+v1, not the promoted v3+v1: its tries ran out before it was marked good" \
	"spent: status says a rollback happened, and why"

boot promote-b b cycle=promote
boot good b cycle=good
qt_expect good "PROBE: file id=v3" "good: v3 boots"
in_store b | grep -qx 'good=v3+v1' && ! in_store b | grep -q '^tries='
qt_tap $? "good: mark-good confirmed v3+v1 (good=, no tries)"
boot stays b ""
qt_expect stays "PROBE: file id=v3" "stays: v3 still boots"
qt_expect stays "PROBE: booted reason=promoted" "stays: promoted, confirmed"
qt_expect_line stays "STATUS: booted:    v3+v1 (promoted), upper tmpfs /run/ovroot/upper/upper" \
	"stays: status shows v3+v1 booted as the promoted stack"
qt_expect_line stays "STATUS: good:      v3+v1" "stays: status shows v3+v1 confirmed good"
qt_expect_not stays "STATUS: ROLLBACK:" "stays: status reports no rollback"
qt_no_panic stays

qt_done
