/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_MOUNT_H
#define OVROOT_LIB_MOUNT_H

#include <stdbool.h>
#include <stddef.h>

/* 1 when /proc/filesystems lists fstype, 0 when not, -errno unreadable. */
int fs_supported(const char *fstype);

/*
 * With no type known, tries every block filesystem the kernel has.  0 with
 * type set, or -1 and errno.
 */
int mount_any_type(const char *dev, const char *dir, unsigned long flags, const char *data,
		   char *type, size_t typelen);

/*
 * Makes the mount at mnt (its root) writable or read-only; keep: its other
 * MS_ flags, which a remount would reset (nosuid, nodev, ...).  bind: this mount's own flag only (MS_BIND), which leaves every
 * other mount of the filesystem alone; else the filesystem's (superblock)
 * flag, remounted with data.  0, or -1 and errno.
 */
int remount(const char *mnt, unsigned long keep, bool rw, bool bind, const char *data);

#endif
