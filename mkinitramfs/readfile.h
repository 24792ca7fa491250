/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_READFILE_H
#define OVROOT_MK_READFILE_H

#include <stddef.h>

/*
 * Reads the whole file at path into a new buffer.  Returns 0, or -1 with
 * errno set and nothing allocated.
 */
int read_whole_file(const char *path, unsigned char **data, size_t *size);

/* Writes all of buf to fd, retrying short writes.  0, or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);

#endif
