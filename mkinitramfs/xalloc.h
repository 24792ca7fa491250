/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_XALLOC_H
#define OVROOT_MK_XALLOC_H

#include <stddef.h>

/*
 * Allocation for a short-lived build tool: running out of memory ends the
 * program with a message, so callers need no error path for it.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *arr (of *cap elements of size elem) so that it holds n + 1. */
void xgrow(void *arr, size_t *cap, size_t n, size_t elem);

#endif
