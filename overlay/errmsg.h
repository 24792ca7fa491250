/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_OVERLAY_ERRMSG_H
#define OVROOT_OVERLAY_ERRMSG_H

#include <stddef.h>

/* Formats a one-line reason into err (which may be NULL or 0 long). */
void errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
