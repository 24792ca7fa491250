/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "command/cmd.h"
#include "command/promedit.h"
#include "lib/log.h"

/*
 * Only the promoted root can be confirmed by running it: a fallback boot
 * that calls mark-good must not make the root it fled from good.
 */
static int booted_is_root(const struct store *s, const struct promfile *pf)
{
	char booted[512], root[512];

	if (!s->have_booted) {
		say("mark-good: nothing booted from %s through ovroot: nothing to confirm", s->dir);
		return 0;
	}
	if (stack_equal(&s->booted.stack, &pf->root))
		return 1;
	stack_format(&s->booted.stack, booted, sizeof(booted));
	stack_format(&pf->root, root, sizeof(root));
	say("mark-good: the running stack %s (%s) is not the promoted %s: refused",
	    booted, s->booted.reason, root);
	return 0;
}

int cmd_mark_good(struct store *s, int argc, char **argv)
{
	struct promedit e;
	int r = 1;

	(void)argv;
	if (argc) {
		say("mark-good takes no arguments");
		return 2;
	}
	if (promedit_load(s, &e, false) < 0)
		return 1;
	if (booted_is_root(s, &e.pf) && e.pf.tries < 0 && stack_equal(&e.pf.good, &e.pf.root)) {
		r = 0;	/* nothing to write: the store stays untouched at every boot */
	} else if (booted_is_root(s, &e.pf) && stack_copy(&e.pf.good, &e.pf.root) == 0) {
		e.pf.tries = -1;
		r = promedit_save(s, &e) < 0;
	}
	if (!r) {
		char text[512];

		stack_format(&e.pf.good, text, sizeof(text));
		printf("marked good: %s\n", text);
	}
	promedit_free(&e);
	return r;
}
