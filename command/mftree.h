/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_MFTREE_H
#define OVROOT_COMMAND_MFTREE_H

#include <stddef.h>

#include <sys/stat.h>

#include "command/manifest.h"

/*
 * The manifest of the tree under dirfd, read from the disk: every file's
 * content is hashed.  Symlinks are never followed; another filesystem or a
 * mount inside the tree is refused.  0, or -1 with why in err.
 */
int mf_tree(int dirfd, struct manifest *m, char *err, size_t errlen);

/* The entry of one inode (fd of it, or parentfd/name): fills e but its path. */
int mf_stat_entry(int parentfd, const char *name, const struct stat *st, struct mf_entry *e,
		  char *err, size_t errlen);

#endif
