/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MOUNTANY_H
#define OVROOT_MOUNTANY_H

#include <stddef.h>

int mount_any_type(const char *dev, const char *dir, unsigned long flags, const char *data,
		   char *type, size_t typelen);

#endif
