/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/inodeset.h"

static int push(struct inodeset *t, const struct stat *st)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		void *v = realloc(t->v, cap * sizeof(t->v[0]));

		if (!v)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n].ino = st->st_ino;
	t->v[t->n++].bytes = (unsigned long long)st->st_blocks * 512;
	return 0;
}

static void add_entries(struct inodeset *t, int fd, dev_t dev)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;

	if (!d) {
		close(fd);
		t->incomplete = true;
		return;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			inodeset_add(t, dirfd(d), de->d_name, dev);
	closedir(d);
}

/* Adds dirfd/name and, for a directory on dev, everything beneath it. */
int inodeset_add(struct inodeset *t, int dirfd, const char *name, dev_t dev)
{
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_dev != dev) {
		t->incomplete = true;
		return -1;
	}
	if (push(t, &st) < 0) {
		t->incomplete = true;
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return 0;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		t->incomplete = true;
		return -1;
	}
	add_entries(t, fd, dev);
	return 0;
}

static int by_ino(const void *a, const void *b)
{
	ino_t x = ((const struct tree_ino *)a)->ino, y = ((const struct tree_ino *)b)->ino;

	return x < y ? -1 : x > y;
}

/* Sorts for lookups, counts each inode once. */
void inodeset_finish(struct inodeset *t)
{
	size_t j = 0;

	qsort(t->v, t->n, sizeof(t->v[0]), by_ino);
	t->bytes = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (j && t->v[j - 1].ino == t->v[i].ino)
			continue;
		t->v[j++] = t->v[i];
		t->bytes += t->v[i].bytes;
	}
	t->n = j;
}

bool inodeset_has(const struct inodeset *t, ino_t ino)
{
	struct tree_ino key = { .ino = ino };

	return t->n && bsearch(&key, t->v, t->n, sizeof(t->v[0]), by_ino);
}

void inodeset_free(struct inodeset *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
