/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * While a try is spent the machine must come back by itself: boot counting
 * works only if a bad version reboots.  A kernel panic reboots after a
 * timeout (the kernel's default, 0, waits for ever), and a hardware
 * watchdog, armed here and left running across the switch, resets a hung
 * system unless the new version serves it (systemd's RuntimeWatchdogSec) or
 * confirms itself (ovroot mark-good closes it).  Confirmed boots are left
 * as they are.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/watchdog.h>

#include "init/boot.h"
#include "lib/file.h"
#include "lib/log.h"

void guard_plan(const struct boot *b, int *panic_s, int *watchdog_s)
{
	bool spending = b->d.reason == REASON_PROMOTED && b->d.write_tries >= 0 &&
			b->tries_on_disk == b->d.write_tries;

	*panic_s = spending ? b->cl.panic_s : 0;
	*watchdog_s = 0;
	if (!spending)
		return;
	if (b->cl.watchdog >= 0)
		*watchdog_s = b->cl.watchdog;
	else if (b->have_file && b->file.watchdog > 0)
		*watchdog_s = b->file.watchdog;
}

/* Sets the kernel's panic timeout when it has none; 0 when nothing was set. */
static int set_panic(const char *root, int secs)
{
	char path[PATH_MAX], *text = NULL, num[16];
	int fd, len, r = 0;

	snprintf(path, sizeof(path), "%s/proc/sys/kernel/panic", root);
	if (read_small_file(AT_FDCWD, path, 32, &text, NULL) < 0 || atoi(text) != 0) {
		free(text);
		return 0;
	}
	free(text);
	len = snprintf(num, sizeof(num), "%d\n", secs);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, num, (size_t)len) != len)
		r = -1;
	if (fd >= 0)
		close(fd);
	if (r < 0)
		say_warn("cannot set the kernel's panic timeout: %s", strerror(errno));
	return r < 0 ? 0 : secs;
}

/*
 * Arms the watchdog and closes it without the magic 'V', which leaves it
 * running.  A driver without magic close would stop on close: refused.
 */
static int arm_watchdog(const char *root, int secs)
{
	struct watchdog_info info;
	char path[PATH_MAX];
	int fd, t = secs, r = -1;

	snprintf(path, sizeof(path), "%s/dev/watchdog0", root);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		say_warn("no watchdog (%s: %s): a hang of this try is not caught", path, strerror(errno));
		return 0;
	}
	if (ioctl(fd, WDIOC_GETSUPPORT, &info) < 0)
		say_warn("%s is not a watchdog (%s): not armed", path, strerror(errno));
	else if (!(info.options & WDIOF_MAGICCLOSE) || !(info.options & WDIOF_SETTIMEOUT))
		say_warn("watchdog %.32s cannot be left running with a timeout: not armed",
		    (const char *)info.identity);
	else if (ioctl(fd, WDIOC_SETTIMEOUT, &t) < 0 || ioctl(fd, WDIOC_KEEPALIVE, 0) < 0)
		say_warn("cannot arm watchdog %.32s: %s", (const char *)info.identity, strerror(errno));
	else
		r = t;
	close(fd);
	return r < 0 ? 0 : r;
}

void guard_try(struct boot *b, const char *root)
{
	int panic_s, watchdog_s;

	guard_plan(b, &panic_s, &watchdog_s);
	if (panic_s > 0 && (b->panic_set = set_panic(root, panic_s)) > 0)
		say("unconfirmed: a kernel panic reboots after %d s", b->panic_set);
	if (watchdog_s > 0 && (b->watchdog_armed = arm_watchdog(root, watchdog_s)) > 0)
		say("unconfirmed: watchdog armed for %d s, left running for the booted system",
		    b->watchdog_armed);
}
