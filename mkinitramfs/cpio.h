/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_CPIO_H
#define OVROOT_MK_CPIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * An initramfs image held in memory: a set of entries keyed by path, written
 * out as a "newc" cpio archive sorted by path.  The output depends only on
 * the entries and the mtime given to cpio_write(), never on the order they
 * were added in, so the same inputs give the same bytes.
 */

struct cpio_entry {
	char *path;		/* normalised: no leading or double slash */
	mode_t mode;		/* file type and permission bits */
	unsigned int rdev_major, rdev_minor;
	unsigned char *data;	/* file contents or symlink target */
	size_t size;
	unsigned int link_group; /* hardlinks share a group; 0 for none */
	char *src;		/* file on disk with the same contents, or NULL */
	int implicit;		/* a parent directory nobody asked for */
	uint32_t ino, nlink;	/* filled in by cpio_write() */
};

struct cpio_image {
	struct cpio_entry **ent;
	size_t n, cap;
	void *index;		/* tsearch tree of entries by path */
	unsigned int link_groups;
};

/* Writes len bytes; returns 0, or -1 with errno set. */
typedef int (*cpio_write_fn)(void *ctx, const void *buf, size_t len);

void cpio_init(struct cpio_image *img);
void cpio_free(struct cpio_image *img);

/*
 * Adds a regular file, taking ownership of data (malloc'd, may be NULL when
 * size is 0).  src names a file on disk with the same bytes, for --list.
 * Returns 0, or -1 with errno: EEXIST if the path is taken, EINVAL if the
 * path is empty or has a ".." component.
 */
int cpio_add_file(struct cpio_image *img, const char *path, mode_t perm,
		  unsigned char *data, size_t size, const char *src);

/* Like cpio_add_file, as a member of a hardlink group. */
int cpio_add_link_member(struct cpio_image *img, const char *path,
			 mode_t perm, unsigned char *data, size_t size,
			 const char *src, unsigned int group);
unsigned int cpio_new_link_group(struct cpio_image *img);

/* A directory may be added again; its permission bits are then updated. */
int cpio_add_dir(struct cpio_image *img, const char *path, mode_t perm);
int cpio_add_symlink(struct cpio_image *img, const char *path,
		     const char *target);
/* type is S_IFCHR, S_IFBLK, S_IFIFO or S_IFSOCK. */
int cpio_add_node(struct cpio_image *img, const char *path, mode_t type,
		  mode_t perm, unsigned int major, unsigned int minor);

/* Returns a new normalised copy of path, or NULL if it is not usable. */
char *cpio_norm_path(const char *path);

/*
 * Sorts the entries by path and numbers them: inodes count up from 1 in
 * output order (a hardlink group takes one number), a directory's nlink is
 * 2 plus its subdirectories, a hardlink's nlink is the size of its group.
 * The writers call it; adding entries afterwards needs another call.
 */
void cpio_finish(struct cpio_image *img);

/* Writes the archive with every mtime set to mtime; 0 or -1 with errno. */
int cpio_write(struct cpio_image *img, uint32_t mtime, cpio_write_fn fn,
	       void *ctx);

#endif
