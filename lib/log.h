/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_LOG_H
#define OVROOT_LIB_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* The kernel log's levels (KERN_WARNING, KERN_NOTICE, KERN_INFO). */
#define LOG_LEVEL_WARNING 4
#define LOG_LEVEL_NOTICE 5
#define LOG_LEVEL_DEBUG 6

extern bool log_debug_on;

/*
 * From now on every line also goes to path (/dev/kmsg; a plain file in the
 * tests) as "<LEVEL>ovroot: ...": a line of its own for each line said.  A
 * path that cannot be opened is skipped quietly (no /dev/kmsg in a
 * container); NULL stops it.
 */
void log_to_kmsg(const char *path);

/* One "ovroot: ..." line on stderr, the console when running as PID 1: notice. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same for what went wrong and a fallback taken: a warning in the kernel log. */
void say_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with ovroot.debug: info, with the monotonic time "[s.ms] " in the text. */
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A parser's complaint: a warning, ctx (a string) before it. */
void say_warning(void *ctx, const char *msg);
long long now_ms(void);

/* Formats a one-line reason into err (which may be NULL or 0 long). */
void errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
