/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klibc wraps none of these: issue them with the syscall instruction.
 * x86_64 only for now; another architecture needs its own raw_syscall().
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <linux/reboot.h>
#include <linux/stat.h>
#include <linux/time.h>

#include "lib/sys.h"

#ifndef __x86_64__
/* cppcheck-suppress preprocessorErrorDirective */
#error "init/sys-klibc.c: add raw_syscall() for this architecture"
#endif

static long raw_syscall(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a"(ret)
			  : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			  : "rcx", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

int sys_finit_module(int fd, const char *opts)
{
	return (int)raw_syscall(__NR_finit_module, fd, (long)opts, 0, 0, 0);
}

int sys_openat2(int dirfd, const char *path, const void *how, size_t size)
{
	return (int)raw_syscall(__NR_openat2, dirfd, (long)path, (long)how, (long)size, 0);
}

int sys_fsopen(const char *fstype, unsigned int flags)
{
	return (int)raw_syscall(__NR_fsopen, (long)fstype, flags, 0, 0, 0);
}

int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux)
{
	return (int)raw_syscall(__NR_fsconfig, fd, cmd, (long)key, (long)value, aux);
}

int sys_fsmount(int fd, unsigned int flags, unsigned int attrs)
{
	return (int)raw_syscall(__NR_fsmount, fd, flags, attrs, 0, 0);
}

int sys_move_mount(int from_dirfd, const char *from, int to_dirfd, const char *to,
		   unsigned int flags)
{
	return (int)raw_syscall(__NR_move_mount, from_dirfd, (long)from, to_dirfd,
				(long)to, flags);
}

bool sys_is_mount_root(int dirfd, const char *name)
{
	struct statx stx = { 0 };

	if (raw_syscall(__NR_statx, dirfd, (long)name,
			AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (*name ? 0 : AT_EMPTY_PATH),
			STATX_TYPE, (long)&stx))
		return false;
	return stx.stx_attributes_mask & stx.stx_attributes & STATX_ATTR_MOUNT_ROOT;
}

int sys_reboot(bool power_off)
{
	return (int)raw_syscall(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
				power_off ? LINUX_REBOOT_CMD_POWER_OFF : LINUX_REBOOT_CMD_RESTART,
				0, 0);
}

long long sys_now_ms(void)
{
	struct timespec ts = { 0 };

	if (raw_syscall(__NR_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0))
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
