/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A staging compared with its source before it becomes a version. */
#include <stdio.h>

#include "command/stagecheck.h"
#include "lib/log.h"

struct ctx {
	const char *name;
	size_t n;
};

static void say_diff(void *p, const char *path, const char *what)
{
	struct ctx *c = p;

	if (c->n++ < 20)
		say("stage %s: %s: %s", c->name, path, what);
}

int stage_check(const char *name, const struct manifest *want, const struct manifest *got)
{
	struct ctx c = { name, 0 };

	if (mf_diff(want, got, say_diff, &c) == 0)
		return 0;
	say("stage %s: %zu paths differ from the source: nothing staged", name, c.n);
	return -1;
}
