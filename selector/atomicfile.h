/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_ATOMICFILE_H
#define OVROOT_ATOMICFILE_H

#include <stddef.h>

int atomic_write(int dirfd, const char *name, const char *data, size_t len,
		 char *err, size_t errlen);

#endif
