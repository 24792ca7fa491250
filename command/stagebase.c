/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Staging on a base stack: a full version whose unchanged files are hard
 * links to the base's, or a delta layer of what differs from its view.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "command/mfmerge.h"
#include "command/mftree.h"
#include "command/nofollow.h"
#include "command/promedit.h"
#include "command/stagebase.h"
#include "command/stagecheck.h"
#include "lib/file.h"
#include "lib/layers.h"
#include "lib/log.h"

/* A layer's manifest: its own, else (a directory made by hand) read from the disk. */
static int layer_manifest(struct store *s, const char *name, struct stage_base *b, size_t i)
{
	enum layer_kind kind;
	char err[1024];
	int r;

	b->fd[i] = -1;
	if (layer_find(s->dirfd, name, &kind) < 0)
		return -1;	/* stack_check said it */
	if (kind == LAYER_DIR) {
		b->fd[i] = layer_open(s->dirfd, name, LAYER_DIR, O_RDONLY | O_DIRECTORY);
		if (b->fd[i] < 0) {
			say("cannot open version %s: %s", name, strerror(-b->fd[i]));
			return -1;
		}
	}
	r = manifest_load(s, name, &b->layer[i]);
	if (r != -ENOENT)
		return r;
	if (kind != LAYER_DIR) {
		say("version %s is an image without a manifest: it cannot be a base", name);
		return -1;
	}
	if (mf_tree(b->fd[i], &b->layer[i], err, sizeof(err)) < 0) {
		say("version %s: %s", name, err);
		return -1;
	}
	return 0;
}

int stage_base_load(struct store *s, const char *stack, struct stage_base *b)
{
	char err[256];

	memset(b, 0, sizeof(*b));
	if (stack_parse(&b->stack, stack, strlen(stack), err, sizeof(err)) < 0) {
		say("%s", err);
		return -1;
	}
	if (stack_check(s, &b->stack) < 0)
		return -1;
	b->layer = calloc(b->stack.n, sizeof(*b->layer));
	b->fd = calloc(b->stack.n, sizeof(*b->fd));
	if (!b->layer || !b->fd)
		return -1;
	for (; b->n < b->stack.n; b->n++)
		if (layer_manifest(s, b->stack.layer[b->n], b, b->n) < 0) {
			b->n++;
			return -1;
		}
	if (mf_merge(b->layer, b->n, &b->view) < 0) {
		say("out of memory");
		return -1;
	}
	return 0;
}

void stage_base_free(struct stage_base *b)
{
	for (size_t i = 0; i < b->n; i++) {
		mf_free(&b->layer[i]);
		if (b->fd[i] >= 0)
			close(b->fd[i]);
	}
	free(b->layer);
	free(b->fd);
	mf_free(&b->view);
	stack_free(&b->stack);
	memset(b, 0, sizeof(*b));
}

/*
 * rel in the staging directory becomes a hard link to rel in layerfd: made
 * beside it, then renamed over it.  0, 1 when it stays a copy (a link
 * count at its limit, say), -1 on a failure that leaves it unknown.
 */
int link_from_layer(int layerfd, int stagefd, const char *rel)
{
	char dir[4096], tmp[300];
	const char *name = split_parent(rel, dir, sizeof(dir));
	int from = open_dirs_nofollow(layerfd, dir, false);
	int to = from < 0 ? -1 : open_dirs_nofollow(stagefd, dir, false);
	int r = 1;

	snprintf(tmp, sizeof(tmp), ".ovroot-link.%ld", (long)getpid());
	if (from >= 0 && to >= 0) {
		fault_point();
		if (linkat(from, name, to, tmp, 0) == 0) {
			fault_point();
			r = renameat(to, tmp, to, name) == 0 ? 0 : -1;
			if (r < 0)
				unlinkat(to, tmp, 0);
		}
	}
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	return r;
}

