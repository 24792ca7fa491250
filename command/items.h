/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_ITEMS_H
#define OVROOT_ITEMS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "command/inodeset.h"
#include "selector/stack.h"

enum item_kind { ITEM_DIR, ITEM_SQUASHFS, ITEM_EROFS, ITEM_UPPER, ITEM_TRASH, ITEM_STAGING };

/*
 * What the store holds and gc may remove: versions/NAME (a directory),
 * versions/NAME.squashfs, versions/NAME.erofs, upper/NAME with its
 * work/NAME, the .trash-* directories an interrupted gc left and the
 * versions/.staging-* an interrupted staging left (whose name is "": no
 * stack names them).
 */
struct item {
	char name[VERSION_NAME_MAX + 1];
	char rel[NAME_MAX + 16];	/* "versions/v1.squashfs", ".trash-v1" */
	enum item_kind kind;
	dev_t dev;
	ino_t ino;
	struct inodeset tree;		/* directories: every inode, for "in use" */
	unsigned long long bytes;
	bool shadowed;			/* another of the same name is the one that boots */
	bool work_unsafe;		/* ovroot/work is a symlink or another mount */
	bool covered;			/* a mount sits on it (here): never walked */
	char used[256];			/* what uses it now, "" when nothing seen */
};

struct items {
	struct item *v;
	size_t n;
	char unseen[512];		/* an overlay with a layer gc cannot find, "" */
};

int items_scan(int ovroot_dirfd, struct items *it);
void items_free(struct items *it);
const char *item_kind_name(enum item_kind kind);
void items_mark(struct items *it, dev_t dev, ino_t ino, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Marks what holds the inode at path; -1 when there is none (stat fails). */
int items_mark_path(struct items *it, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
