/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Directories beneath a root, walked without following a single symlink. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/nofollow.h"
#include "lib/file.h"

static int step(int cur, const char *name, bool create)
{
	int fd;

	if (!strcmp(name, "..") || !strcmp(name, "."))
		return -EXDEV;
	fd = openat(cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		fault_point();
		if (mkdirat(cur, name, 0755) < 0 && errno != EEXIST)
			return -errno;
		fd = openat(cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd >= 0)
		return fd;
	if (errno == ENOTDIR) {
		struct stat st;

		if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
			return -ELOOP;
	}
	return -errno;
}

int open_dirs_nofollow(int rootfd, const char *rel, bool create)
{
	char buf[4096], *name, *save = NULL;
	int cur;

	if (rel[0] == '/')
		return -EXDEV;
	if (strlen(rel) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, rel);
	cur = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -errno;
	for (name = strtok_r(buf, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		int fd = step(cur, name, create);

		close(cur);
		if (fd < 0)
			return fd;
		cur = fd;
	}
	return cur;
}

const char *split_parent(const char *rel, char *dir, size_t dirlen)
{
	const char *slash = strrchr(rel, '/');

	if (!slash) {
		dir[0] = '\0';
		return rel;
	}
	snprintf(dir, dirlen, "%.*s", (int)(slash - rel), rel);
	return slash + 1;
}
