/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "command/cmd.h"
#include "command/format.h"
#include "command/images.h"
#include "command/inuse.h"
#include "command/refs.h"
#include "lib/log.h"

static bool has_upper(const struct items *it, const char *name)
{
	for (size_t i = 0; i < it->n; i++)
		if (it->v[i].kind == ITEM_UPPER && !strcmp(it->v[i].name, name))
			return true;
	return false;
}

/* The name column fits the longest name (up to 64), at least 24 wide. */
static int name_width(const struct items *it)
{
	size_t w = 24;

	for (size_t i = 0; i < it->n; i++)
		if (strlen(it->v[i].name) > w)
			w = strlen(it->v[i].name);
	return (int)w;
}

/* What the rows collect: the images a layer is part of. */
struct row {
	char *buf;
	size_t len, n;		/* text: the buffer, its length, what is used */
	size_t images;
	bool json;
};

static void add_image(void *ctx, const char *image)
{
	struct row *w = ctx;

	if (w->json) {
		fputs(w->images ? "," : "", stdout);
		json_str(stdout, image);
	} else if (w->n < w->len) {
		w->n += (size_t)snprintf(w->buf + w->n, w->len - w->n, "%s%s",
					 w->images ? ", " : w->n ? "; images " : "images ", image);
	}
	w->images++;
}

static void text_row(int dirfd, const struct items *it, const struct item *v,
		     const struct refs *r)
{
	char refs[128], size[16], use[512];
	size_t n;

	refs_describe(refs_of(r, v->name), refs, sizeof(refs));
	n = (size_t)snprintf(use, sizeof(use), "%s", refs);
	if (v->kind != ITEM_UPPER) {
		struct row w = { use, sizeof(use), n, 0, false };

		images_holding(dirfd, v->name, add_image, &w);
		n = w.n < sizeof(use) ? w.n : sizeof(use) - 1;
	}
	if (v->used[0])
		n += (size_t)snprintf(use + n, sizeof(use) - n, "%s%s", n ? "; " : "", v->used);
	if (v->kind != ITEM_UPPER && has_upper(it, v->name))
		n += (size_t)snprintf(use + n, sizeof(use) - n, "%supper/%s", n ? "; " : "",
				      v->name);
	if (v->shadowed)
		snprintf(use + n, sizeof(use) - n, "%sshadowed by another of its name",
			 n ? "; " : "");
	size_human(v->bytes, size, sizeof(size));
	printf("%-*s %-8s %8s  %s\n", name_width(it), v->name, item_kind_name(v->kind), size,
	       use);
}

static void json_row(int dirfd, const struct items *it, const struct item *v,
		     const struct refs *r)
{
	struct row w = { NULL, 0, 0, 0, true };

	static const char *const names[] = {
		"root", "fallback", "good", "boot.bak", "booted", "pinned",
	};
	unsigned bits = refs_of(r, v->name);
	bool first = true;

	fputs("{\"name\":", stdout);
	json_str(stdout, v->name);
	printf(",\"kind\":\"%s\",\"path\":", item_kind_name(v->kind));
	json_str(stdout, v->rel);
	printf(",\"bytes\":%llu,\"refs\":[", v->bytes);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(bits & (1u << i)))
			continue;
		printf("%s\"%s\"", first ? "" : ",", names[i]);
		first = false;
	}
	fputs("],\"used\":", stdout);
	if (v->used[0])
		json_str(stdout, v->used);
	else
		fputs("null", stdout);
	fputs(",\"images\":[", stdout);
	if (v->kind != ITEM_UPPER)
		images_holding(dirfd, v->name, add_image, &w);
	printf("],\"upper\":%s,\"shadowed\":%s}",
	       v->kind != ITEM_UPPER && has_upper(it, v->name) ? "true" : "false",
	       v->shadowed ? "true" : "false");
}

int cmd_list(struct store *s, int argc, char **argv)
{
	struct items it;
	struct refs r;
	bool json;

	if (json_flag(argc, argv, "list", &json) < 0)
		return 2;
	if (items_scan(s->dirfd, &it) < 0)
		return 1;
	refs_load(&r, s);
	inuse_mounts(&it, s->dir, store_record(s));
	inuse_loops(&it);
	inuse_unseen(&it);
	if (!json)
		printf("%-*s %-8s %8s  %s\n", name_width(&it), "NAME", "KIND", "SIZE",
		       "REFERRED TO BY, USED BY");
	else
		putchar('[');
	for (size_t i = 0, shown = 0; i < it.n; i++) {
		if (it.v[i].kind == ITEM_TRASH || it.v[i].kind == ITEM_STAGING)
			continue;	/* no version: leftovers */
		if (json) {
			fputs(shown++ ? "," : "", stdout);
			json_row(s->dirfd, &it, &it.v[i], &r);
		} else {
			text_row(s->dirfd, &it, &it.v[i], &r);
		}
	}
	if (json)
		puts("]");
	refs_free(&r);
	items_free(&it);
	return 0;
}
