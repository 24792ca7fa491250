/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/cmd.h"
#include "command/promedit.h"
#include "command/shadow.h"
#include "lib/log.h"

struct promote_args {
	const char *stack;
	int tries;		/* -1: confirmed */
	int upper;		/* -1: unchanged */
};

static int parse_tries(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '0' || *s > '9' || *end || v < 1 || v > TRIES_MAX) {
		say("promote: --tries must be a number 1-%d, not '%s'", TRIES_MAX, s);
		return -1;
	}
	return (int)v;
}

static int parse_args(int argc, char **argv, struct promote_args *a)
{
	a->stack = NULL;
	a->tries = -1;
	a->upper = -1;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--tries") && i + 1 < argc) {
			a->tries = parse_tries(argv[++i]);
			if (a->tries < 0)
				return -1;
		} else if (!strcmp(argv[i], "--upper") && i + 1 < argc) {
			a->upper = upper_mode_parse(argv[i + 1], strlen(argv[i + 1]));
			if (a->upper < 0) {
				say("promote: --upper must be tmpfs, persist or none, not '%s'",
				    argv[i + 1]);
				return -1;
			}
			i++;
		} else if (argv[i][0] != '-' && !a->stack) {
			a->stack = argv[i];
		} else {
			say("promote: unexpected '%s' (ovroot --help)", argv[i]);
			return -1;
		}
	}
	if (!a->stack)
		say("promote: which stack? e.g. ovroot promote v3+v2 --tries 3");
	return a->stack ? 0 : -1;
}

int cmd_promote(struct store *s, int argc, char **argv)
{
	struct promote_args a;
	struct promedit e;
	struct stack root;
	char err[256];
	int r = 1;

	if (parse_args(argc, argv, &a) < 0)
		return 2;
	if (stack_parse(&root, a.stack, strlen(a.stack), err, sizeof(err)) < 0) {
		say("promote: %s", err);
		return 1;
	}
	if (stack_check(s, &root) < 0 || promedit_load(s, &e, true) < 0) {
		stack_free(&root);
		return 1;
	}
	warn_shadowed_links(s, &root);
	if (promfile_promote(&e.pf, &root, a.tries) == 0) {
		if (a.upper >= 0)
			e.pf.upper = a.upper;
		r = promedit_save(s, &e) < 0;
	}
	if (!r)
		printf("promoted %s%s\n", a.stack, a.tries < 0 ? "" : " (unconfirmed)");
	promedit_free(&e);
	stack_free(&root);
	return r;
}
