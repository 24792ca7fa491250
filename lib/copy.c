/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tree copy through directory fds, for the state area's first content
 * (init/statearea.c): from the booted root into the store.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/copy.h"
#include "lib/sys.h"

static int keep_attrs(int dstdir, const char *dst, const struct stat *st)
{
	struct timespec times[2] = { st->st_atim, st->st_mtim };

	if (fchownat(dstdir, dst, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISLNK(st->st_mode) && fchmodat(dstdir, dst, st->st_mode & 07777, 0) < 0)
		return -errno;
	if (utimensat(dstdir, dst, times, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return 0;
}

int copy_data(int in, int out)
{
	char buf[16384];
	ssize_t r;

	while ((r = read(in, buf, sizeof(buf))) != 0) {
		char *p = buf;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		while (r > 0) {
			ssize_t w = write(out, p, (size_t)r);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return w < 0 ? -errno : -EIO;
			p += w;
			r -= w;
		}
	}
	return fsync(out) < 0 ? -errno : 0;
}

static int copy_file(int srcdir, const char *src, const struct stat *st, int dstdir,
		     const char *dst)
{
	int in = openat(srcdir, src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat now;
	int out, ret;

	if (in < 0)
		return -errno;
	if (fstat(in, &now) < 0 || now.st_ino != st->st_ino || !S_ISREG(now.st_mode)) {
		close(in);
		return -EAGAIN;
	}
	out = openat(dstdir, dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	ret = copy_data(in, out);
	close(in);
	close(out);
	return ret ? ret : keep_attrs(dstdir, dst, st);
}

static int copy_link(int srcdir, const char *src, const struct stat *st, int dstdir,
		     const char *dst)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(srcdir, src, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (symlinkat(target, dstdir, dst) < 0)
		return -errno;
	return keep_attrs(dstdir, dst, st);
}

static int copy_dir(int srcdir, const char *src, const struct stat *st, int dstdir,
		    const char *dst)
{
	int in, out, ret = 0;
	struct dirent *e;
	DIR *d;

	in = openat(srcdir, src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -errno;
	if (mkdirat(dstdir, dst, 0700) < 0 ||
	    (out = openat(dstdir, dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	d = fdopendir(in);
	if (!d) {
		ret = -errno;
		close(in);
		close(out);
		return ret;
	}
	while (!ret && (e = readdir(d))) {
		struct stat sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &sub, AT_SYMLINK_NOFOLLOW) < 0)
			ret = -errno;
		else if (!S_ISDIR(sub.st_mode) || !sys_is_mount_root(dirfd(d), e->d_name))
			ret = copy_entry(dirfd(d), e->d_name, out, e->d_name);
	}
	closedir(d);
	if (!ret && fsync(out) < 0)
		ret = -errno;
	close(out);
	return ret ? ret : keep_attrs(dstdir, dst, st);
}

int copy_entry(int srcdir, const char *src, int dstdir, const char *dst)
{
	struct stat st;

	if (fstatat(srcdir, src, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (S_ISREG(st.st_mode))
		return copy_file(srcdir, src, &st, dstdir, dst);
	if (S_ISDIR(st.st_mode))
		return copy_dir(srcdir, src, &st, dstdir, dst);
	if (S_ISLNK(st.st_mode))
		return copy_link(srcdir, src, &st, dstdir, dst);
	return 0;
}
