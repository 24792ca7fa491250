/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/items.h"
#include "lib/beneath.h"
#include "lib/layers.h"
#include "lib/log.h"
#include "lib/sys.h"

const char *item_kind_name(enum item_kind kind)
{
	static const char *const names[] = {
		[ITEM_DIR] = "dir", [ITEM_SQUASHFS] = "squashfs",
		[ITEM_EROFS] = "erofs", [ITEM_UPPER] = "upper", [ITEM_TRASH] = "trash",
		[ITEM_STAGING] = "left by an interrupted staging",
	};

	return names[kind];
}

/* The kind a versions/ entry is, from its name and type; -1: not a version. */
static int version_kind(const char *entry, const struct stat *st, char *name)
{
	static const struct { const char *suffix; enum item_kind kind; } img[] = {
		{ ".squashfs", ITEM_SQUASHFS }, { ".erofs", ITEM_EROFS },
	};
	size_t len = strlen(entry);

	if (S_ISDIR(st->st_mode) && version_name_valid(entry, len)) {
		strcpy(name, entry);
		return ITEM_DIR;
	}
	for (size_t i = 0; S_ISREG(st->st_mode) && i < 2; i++) {
		size_t sl = strlen(img[i].suffix);

		if (len > sl && !strcmp(entry + len - sl, img[i].suffix) &&
		    version_name_valid(entry, len - sl)) {
			snprintf(name, VERSION_NAME_MAX + 1, "%.*s", (int)(len - sl), entry);
			return (int)img[i].kind;
		}
	}
	return -1;
}

