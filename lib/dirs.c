/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Directory trees: made with their parents, and deleted without leaving
 * their filesystem (the initramfs once the real root is in place, as in
 * klibc run-init and util-linux switch_root; the trash of the ovroot
 * command), all through directory fds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/dirs.h"
#include "lib/sys.h"

static int delete_entries(int dirfd, dev_t dev, bool *kept);

static int delete_dir(int dirfd, const char *name, dev_t dev, bool *kept)
{
	struct stat st;
	bool sub_kept = false;
	int fd, ret;

	if (sys_is_mount_root(dirfd, name)) {
		*kept = true;
		return 0;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		*kept = true;
		return -errno;
	}
	/*
	 * Checked again on the open directory: something may have been mounted
	 * there since, and a bind mount of this filesystem has the same st_dev.
	 */
	if (fstat(fd, &st) || st.st_dev != dev || sys_is_mount_root(fd, "")) {
		close(fd);
		*kept = true;
		return 0;
	}
	ret = delete_entries(fd, dev, &sub_kept);
	close(fd);
	if (sub_kept) {
		*kept = true;
		return ret;
	}
	if (unlinkat(dirfd, name, AT_REMOVEDIR)) {
		*kept = true;
		return ret ? ret : -errno;
	}
	return ret;
}

static int delete_entry(int dirfd, const char *name, dev_t dev, bool *kept)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	if (st.st_dev != dev) {
		*kept = true;
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return delete_dir(dirfd, name, dev, kept);
	if (!unlinkat(dirfd, name, 0))
		return 0;
	*kept = true;
	return -errno;
}

static int delete_entries(int dirfd, dev_t dev, bool *kept)
{
	struct dirent *de;
	int fd, first = 0;
	DIR *d;

	fd = dup(dirfd);
	if (fd < 0)
		return -errno;
	/* the dup shares the offset: start from the first entry */
	lseek(fd, 0, SEEK_SET);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		int ret;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ret = delete_entry(dirfd, de->d_name, dev, kept);
		if (ret && !first)
			first = ret;
	}
	closedir(d);
	return first;
}

int delete_tree_same_dev(int dirfd, dev_t dev)
{
	struct stat st;
	bool kept = false;

	if (fstat(dirfd, &st))
		return -errno;
	if (st.st_dev != dev)
		return -EXDEV;
	return delete_entries(dirfd, dev, &kept);
}

static int mkdir_one(const char *path, mode_t mode)
{
	struct stat st;

	if (!mkdir(path, mode))
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (stat(path, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

int mkdirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		int ret;

		*p = '\0';
		ret = mkdir_one(buf, mode);
		*p = '/';
		if (ret)
			return ret;
	}
	return mkdir_one(buf, mode);
}
