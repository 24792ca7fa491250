/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A directory tree copied into the staging directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "command/copytree.h"
#include "command/xattrs.h"
#include "lib/file.h"
#include "lib/sys.h"

struct copy {
	dev_t dev;
	char *err;
	size_t errlen;
};

static int fail(struct copy *c, const char *what, const char *path, int e)
{
	snprintf(c->err, c->errlen, "%s %s: %s", what, path, strerror(e));
	return -1;
}

static int copy_data(int in, int out)
{
	static char buf[1 << 16];
	ssize_t n;

	for (;;) {
		n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n < 0)
			break;
	}
	if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -errno;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));

			if (w < 0)
				return -errno;
			done += w;
		}
	return n < 0 ? -errno : 0;
}

/* Owner, mode and xattrs of what fd (or parent/name) is, as st and src have them. */
static int attrs(struct copy *c, int srcfd, int srcparent, int fd, int parent,
		 const char *name, const struct stat *st, const char *path)
{
	char *x = NULL;
	int r;

	if (fd >= 0) {
		if (fchown(fd, st->st_uid, st->st_gid) < 0 || fchmod(fd, st->st_mode & 07777) < 0)
			return fail(c, "cannot set the owner and mode of", path, errno);
	} else if (fchownat(parent, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
		   (!S_ISLNK(st->st_mode) && fchmodat(parent, name, st->st_mode & 07777, 0) < 0)) {
		return fail(c, "cannot set the owner and mode of", path, errno);
	}
	r = xattrs_read(srcfd, srcparent, name, &x);
	if (r == 0 && x)
		r = xattrs_apply(fd, parent, name, x);
	free(x);
	return r < 0 ? fail(c, "cannot copy the xattrs of", path, -r) : 0;
}

static int copy_dir(struct copy *c, int sfd, int dfd, const char *path);

static int copy_file(struct copy *c, int sparent, int dparent, const char *name,
		     const struct stat *st, const char *path)
{
	int in = openat(sparent, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out, r;

	if (in < 0)
		return fail(c, "cannot open", path, errno);
	fault_point();
	out = openat(dparent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return fail(c, "cannot create", path, errno);
	}
	r = copy_data(in, out);
	r = r < 0 ? fail(c, "cannot copy", path, -r) : attrs(c, in, -1, out, -1, name, st, path);
	if (r == 0)
		futimens(out, (struct timespec[2]){ { 0, UTIME_OMIT }, st->st_mtim });
	close(in);
	if (close(out) < 0 && r == 0)
		r = fail(c, "cannot write", path, errno);
	return r;
}

static int copy_node(struct copy *c, int sparent, int dparent, const char *name,
		     const struct stat *st, const char *path)
{
	int r;

	fault_point();
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(sparent, name, target, sizeof(target) - 1);
		if (n < 0)
			return fail(c, "cannot read", path, errno);
		target[n] = '\0';
		r = symlinkat(target, dparent, name);
	} else if (S_ISFIFO(st->st_mode)) {
		r = mkfifoat(dparent, name, 0600);
	} else if (S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0)) {
		r = mknodat(dparent, name, S_IFCHR | 0600, st->st_rdev);
	} else {
		snprintf(c->err, c->errlen,
			 "%s is a device node or socket: refused (a root's /dev is the kernel's devtmpfs)",
			 path);
		return -1;
	}
	if (r < 0)
		return fail(c, "cannot make", path, errno);
	r = attrs(c, -1, sparent, -1, dparent, name, st, path);
	if (r == 0)
		utimensat(dparent, name, (struct timespec[2]){ { 0, UTIME_OMIT }, st->st_mtim },
			  AT_SYMLINK_NOFOLLOW);
	return r;
}

static int copy_entry(struct copy *c, int sfd, int dfd, const char *name, const char *path)
{
	struct stat st;
	int s, d, r;

	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(c, "cannot look at", path, errno);
	if (S_ISREG(st.st_mode))
		return copy_file(c, sfd, dfd, name, &st, path);
	if (!S_ISDIR(st.st_mode))
		return copy_node(c, sfd, dfd, name, &st, path);
	fault_point();
	if (mkdirat(dfd, name, 0700) < 0)
		return fail(c, "cannot make", path, errno);
	s = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	r = s < 0 || d < 0 ? fail(c, "cannot open", path, errno) : copy_dir(c, s, d, path);
	if (s >= 0)
		close(s);
	if (d >= 0)
		close(d);
	return r;
}

static int copy_dir(struct copy *c, int sfd, int dfd, const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int r = 0;

	if (fstat(sfd, &st) < 0)
		return fail(c, "cannot look at", path, errno);
	if (st.st_dev != c->dev || (strcmp(path, "/") && sys_is_mount_root(sfd, "")))
		return fail(c, "refused:", path, EXDEV);
	d = fdopendir(dup(sfd));
	if (!d)
		return fail(c, "cannot read", path, errno);
	rewinddir(d);	/* the dup shares the offset */
	while (r == 0 && (de = readdir(d))) {
		char *p;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&p, "%s%s%s", path, strcmp(path, "/") ? "/" : "", de->d_name) < 0)
			return closedir(d), fail(c, "out of memory at", path, ENOMEM);
		r = copy_entry(c, sfd, dfd, de->d_name, p);
		free(p);
	}
	closedir(d);
	return r ? r : attrs(c, sfd, -1, dfd, -1, "", &st, path);
}

int copy_tree(int srcfd, int dstfd, char *err, size_t errlen)
{
	struct copy c = { .err = err, .errlen = errlen };
	struct stat st;
	mode_t mask = umask(0);
	int r;

	if (fstat(srcfd, &st) < 0) {
		umask(mask);
		snprintf(err, errlen, "the source: %s", strerror(errno));
		return -1;
	}
	c.dev = st.st_dev;
	r = copy_dir(&c, srcfd, dstfd, "/");
	umask(mask);
	return r;
}
