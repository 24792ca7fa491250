/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_TREE_H
#define OVROOT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Every inode of a directory tree on one filesystem, to tell whether a file
 * some process holds lies in it, and the space it takes (du: hard links
 * once).  Symlinks are not followed, mount points not crossed.
 */
struct inodeset {
	struct tree_ino { ino_t ino; unsigned long long bytes; } *v;
	size_t n, cap;
	unsigned long long bytes;
	bool incomplete;	/* something could not be read */
};

int inodeset_add(struct inodeset *t, int dirfd, const char *name, dev_t dev);
void inodeset_finish(struct inodeset *t);
bool inodeset_has(const struct inodeset *t, ino_t ino);
void inodeset_free(struct inodeset *t);

#endif
