/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_IMAGE_H
#define OVROOT_MK_IMAGE_H

#include "mkinitramfs/cpio.h"
#include "mkinitramfs/modules.h"

/*
 * The fixed part of the image: /init, the directories the init mounts on
 * or reads (/dev /proc /sys /run /root /etc/ovroot /lib/modules/KVER),
 * /dev/console and /dev/null for the time before devtmpfs, and an optional
 * rescue shell at /bin/sh and e2fsck at /sbin/e2fsck (the init's FSCK_PATH).
 */
struct image_spec {
	const char *kver;
	const char *init;		/* file on disk */
	const char *rescue_shell;	/* file on disk, or NULL */
	const char *fsck;		/* a static e2fsck on disk, or NULL */
};

/* 0, or -1 after a one-line error naming the file. */
int image_add_base(struct cpio_image *img, const struct image_spec *spec);

/* The plan's modules as plain .ko files, and the plan at /etc/ovroot. */
int image_add_modules(struct cpio_image *img, const struct modset *plan);

#endif
