/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "init/mountany.h"

/*
 * With no type known, try every block filesystem the kernel has, as it does
 * for its own root= (init/do_mounts.c).  0 with type set, or -1 and errno.
 */
int mount_any_type(const char *dev, const char *dir, unsigned long flags, const char *data,
		   char *type, size_t typelen)
{
	FILE *f = fopen("/proc/filesystems", "r");
	char line[128];
	int e = ENODEV;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *t = line;

		if (strncmp(line, "nodev", 5) == 0)
			continue;
		t += strspn(t, " \t");
		t[strcspn(t, " \t\n")] = '\0';
		if (!*t)
			continue;
		if (mount(dev, dir, t, flags, data) == 0) {
			snprintf(type, typelen, "%s", t);
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
