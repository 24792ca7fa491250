/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The init's lines: on stderr (the console of PID 1) as they always were,
 * and, once log_to_kmsg() is called, also into the kernel's log with a
 * level, so that dmesg and the journal keep them when the console is quiet,
 * graphical or not looked at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sys.h"

/* syslog(2) SYSLOG_ACTION_CONSOLE_LEVEL */
#define CONSOLE_LEVEL 8
/*
 * The longest record Linux 6.1 takes from /dev/kmsg is 992 bytes
 * (LOG_LINE_MAX); longer lines go in pieces.
 */
#define KMSG_RECORD_MAX 960

bool log_debug_on;
static const char *kmsg_path;
/* The kernel prints records below this level on the console; 0: never. */
static int console_level;

void log_to_kmsg(const char *path)
{
	FILE *f;

	kmsg_path = path;
	console_level = 0;
	f = fopen("/proc/sys/kernel/printk", "re");
	if (f) {
		char buf[64];

		if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%d", &console_level) != 1)
			console_level = 0;
		fclose(f);
	}
}

static int kmsg_record(int fd, int level, const char *text, size_t len)
{
	char rec[KMSG_RECORD_MAX + 16];
	int n = snprintf(rec, sizeof(rec), "<%d>ovroot: %.*s\n", level, (int)len, text);

	return write(fd, rec, (size_t)n) < 0 ? -1 : 0;
}

/*
 * Opened for each line: the kernel lets one open file of /dev/kmsg write
 * ten lines in five seconds and drops the rest.  The line is on the console
 * already: the kernel's echo of the record is held back by lowering the
 * console level for the moment of the write (a kernel message pending at
 * that moment stays in dmesg but skips the console).
 */
static void to_kmsg(int level, const char *msg, size_t len)
{
	bool hush = false;
	struct stat st;
	int fd, saved = errno;

	fd = kmsg_path ? open(kmsg_path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_APPEND) : -1;
	if (fd < 0) {
		errno = saved;
		return;
	}
	if (!fstat(fd, &st) && S_ISCHR(st.st_mode) && level < console_level)
		hush = klogctl(CONSOLE_LEVEL, NULL, 1) == 0;
	while (len > KMSG_RECORD_MAX) {
		if (kmsg_record(fd, level, msg, KMSG_RECORD_MAX) < 0)
			break;
		msg += KMSG_RECORD_MAX;
		len -= KMSG_RECORD_MAX;
	}
	kmsg_record(fd, level, msg, len);
	if (hush)
		klogctl(CONSOLE_LEVEL, NULL, console_level);
	close(fd);
	errno = saved;
}

static void vsay(int level, const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "ovroot: "), start = n;

	if (level == LOG_LEVEL_DEBUG) {
		long long ms = now_ms();

		n += snprintf(line + n, sizeof(line) - (size_t)n, "[%lld.%03lld] ", ms / 1000,
			      ms % 1000);
	}
	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n] = '\n';
	/* one write per line, so lines from a concurrent shell do not interleave */
	if (write(STDERR_FILENO, line, (size_t)n + 1) < 0)
		line[n] = '\n';
	to_kmsg(level, line + start, (size_t)(n - start));
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(LOG_LEVEL_NOTICE, fmt, ap);
	va_end(ap);
}

void say_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(LOG_LEVEL_WARNING, fmt, ap);
	va_end(ap);
}

void debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	vsay(LOG_LEVEL_DEBUG, fmt, ap);
	va_end(ap);
}

void say_warning(void *ctx, const char *msg)
{
	say_warn("%s%s", ctx ? (const char *)ctx : "", msg);
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
