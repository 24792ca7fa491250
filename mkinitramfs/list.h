/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_LIST_H
#define OVROOT_MK_LIST_H

#include <stdio.h>

#include "mkinitramfs/cpio.h"

/*
 * Writes the image as a gen_init_cpio file list (the kernel's
 * usr/gen_init_cpio.c), for CONFIG_INITRAMFS_SOURCE:
 *
 *	dir NAME MODE UID GID
 *	file NAME LOCATION MODE UID GID [HARDLINKS...]
 *	nod NAME MODE UID GID c|b MAJOR MINOR
 *	slink NAME TARGET MODE UID GID
 *	pipe NAME MODE UID GID
 *	sock NAME MODE UID GID
 *
 * A file the tool made (the load plan, a decompressed module) has no
 * location on disk yet: it is written below datadir, which is created.
 * Returns 0, or -1 after a one-line error.
 */
int list_write(struct cpio_image *img, FILE *out, const char *datadir);

#endif
