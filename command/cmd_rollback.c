/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "command/cmd.h"
#include "command/promedit.h"
#include "lib/log.h"
#include "selector/policy.h"

/*
 * What a held key would boot, made the root for good: root := the fallback
 * (as the init computes it), tries cleared.  Nothing keeps naming the stack
 * rolled away from: when good= named it, good becomes the new root (the
 * last safe stack); the fallback becomes good when that is another stack,
 * else is dropped.
 */
static int roll_back(struct promfile *pf)
{
	struct stack fb = policy_fallback(pf), root = { 0, NULL };

	if (stack_copy(&root, &fb) < 0)
		return -1;
	if (stack_equal(&pf->good, &pf->root) && stack_copy(&pf->good, &root) < 0) {
		stack_free(&root);
		return -1;
	}
	stack_free(&pf->root);
	pf->root = root;
	stack_free(&pf->fallback);
	if (pf->good.n && !stack_equal(&pf->good, &pf->root) &&
	    stack_copy(&pf->fallback, &pf->good) < 0)
		return -1;
	pf->tries = -1;
	return 0;
}

int cmd_rollback(struct store *s, int argc, char **argv)
{
	struct promedit e;
	struct stack fb;
	int r = 1;

	(void)argv;
	if (argc) {
		say("rollback takes no arguments");
		return 2;
	}
	if (promedit_load(s, &e, false) < 0)
		return 1;
	fb = policy_fallback(&e.pf);
	if (fb.n == 0 || stack_equal(&fb, &e.pf.root))
		say("rollback: no fallback to roll back to (%s)", fb.n ? "the fallback is the root" :
		    "root is a single version, no fallback=, no good=");
	else if (stack_check(s, &fb) == 0 && roll_back(&e.pf) == 0)
		r = promedit_save(s, &e) < 0;
	if (!r) {
		char text[512];

		stack_format(&e.pf.root, text, sizeof(text));
		printf("rolled back: the next boot uses %s\n", text);
	}
	promedit_free(&e);
	return r;
}
