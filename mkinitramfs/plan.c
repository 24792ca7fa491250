/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkinitramfs/msg.h"
#include "mkinitramfs/plan.h"

static void put_module(FILE *f, const struct modset_module *m)
{
	size_t i;

	fprintf(f, "module %s %s %s ", m->name, m->requested ? "r" : "-",
		m->dest);
	for (i = 0; i < m->ndeps; i++)
		fprintf(f, "%s%s", i ? "," : "", m->deps[i]);
	if (!m->ndeps)
		fputc('-', f);
	if (m->options)
		fprintf(f, " %s", m->options);
	fputc('\n', f);
}

struct alias_line {
	const char *alias, *name;
};

static int by_alias(const void *a, const void *b)
{
	const struct alias_line *x = a, *y = b;
	int c = strcmp(x->alias, y->alias);

	return c ? c : strcmp(x->name, y->name);
}

static void put_aliases(FILE *f, const struct modset *plan)
{
	struct alias_line *lines = NULL;
	size_t n = 0, i, j;

	for (i = 0; i < plan->n; i++) {
		const struct modset_module *m = &plan->mod[i];

		lines = realloc(lines, (n + m->nfs_aliases + 1) * sizeof(*lines));
		if (!lines) {
			mk_fail("out of memory");
			exit(1);
		}
		for (j = 0; j < m->nfs_aliases; j++)
			lines[n++] = (struct alias_line){ m->fs_aliases[j],
							  m->name };
	}
	if (n)
		qsort(lines, n, sizeof(*lines), by_alias);
	for (i = 0; i < n; i++)
		fprintf(f, "alias %s %s\n", lines[i].alias, lines[i].name);
	free(lines);
}

char *plan_format(const struct modset *plan, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	size_t i;

	if (!f) {
		mk_fail("out of memory");
		exit(1);
	}
	fprintf(f, "# ovroot load plan\nkernel %s\n", plan->kver);
	for (i = 0; i < plan->n; i++)
		put_module(f, &plan->mod[i]);
	put_aliases(f, plan);
	if (fclose(f)) {
		mk_fail("out of memory");
		exit(1);
	}
	return text;
}
