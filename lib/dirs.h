/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_DIRS_H
#define OVROOT_LIB_DIRS_H

#include <sys/types.h>

/*
 * Deletes what lies beneath dirfd on device dev, never crossing into another
 * filesystem or a mount point (whose directories stay, with their parents).
 * Symlinks are removed, never followed.  dirfd stays open.  Returns 0, or
 * -errno of the first failure (it goes on with the rest); -EXDEV when dirfd
 * itself is not on dev.
 */
int delete_tree_same_dev(int dirfd, dev_t dev);

/* mkdir -p: creates path and its missing parents.  0 or -errno. */
int mkdirs(const char *path, mode_t mode);

#endif
