#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ovroot's selection in Debian's own initramfs: an image made by
# initramfs-tools' mkinitramfs -d CONFDIR with contrib/initramfs-tools (the
# hook and scripts/local-bottom/ovroot, as the Debian package installs
# them), booted on a store disk.  initramfs-tools-core is extracted into
# .cache/distro (scripts/fetch-initramfs-tools), never installed, and run in
# a mount namespace whose /usr/share/initramfs-tools, /usr/lib/modules and
# /boot show it and the test kernel.  The probe is /sbin/init of each version
# and reports what booted.
#   sh qemu-tests/test-initramfs-tools.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stores.sh"

itc=$QT_TOP/.cache/distro/initramfs-tools-core
if ! "$QT_TOP/scripts/fetch-initramfs-tools" >"$QT_TMP/fetch.log" 2>&1; then
	echo "ok 1 # SKIP initramfs-tools-core could not be fetched: $(tail -n 1 "$QT_TMP/fetch.log")"
	echo "1..1"
	exit 0
fi
kver=$(qt_kver)
conf=$QT_TMP/itconf
itimg=$QT_TMP/initrd.img-$kver
mkdir -p "$conf/hooks" "$conf/scripts/local-bottom" "$conf/scripts/init-bottom" "$conf/conf.d"
cp "$QT_TOP/contrib/initramfs-tools/hooks/ovroot" "$conf/hooks/"
cp "$QT_TOP/contrib/initramfs-tools/scripts/local-bottom/ovroot" "$conf/scripts/local-bottom/"
# udev (left out here: its version is tied to the host's systemd) loads the
# drivers and moves /dev into the root; the test does both without it.
printf 'virtio_pci\nvirtio_blk\next4\n' >"$conf/modules"
cat >"$conf/scripts/init-bottom/dev" <<'EOS'
#!/bin/sh
[ "${1:-}" = prereqs ] && exit 0
mount -n -o move /dev "${rootmnt:?}/dev"
EOS
chmod +x "$conf/scripts/init-bottom/dev"
printf 'MODULES=list\nBUSYBOX=n\nCOMPRESS=gzip\n' >"$conf/initramfs.conf"

mkdir -p "$QT_TMP/lib/modules/$kver" "$QT_TMP/boot"
cp "$(qt_kdir)/config" "$QT_TMP/boot/config-$kver"
# shellcheck disable=SC2016
OVROOT_INIT=$QT_TOP/build/init/ovroot-init unshare -m --propagation private sh -ec '
	ro() { mount -t overlay overlay -o "lowerdir=$2:$1" "$1"; }
	ro /usr/share/initramfs-tools "$1/usr/share/initramfs-tools"
	ro /usr/lib "$2/lib"
	mount --bind "$3" "/usr/lib/modules/$4"
	ro /boot "$2/boot"
	export OVROOT_INIT
	"$1/usr/sbin/mkinitramfs" -d "$5" -o "$6" "$4"
' - "$itc" "$QT_TMP" "$(qt_moddir)" "$kver" "$conf" "$itimg" >"$QT_OUT/itools-mkinitramfs.log" 2>&1
qt_tap $? "mkinitramfs -d builds an image with the ovroot hook" ||
	sed 's/^/#   /' "$QT_OUT/itools-mkinitramfs.log" | tail -n 20
zcat "$itimg" 2>/dev/null | cpio -it --quiet 2>/dev/null >"$QT_TMP/list"
grep -qx 'usr/lib/ovroot/ovroot-init' "$QT_TMP/list" && grep -qx 'scripts/local-bottom/ovroot' "$QT_TMP/list"
qt_tap $? "the image holds ovroot-init and scripts/local-bottom/ovroot"

QT_TIMEOUT=${QT_TIMEOUT:-120}
# itboot NAME DISK: the initramfs-tools image on that store.
itboot() {
	qt_boot "$1" "$itimg" "root=/dev/vda rootfstype=ext4 ro probe.kmsg" "$QT_TMP/$2.disk"
	qt_tap $? "$1: powered off by itself"
	qt_no_panic "$1"
	qt_expect_not "$1" "not found" "$1: the script finds every command it runs"
}

# 1. the promoted stack, assembled by ovroot-init --prepare at ${rootmnt}
store it1 'root=v2+v1\n'
itboot it-promoted it1
qt_expect it-promoted "PROBE: booted stack=v2+v1" "it-promoted: ovroot chose v2+v1"
qt_expect it-promoted "PROBE: booted reason=promoted" "it-promoted: reason promoted"
qt_expect_re it-promoted "PROBE: kmsg .*ovroot: booting v2\+v1" "it-promoted: ovroot's line is in the kernel log"
qt_expect it-promoted "PROBE: file id=v2" "it-promoted: v2 is on top"
qt_expect it-promoted "PROBE: file base=only-in-v1" "it-promoted: a file only in v1 shows"
qt_expect it-promoted "PROBE: rootfs writable" "it-promoted: the tmpfs upper is writable"
qt_expect_re it-promoted "PROBE: mnt .* /run/ovroot/store .*ext4" \
	"it-promoted: the store stays mounted at /run/ovroot/store"

# 2. an unconfirmed squashfs version: its try is counted; then it falls back
store it2 'root=v3+v1\nfallback=v1\ntries=1\n'
itboot it-try it2
qt_expect it-try "PROBE: file id=v3" "it-try: the squashfs v3 boots (loop, squashfs)"
in_store it2 boot | grep -qx "tries=0"
qt_tap $? "it-try: the store now says tries=0"
itboot it-spent it2
qt_expect it-spent "PROBE: booted reason=tries-exhausted" "it-spent: fell back by itself"
qt_expect it-spent "PROBE: file id=v1" "it-spent: v1 boots"

# 3. a root that is no store: the script leaves it to initramfs-tools
mkdir -p "$QT_TMP/plain/sbin" "$QT_TMP/plain/etc/ovroot-test"
for d in dev proc sys run tmp; do mkdir -p "$QT_TMP/plain/$d"; done
cp "$probe" "$QT_TMP/plain/sbin/init"
echo plain >"$QT_TMP/plain/etc/ovroot-test/id"
qt_mkdisk "$QT_TMP/plain.disk" 32 plain "$QT_TMP/plain"
itboot it-plain plain
qt_expect it-plain "PROBE: file id=plain" "it-plain: a plain root boots as before"
qt_expect_not it-plain "PROBE: booted " "it-plain: ovroot did nothing"
qt_done
