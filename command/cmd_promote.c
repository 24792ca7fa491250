/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/cmd.h"
#include "command/images.h"
#include "command/promedit.h"
#include "command/shadow.h"
#include "command/verify.h"
#include "lib/log.h"

struct promote_args {
	const char *stack;
	int tries;		/* -1: confirmed */
	int upper;		/* -1: unchanged */
	bool verify;		/* each layer against its manifest */
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
	a->verify = true;
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
		} else if (!strcmp(argv[i], "--no-verify")) {
			a->verify = false;
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

static void print_promoted(const char *given, const struct stack *root, bool unconfirmed)
{
	size_t len = stack_format(root, NULL, 0);
	char *text = malloc(len + 1);

	if (text)
		stack_format(root, text, len + 1);
	if (text && strcmp(text, given))
		printf("promoted %s (%s)%s\n", given, text, unconfirmed ? " (unconfirmed)" : "");
	else
		printf("promoted %s%s\n", given, unconfirmed ? " (unconfirmed)" : "");
	free(text);
}

/* A stack whose layers differ from their manifests never boots. */
static int promote_verify(struct store *s, const struct stack *root, const char *text)
{
	int r = verify_stack(s, root, false);

	if (r == 0)
		return 0;
	if (r > 0)
		say("promote: %s differs from its manifest: refused, nothing written (ovroot verify %s; --no-verify skips)",
		    text, text);
	return -1;
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
	/* An OCI image's name (ovroot stage --from oci:) stands for its layers. */
	if (images_expand(s, &root) < 0 || stack_check(s, &root) < 0 ||
	    (a.verify && promote_verify(s, &root, a.stack) < 0) ||
	    promedit_load(s, &e, true) < 0) {
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
		print_promoted(a.stack, &root, a.tries >= 0);
	promedit_free(&e);
	stack_free(&root);
	return r;
}
