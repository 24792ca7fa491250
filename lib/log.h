/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_LOG_H
#define OVROOT_LIB_LOG_H

#include <stdbool.h>
#include <stddef.h>

extern bool log_debug_on;

/* One "ovroot: ..." line on stderr, the console when running as PID 1. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, only with ovroot.debug. */
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say_warning(void *ctx, const char *msg);
long long now_ms(void);

/* Formats a one-line reason into err (which may be NULL or 0 long). */
void errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
