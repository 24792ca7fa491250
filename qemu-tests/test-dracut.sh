#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ovroot's selection in a dracut initramfs: an image made by
# dracut --no-hostonly with the module contrib/dracut/90ovroot (as the Debian
# package installs it to /usr/lib/dracut/modules.d), booted on a store disk.
# dracut-core and udev are extracted into .cache/distro
# (scripts/fetch-initramfs-tools), never installed, and shown in /usr of a
# mount namespace by a read-only overlay.  dracut's own init (systemd left
# out: --omit), the test kernel's virtio and ext4 drivers (--drivers: the
# whole driver tree takes minutes to pack).  The probe is /sbin/init of each
# version and reports what booted.
#   sh qemu-tests/test-dracut.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stores.sh"

dist=$QT_TOP/.cache/distro
if ! "$QT_TOP/scripts/fetch-initramfs-tools" >"$QT_TMP/fetch.log" 2>&1; then
	echo "ok 1 # SKIP dracut-core and udev could not be fetched: $(tail -n 1 "$QT_TMP/fetch.log")"
	echo "1..1"
	exit 0
fi
kver=$(qt_kver)
drimg=$QT_TMP/dracut.img
mkdir -p "$QT_TMP/ovusr/lib/dracut/modules.d" "$QT_TMP/confdir"
cp -a "$QT_TOP/contrib/dracut/90ovroot" "$QT_TMP/ovusr/lib/dracut/modules.d/"
# shellcheck disable=SC2016
OVROOT_INIT=$QT_TOP/build/init/ovroot-init unshare -m --propagation private sh -ec '
	mount -t overlay overlay -o "lowerdir=$1/ovusr:$2/udev/usr:$2/dracut-core/usr:/usr" /usr
	export OVROOT_INIT
	dracut --no-hostonly --kver "$3" --kmoddir "$4" --conf /dev/null --confdir "$1/confdir" \
		--omit "systemd systemd-initrd dracut-systemd crypt dm lvm mdraid multipath nvdimm resume" \
		--drivers "virtio_pci virtio_blk ext4" --force "$5"
' - "$QT_TMP" "$dist" "$kver" "$(qt_moddir)" "$drimg" >"$QT_OUT/dracut-build.log" 2>&1
qt_tap $? "dracut --no-hostonly builds an image with the ovroot module" ||
	sed 's/^/#   /' "$QT_OUT/dracut-build.log" | tail -n 20
zcat "$drimg" 2>/dev/null | cpio -it --quiet 2>/dev/null >"$QT_TMP/list"
grep -qx 'usr/lib/ovroot/ovroot-init' "$QT_TMP/list" &&
	grep -q 'hooks/mount/90-ovroot-mount.sh$' "$QT_TMP/list" &&
	grep -q '/overlay.ko$' "$QT_TMP/list" && grep -q '/loop.ko$' "$QT_TMP/list"
qt_tap $? "the image holds ovroot-init, the mount hook, overlay and loop"

QT_TIMEOUT=${QT_TIMEOUT:-150}
# drboot NAME DISK: the dracut image on that store; rd.shell=0: a failure
# panics (and QEMU exits) instead of waiting in dracut's emergency shell.
drboot() {
	qt_boot "$1" "$drimg" "root=/dev/vda rootfstype=ext4 ro rd.shell=0 probe.kmsg" "$QT_TMP/$2.disk"
	qt_tap $? "$1: powered off by itself"
	qt_no_panic "$1"
	qt_expect_not "$1" "command not found" "$1: the hook finds every command it runs"
}

# 1. the promoted stack, assembled by ovroot-init --prepare at $NEWROOT
store dr1 'root=v2+v1\n'
drboot dr-promoted dr1
qt_expect dr-promoted "PROBE: booted stack=v2+v1" "dr-promoted: ovroot chose v2+v1"
qt_expect dr-promoted "PROBE: booted reason=promoted" "dr-promoted: reason promoted"
qt_expect_re dr-promoted "PROBE: kmsg .*ovroot: booting v2\+v1" "dr-promoted: ovroot's line is in the kernel log"
qt_expect dr-promoted "PROBE: file id=v2" "dr-promoted: v2 is on top"
qt_expect dr-promoted "PROBE: file base=only-in-v1" "dr-promoted: a file only in v1 shows"
qt_expect dr-promoted "PROBE: rootfs writable" "dr-promoted: the tmpfs upper is writable"
qt_expect_re dr-promoted "PROBE: mnt .* /run/ovroot/store .*ext4" \
	"dr-promoted: the store stays mounted at /run/ovroot/store"

# 2. an unconfirmed squashfs version: its try is counted (the store is made
# writable for it and put back).  What a spent try does next is the init's
# own logic, the same under any tool (test-initramfs-tools.sh boots it).
store dr2 'root=v3+v1\nfallback=v1\ntries=1\n'
drboot dr-try dr2
qt_expect dr-try "PROBE: file id=v3" "dr-try: the squashfs v3 boots (loop, squashfs)"
in_store dr2 boot | grep -qx "tries=0"
qt_tap $? "dr-try: the store now says tries=0"

# 3. a root that is no store: the hook leaves it to rootfs-block
mkdir -p "$QT_TMP/plain/sbin" "$QT_TMP/plain/etc/ovroot-test"
for d in dev proc sys run tmp; do mkdir -p "$QT_TMP/plain/$d"; done
cp "$probe" "$QT_TMP/plain/sbin/init"
echo plain >"$QT_TMP/plain/etc/ovroot-test/id"
qt_mkdisk "$QT_TMP/plain.disk" 32 plain "$QT_TMP/plain"
drboot dr-plain plain
qt_expect dr-plain "PROBE: file id=plain" "dr-plain: a plain root boots as before"
qt_expect_not dr-plain "PROBE: booted " "dr-plain: ovroot did nothing"
qt_done
