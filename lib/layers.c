/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/beneath.h"
#include "lib/layers.h"

const char *layer_suffix(enum layer_kind kind)
{
	switch (kind) {
	case LAYER_SQUASHFS:
		return ".squashfs";
	case LAYER_EROFS:
		return ".erofs";
	default:
		return "";
	}
}

const char *layer_fstype(enum layer_kind kind)
{
	switch (kind) {
	case LAYER_SQUASHFS:
		return "squashfs";
	case LAYER_EROFS:
		return "erofs";
	default:
		return NULL;
	}
}

/* The error for a found entry of the wrong type, 0 when it fits kind. */
static int type_mismatch(enum layer_kind kind, mode_t mode)
{
	if (kind == LAYER_DIR)
		return S_ISDIR(mode) ? 0 : -ENOTDIR;
	if (S_ISREG(mode))
		return 0;
	return S_ISDIR(mode) ? -EISDIR : -EINVAL;
}

int layer_open(int ovroot_dirfd, const char *name, enum layer_kind kind, int flags)
{
	char rel[PATH_MAX];
	int ret;

	ret = snprintf(rel, sizeof(rel), "versions/%s%s", name, layer_suffix(kind));
	if (ret < 0 || (size_t)ret >= sizeof(rel))
		return -ENAMETOOLONG;
	return beneath_open(ovroot_dirfd, rel, flags);
}

/* 0 when versions/NAME<suffix of kind> is there and of the right type. */
static int look_for(int ovroot_dirfd, const char *name, enum layer_kind kind)
{
	struct stat st;
	int fd, ret;

	fd = layer_open(ovroot_dirfd, name, kind, O_PATH);
	if (fd < 0)
		return fd;
	ret = fstat(fd, &st) ? -errno : type_mismatch(kind, st.st_mode);
	close(fd);
	return ret;
}

int layer_find(int ovroot_dirfd, const char *name, enum layer_kind *kind)
{
	static const enum layer_kind order[] = {
		LAYER_DIR, LAYER_SQUASHFS, LAYER_EROFS
	};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		int ret = look_for(ovroot_dirfd, name, order[i]);
		if (ret == -ENOENT)
			continue;
		if (!ret && kind)
			*kind = order[i];
		return ret;
	}
	return -ENOENT;
}
