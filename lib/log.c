/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sys.h"

bool log_debug_on;

static void vsay(const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "ovroot: ");

	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* one write per line, so lines from a concurrent shell do not interleave */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void say_warning(void *ctx, const char *msg)
{
	say("%s%s", ctx ? (const char *)ctx : "", msg);
}

long long now_ms(void)
{
	return sys_now_ms();
}

void errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
