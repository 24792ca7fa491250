/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_LAYERS_H
#define OVROOT_LIB_LAYERS_H

enum layer_kind { LAYER_DIR, LAYER_SQUASHFS, LAYER_EROFS };

/*
 * Looks for versions/NAME/, versions/NAME.squashfs, versions/NAME.erofs (in
 * that order) beneath ovroot_dirfd; nothing is followed out of it.  Returns
 * 0 and sets *kind, or -errno: -ENOENT (none), -EXDEV (a symlink leading out
 * of the store), -ENOTDIR (versions/NAME is not a directory), -EISDIR or
 * -EINVAL (an image that is a directory or not a regular file), etc.  Pure
 * lookups, no mounting.
 */
int layer_find(int ovroot_dirfd, const char *name, enum layer_kind *kind);

/* Opens versions/NAME<suffix of kind> with flags, confined: an fd or -errno. */
int layer_open(int ovroot_dirfd, const char *name, enum layer_kind kind, int flags);
/* "versions/NAME" + suffix: "" for a directory, ".squashfs", ".erofs". */
const char *layer_suffix(enum layer_kind kind);

/* The filesystem type of an image layer: "squashfs", "erofs" (NULL: dir). */
const char *layer_fstype(enum layer_kind kind);

#endif
