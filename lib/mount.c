/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Mounting plumbing shared by the init and the ovroot command. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/mount.h"

/*
 * The next filesystem of /proc/filesystems, whose lines are "nodev\tNAME"
 * or "\tNAME".  NULL at the end.
 */
static const char *next_fs(FILE *f, char *line, size_t len, int *nodev)
{
	while (fgets(line, (int)len, f)) {
		char *name = strchr(line, '\t');

		if (!name)
			continue;
		*name++ = '\0';
		name[strcspn(name, " \t\n")] = '\0';
		if (!*name)
			continue;
		*nodev = strcmp(line, "nodev") == 0;
		return name;
	}
	return NULL;
}

int fs_supported(const char *fstype)
{
	FILE *f = fopen("/proc/filesystems", "re");
	char line[256];
	const char *name;
	int nodev, found = 0;

	if (!f)
		return -errno;
	while (!found && (name = next_fs(f, line, sizeof(line), &nodev)))
		found = strcmp(name, fstype) == 0;
	fclose(f);
	return found;
}

/* As the kernel does for its own root= without rootfstype= (init/do_mounts.c). */
int mount_any_type(const char *dev, const char *dir, unsigned long flags, const char *data,
		   char *type, size_t typelen)
{
	FILE *f = fopen("/proc/filesystems", "re");
	char line[256];
	const char *name;
	int nodev, e = ENODEV;

	if (!f)
		return -1;
	while ((name = next_fs(f, line, sizeof(line), &nodev))) {
		if (nodev)
			continue;
		if (mount(dev, dir, name, flags, data) == 0) {
			snprintf(type, typelen, "%s", name);
			fclose(f);
			return 0;
		}
		if (errno != EINVAL && errno != ENODEV)
			e = errno;
	}
	fclose(f);
	errno = e;
	return -1;
}

int remount(const char *mnt, unsigned long keep, bool rw, bool bind, const char *data)
{
	unsigned long flags = MS_REMOUNT | keep | (bind ? MS_BIND : 0) | (rw ? 0 : MS_RDONLY);

	return mount(NULL, mnt, NULL, flags, bind ? NULL : data);
}
