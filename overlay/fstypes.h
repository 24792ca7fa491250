/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_OVERLAY_FSTYPES_H
#define OVROOT_OVERLAY_FSTYPES_H

/* 1 when /proc/filesystems lists fstype, 0 when not, -errno unreadable. */
int fs_supported(const char *fstype);

#endif
