/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "command/cmd.h"
#include "command/promedit.h"
#include "lib/log.h"

/*
 * Only the promoted root can be confirmed by running it: a fallback boot
 * that calls mark-good must not make the root it fled from good.  0 when it
 * is the root, else the exit status, said once.
 */
static int booted_is_root(const struct store *s, const struct promfile *pf)
{
	char booted[512], root[512];

	if (!s->have_booted) {
		say("mark-good: nothing booted from %s through ovroot: nothing to confirm", s->dir);
		return 1;
	}
	if (stack_equal(&s->booted.stack, &pf->root))
		return 0;
	stack_format(&s->booted.stack, booted, sizeof(booted));
	stack_format(&pf->root, root, sizeof(root));
	say("mark-good: the running stack %s (%s) is not the promoted %s: nothing confirmed "
	    "(exit %d)", booted, s->booted.reason, root, EXIT_NOT_PROMOTED);
	return EXIT_NOT_PROMOTED;
}

/*
 * The init left the watchdog running for this try (booted's watchdog=):
 * once confirmed, nothing needs it to reset the machine.  Closing with the
 * magic 'V' stops it; a program that serves it (systemd) holds it open, and
 * then it is that program's.
 */
static void stop_watchdog(const struct store *s)
{
	int fd;

	if (!s->have_booted || s->booted.watchdog <= 0)
		return;
	fd = open("/dev/watchdog0", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		say("mark-good: the watchdog is left running (%s)%s", strerror(errno),
		    errno == EBUSY ? ": another program serves it" : "");
		return;
	}
	if (write(fd, "V", 1) != 1)
		say("mark-good: cannot stop the watchdog: %s", strerror(errno));
	else
		printf("watchdog stopped\n");
	close(fd);
}

int cmd_mark_good(struct store *s, int argc, char **argv)
{
	struct promedit e;
	int r;

	(void)argv;
	if (argc) {
		say("mark-good takes no arguments");
		return 2;
	}
	if (promedit_load(s, &e, false) < 0)
		return 1;
	r = booted_is_root(s, &e.pf);
	/* confirmed already: nothing to write, the store stays untouched at every boot */
	if (r == 0 && (e.pf.tries >= 0 || !stack_equal(&e.pf.good, &e.pf.root))) {
		r = 1;
		if (stack_copy(&e.pf.good, &e.pf.root) == 0) {
			e.pf.tries = -1;
			r = promedit_save(s, &e) < 0;
		}
	}
	if (!r) {
		char text[512];

		stack_format(&e.pf.good, text, sizeof(text));
		printf("marked good: %s\n", text);
		stop_watchdog(s);
	}
	promedit_free(&e);
	return r;
}
