#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# dracut mount hook (sourced by dracut's init, maybe more than once, so it
# never exits), before rootfs-block's 99-mount-root.sh: when the root device
# is an ovroot store (it holds OVDIR/versions/, OVDIR from ovroot.dir=,
# default /ovroot), ovroot-init --prepare chooses the stack, mounts the store
# at /run/ovroot/store and assembles the stack at $NEWROOT, and dracut
# switches into it as usual.  A store cannot be mounted as the root and
# looked at later: dracut drops a root without /proc, /sys and /dev.  A root
# device that is no store is left to rootfs-block.  See ovroot-init(8).
if ! ismounted "$NEWROOT" && [ "${root%%:*}" = block ]; then
	ovroot_dir=$(getarg ovroot.dir=)
	ovroot_store=
	mkdir -p /run/ovroot-probe
	if mount -r ${fstype:+-t "$fstype"} "${root#block:}" /run/ovroot-probe 2>/dev/null; then
		[ -d "/run/ovroot-probe${ovroot_dir:-/ovroot}/versions" ] && ovroot_store=1
		umount /run/ovroot-probe
	fi
	rmdir /run/ovroot-probe
	if [ -n "$ovroot_store" ]; then
		# The loop device is opened, not mounted: nothing loads it on demand.
		modprobe -q loop
		modprobe -q overlay
		# --guard-root /: dracut switches root itself; the watchdog and
		# the panic timeout are set here, under this /dev and /proc.
		# --kmsg: the lines in the journal too.  --fsck: the store is
		# checked before ovroot first writes to it (rootfs-block, which
		# would check it, does not mount it).
		ovroot_fsck=$(command -v e2fsck)
		/usr/lib/ovroot/ovroot-init --prepare "$NEWROOT" --guard-root / \
			--kmsg /dev/kmsg ${ovroot_fsck:+--fsck "$ovroot_fsck"} ||
			die "ovroot: nothing in the store can boot"
	fi
	unset ovroot_dir ovroot_store ovroot_fsck
fi
