/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "lib/beneath.h"
#include "lib/hook.h"
#include "lib/sys.h"

static int is_symlink_at(int dirfd, const char *name)
{
	struct stat st;

	return !fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISLNK(st.st_mode);
}

/*
 * One step of the walk.  The lstat catches a symlink up front; O_NOFOLLOW
 * and the fstat after opening catch one swapped in meanwhile.
 */
static int open_component(int dirfd, const char *name, int flags)
{
	struct stat st;
	int fd;

	if (!strcmp(name, ".."))
		return -EXDEV;
	if (is_symlink_at(dirfd, name))
		return -EXDEV;
	fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -EXDEV : -errno;
	if (fstat(fd, &st) || S_ISLNK(st.st_mode)) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}

static int walk_nofollow(int dirfd, const char *path, int flags)
{
	char buf[PATH_MAX];
	char *name, *next;
	int cur = dirfd, fd;

	if (path[0] == '/')
		return -EXDEV;
	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	for (name = buf; ; name = next) {
		next = strchr(name, '/');
		if (next)
			*next++ = '\0';
		while (next && *next == '/')
			next++;
		if (next && !*next)
			next = NULL;
		if (!*name || !strcmp(name, "."))
			name = ".";
		if (next)
			fd = open_component(cur, name, O_PATH | O_DIRECTORY);
		else
			fd = open_component(cur, name, flags);
		if (cur != dirfd)
			close(cur);
		if (fd < 0 || !next)
			return fd;
		cur = fd;
	}
}

static int forced_walk(void)
{
	const char *v = hook("OVROOT_NO_OPENAT2");

	return v && !strcmp(v, "1");
}

int beneath_open(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned int)(flags | O_CLOEXEC),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

	if (!forced_walk()) {
		long fd = sys_openat2(dirfd, path, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno != ENOSYS)
			return -errno;
	}
	return walk_nofollow(dirfd, path, flags);
}

int beneath_open_nolinks(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned int)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	long fd = -1;

	if (!forced_walk()) {
		fd = sys_openat2(dirfd, path, &how, sizeof(how));
		if (fd < 0 && errno != ENOSYS)
			return errno == ELOOP ? -EXDEV : -errno;
	}
	if (fd < 0)
		fd = walk_nofollow(dirfd, path, flags | O_NOFOLLOW);
	if (fd < 0)
		return (int)fd;
	/* O_PATH | O_NOFOLLOW opens a last part that is a symlink: refused here */
	if (fstat((int)fd, &st) < 0 || S_ISLNK(st.st_mode)) {
		close((int)fd);
		return -EXDEV;
	}
	return (int)fd;
}

int beneath_subdir(int dirfd, const char *name)
{
	struct stat st;
	int fd;

	if (strchr(name, '/') || !strcmp(name, "..") || !strcmp(name, "."))
		return -EXDEV;
	if (is_symlink_at(dirfd, name) || sys_is_mount_root(dirfd, name))
		return -EXDEV;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? -EXDEV : -errno;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		return -EXDEV;
	}
	return fd;
}
