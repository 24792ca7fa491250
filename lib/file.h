/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_FILE_H
#define OVROOT_LIB_FILE_H

#include <stddef.h>

/*
 * Reads at most max bytes of dirfd/name, never through a symlink, into a
 * NUL-terminated buffer the caller frees; len may be NULL.  0, or -errno:
 * -EFBIG when the file is larger, -EINVAL when it is not a regular file.
 */
int read_small_file(int dirfd, const char *name, size_t max, char **text, size_t *len);

/*
 * Replaces dirfd/name so that after a power loss it holds the whole old or
 * the whole new text.  Refuses a name that holds anything but a regular
 * file; the temp file is created O_EXCL under a name of its own.  0, or -1
 * with err set.
 */
int atomic_write(int dirfd, const char *name, const char *data, size_t len,
		 char *err, size_t errlen);
int atomic_replace(int dirfd, const char *name, const char *backup, const char *old,
		   size_t old_len, const char *text, size_t len, char *err, size_t errlen);

/*
 * The test hook OVROOT_FAULT_AT=N: the process _exit(99)s right before the
 * Nth disk-changing step of the run, counted over every caller (the
 * promotion file's writes, staging).  Inert in shipped builds.
 */
void fault_point(void);

#endif
