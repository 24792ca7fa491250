/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_BENEATH_H
#define OVROOT_LIB_BENEATH_H

/*
 * Opens path relative to dirfd without ever leaving dirfd: no absolute
 * paths, no "..", no symlink leading out of it (-EXDEV), no magic links.
 * Uses openat2(RESOLVE_BENEATH); on kernels without it (before 5.6) walks
 * the components with O_NOFOLLOW and then refuses every symlink (-EXDEV),
 * even one that stays inside.  The test hook OVROOT_NO_OPENAT2=1 forces that
 * walk (lib/hook.h).  O_CLOEXEC is added.  Returns an fd or -errno.
 */
int beneath_open(int dirfd, const char *path, int flags);

/*
 * beneath_open() that follows no symlink at all, not even one that stays
 * inside and not the last part (-EXDEV for one): for a path whose place
 * matters, not only what it holds (where a bind mount goes).
 */
int beneath_open_nolinks(int dirfd, const char *path, int flags);

/*
 * One directory right under dirfd (ovroot/work, ovroot/upper, ...), never a
 * symlink (not even one that stays inside) and never another mount:
 * -EXDEV for those, else an O_RDONLY fd or -errno.  What is removed or
 * measured under the store goes through such an fd.
 */
int beneath_subdir(int dirfd, const char *name);

#endif
