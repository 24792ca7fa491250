/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "overlay/aufs.h"

struct optbuf {
	char *buf;
	size_t len, used;
};

static int append_branch(struct optbuf *o, const char *path, const char *perm)
{
	int ret;

	if (strpbrk(path, ":,") || !*path)
		return -EINVAL;
	ret = snprintf(o->buf + o->used, o->len - o->used, "%s%s=%s",
		       o->used > 3 ? ":" : "", path, perm);
	if (ret < 0 || (size_t)ret >= o->len - o->used)
		return -ENAMETOOLONG;
	o->used += (size_t)ret;
	return 0;
}

int aufs_branches(char *buf, size_t len, const char *upper,
		  char (*layers)[PATH_MAX], size_t n)
{
	struct optbuf o = { buf, len, 3 };
	bool has_upper = upper && *upper;
	size_t i;
	int ret = 0;

	if (!n && !has_upper)
		return -EINVAL;
	if (len < 4)
		return -ENAMETOOLONG;
	strcpy(buf, "br=");
	if (has_upper)
		ret = append_branch(&o, upper, "rw");
	for (i = 0; !ret && i < n; i++)
		ret = append_branch(&o, layers[i], "ro");
	if (ret)
		buf[0] = '\0';
	return ret;
}
