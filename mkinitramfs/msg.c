/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mkinitramfs/msg.h"

void mk_error(const char *what, const char *path, int errnum)
{
	fprintf(stderr, "%s: %s: %s: %s\n", MK_PROG, what, path,
		strerror(errnum));
}

void mk_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", MK_PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void mk_note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: note: ", MK_PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
