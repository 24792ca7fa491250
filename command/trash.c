/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/trash.h"
#include "lib/dirs.h"
#include "lib/sys.h"

int trash_delete(int ovroot_dirfd, const char *name, char *err, size_t errlen)
{
	struct stat top, st;
	int fd, r;

	if (fstat(ovroot_dirfd, &top) < 0) {
		snprintf(err, errlen, "the store: %s", strerror(errno));
		return -1;
	}
	if (sys_is_mount_root(ovroot_dirfd, name)) {
		snprintf(err, errlen, "%s is a mount point: left alone", name);
		return -1;
	}
	fd = openat(ovroot_dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Again on the open directory: a mount may have come meanwhile. */
	if (st.st_dev != top.st_dev || sys_is_mount_root(fd, "")) {
		close(fd);
		snprintf(err, errlen, "%s is a mount point: left alone", name);
		return -1;
	}
	r = delete_tree_same_dev(fd, top.st_dev);
	close(fd);
	if (r == 0 && unlinkat(ovroot_dirfd, name, AT_REMOVEDIR) < 0)
		r = -errno;
	if (r < 0)
		snprintf(err, errlen, "%s left behind: %s", name, strerror(-r));
	return r < 0 ? -1 : 0;
}

/* renameat2(RENAME_NOREPLACE), or a look first where the filesystem lacks it. */
static int rename_noreplace(int fromfd, const char *name, int tofd, const char *to)
{
	struct stat st;

	if (renameat2(fromfd, name, tofd, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (fstatat(tofd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return errno == ENOENT ? renameat(fromfd, name, tofd, to) : -1;
}

int trash_dir(int fromfd, const char *name, int ovroot_dirfd, const char *trash, char *err,
	      size_t errlen)
{
	char to[300];

	for (int i = 0; i < 100; i++) {
		if (i)
			snprintf(to, sizeof(to), "%s.%d", trash, i);
		else
			snprintf(to, sizeof(to), "%s", trash);
		if (rename_noreplace(fromfd, name, ovroot_dirfd, to) == 0)
			return trash_delete(ovroot_dirfd, to, err, errlen);
		if (errno != EEXIST)
			break;
	}
	snprintf(err, errlen, "cannot move %s to %s: %s", name, trash, strerror(errno));
	return -1;
}
