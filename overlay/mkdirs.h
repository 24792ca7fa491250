/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_OVERLAY_MKDIRS_H
#define OVROOT_OVERLAY_MKDIRS_H

#include <sys/types.h>

/* mkdir -p: creates path and its missing parents.  0 or -errno. */
int mkdirs(const char *path, mode_t mode);

#endif
