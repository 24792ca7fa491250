/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "command/cmd.h"
#include "command/pins.h"
#include "command/promedit.h"
#include "command/store_mount.h"
#include "lib/log.h"

static int one_name(int argc, char **argv, const char *cmd)
{
	if (argc != 1) {
		say("%s takes one version name", cmd);
		return -1;
	}
	if (!version_name_valid(argv[0], strlen(argv[0]))) {
		say("%s: '%s' is not a version name", cmd, argv[0]);
		return -1;
	}
	return 0;
}

static int save(struct store *s, const struct pins *p)
{
	char err[320];
	int r;

	if (store_writable(s) < 0)
		return 1;
	r = pins_save(s->dirfd, p, err, sizeof(err));
	store_restore(s);
	if (r < 0)
		say("cannot write %s/%s: %s", s->dir, PINS_NAME, err);
	return r < 0;
}

/* The version must be there: a pin of a typo would protect nothing. */
int cmd_pin(struct store *s, int argc, char **argv)
{
	struct stack one = { 1, argv };
	struct pins p;
	int r;

	if (one_name(argc, argv, "pin") < 0)
		return 2;
	if (stack_check(s, &one) < 0 || pins_load(s->dirfd, &p) < 0)
		return 1;
	if (pins_has(&p, argv[0])) {
		printf("%s was pinned already\n", argv[0]);
		r = 0;
	} else {
		r = pins_add(&p, argv[0]) < 0 ? 1 : save(s, &p);
		if (!r)
			printf("pinned %s\n", argv[0]);
	}
	pins_free(&p);
	return r;
}

int cmd_unpin(struct store *s, int argc, char **argv)
{
	struct pins p;
	int r = 0;

	if (one_name(argc, argv, "unpin") < 0)
		return 2;
	if (pins_load(s->dirfd, &p) < 0)
		return 1;
	if (!pins_has(&p, argv[0])) {
		printf("%s was not pinned\n", argv[0]);
	} else {
		pins_remove(&p, argv[0]);
		r = save(s, &p);
		if (!r)
			printf("unpinned %s\n", argv[0]);
	}
	pins_free(&p);
	return r;
}
