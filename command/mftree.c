/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A version's manifest made from what is on the disk. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "command/mftree.h"
#include "command/xattrs.h"
#include "lib/sys.h"

static char type_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return 'd';
	if (S_ISREG(mode))
		return 'f';
	if (S_ISLNK(mode))
		return 'l';
	if (S_ISCHR(mode))
		return 'c';
	if (S_ISBLK(mode))
		return 'b';
	return S_ISFIFO(mode) ? 'p' : 's';
}

static int fail(char *err, size_t errlen, const char *what, const char *name, int e)
{
	snprintf(err, errlen, "%s %s: %s", what, name, strerror(e));
	return -1;
}

/* A file: its content's digest and its xattrs, through one fd. */
static int file_entry(int parentfd, const char *name, struct mf_entry *e, char *err,
		      size_t errlen)
{
	int fd = openat(parentfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK), r;

	if (fd < 0)
		return fail(err, errlen, "cannot open", name, errno);
	r = sha256_fd(fd, e->sha256);
	if (r == 0)
		r = xattrs_read(fd, -1, NULL, &e->xattrs);
	close(fd);
	return r < 0 ? fail(err, errlen, "cannot read", name, -r) : 0;
}

int mf_stat_entry(int parentfd, const char *name, const struct stat *st, struct mf_entry *e,
		  char *err, size_t errlen)
{
	int r;

	e->type = type_of(st->st_mode);
	e->mode = st->st_mode & 07777;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	if (e->type == 'f') {
		e->size = (unsigned long long)st->st_size;
		return file_entry(parentfd, name, e, err, errlen);
	}
	if (e->type == 'c' || e->type == 'b') {
		e->major = major(st->st_rdev);
		e->minor = minor(st->st_rdev);
	}
	if (e->type == 'l') {
		char target[4096];
		ssize_t n = readlinkat(parentfd, name, target, sizeof(target) - 1);

		if (n < 0)
			return fail(err, errlen, "cannot read the symlink", name, errno);
		target[n] = '\0';
		e->target = strdup(target);
		if (!e->target)
			return fail(err, errlen, "out of memory at", name, ENOMEM);
	}
	r = xattrs_read(-1, parentfd, name, &e->xattrs);
	return r < 0 ? fail(err, errlen, "cannot read the xattrs of", name, -r) : 0;
}

static int walk(int fd, const char *path, dev_t dev, struct manifest *m, char *err,
		size_t errlen);

static int child(int dirfd, const char *path, const char *name, dev_t dev, struct manifest *m,
		 char *err, size_t errlen)
{
	struct mf_entry e = { 0 };
	struct stat st;
	char *p;
	int r;

	if (asprintf(&p, "%s%s%s", path, strcmp(path, "/") ? "/" : "", name) < 0)
		return fail(err, errlen, "out of memory at", name, ENOMEM);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		r = fail(err, errlen, "cannot look at", p, errno);
	} else if (S_ISDIR(st.st_mode)) {
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		r = fd < 0 ? fail(err, errlen, "cannot open", p, errno) :
		    walk(fd, p, dev, m, err, errlen);
		if (fd >= 0)
			close(fd);
	} else {
		r = mf_stat_entry(dirfd, name, &st, &e, err, errlen);
		e.path = p;
		p = NULL;
		if (r == 0 && mf_add(m, &e) < 0)
			r = fail(err, errlen, "out of memory at", name, ENOMEM);
		mf_entry_free(&e);
	}
	free(p);
	return r;
}

/* A directory: its own entry, then everything in it. */
static int walk(int fd, const char *path, dev_t dev, struct manifest *m, char *err,
		size_t errlen)
{
	struct mf_entry e = { 0 };
	struct dirent *de;
	struct stat st;
	DIR *d;
	int r = 0;

	if (fstat(fd, &st) < 0)
		return fail(err, errlen, "cannot look at", path, errno);
	if (st.st_dev != dev || (strcmp(path, "/") && sys_is_mount_root(fd, "")))
		return fail(err, errlen, "refused:", path, EXDEV);
	e.type = 'd';
	e.mode = st.st_mode & 07777;
	e.uid = st.st_uid;
	e.gid = st.st_gid;
	e.path = strdup(path);
	if (!e.path || (r = xattrs_read(fd, -1, NULL, &e.xattrs)) < 0 || mf_add(m, &e) < 0) {
		mf_entry_free(&e);
		return fail(err, errlen, "cannot read", path, r < 0 ? -r : ENOMEM);
	}
	d = fdopendir(dup(fd));
	if (!d)
		return fail(err, errlen, "cannot read", path, errno);
	rewinddir(d);	/* the dup shares the offset */
	while (r == 0 && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			r = child(fd, path, de->d_name, dev, m, err, errlen);
	closedir(d);
	return r;
}

int mf_tree(int dirfd, struct manifest *m, char *err, size_t errlen)
{
	struct stat st;
	int r;

	memset(m, 0, sizeof(*m));
	if (fstat(dirfd, &st) < 0)
		return fail(err, errlen, "cannot look at", "the tree", errno);
	r = walk(dirfd, "/", st.st_dev, m, err, errlen);
	if (r < 0)
		mf_free(m);
	else
		mf_sort(m);
	return r;
}
