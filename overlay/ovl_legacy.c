/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/dirs.h"
#include "lib/log.h"
#include "overlay/stackmount.h"

/* mount(2) copies at most one page of options. */

/* Removes the links "0".."n-1" (and leftovers of an earlier run). */
static void remove_links(int dirfd, size_t n)
{
	char name[24];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%zu", i);
		unlinkat(dirfd, name, 0);
	}
}

static int make_links(int dirfd, const struct stack_mount *s, char *err,
		      size_t errlen)
{
	char name[24];
	size_t i;

	remove_links(dirfd, OVL_MAX_LOWER);
	for (i = 0; i < s->n; i++) {
		snprintf(name, sizeof(name), "%zu", i);
		if (symlinkat(s->lower[i], dirfd, name)) {
			int e = errno;

			errmsg(err, errlen, "overlay: link to %s: %s",
			       s->lower[i], strerror(e));
			return -e;
		}
	}
	return 0;
}

/* overlayfs would read ':' ',' '\\' in upperdir/workdir as syntax. */
static int plain_path(const char *path)
{
	return !strpbrk(path, ":,\\");
}

static int build_options(char *opt, size_t len, const struct stack_mount *s,
			 char *err, size_t errlen)
{
	size_t used, i;

	used = (size_t)snprintf(opt, len, "lowerdir=0");
	for (i = 1; i < s->n && used < len; i++)
		used += (size_t)snprintf(opt + used, len - used, ":%zu", i);
	if (s->upper && used < len) {
		if (!plain_path(s->upper) || !plain_path(s->work)) {
			errmsg(err, errlen, "overlay: upper %s or work %s holds ':' ',' or '\\'",
			       s->upper, s->work);
			return -EINVAL;
		}
		used += (size_t)snprintf(opt + used, len - used,
					 ",upperdir=%s,workdir=%s",
					 s->upper, s->work);
	}
	/* index=off: see ovl_fsconfig.c, a persistent upper outlives stacks. */
	if (used < len)
		used += (size_t)snprintf(opt + used, len - used, ",index=off");
	if (used >= len) {
		errmsg(err, errlen, "overlay: options longer than a page");
		return -ENAMETOOLONG;
	}
	return 0;
}

/* mount(2) with the links' directory as working directory, then back. */
static int mount_from(int dirfd, const struct stack_mount *s, const char *opt)
{
	int cwd, ret = 0;

	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0)
		return -errno;
	if (fchdir(dirfd)) {
		ret = -errno;
	} else {
		if (mount("overlay", s->target, "overlay",
			  s->upper ? 0 : MS_RDONLY, opt))
			ret = -errno;
		if (fchdir(cwd) && !ret)
			ret = -errno;
	}
	close(cwd);
	return ret;
}

int ovl_mount_legacy(const struct stack_mount *s, char *err, size_t errlen)
{
	char opt[OPTIONS_MAX], dir[PATH_MAX];
	int dirfd, ret;

	ret = build_options(opt, sizeof(opt), s, err, errlen);
	if (ret)
		return ret;
	ret = snprintf(dir, sizeof(dir), "%s/lower", s->state_dir);
	if (ret < 0 || (size_t)ret >= sizeof(dir))
		ret = -ENAMETOOLONG;
	else
		ret = mkdirs(dir, 0755);
	if (ret) {
		errmsg(err, errlen, "overlay: %s/lower: %s", s->state_dir,
		       strerror(-ret));
		return ret;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		ret = -errno;
		errmsg(err, errlen, "overlay: %s: %s", dir, strerror(-ret));
		return ret;
	}
	ret = make_links(dirfd, s, err, errlen);
	if (!ret) {
		ret = mount_from(dirfd, s, opt);
		if (ret)
			errmsg(err, errlen, "overlay on %s (mount(2), %zu layers): %s",
			       s->target, s->n, strerror(-ret));
	}
	/* The kernel resolved the links at mount time; they are not needed. */
	remove_links(dirfd, s->n);
	close(dirfd);
	rmdir(dir);
	return ret;
}
