/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_SYS_H
#define OVROOT_LIB_SYS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The system calls that the two C libraries of the init do not both wrap.
 * lib/sys-glibc.c goes through syscall(2), lib/sys-klibc.c issues them
 * itself.  The constants are the kernel's ABI, spelled once here, so that no
 * file needs the mount headers that clash between the libcs.
 */
#define SYS_FSOPEN_CLOEXEC		0x1
#define SYS_FSCONFIG_SET_FLAG		0
#define SYS_FSCONFIG_SET_STRING		1
#define SYS_FSCONFIG_CMD_CREATE		6
#define SYS_FSMOUNT_CLOEXEC		0x1
#define SYS_MOUNT_ATTR_RDONLY		0x1
#define SYS_MOVE_MOUNT_F_EMPTY_PATH	0x4

/* Each returns what the system call does: -1 with errno set on failure. */
int sys_finit_module(int fd, const char *opts);
int sys_openat2(int dirfd, const char *path, const void *how, size_t size);
int sys_fsopen(const char *fstype, unsigned int flags);
int sys_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux);
int sys_fsmount(int fd, unsigned int flags, unsigned int attrs);
int sys_move_mount(int from_dirfd, const char *from, int to_dirfd, const char *to,
		   unsigned int flags);
/*
 * Whether dirfd/name (not followed; "" for dirfd itself) is the root of a
 * mount: statx's STATX_ATTR_MOUNT_ROOT, which also tells a bind mount of the
 * same filesystem.  False on kernels before 5.8, which lack the attribute.
 */
bool sys_is_mount_root(int dirfd, const char *name);
int sys_reboot(bool power_off);
/* reboot(2) with one of the kernel's commands: SYS_REBOOT_* below. */
int sys_reboot_cmd(unsigned int cmd);
#define SYS_REBOOT_RESTART	0x01234567u
#define SYS_REBOOT_HALT		0xCDEF0123u
#define SYS_REBOOT_POWER_OFF	0x4321FEDCu
#define SYS_REBOOT_KEXEC	0x45584543u
long long sys_now_ms(void);

#endif