int stage_base_link(struct stage_base *b, int stagefd, const struct manifest *src,
		    const char *name)
{
	size_t linked = 0;

	for (size_t i = 0; i < src->n; i++) {
		const struct mf_entry *e = &src->e[i];
		const struct mf_entry *be = e->type == 'f' ? mf_find(&b->view, e->path) : NULL;
		int r;

		if (!be || !mf_same(e, be) || b->fd[be->layer] < 0)
			continue;
		r = link_from_layer(b->fd[be->layer], stagefd, e->path + 1);
		if (r < 0) {
			say("stage %s: cannot link %s to the base's: %s: nothing staged", name,
			    e->path, strerror(errno));
			return -1;
		}
		linked += r == 0;
	}
	printf("%zu files the same as in %s: hard links to them\n", linked,
	       b->stack.layer[0]);
	return 0;
}

/* What a delta keeps of the full tree, whiteouts and opaque directories. */
struct plan {
	bool *keep, *opaque;
	struct manifest wh;	/* whiteouts to make */
};

static ptrdiff_t index_of(const struct manifest *m, const char *path)
{
	const struct mf_entry *e = mf_find(m, path);

	return e ? e - m->e : -1;
}

/* A path becomes its parent ("/a/b" -> "/a", "/a" -> "/"), in place. */
static void to_parent(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash == path)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
}

static bool under_opaque(const struct manifest *src, const struct plan *p, const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	while (strcmp(buf, "/")) {
		ptrdiff_t i;

		to_parent(buf);
		i = index_of(src, buf);
		if (i >= 0 && p->opaque[i])
			return true;
	}
	return false;
}

/* A directory of the base nothing of which stays: the layer's is opaque. */
static bool replaced(const struct manifest *src, const struct manifest *view, const char *dir)
{
	size_t i = mf_first_under(view, dir);
	bool any = false;

	for (; i < view->n && mf_under(view->e[i].path, dir); i++) {
		const struct mf_entry *s = mf_find(src, view->e[i].path);

		if (s && mf_same(s, &view->e[i]))
			return false;
		any = true;
	}
	return any;
}

static void decide(const struct manifest *src, const struct manifest *view, struct plan *p)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct mf_entry *e = &src->e[i];
		const struct mf_entry *b = mf_find(view, e->path);

		if (!strcmp(e->path, "/") || under_opaque(src, p, e->path)) {
			p->keep[i] = true;
		} else if (e->type == 'd' && b && b->type == 'd') {
			p->opaque[i] = replaced(src, view, e->path);
			p->keep[i] = p->opaque[i] || !mf_same(e, b);
		} else {
			p->keep[i] = !b || !mf_same(e, b);
		}
	}
}

/* Every path of the view gone from the source gets a whiteout where its parent stays. */
static int whiteouts(const struct manifest *src, const struct manifest *view, struct plan *p)
{
	for (size_t i = 0; i < view->n; i++) {
		const char *path = view->e[i].path;
		struct mf_entry w = { .type = 'c' };
		char parent[4096];
		ptrdiff_t pi;

		if (!strcmp(path, "/") || mf_find(src, path))
			continue;
		snprintf(parent, sizeof(parent), "%s", path);
		to_parent(parent);
		pi = index_of(src, parent);
		if (pi < 0 || src->e[pi].type != 'd' || p->opaque[pi] ||
		    under_opaque(src, p, parent))
			continue;	/* gone with its parent, or hidden by it */
		w.path = strdup(path);
		if (!w.path || mf_add(&p->wh, &w) < 0)
			return -1;
	}
	return 0;
}

/* What is kept keeps the directories above it. */
static void keep_parents(const struct manifest *src, struct plan *p, const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	while (strcmp(buf, "/")) {
		ptrdiff_t i;

		to_parent(buf);
		i = index_of(src, buf);
		if (i < 0 || p->keep[i])
			return;	/* and all above it are kept already */
		p->keep[i] = true;
	}
}

