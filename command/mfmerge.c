/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The view a stack of layers makes, computed from their manifests. */
#include <stdlib.h>
#include <string.h>

#include "command/mfmerge.h"

/* Sorted paths that hide what lies below them (whiteouts, files, opaque dirs). */
struct paths {
	char **v;
	size_t n, cap;
};

static int paths_add(struct paths *p, const char *s)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		char **v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n] = strdup(s);
	if (!p->v[p->n])
		return -1;
	p->n++;
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool paths_has(const struct paths *p, const char *s)
{
	return p->n && bsearch(&s, p->v, p->n, sizeof(p->v[0]), by_str);
}

static void paths_free(struct paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* path itself or a directory above it hides it. */
static bool hidden(const struct paths *x, const char *path)
{
	char buf[4096];

	if (strlen(path) >= sizeof(buf))
		return false;
	strcpy(buf, path);
	while (buf[0] && strcmp(buf, "/")) {
		if (paths_has(x, buf))
			return true;
		char *slash = strrchr(buf, '/');

		if (!slash || slash == buf)
			break;
		*slash = '\0';
	}
	return false;
}

static int copy_entry(const struct mf_entry *e, int layer, struct mf_entry *c)
{
	*c = *e;
	c->layer = layer;
	c->path = strdup(e->path);
	c->target = e->target ? strdup(e->target) : NULL;
	c->xattrs = mf_xattrs_without_overlay(e->xattrs);
	if (!c->path || (e->target && !c->target)) {
		mf_entry_free(c);
		return -1;
	}
	return 0;
}

/* One layer under what is above it: what it adds to the view and hides below. */
static int one_layer(const struct manifest *l, int j, const struct manifest *view,
		     const struct paths *x, struct manifest *add, struct paths *newx)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct mf_entry *e = &l->e[i];
		struct mf_entry c;

		if (hidden(x, e->path))
			continue;
		/*
		 * A non-directory, whiteout or opaque directory ends the lookup
		 * below it, even under a directory of a layer above (a merged
		 * directory goes down only while it finds directories).
		 */
		if ((e->type != 'd' || mf_is_opaque(e)) && paths_add(newx, e->path) < 0)
			return -1;
		if (mf_is_whiteout(e) || mf_find(view, e->path))
			continue;
		if (copy_entry(e, j, &c) < 0 || mf_add(add, &c) < 0)
			return -1;
	}
	return 0;
}

int mf_merge(const struct manifest *layer, size_t n, struct manifest *view)
{
	struct paths x = { 0 };
	int r = 0;

	memset(view, 0, sizeof(*view));
	for (size_t j = 0; j < n && !r; j++) {
		struct paths newx = { 0 };
		struct manifest add = { 0 };

		/* what this layer adds is looked up only by the layers below it */
		r = one_layer(&layer[j], (int)j, view, &x, &add, &newx);
		for (size_t i = 0; !r && i < add.n; i++)
			r = mf_add(view, &add.e[i]);
		if (!r)
			add.n = 0;
		mf_free(&add);
		mf_sort(view);
		for (size_t i = 0; !r && i < newx.n; i++)
			r = paths_add(&x, newx.v[i]);
		if (x.n)
			qsort(x.v, x.n, sizeof(x.v[0]), by_str);
		paths_free(&newx);
	}
	paths_free(&x);
	if (r < 0)
		mf_free(view);
	return r;
}

bool mf_under(const char *path, const char *dir)
{
	size_t l = strlen(dir);

	if (!strcmp(dir, "/"))
		return path[0] == '/' && path[1];
	return !strncmp(path, dir, l) && path[l] == '/';
}

size_t mf_first_under(const struct manifest *m, const char *dir)
{
	size_t lo = 0, hi = m->n;

	/* the first path greater than dir; those under it follow at once */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(m->e[mid].path, dir) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < m->n && !mf_under(m->e[lo].path, dir) && !strncmp(m->e[lo].path, dir,
									  strlen(dir)))
		lo++;	/* "/a-b" sorts between "/a" and "/a/b" */
	return lo < m->n && mf_under(m->e[lo].path, dir) ? lo : m->n;
}
