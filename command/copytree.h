/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_COPYTREE_H
#define OVROOT_COMMAND_COPYTREE_H

#include <stddef.h>

/*
 * Copies the tree under srcfd into dstfd (the staging directory, empty):
 * types, content, owners, modes, xattrs; symlinks as symlinks, never
 * followed.  Device nodes other than whiteouts (0/0) and sockets are
 * refused, as in a tarball; another filesystem inside the tree too.
 * 0, or -1 with why in err.
 */
int copy_tree(int srcfd, int dstfd, char *err, size_t errlen);

#endif
