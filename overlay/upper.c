/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/beneath.h"
#include "lib/dirs.h"
#include "lib/log.h"
#include "overlay/steps.h"

static int path_join(char *buf, size_t len, const char *a, const char *b)
{
	int ret = snprintf(buf, len, "%s/%s", a, b);

	return ret < 0 || (size_t)ret >= len ? -ENAMETOOLONG : 0;
}

static int mkdir_at(int dirfd, const char *name, mode_t mode)
{
	return mkdirat(dirfd, name, mode) && errno != EEXIST ? -errno : 0;
}

/* ovroot/DIR/TOP, made beneath the ovroot dir and checked to stay in it. */
static int persist_dir(int ovroot_dirfd, const char *dir, const char *top)
{
	char rel[PATH_MAX];
	int fd, ret;

	ret = mkdir_at(ovroot_dirfd, dir, 0755);
	if (ret)
		return ret;
	fd = beneath_open(ovroot_dirfd, dir, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	ret = mkdir_at(fd, top, 0755);
	close(fd);
	if (ret)
		return ret;
	ret = path_join(rel, sizeof(rel), dir, top);
	if (ret)
		return ret;
	fd = beneath_open(ovroot_dirfd, rel, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int upper_persist(const struct assembly *a, int ovroot_dirfd,
			 char *upper, char *work, size_t len, char *err,
			 size_t errlen)
{
	const char *top = a->names[0];
	int ret;

	ret = persist_dir(ovroot_dirfd, "upper", top);
	if (!ret)
		ret = persist_dir(ovroot_dirfd, "work", top);
	if (ret) {
		errmsg(err, errlen, "persistent upper of %s in %s: %s", top,
		       a->ovroot_dir, strerror(-ret));
		return ret;
	}
	snprintf(upper, len, "%s/upper/%s", a->ovroot_dir, top);
	snprintf(work, len, "%s/work/%s", a->ovroot_dir, top);
	LOG(a, "upper: persistent %s", upper);
	return 0;
}

static int upper_tmpfs(const struct assembly *a, char *upper, char *work,
		       size_t len, bool *tmpfs, char *err, size_t errlen)
{
	char mnt[PATH_MAX], opts[64];
	int ret;

	snprintf(opts, sizeof(opts), "mode=0755%s%s", a->upper_size ? ",size=" : "",
		 a->upper_size ? a->upper_size : "");
	ret = path_join(mnt, sizeof(mnt), a->state_dir, "upper");
	if (!ret)
		ret = path_join(upper, len, mnt, "upper");
	if (!ret)
		ret = path_join(work, len, mnt, "work");
	if (!ret)
		ret = mkdirs(mnt, 0755);
	if (!ret && mount("tmpfs", mnt, "tmpfs", 0, opts))
		ret = -errno;
	if (ret) {
		errmsg(err, errlen, "tmpfs upper at %s/upper: %s", a->state_dir,
		       strerror(-ret));
		return ret;
	}
	*tmpfs = true;
	if (mkdir(upper, 0755) || mkdir(work, 0755)) {
		ret = -errno;
		errmsg(err, errlen, "tmpfs upper: %s: %s", mnt, strerror(-ret));
		return ret;
	}
	LOG(a, "upper: tmpfs at %s (%s)", mnt, opts);
	return 0;
}

int upper_prepare(const struct assembly *a, int ovroot_dirfd,
		  char *upper, char *work, size_t len, bool *tmpfs,
		  char *err, size_t errlen)
{
	upper[0] = work[0] = '\0';
	*tmpfs = false;
	switch (a->upper) {
	case UPPER_TMPFS:
		return upper_tmpfs(a, upper, work, len, tmpfs, err, errlen);
	case UPPER_PERSIST:
		return upper_persist(a, ovroot_dirfd, upper, work, len, err,
				     errlen);
	default:
		return 0;
	}
}
