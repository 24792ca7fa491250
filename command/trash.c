/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/trash.h"
#include "lib/dirs.h"

static int delete_dir(int ovroot_dirfd, const char *name, char *err, size_t errlen)
{
	int fd = openat(ovroot_dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	r = delete_tree_same_dev(fd, st.st_dev);
	close(fd);
	if (r == 0 && unlinkat(ovroot_dirfd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	if (r < 0)
		snprintf(err, errlen, "%s left behind: %s", name, strerror(-r));
	return r < 0 ? -1 : 0;
}

int trash_dir(int fromfd, const char *name, int ovroot_dirfd, const char *trash, char *err,
	      size_t errlen)
{
	if (renameat(fromfd, name, ovroot_dirfd, trash) < 0) {
		snprintf(err, errlen, "cannot move %s to %s: %s", name, trash, strerror(errno));
		return -1;
	}
	return delete_dir(ovroot_dirfd, trash, err, errlen);
}

/* With dry set only tells whether there is anything: 1, else 0 (or -1). */
static int walk_trash(int ovroot_dirfd, bool dry, char *err, size_t errlen)
{
	int fd = dup(ovroot_dirfd), r = 0;
	struct dirent *de;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		snprintf(err, errlen, "cannot read the store: %s", strerror(errno));
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		struct stat st;

		if (!strncmp(de->d_name, ".trash-", 7) &&
		    fstatat(ovroot_dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode)) {
			if (dry) {
				r = 1;
				break;
			}
			if (delete_dir(ovroot_dirfd, de->d_name, err, errlen) < 0)
				r = -1;
		}
	}
	closedir(d);
	return r;
}

int trash_empty(int ovroot_dirfd, char *err, size_t errlen)
{
	return walk_trash(ovroot_dirfd, false, err, errlen);
}

bool trash_pending(int ovroot_dirfd)
{
	char err[16];

	return walk_trash(ovroot_dirfd, true, err, sizeof(err)) == 1;
}
