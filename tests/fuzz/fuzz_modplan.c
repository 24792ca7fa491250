// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module load plan the init reads (init/modplan.c).  The input is the
 * plan, then after a NUL byte a name to look up.  Every module and alias of
 * a plan that parses is found, and a lookup always ends.
 */
#include "init/modplan.h"
#include "tests/fuzz/fuzz.h"

static void check_plan(const struct modplan *p, const char *name)
{
	int r;

	for (size_t i = 0; i < p->n; i++) {
		const struct plan_module *m = &p->mod[i];

		CHECK(m->name && m->path && m->deps && m->opts);
		CHECK(m->path[0] == '/');
		r = modplan_find(p, m->name);
		CHECK(r >= 0 && (size_t)r <= i);
		modplan_loads_at_start(m);
	}
	for (size_t i = 0; i < p->nalias; i++) {
		CHECK(p->alias[i].alias && p->alias[i].name);
		r = modplan_find(p, p->alias[i].alias);
		CHECK(r >= -1 && r < (int)p->n);
	}
	r = modplan_find(p, name);
	CHECK(r >= -1 && r < (int)p->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	char *text = fuzz_strdup(data, plen), err[256];
	char *name = nul ? fuzz_strdup(nul + 1, size - plen - 1) : fuzz_strdup(data, 0);
	struct modplan p;

	if (modplan_parse(&p, text, err, sizeof(err)) < 0) {
		CHECK_STR(err);
		CHECK(p.text == NULL && p.mod == NULL && p.n == 0);
	} else {
		check_plan(&p, name);
		modplan_free(&p);
	}
	free(name);
	return 0;
}