static struct item *add(struct items *it)
{
	struct item *v = realloc(it->v, (it->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	it->v = v;
	memset(&v[it->n], 0, sizeof(*v));
	return &v[it->n++];
}

static const enum item_kind layer_to_item[] = {
	[LAYER_DIR] = ITEM_DIR, [LAYER_SQUASHFS] = ITEM_SQUASHFS, [LAYER_EROFS] = ITEM_EROFS,
};

/*
 * An upper layer's work directory, work/NAME, measured with it.  A work
 * that is a symlink or another mount is never looked into: work_unsafe.
 */
static void measure_work(int ovroot_dirfd, struct item *v)
{
	int wfd = beneath_subdir(ovroot_dirfd, "work");
	struct stat st;

	if (wfd == -EXDEV)
		v->work_unsafe = true;
	if (wfd < 0)
		return;
	if (fstatat(wfd, v->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		inodeset_add(&v->tree, wfd, v->name, v->dev);
	close(wfd);
}

/*
 * Fills in size and identity; a directory's inodes, for the in-use checks.
 * subfd is the confined fd of versions/ or upper/, entry the name in it.
 */
static int measure(int ovroot_dirfd, int subfd, const char *entry, struct item *v,
		   const struct stat *st)
{
	enum layer_kind lk;
	struct stat top;

	v->dev = st->st_dev;
	v->ino = st->st_ino;
	if (v->kind == ITEM_SQUASHFS || v->kind == ITEM_EROFS) {
		v->bytes = (unsigned long long)st->st_size;
		v->shadowed = layer_find(ovroot_dirfd, v->name, &lk) < 0 ||
			      layer_to_item[lk] != v->kind;
		return 0;
	}
	/* Something mounted there: what it shows is not the store's, never walked. */
	if (fstat(ovroot_dirfd, &top) < 0 || st->st_dev != top.st_dev ||
	    sys_is_mount_root(subfd, entry)) {
		v->covered = true;
		return 0;
	}
	if (inodeset_add(&v->tree, subfd, entry, v->dev) == 0 && v->kind == ITEM_UPPER)
		measure_work(ovroot_dirfd, v);
	inodeset_finish(&v->tree);
	v->bytes = v->tree.bytes;
	return 0;
}

/* Each entry of ovroot/sub that is a version (or an upper layer). */
static int scan_dir(int ovroot_dirfd, const char *sub, struct items *it)
{
	int fd = beneath_subdir(ovroot_dirfd, sub);
	struct dirent *de;
	DIR *d;

	if (fd == -ENOENT)
		return 0;
	if (fd == -EXDEV) {
		say("%s is a symlink or another mount: refused, nothing in it is touched", sub);
		return -1;
	}
	if (fd < 0 || !(d = fdopendir(fd))) {
		say("cannot read %s: %s", sub, strerror(fd < 0 ? -fd : errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		char name[VERSION_NAME_MAX + 1];
		struct item *v;
		struct stat st;
		int kind;

		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		kind = version_kind(de->d_name, &st, name);
		if (*sub == 'v' && !strncmp(de->d_name, ".staging-", 9) &&
		    (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
			kind = ITEM_STAGING;
			name[0] = '\0';
		}
		if (kind < 0 || (*sub == 'u' && kind != ITEM_DIR))
			continue;
		v = add(it);
		if (!v) {
			closedir(d);
			return -1;
		}
		strcpy(v->name, name);
		v->kind = *sub == 'u' ? ITEM_UPPER : (enum item_kind)kind;
		snprintf(v->rel, sizeof(v->rel), "%s/%s", sub, de->d_name);
		measure(ovroot_dirfd, dirfd(d), de->d_name, v, &st);
	}
	closedir(d);
	return 0;
}

/* Every .trash-* directory (never a symlink) right in the ovroot directory. */
static int scan_trash(int ovroot_dirfd, struct items *it)
{
	int fd = dup(ovroot_dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;

	if (!d) {
		say("cannot read the store: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewinddir(d);	/* the dup shares the offset */
	while ((de = readdir(d))) {
		struct item *v;
		struct stat st;

		if (strncmp(de->d_name, ".trash-", 7) ||
		    fstatat(ovroot_dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		v = add(it);
		if (!v) {
			closedir(d);
			return -1;
		}
		v->kind = ITEM_TRASH;
		snprintf(v->rel, sizeof(v->rel), "%s", de->d_name);
		measure(ovroot_dirfd, ovroot_dirfd, de->d_name, v, &st);
	}
	closedir(d);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (!c)
		c = (int)x->kind - (int)y->kind;
	return c ? c : strcmp(x->rel, y->rel);
}

int items_scan(int ovroot_dirfd, struct items *it)
{
	memset(it, 0, sizeof(*it));
	if (scan_trash(ovroot_dirfd, it) < 0 ||
	    scan_dir(ovroot_dirfd, "versions", it) < 0 ||
	    scan_dir(ovroot_dirfd, "upper", it) < 0) {
		items_free(it);
		return -1;
	}
	if (it->n)
		qsort(it->v, it->n, sizeof(it->v[0]), by_name);
	return 0;
}

void items_free(struct items *it)
{
	for (size_t i = 0; i < it->n; i++)
		inodeset_free(&it->v[i].tree);
	free(it->v);
	memset(it, 0, sizeof(*it));
}

static bool item_holds(const struct item *v, dev_t dev, ino_t ino)
{
	if (dev != v->dev)
		return false;
	if (v->kind == ITEM_SQUASHFS || v->kind == ITEM_EROFS)
		return ino == v->ino;
	return inodeset_has(&v->tree, ino);
}

/* Records the first use seen of each item that holds dev:ino. */
void items_mark(struct items *it, dev_t dev, ino_t ino, const char *fmt, ...)
{
	for (size_t i = 0; i < it->n; i++) {
		va_list ap;

		if (it->v[i].used[0] || !item_holds(&it->v[i], dev, ino))
			continue;
		va_start(ap, fmt);
		vsnprintf(it->v[i].used, sizeof(it->v[i].used), fmt, ap);
		va_end(ap);
	}
}

int items_mark_path(struct items *it, const char *path, const char *fmt, ...)
{
	struct stat st;
	char why[256];
	va_list ap;

	if (stat(path, &st) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	items_mark(it, st.st_dev, st.st_ino, "%s", why);
	return 0;
}
