/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_TRASH_H
#define OVROOT_TRASH_H

#include <stddef.h>

/*
 * A directory leaves the store in two steps: an atomic rename to
 * ovroot/.trash-NAME (or .trash-NAME.N when something is at that name: a
 * rename never replaces anything), so that it is never half a version, then
 * deletion without following symlinks or crossing into another filesystem or
 * a mount (lib/dirs.h).  fromfd/name: the directory, where fromfd is a
 * confined fd of versions/, upper/ or work/ (lib/beneath.h).
 */
int trash_dir(int fromfd, const char *name, int ovroot_dirfd, const char *trash, char *err,
	      size_t errlen);
/*
 * Deletes ovroot/name, a .trash-* directory (one an interrupted gc left); one
 * that is itself a mount, of another filesystem or a bind mount, is left
 * alone, and so is every mount in it.
 */
int trash_delete(int ovroot_dirfd, const char *name, char *err, size_t errlen);

#endif
