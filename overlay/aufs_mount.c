/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aufs for kernels that have it instead of overlayfs.  Untested at run time:
 * no aufs kernel was at hand.  aufs knows its own ".wh." whiteouts only, not
 * overlayfs' 0/0 character devices, so layers built for overlayfs lose their
 * deletions under it.
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "overlay/aufs.h"
#include "overlay/errmsg.h"
#include "overlay/stackmount.h"

#define OPTIONS_MAX 4096

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
