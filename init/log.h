/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LOG_H
#define OVROOT_LOG_H

#include <stdbool.h>

extern bool log_debug_on;

/* One "ovroot: ..." line on stderr, the console when running as PID 1. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, only with ovroot.debug. */
void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void say_warning(void *ctx, const char *msg);
long long now_ms(void);

#endif
