/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klibc wraps none of these: issue them with the architecture's system-call
 * instruction.  The kernel returns -errno in the result register.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <linux/reboot.h>
#include <linux/stat.h>
#include <linux/time.h>

#include "lib/sys.h"

#if defined(__x86_64__)
static long raw_syscall6(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile ("syscall"
			  : "=a"(ret)
			  : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			  : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__i386__)
/* int $0x80: the number in eax, the arguments in ebx, ecx, edx, esi, edi. */
static long raw_syscall6(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile ("int $0x80"
			  : "=a"(ret)
			  : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			  : "memory");
	return ret;
}
#elif defined(__aarch64__)
/* svc #0: the number in x8, the arguments in x0-x4, the result in x0. */
static long raw_syscall6(long nr, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ volatile ("svc #0"
			  : "+r"(x0)
			  : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			  : "memory");
	return x0;
}
#elif defined(__arm__) && defined(__ARM_EABI__)
/* EABI svc #0: the number in r7, the arguments in r0-r4, the result in r0. */
static long raw_syscall6(long nr, long a, long b, long c, long d, long e)
{
	register long r7 __asm__("r7") = nr;
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;
	register long r4 __asm__("r4") = e;

	__asm__ volatile ("svc #0"
			  : "+r"(r0)
			  : "r"(r7), "r"(r1), "r"(r2), "r"(r3), "r"(r4)
			  : "memory");
	return r0;
}

/*
 * Debian's armhf klibc declares openat() but its library has only the raw
 * __openat(): the wrapper that klibc's other 32-bit ports have, adding
 * O_LARGEFILE as they do.
 */
extern int __openat(int dirfd, const char *path, int flags, mode_t mode);

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return __openat(dirfd, path, flags | O_LARGEFILE, mode);
}
#else
/* cppcheck-suppress preprocessorErrorDirective */
#error "lib/sys-klibc.c: add raw_syscall6() for this architecture"
#endif

static long raw_syscall(long nr, long a, long b, long c, long d, long e)
{
	long ret = raw_syscall6(nr, a, b, c, d, e);

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

int sys_reboot_cmd(unsigned int cmd)
{
	return (int)raw_syscall(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, (long)cmd,
				0, 0);
}

long long sys_now_ms(void)
{
	struct timespec ts = { 0 };

	if (raw_syscall(__NR_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0))
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
