/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tiny init's store finder: no libblkid, only what sysfs says of each
 * block device.  Labels and UUIDs live inside filesystems, and reading them
 * is libblkid's job: root=LABEL= and UUID= need the full init.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/findstore.h"

const char findstore_flavour[] = "tiny (sysfs)";

/* The value of KEY= in a uevent file, or "" when it has none. */
static void uevent_value(int dirfd, const char *path, const char *key, char *out, size_t len)
{
	char buf[1024], *p;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	size_t klen = strlen(key);

	if (fd >= 0)
		close(fd);
	out[0] = '\0';
	buf[n > 0 ? n : 0] = '\0';
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			snprintf(out, len, "%.*s", (int)strcspn(p + klen + 1, "\n"), p + klen + 1);
			return;
		}
}

static int devnode(const char *name, char *dev, size_t devlen)
{
	struct stat st;

	if (!name[0])
		return -ENOENT;
	snprintf(dev, devlen, "/dev/%s", name);
	return stat(dev, &st) == 0 ? 0 : -ENOENT;
}

static int by_partlabel(const char *label, char *dev, size_t devlen)
{
	DIR *d = opendir("/sys/class/block");
	struct dirent *e;
	char path[300], val[256];
	int r = -ENOENT;

	if (!d)
		return -ENOENT;
	while (r && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/uevent", e->d_name);
		uevent_value(dirfd(d), path, "PARTNAME", val, sizeof(val));
		if (strcmp(val, label) == 0) {
			uevent_value(dirfd(d), path, "DEVNAME", val, sizeof(val));
			r = devnode(val, dev, devlen);
		}
	}
	closedir(d);
	return r;
}

static int by_devno(unsigned maj, unsigned min, char *dev, size_t devlen)
{
	char path[64], name[256];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", maj, min);
	uevent_value(AT_FDCWD, path, "DEVNAME", name, sizeof(name));
	return devnode(name, dev, devlen);
}

int findstore(const char *spec, char *dev, size_t devlen, char *err, size_t errlen)
{
	unsigned maj, min;
	char end;

	if (strncmp(spec, "PARTLABEL=", 10) == 0)
		return by_partlabel(spec + 10, dev, devlen);
	if (sscanf(spec, "%u:%u%c", &maj, &min, &end) == 2)
		return by_devno(maj, min, dev, devlen);
	snprintf(err, errlen, "root=%s needs the full init (libblkid): the tiny init takes "
		 "root=/dev/..., PARTLABEL= or MAJOR:MINOR", spec);
	return -EINVAL;
}

/* Reading superblocks is libblkid's job: the caller tries the kernel's types. */
int findstore_fstype(const char *dev, char *type, size_t len)
{
	(void)dev;
	(void)type;
	(void)len;
	return -1;
}
