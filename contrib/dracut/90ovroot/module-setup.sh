#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# dracut module: ovroot's selection in a dracut initramfs.  Puts
# ovroot-init and the modules it mounts with into the image, and a mount
# hook (ovroot-mount.sh) that, when the root device is an ovroot store, lets
# ovroot-init --prepare assemble the chosen stack at $NEWROOT.
# OVROOT_INIT names another init to copy (a build tree's, for tests).

# Included whenever the init is there: the hook leaves a root that is no
# store alone.
check() {
	[ -x "${OVROOT_INIT:-/usr/lib/ovroot/ovroot-init}" ]
}

depends() {
	echo rootfs-block
}

installkernel() {
	hostonly='' instmods overlay loop squashfs erofs
}

install() {
	inst_simple "${OVROOT_INIT:-/usr/lib/ovroot/ovroot-init}" /usr/lib/ovroot/ovroot-init
	inst_multiple mount umount mkdir rmdir modprobe
	inst_hook mount 90 "$moddir/ovroot-mount.sh"
}
