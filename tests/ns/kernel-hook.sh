#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The kernel hooks of the Debian package (contrib/kernel/post{inst,rm}.d/ovroot)
# as a kernel package runs them, in a private mount namespace whose /etc,
# /usr/lib and /boot are overlays on the host's (whatever is written goes to
# a scratch dir): a kernel release under /lib/modules holding the test
# kernel's modules, /etc/ovroot/mkinitramfs.conf written or not, the built
# ovroot-mkinitramfs on PATH.  The hook builds the image where the file
# says, and does nothing, silently, when the system is not set up for it.
. "$PWD/tests/tap.sh"
top=$PWD
mk=$top/build/mkinitramfs/ovroot-mkinitramfs
need "$mk" all
kdir=$(readlink -f .cache/kernel/current 2>/dev/null)
if [ ! -d "$kdir/lib/modules" ]; then
	skip "no test kernel in .cache/kernel/current (scripts/fetch-kernel)"
	tap_done
	exit
fi
kver=$(basename "$kdir")
kver=${kver%/}
t=$(mktemp -d /tmp/ovroot-khook.XXXXXX)
TAP_LOG=$t/out
trap 'umount -l /etc /usr/lib /boot 2>/dev/null; rm -rf "$t"' EXIT

# over DIR: DIR becomes an overlay of itself with an upper in $t.
over() {
	ov=$(echo "$1" | tr / _)
	mkdir -p "$t/u$ov" "$t/w$ov"
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$t/u$ov,workdir=$t/w$ov" "$1"
}
over /etc && over /usr/lib && over /boot || { echo "not ok 1 - overlays"; echo 1..1; exit 1; }
mkdir -p "/usr/lib/modules/$kver"
mount --bind "$kdir/lib/modules/$kver" "/usr/lib/modules/$kver"
rm -rf /etc/ovroot /boot/* /etc/kernel/postinst.d/* /etc/kernel/postrm.d/*
mkdir -p /etc/kernel/postinst.d /etc/kernel/postrm.d
cp contrib/kernel/postinst.d/ovroot /etc/kernel/postinst.d/ovroot
cp contrib/kernel/postrm.d/ovroot /etc/kernel/postrm.d/ovroot
bin=$t/bin
mkdir -p "$bin"
ln -s "$mk" "$bin/ovroot-mkinitramfs"
export PATH="$bin:$PATH"
unset DEB_MAINT_PARAMS

# postinst [ENV...]: the hook as the kernel's postinst runs it (run-parts).
postinst() {
	env "$@" /etc/kernel/postinst.d/ovroot "$kver" "/boot/vmlinuz-$kver" >"$t/out" 2>&1
}
quiet_nothing() { [ ! -s "$t/out" ] && [ -z "$(ls -A /boot)" ]; }

check "no /etc/ovroot/mkinitramfs.conf: exit 0, silent, no image" 'postinst && quiet_nothing'
mkdir -p /etc/ovroot
cp contrib/ovroot/mkinitramfs.conf /etc/ovroot/mkinitramfs.conf
check "the shipped file (no image= line): exit 0, silent, no image" 'postinst && quiet_nothing'

printf 'image=/boot/ovroot.img-%%k\noptions=--compress zstd --module ?no_such_mod\n' \
	>>/etc/ovroot/mkinitramfs.conf
check "without ovroot-mkinitramfs (package removed): exit 0, silent" \
	'postinst PATH=/usr/bin:/bin && quiet_nothing'
check "a kernel package's abort-upgrade: nothing" \
	"postinst DEB_MAINT_PARAMS=\"'abort-upgrade' '1'\" && quiet_nothing"
img=/boot/ovroot.img-$kver
check "image= set: the image is built for the kernel" \
	"postinst DEB_MAINT_PARAMS=\"'configure' ''\" && [ -s '$img' ] && has 'building $img for $kver'"
check "options= are passed (zstd)" \
	'[ "$(od -An -tx1 -N4 "$img" | tr -d " ")" = 28b52ffd ]'
zstd -dc "$img" 2>/dev/null | cpio -it --quiet 2>/dev/null >"$t/list"
check "the image holds the init and the kernel's modules" \
	"grep -qx init '$t/list' && grep -q '^lib/modules/$kver/.*/overlay.ko\$' '$t/list'"
cp "$img" "$t/old"
echo 'bogus line' >>/etc/ovroot/mkinitramfs.conf
kver_real=$kver
kver=6.6.6-missing
check "a kernel without modules: the hook fails and says why" \
	'! postinst && has "ovroot-mkinitramfs:"'
kver=$kver_real
check "an unknown line is said, not fatal" 'postinst && has "ignored: bogus line"'
check "a failed build left no image for that kernel" '[ ! -e /boot/ovroot.img-6.6.6-missing ]'

check "postrm on remove: the image goes" \
	"env DEB_MAINT_PARAMS=\"'remove'\" /etc/kernel/postrm.d/ovroot $kver >'$t/out' 2>&1 && [ ! -e '$img' ]"
cp "$t/old" "$img"
rm /etc/ovroot/mkinitramfs.conf
check "postrm without the file: the image stays" \
	"/etc/kernel/postrm.d/ovroot $kver && [ -e '$img' ]"
tap_done
