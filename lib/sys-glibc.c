/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lib/sys.h"

int sys_finit_module(int fd, const char *opts)
{
	return (int)syscall(SYS_finit_module, fd, opts, 0);
}

int sys_openat2(int dirfd, const char *path, const void *how, size_t size)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, size);
}

int sys_fsopen(const char *fstype, unsigned int flags)
{
	return (int)syscall(SYS_fsopen, fstype, flags);
}

int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

int sys_fsmount(int fd, unsigned int flags, unsigned int attrs)
{
	return (int)syscall(SYS_fsmount, fd, flags, attrs);
}

int sys_move_mount(int from_dirfd, const char *from, int to_dirfd, const char *to,
		   unsigned int flags)
{
	return (int)syscall(SYS_move_mount, from_dirfd, from, to_dirfd, to, flags);
}

/* A bind mount of the same filesystem has the same st_dev: ask statx. */
bool sys_is_mount_root(int dirfd, const char *name)
{
	struct statx stx;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (*name ? 0 : AT_EMPTY_PATH),
		  STATX_TYPE, &stx))
		return false;
	return stx.stx_attributes_mask & stx.stx_attributes & STATX_ATTR_MOUNT_ROOT;
}

int sys_reboot(bool power_off)
{
	return reboot(power_off ? RB_POWER_OFF : RB_AUTOBOOT);
}

int sys_reboot_cmd(unsigned int cmd)
{
	return reboot((int)cmd);
}

long long sys_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
