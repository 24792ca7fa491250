/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_INIT_SWITCHROOT_H
#define OVROOT_INIT_SWITCHROOT_H

#include <stddef.h>

#define SWITCHED_NO_INIT (-2)

/*
 * Moves /dev /proc /sys /run into newroot, deletes the initramfs contents
 * (not crossing mount points), moves newroot onto /, chroot(".") and execs
 * the first of inits (NULL-terminated, absolute paths in the new root) that
 * executes.  argv is the vector for it as for execv, its argv[0] replaced by
 * the init's path; it may be NULL.
 *
 * Checks first, before moving anything: / is ramfs or tmpfs (statfs),
 * newroot is a filesystem of its own with /dev, /proc, /sys and /run
 * directories (err names the missing ones), and one of inits exists there.
 * A failure up to the move onto / puts the moved mounts back; once / is the
 * new root (and the initramfs is deleted) only an exec failure remains.
 * Returns only on failure, with err filled: -1 with the initramfs still /,
 * SWITCHED_NO_INIT when the root was switched and no init executed (its
 * initramfs is gone then, with the rescue shell that was in it).
 */
/*
 * The checks of switch_root() alone, with the one init that is meant to run
 * (init= or /sbin/init): 0, or -1 with err naming what is missing.
 */
int newroot_check(const char *newroot, const char *init, char *err, size_t errlen);

int switch_root(const char *newroot, const char *const inits[],
		char *const argv[], char *err, size_t errlen);

#endif
