/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_XATTRS_H
#define OVROOT_COMMAND_XATTRS_H

#include <stddef.h>

/*
 * Extended attributes as a manifest writes them: "name=hex,..." sorted by
 * name, names escaped (command/manifest.h).  An entry is addressed by an fd
 * of it (fd >= 0) or, for what cannot be opened (symlinks, devices, FIFOs),
 * by parentfd and name, through /proc/self/fd without following it.
 */

/* *out: malloc'd, NULL when there are none.  0 or -errno. */
int xattrs_read(int fd, int parentfd, const char *name, char **out);
/* Sets every attribute of text.  0 or -errno. */
int xattrs_apply(int fd, int parentfd, const char *name, const char *text);
/* Adds name=value (raw bytes) to the sorted list *text.  0 or -1. */
int xattrs_add(char **text, const char *name, const void *value, size_t len);

#endif
