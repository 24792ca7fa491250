/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/early.h"
#include "lib/log.h"

static const struct {
	const char *src, *dir, *type, *opts;
	unsigned long flags;
} early_fs[] = {
	{ "devtmpfs", "/dev", "devtmpfs", "mode=0755", MS_NOSUID },
	{ "proc", "/proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "sysfs", "/sys", "sysfs", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	/* moved into the root, where systemd keeps it: its own limits for /run */
	{ "tmpfs", "/run", "tmpfs", "mode=0755,size=20%,nr_inodes=800k", MS_NOSUID | MS_NODEV },
};

void early_mounts(void)
{
	for (size_t i = 0; i < sizeof(early_fs) / sizeof(early_fs[0]); i++) {
		mkdir(early_fs[i].dir, 0755);
		if (mount(early_fs[i].src, early_fs[i].dir, early_fs[i].type, early_fs[i].flags,
			  early_fs[i].opts) < 0 && errno != EBUSY)
			say_warn("cannot mount %s: %s", early_fs[i].dir, strerror(errno));
	}
}

/* The kernel may start init with no open files: make 0, 1, 2 the console. */
void early_console(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

void read_kernel_cmdline(char *buf, size_t len)
{
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
}
