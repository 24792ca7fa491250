/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/modplan.h"

#define PLAN_MODULES_MAX 4096

void modplan_free(struct modplan *p)
{
	free(p->mod);
	free(p->alias);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

/* Splits off the next space-separated field; the last one takes the rest. */
static char *field(char **s, bool rest)
{
	char *f = *s, *sp;

	if (!f)
		return NULL;
	sp = rest ? NULL : strchr(f, ' ');
	if (sp) {
		*sp = '\0';
		*s = sp + 1;
	} else {
		*s = NULL;
	}
	return f;
}

static bool names_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

static int find_module(const struct modplan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (names_equal(p->mod[i].name, name))
			return (int)i;
	return -1;
}

/*
 * Index of a module by name or alias ("-" and "_" alike), or -1.  An alias
 * names a module, never another alias: a loop of aliases must not recurse.
 */
int modplan_find(const struct modplan *p, const char *name)
{
	int i = find_module(p, name);

	if (i >= 0)
		return i;
	for (size_t a = 0; a < p->nalias; a++)
		if (names_equal(p->alias[a].alias, name))
			return find_module(p, p->alias[a].name);
	return -1;
}

/*
 * Filesystems are loaded when their type is known, loop with an image layer,
 * evdev when a key is watched: the rest of what was asked for at start.
 */
bool modplan_loads_at_start(const struct plan_module *m)
{
	return m->requested && !strstr(m->path, "/kernel/fs/") &&
	       !names_equal(m->name, "loop") && !names_equal(m->name, "evdev");
}

static int add_module(struct modplan *p, char *rest, unsigned no, char *err, size_t errlen)
{
	struct plan_module m = { 0 };
	const char *flag;

	m.name = field(&rest, false);
	flag = field(&rest, false);
	m.path = field(&rest, false);
	m.deps = field(&rest, false);
	m.opts = rest ? rest : "";
	if (!m.deps || !flag || (strcmp(flag, "r") && strcmp(flag, "-")) || m.path[0] != '/') {
		snprintf(err, errlen, "load plan line %u: not 'module NAME r|- PATH DEPS [OPTIONS]'", no);
		return -1;
	}
	if (strcmp(m.deps, "-") == 0)
		m.deps = "";
	m.requested = flag[0] == 'r';
	if (p->n == PLAN_MODULES_MAX) {
		snprintf(err, errlen, "load plan: more than %d modules", PLAN_MODULES_MAX);
		return -1;
	}
	p->mod[p->n++] = m;
	return 0;
}

static int add_alias(struct modplan *p, char *rest, unsigned no, char *err, size_t errlen)
{
	struct plan_alias a;

	a.alias = field(&rest, false);
	a.name = field(&rest, true);
	if (!a.name || strchr(a.name, ' ') || p->nalias == PLAN_MODULES_MAX) {
		snprintf(err, errlen, "load plan line %u: not 'alias ALIAS NAME'", no);
		return -1;
	}
	p->alias[p->nalias++] = a;
	return 0;
}

static int parse_line(struct modplan *p, char *line, unsigned no, char *err, size_t errlen)
{
	char *rest = line, *kind;

	if (line[0] == '#' || line[0] == '\0')
		return 0;
	kind = field(&rest, false);
	if (strcmp(kind, "module") == 0)
		return add_module(p, rest, no, err, errlen);
	if (strcmp(kind, "alias") == 0)
		return add_alias(p, rest, no, err, errlen);
	if (strcmp(kind, "kernel") == 0 && rest && !p->kver) {
		p->kver = rest;
		return 0;
	}
	snprintf(err, errlen, "load plan line %u: unknown record '%.20s'", no, kind);
	return -1;
}

/* Takes ownership of text (malloc'd, NUL-terminated) and points into it. */
int modplan_parse(struct modplan *p, char *text, char *err, size_t errlen)
{
	size_t lines = 1;
	unsigned no = 0;
	char *s = text;

	memset(p, 0, sizeof(*p));
	p->text = text;
	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	if (lines > PLAN_MODULES_MAX)
		lines = PLAN_MODULES_MAX;
	p->mod = calloc(lines, sizeof(*p->mod));
	p->alias = calloc(lines, sizeof(*p->alias));
	if (!p->mod || !p->alias) {
		snprintf(err, errlen, "load plan: out of memory");
		modplan_free(p);
		return -1;
	}
	while (s) {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl = '\0';
		if (parse_line(p, s, ++no, err, errlen) < 0) {
			modplan_free(p);
			return -1;
		}
		s = nl ? nl + 1 : NULL;
	}
	return 0;
}
