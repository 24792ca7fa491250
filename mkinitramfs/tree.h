/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_TREE_H
#define OVROOT_MK_TREE_H

#include <stddef.h>
#include <sys/types.h>

#include "mkinitramfs/cpio.h"

/*
 * Files from the build machine copied into the image (--include).  A
 * directory is copied with everything below it; symlinks stay symlinks,
 * device nodes, fifos and sockets stay what they are, and files that are
 * hardlinked on disk are hardlinked in the image.  Owners and timestamps
 * are not kept: the image has uid 0, gid 0 and one mtime throughout.
 */

struct tree_link {
	dev_t dev;
	ino_t ino;
	unsigned int group;
};

struct tree {
	struct cpio_image *img;
	struct tree_link *links;	/* files seen with nlink > 1 */
	size_t nlinks, caplinks;
};

void tree_init(struct tree *t, struct cpio_image *img);
void tree_free(struct tree *t);

/*
 * Adds "SRC[:DEST]"; DEST defaults to SRC's own path.  Returns 0, or -1
 * after a one-line error naming the path.
 */
int tree_include(struct tree *t, const char *spec);

#endif
