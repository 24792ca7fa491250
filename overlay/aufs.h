/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_OVERLAY_AUFS_H
#define OVROOT_OVERLAY_AUFS_H

#include <limits.h>
#include <stddef.h>

/*
 * Builds the aufs mount option "br=UPPER=rw:L1=ro:L2=ro..." (top first;
 * without upper, or with "", only the read-only branches).  Returns 0,
 * -ENAMETOOLONG when it does not fit in len, -EINVAL when there is no
 * branch or a path holds ':' or ',' (aufs has no escape for them).
 */
int aufs_branches(char *buf, size_t len, const char *upper,
		  char (*layers)[PATH_MAX], size_t n);

#endif
