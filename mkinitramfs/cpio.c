/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entry set of an image.  Entries are indexed by their normalised path
 * so that a path is added once, and every parent directory exists: a
 * directory the caller never named is added with mode 0755.
 */
#include <errno.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkinitramfs/cpio.h"
#include "mkinitramfs/msg.h"
#include "mkinitramfs/xalloc.h"

static int by_path(const void *a, const void *b)
{
	const struct cpio_entry *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static int by_path_ptr(const void *a, const void *b)
{
	return by_path(*(const struct cpio_entry *const *)a,
		       *(const struct cpio_entry *const *)b);
}

void cpio_init(struct cpio_image *img)
{
	memset(img, 0, sizeof(*img));
}

static void no_free(void *p)
{
	(void)p;
}

void cpio_free(struct cpio_image *img)
{
	size_t i;

	tdestroy(img->index, no_free);
	for (i = 0; i < img->n; i++) {
		free(img->ent[i]->path);
		free(img->ent[i]->data);
		free(img->ent[i]->src);
		free(img->ent[i]);
	}
	free(img->ent);
	cpio_init(img);
}

char *cpio_norm_path(const char *path)
{
	char *out = xmalloc(strlen(path) + 1), *o = out;
	const char *p = path;

	for (;;) {
		const char *end;
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		len = (size_t)(end - p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			free(out);
			return NULL;
		}
		if (!(len == 1 && p[0] == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, p, len);
			o += len;
		}
		p = end;
	}
	*o = '\0';
	if (o == out) {
		free(out);
		return NULL;
	}
	return out;
}

static struct cpio_entry *lookup(struct cpio_image *img, const char *path)
{
	struct cpio_entry key = { .path = (char *)path };
	void **found = tfind(&key, &img->index, by_path);

	return found ? *found : NULL;
}

static void insert(struct cpio_image *img, struct cpio_entry *e)
{
	xgrow(&img->ent, &img->cap, img->n, sizeof(*img->ent));
	img->ent[img->n++] = e;
	if (!tsearch(e, &img->index, by_path)) {
		mk_fail("out of memory");
		exit(1);
	}
}

static int add_parents(struct cpio_image *img, char *path)
{
	char *slash;

	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		struct cpio_entry *e;

		*slash = '\0';
		e = lookup(img, path);
		if (!e) {
			e = xcalloc(1, sizeof(*e));
			e->path = xstrdup(path);
			e->mode = S_IFDIR | 0755;
			e->implicit = 1;
			insert(img, e);
		}
		*slash = '/';
		if (!S_ISDIR(e->mode)) {
			errno = ENOTDIR;
			return -1;
		}
	}
	return 0;
}

/* Adds a copy of *tmpl at path; tmpl->data belongs to the image from now. */
static int add_entry(struct cpio_image *img, const char *path,
		     const struct cpio_entry *tmpl, const char *src)
{
	struct cpio_entry *e;
	char *norm = cpio_norm_path(path);
	int err = EINVAL;

	if (!norm)
		goto fail;
	e = lookup(img, norm);
	if (e && S_ISDIR(e->mode) && S_ISDIR(tmpl->mode)) {
		e->mode = tmpl->mode;
		e->implicit = 0;
		free(norm);
		return 0;
	}
	err = e ? EEXIST : ENOTDIR;
	if (e || add_parents(img, norm))
		goto fail;
	e = xmalloc(sizeof(*e));
	*e = *tmpl;
	e->path = norm;
	e->src = src ? xstrdup(src) : NULL;
	insert(img, e);
	return 0;
fail:
	free(norm);
	free(tmpl->data);
	errno = err;
	return -1;
}

int cpio_add_link_member(struct cpio_image *img, const char *path,
			 mode_t perm, unsigned char *data, size_t size,
			 const char *src, unsigned int group)
{
	struct cpio_entry e = {
		.mode = S_IFREG | (perm & 07777),
		.data = data,
		.size = size,
		.link_group = group,
	};

	return add_entry(img, path, &e, src);
}

int cpio_add_file(struct cpio_image *img, const char *path, mode_t perm,
		  unsigned char *data, size_t size, const char *src)
{
	return cpio_add_link_member(img, path, perm, data, size, src, 0);
}

unsigned int cpio_new_link_group(struct cpio_image *img)
{
	return ++img->link_groups;
}

int cpio_add_dir(struct cpio_image *img, const char *path, mode_t perm)
{
	struct cpio_entry e = { .mode = S_IFDIR | (perm & 07777) };

	return add_entry(img, path, &e, NULL);
}

int cpio_add_symlink(struct cpio_image *img, const char *path,
		     const char *target)
{
	struct cpio_entry e = {
		.mode = S_IFLNK | 0777,
		.data = (unsigned char *)xstrdup(target),
		.size = strlen(target),
	};

	return add_entry(img, path, &e, NULL);
}

int cpio_add_node(struct cpio_image *img, const char *path, mode_t type,
		  mode_t perm, unsigned int major, unsigned int minor)
{
	struct cpio_entry e = {
		.mode = (type & S_IFMT) | (perm & 07777),
		.rdev_major = major,
		.rdev_minor = minor,
	};

	return add_entry(img, path, &e, NULL);
}

static struct cpio_entry *parent_of(struct cpio_image *img,
				    struct cpio_entry *e)
{
	char *slash = strrchr(e->path, '/');
	struct cpio_entry *parent;

	if (!slash)
		return NULL;
	*slash = '\0';
	parent = lookup(img, e->path);
	*slash = '/';
	return parent;
}

static void count_links(struct cpio_image *img, uint32_t *group_size)
{
	size_t i;

	for (i = 0; i < img->n; i++)
		img->ent[i]->nlink = S_ISDIR(img->ent[i]->mode) ? 2 : 1;
	for (i = 0; i < img->n; i++) {
		struct cpio_entry *e = img->ent[i], *parent;

		parent = S_ISDIR(e->mode) ? parent_of(img, e) : NULL;
		if (parent)
			parent->nlink++;
		if (e->link_group)
			group_size[e->link_group]++;
	}
}

void cpio_finish(struct cpio_image *img)
{
	uint32_t *group_size = xcalloc(img->link_groups + 1, sizeof(uint32_t));
	uint32_t *group_ino = xcalloc(img->link_groups + 1, sizeof(uint32_t));
	uint32_t next = 1;
	size_t i;

	if (img->n)
		qsort(img->ent, img->n, sizeof(*img->ent), by_path_ptr);
	count_links(img, group_size);
	for (i = 0; i < img->n; i++) {
		struct cpio_entry *e = img->ent[i];

		if (!e->link_group) {
			e->ino = next++;
			continue;
		}
		if (!group_ino[e->link_group])
			group_ino[e->link_group] = next++;
		e->ino = group_ino[e->link_group];
		e->nlink = group_size[e->link_group];
	}
	free(group_size);
	free(group_ino);
}
