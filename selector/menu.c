/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selector/menu.h"
#include "selector/policy.h"

const char *menu_what_name(enum menu_what w)
{
	static const char *const names[] = {
		[MENU_PROMOTED] = "promoted", [MENU_STRIPPED] = "stripped",
		[MENU_FALLBACK] = "fallback", [MENU_GOOD] = "good", [MENU_VERSION] = "version",
	};

	return names[w];
}

static bool listed(const struct menu *m, const struct stack *st)
{
	for (size_t i = 0; i < m->n; i++)
		if (stack_equal(&m->v[i].stack, st))
			return true;
	return false;
}

/* Greyed with the first unusable layer's reason, else the top layer's kind. */
static void describe(const struct menu_input *in, struct menu_entry *e)
{
	const char *why = NULL, *kind = NULL;

	e->usable = true;
	for (size_t i = 0; i < e->stack.n && e->usable; i++) {
		const char *k = in->kind(in->ctx, e->stack.layer[i], &why);

		if (!k) {
			e->usable = false;
			snprintf(e->info, sizeof(e->info), "%s %s", e->stack.layer[i],
				 why ? why : "unusable");
		}
		if (i == 0)
			kind = k;
	}
	if (e->usable)
		snprintf(e->info, sizeof(e->info), "%s", kind ? kind : "");
}

static int add(struct menu *m, const struct menu_input *in, enum menu_what what,
	       const struct stack *st)
{
	struct menu_entry *v;

	if (st->n == 0 || listed(m, st))
		return 0;
	v = realloc(m->v, (m->n + 1) * sizeof(*v));
	if (!v)
		return -1;
	m->v = v;
	v = &m->v[m->n];
	memset(v, 0, sizeof(*v));
	if (stack_copy(&v->stack, st) < 0)
		return -1;
	v->what = what;
	m->n++;
	describe(in, v);
	return 0;
}

/* The promoted stack, then each stack with one more top layer stripped. */
static int add_root(struct menu *m, const struct menu_input *in)
{
	const struct promfile *f = in->file;
	struct stack st = f->root;
	size_t at = m->n;
	int r = add(m, in, MENU_PROMOTED, &st);

	if (r == 0 && m->n > at && f->tries >= 0) {
		size_t len = strlen(m->v[at].info);

		snprintf(m->v[at].info + len, sizeof(m->v[at].info) - len,
			 ", %d tries left", f->tries);
	}
	while (r == 0 && st.n > 1) {
		st = stack_without_top(&st);
		r = add(m, in, MENU_STRIPPED, &st);
	}
	return r;
}

static int add_versions(struct menu *m, const struct menu_input *in)
{
	for (size_t i = 0; i < in->nversions; i++) {
		char *name = (char *)in->versions[i];
		struct stack one = { 1, &name };

		if (add(m, in, MENU_VERSION, &one) < 0)
			return -1;
	}
	return 0;
}

/* The first usable entry of what the policy would boot without the menu. */
static size_t first_usable(const struct menu *m)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->v[i].usable)
			return i;
	return 0;
}

int menu_build(struct menu *m, const struct menu_input *in)
{
	struct stack fb;
	int r = 0;

	memset(m, 0, sizeof(*m));
	if (in->file) {
		fb = policy_fallback(in->file);
		r = add_root(m, in);
		if (r == 0)
			r = add(m, in, MENU_FALLBACK, &fb);
		if (r == 0)
			r = add(m, in, MENU_GOOD, &in->file->good);
	}
	if (r == 0)
		r = add_versions(m, in);
	if (r < 0) {
		menu_free(m);
		return -1;
	}
	m->first = first_usable(m);
	return 0;
}

void menu_free(struct menu *m)
{
	for (size_t i = 0; i < m->n; i++)
		stack_free(&m->v[i].stack);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

size_t menu_step(const struct menu *m, size_t cur, int dir)
{
	for (size_t i = cur; ; ) {
		if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= m->n))
			return cur;
		i = dir < 0 ? i - 1 : i + 1;
		if (m->v[i].usable)
			return i;
	}
}

int menu_make_default(struct promfile *pf, const struct stack *st)
{
	if (stack_equal(&pf->root, st) && pf->tries < 0)
		return 0;
	return promfile_promote(pf, st, -1);
}
