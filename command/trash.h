/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_TRASH_H
#define OVROOT_TRASH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A directory leaves the store in two steps: an atomic rename to
 * ovroot/.trash-NAME, so that it is never half a version, then deletion
 * without following symlinks or crossing mounts.  What a crash leaves in
 * the trash the next gc empties.  fromfd/name: the directory, where fromfd
 * is a confined fd of versions/, upper/ or work/ (lib/beneath.h).
 */
int trash_dir(int fromfd, const char *name, int ovroot_dirfd, const char *trash, char *err,
	      size_t errlen);
int trash_empty(int ovroot_dirfd, char *err, size_t errlen);
bool trash_pending(int ovroot_dirfd);

#endif