/* The staging directory made to follow the plan: dropped, whiteouts, opaque marks. */
static int apply(int stagefd, const struct manifest *src, const struct plan *p,
		 const char *name)
{
	for (size_t i = src->n; i-- > 0;) {
		char dir[4096];
		const char *base;
		int fd, r;

		if (p->keep[i] && !p->opaque[i])
			continue;
		base = split_parent(src->e[i].path + 1, dir, sizeof(dir));
		fd = open_dirs_nofollow(stagefd, p->keep[i] ? src->e[i].path + 1 : dir, false);
		if (fd < 0) {
			say("stage %s: %s: %s", name, src->e[i].path, strerror(-fd));
			return -1;
		}
		fault_point();
		if (p->keep[i])
			r = fsetxattr(fd, OVERLAY_OPAQUE_XATTR, "y", 1, 0);
		else
			r = unlinkat(fd, base, src->e[i].type == 'd' ? AT_REMOVEDIR : 0);
		if (r < 0)
			say("stage %s: %s: %s", name, src->e[i].path, strerror(errno));
		close(fd);
		if (r < 0)
			return -1;
	}
	for (size_t i = 0; i < p->wh.n; i++) {
		char dir[4096];
		const char *base = split_parent(p->wh.e[i].path + 1, dir, sizeof(dir));
		int fd = open_dirs_nofollow(stagefd, dir, false), r;

		fault_point();
		r = fd < 0 ? -1 : mknodat(fd, base, S_IFCHR, makedev(0, 0));
		if (r < 0)
			say("stage %s: cannot make the whiteout %s: %s", name, p->wh.e[i].path,
			    strerror(fd < 0 ? -fd : errno));
		if (fd >= 0)
			close(fd);
		if (r < 0)
			return -1;
	}
	return 0;
}

int stage_base_reduce(struct stage_base *b, int stagefd, const struct manifest *src,
		      const char *name)
{
	struct plan p = { calloc(src->n + 1, 1), calloc(src->n + 1, 1), { 0 } };
	size_t kept = 0;
	int r = -1;

	if (p.keep && p.opaque) {
		decide(src, &b->view, &p);
		if (whiteouts(src, &b->view, &p) == 0) {
			for (size_t i = 0; i < src->n; i++)
				if (p.keep[i])
					keep_parents(src, &p, src->e[i].path);
			for (size_t i = 0; i < p.wh.n; i++)
				keep_parents(src, &p, p.wh.e[i].path);
			mf_sort(&p.wh);
			r = apply(stagefd, src, &p, name);
		}
	}
	for (size_t i = 0; r == 0 && i < src->n; i++)
		kept += p.keep[i];
	if (r == 0)
		printf("a layer over %s: %zu of %zu paths, %zu whiteouts\n", b->stack.layer[0],
		       kept, src->n, p.wh.n);
	free(p.keep);
	free(p.opaque);
	mf_free(&p.wh);
	return r;
}

/* The source as a view shows it: overlayfs' own xattrs are never seen. */
static int as_view(const struct manifest *src, struct manifest *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < src->n; i++) {
		struct mf_entry c = src->e[i];

		c.path = strdup(c.path);
		c.target = c.target ? strdup(c.target) : NULL;
		c.xattrs = mf_xattrs_without_overlay(c.xattrs);
		if (!c.path || mf_add(out, &c) < 0) {
			mf_entry_free(&c);
			return -1;
		}
	}
	mf_sort(out);
	return 0;
}

int stage_base_check(struct stage_base *b, const char *name, const struct manifest *src,
		     const struct manifest *got)
{
	struct manifest *layers = calloc(b->n + 1, sizeof(*layers)), view, want;
	int r = -1;

	if (!layers)
		return -1;
	layers[0] = *got;
	memcpy(layers + 1, b->layer, b->n * sizeof(*layers));
	if (mf_merge(layers, b->n + 1, &view) == 0) {
		if (as_view(src, &want) == 0)
			r = stage_check(name, &want, &view);
		mf_free(&want);
		mf_free(&view);
	}
	free(layers);
	return r;
}
