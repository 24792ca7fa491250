/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aufs for kernels that have it instead of overlayfs.  Untested at run time:
 * no aufs kernel was at hand.  aufs knows its own ".wh." whiteouts only, not
 * overlayfs' 0/0 character devices, so layers built for overlayfs lose their
 * deletions under it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/log.h"
#include "overlay/aufs.h"
#include "overlay/stackmount.h"

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

int aufs_mount(const struct stack_mount *s, char *err, size_t errlen)
{
	char opt[OPTIONS_MAX];
	int ret;

	ret = aufs_branches(opt, sizeof(opt), s->upper, s->lower, s->n);
	if (ret) {
		errmsg(err, errlen, "aufs: branches for %zu layers: %s",
		       s->n, strerror(-ret));
		return ret;
	}
	if (mount("aufs", s->target, "aufs", s->upper ? 0 : MS_RDONLY, opt)) {
		ret = -errno;
		errmsg(err, errlen, "aufs on %s: %s", s->target, strerror(-ret));
	}
	return ret;
}
