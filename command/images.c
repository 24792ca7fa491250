/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The records of staged OCI images: ovroot/images/NAME holds a stack. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/images.h"
#include "lib/beneath.h"
#include "lib/file.h"
#include "lib/layers.h"
#include "lib/log.h"

/* 500 layers of 64 characters and their '+'. */
#define IMAGE_MAX (STACK_LAYERS_MAX * (VERSION_NAME_MAX + 1) + 2)

int image_read(int ovroot_dirfd, const char *name, struct stack *st, char *err, size_t errlen)
{
	int fd = beneath_subdir(ovroot_dirfd, IMAGES_DIR), r;
	char *text = NULL;
	size_t len;

	st->n = 0;
	st->layer = NULL;
	if (fd == -ENOENT)
		return 1;
	r = fd < 0 ? fd : read_small_file(fd, name, IMAGE_MAX, &text, &len);
	if (fd >= 0)
		close(fd);
	if (r == -ENOENT)
		return 1;
	if (r < 0) {
		snprintf(err, errlen, "%s/%s: %s", IMAGES_DIR, name, strerror(-r));
		return -1;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	r = stack_parse(st, text, len, err, errlen);
	free(text);
	return r;
}

bool image_exists(int ovroot_dirfd, const char *name)
{
	int fd = beneath_subdir(ovroot_dirfd, IMAGES_DIR);
	struct stat st;
	bool there;

	if (fd < 0)
		return fd != -ENOENT;	/* an images/ that cannot be opened: assume taken */
	there = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT;
	close(fd);
	return there;
}

static int images_dir(int ovroot_dirfd, char *err, size_t errlen)
{
	int fd;

	if (mkdirat(ovroot_dirfd, IMAGES_DIR, 0755) == 0) {
		if (fsync(ovroot_dirfd) < 0) {
			snprintf(err, errlen, "%s: %s", IMAGES_DIR, strerror(errno));
			return -1;
		}
	} else if (errno != EEXIST) {
		snprintf(err, errlen, "cannot make %s/: %s", IMAGES_DIR, strerror(errno));
		return -1;
	}
	fd = beneath_subdir(ovroot_dirfd, IMAGES_DIR);
	if (fd < 0)
		snprintf(err, errlen, "%s/: %s", IMAGES_DIR,
			 fd == -EXDEV ? "a symlink or another mount" : strerror(-fd));
	return fd;
}

int image_write(int ovroot_dirfd, const char *name, const struct stack *st, char *err,
		size_t errlen)
{
	size_t len = stack_format(st, NULL, 0);
	char *text = malloc(len + 2);
	int fd = text ? images_dir(ovroot_dirfd, err, errlen) : -1, r = -1;

	if (!text)
		snprintf(err, errlen, "out of memory");
	if (fd >= 0) {
		stack_format(st, text, len + 1);
		text[len] = '\n';
		r = atomic_write(fd, name, text, len + 1, err, errlen);
		close(fd);
	}
	free(text);
	return r;
}

/* Appends "+" and text to buf (grown), the stack's text being built. */
static int append(char **buf, size_t *used, const char *text)
{
	size_t l = strlen(text);
	char *b = realloc(*buf, *used + l + 2);

	if (!b)
		return -1;
	*buf = b;
	*used += (size_t)sprintf(b + *used, "%s%s", *used ? "+" : "", text);
	return 0;
}

/* A layer that is no version, ovroot/images/NAME gives: its stack's text. */
static int expand_one(const struct store *s, const char *name, char **buf, size_t *used)
{
	struct stack img;
	char err[320];
	int r;

	if (layer_find(s->dirfd, name, NULL) != -ENOENT)
		return append(buf, used, name);
	r = image_read(s->dirfd, name, &img, err, sizeof(err));
	if (r == 1)
		return append(buf, used, name);	/* stack_check says it is missing */
	if (r < 0) {
		say("image %s: %s", name, err);
		return -1;
	}
	for (size_t i = 0; r == 0 && i < img.n; i++)
		r = append(buf, used, img.layer[i]);
	stack_free(&img);
	return r;
}

int images_expand(const struct store *s, struct stack *st)
{
	char *buf = NULL, err[256];
	size_t used = 0;
	struct stack out;
	int r = 0;

	for (size_t i = 0; r == 0 && i < st->n; i++)
		r = expand_one(s, st->layer[i], &buf, &used);
	if (r == 0 && stack_parse(&out, buf ? buf : "", used, err, sizeof(err)) < 0) {
		say("%s", err);
		r = -1;
	}
	free(buf);
	if (r < 0)
		return -1;
	stack_free(st);
	*st = out;
	return 0;
}

/* "" when every layer of the record is named by what boots or pinned, else why not. */
static const char *unused(int dirfd, const char *name, const struct refs *r)
{
	static char why[VERSION_NAME_MAX + 64];
	struct stack st;
	char err[320];

	if (image_read(dirfd, name, &st, err, sizeof(err)) != 0)
		return "its record cannot be read";
	why[0] = '\0';
	for (size_t i = 0; !why[0] && i < st.n; i++)
		if (!refs_of(r, st.layer[i]))
			snprintf(why, sizeof(why), "its layer %s is not used", st.layer[i]);
	stack_free(&st);
	return why;
}

static int dir_fd(DIR *d)
{
	return dirfd(d);
}

static int sweep(int ovroot_dirfd, const struct refs *r, bool dry, bool quiet, size_t *gone)
{
	int fd = beneath_subdir(ovroot_dirfd, IMAGES_DIR), failed = 0;
	struct dirent *e;
	DIR *d;

	*gone = 0;
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while ((e = readdir(d))) {
		const char *why;

		if (!version_name_valid(e->d_name, strlen(e->d_name)))
			continue;
		why = unused(ovroot_dirfd, e->d_name, r);
		if (!why[0]) {
			if (!quiet)
				printf("kept %s/%s (image): every layer is used\n", IMAGES_DIR, e->d_name);
			continue;
		}
		++*gone;
		if (quiet)
			continue;
		if (dry) {
			printf("would remove %s/%s (image): %s\n", IMAGES_DIR, e->d_name, why);
		} else if (unlinkat(dir_fd(d), e->d_name, 0) == 0) {
			printf("removed %s/%s (image): %s\n", IMAGES_DIR, e->d_name, why);
		} else {
			say("gc: cannot remove %s/%s: %s", IMAGES_DIR, e->d_name, strerror(errno));
			failed++;
		}
	}
	if (!dry && !quiet && *gone && fsync(dir_fd(d)) < 0)
		failed++;
	closedir(d);
	return failed;
}

static bool holds(int dirfd, const char *image, const char *layer)
{
	struct stack st;
	char err[320];
	bool found = false;

	if (image_read(dirfd, image, &st, err, sizeof(err)) != 0)
		return false;
	for (size_t i = 0; !found && i < st.n; i++)
		found = !strcmp(st.layer[i], layer);
	stack_free(&st);
	return found;
}

void images_holding(int ovroot_dirfd, const char *layer,
		    void (*fn)(void *ctx, const char *image), void *ctx)
{
	int fd = beneath_subdir(ovroot_dirfd, IMAGES_DIR);
	struct dirent *e;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (version_name_valid(e->d_name, strlen(e->d_name)) &&
		    holds(ovroot_dirfd, e->d_name, layer))
			fn(ctx, e->d_name);
	closedir(d);
}

int images_gc(int ovroot_dirfd, const struct refs *r, bool dry)
{
	size_t gone;

	return sweep(ovroot_dirfd, r, dry, false, &gone);
}

size_t images_removable(int ovroot_dirfd, const struct refs *r)
{
	size_t gone;

	sweep(ovroot_dirfd, r, true, true, &gone);
	return gone;
}
