/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The image builder's messages, and allocation that says so and exits when
 * memory runs out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkinitramfs/msg.h"
#include "mkinitramfs/xalloc.h"

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

static void *checked(void *p)
{
	if (!p) {
		mk_fail("out of memory");
		exit(1);
	}
	return p;
}

void *xmalloc(size_t size)
{
	return checked(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return checked(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t size)
{
	return checked(realloc(p, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return checked(strdup(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return checked(n < 0 ? NULL : s);
}

void xgrow(void *arr, size_t *cap, size_t n, size_t elem)
{
	void **p = arr;

	if (n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 16;
	*p = xrealloc(*p, *cap * elem);
}
