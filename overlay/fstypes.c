/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "overlay/fstypes.h"

/* Lines are "nodev\tNAME" or "\tNAME". */
int fs_supported(const char *fstype)
{
	char line[256];
	char *name;
	int found = 0;
	FILE *f;

	f = fopen("/proc/filesystems", "re");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		name = strchr(line, '\t');
		found = name && !strcmp(name + 1, fstype);
	}
	fclose(f);
	return found;
}
