/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `ovroot stage NAME --from oci:DIR[:TAG]`: an OCI image's layers as versions. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "command/images.h"
#include "command/oci_layout.h"
#include "command/oci_stage.h"
#include "command/stage.h"
#include "command/store_mount.h"
#include "lib/layers.h"
#include "lib/log.h"

/* NAME is neither a version nor an image yet: 0, or -1 said. */
static int name_free(const struct store *s, const char *name)
{
	struct stack st;
	char err[320];
	int r;

	if (!version_name_valid(name, strlen(name))) {
		say("stage: '%s' is not a version name ([A-Za-z0-9._-], 64 at most)", name);
		return -1;
	}
	if (layer_find(s->dirfd, name, NULL) != -ENOENT) {
		say("stage: %s is already a version in %s: refused", name, s->dir);
		return -1;
	}
	r = image_read(s->dirfd, name, &st, err, sizeof(err));
	stack_free(&st);
	if (r != 1)
		say("stage: %s is already an image in %s (%s/%s): refused", name, s->dir,
		    IMAGES_DIR, name);
	return r == 1 ? 0 : -1;
}

/*
 * Every blob, checked by digest before the first layer is staged; the fds
 * stay open, so what is staged is what was checked even if the layout's
 * names change meanwhile.  -1 said, fds[] all closed.
 */
static int open_layers(int dirfd, const char *dir, const struct oci_image *img, int *fds)
{
	char err[512];

	for (size_t i = 0; i < img->n; i++) {
		fds[i] = oci_blob_open(dirfd, img->layer[i].hex, img->layer[i].size, err, sizeof(err));
		if (fds[i] < 0) {
			say("stage: %s: %s: nothing staged", dir, err);
			while (i-- > 0)
				close(fds[i]);
			return -1;
		}
	}
	return 0;
}

/* Top layer first, as a stack is written; a layer the image repeats, once (its top-most). */
static int image_stack(const struct oci_image *img, struct stack *st)
{
	size_t len = img->n * (VERSION_NAME_MAX + 1) + 1, used = 0;
	char *text = malloc(len), err[256];
	int r;

	if (!text)
		return -1;
	text[0] = '\0';
	for (size_t i = img->n; i-- > 0;) {
		const char *name = img->layer[i].name;
		bool seen = false;

		for (size_t j = img->n - 1; j > i; j--)
			seen = seen || !strcmp(img->layer[j].name, name);
		if (!seen)
			used += (size_t)snprintf(text + used, len - used, "%s%s", used ? "+" : "", name);
	}
	r = stack_parse(st, text, used, err, sizeof(err));
	if (r < 0)
		say("stage: %s", err);
	free(text);
	return r;
}

/* Stages the layers not yet in the store: 0, or -1 said. */
static int stage_layers(struct store *s, const struct oci_image *img, const int *fds,
			size_t *fresh)
{
	*fresh = 0;
	for (size_t i = 0; i < img->n; i++) {
		const struct oci_layer *l = &img->layer[i];

		if (layer_find(s->dirfd, l->name, NULL) == 0) {
			printf("layer %s: already in the store, shared\n", l->name);
			continue;
		}
		if (stage_tar_layer_sha256(s, l->name, fds[i], STAGE_OCI_WHITEOUTS, l->hex) < 0) {
			say("stage: layer sha256:%s (%zu of %zu) failed; the layers staged before "
			    "it stay until gc", l->hex, i + 1, img->n);
			return -1;
		}
		printf("layer %s: staged\n", l->name);
		++*fresh;
	}
	return 0;
}

static int stage_image(struct store *s, const char *name, const char *dir, int dirfd,
		       const char *tag, const char *sha256)
{
	struct oci_image img;
	struct stack st = { 0, NULL };
	char err[512], *text;
	size_t fresh = 0;
	int *fds, r = -1;

	if (oci_image_load(dirfd, tag, &img, err, sizeof(err)) < 0) {
		say("stage: %s: %s: nothing staged", dir, err);
		return -1;
	}
	if (sha256 && strcasecmp(sha256, img.manifest_hex)) {
		say("stage: %s: the image's manifest has sha256:%s, not %s: nothing staged", dir,
		    img.manifest_hex, sha256);
		oci_image_free(&img);
		return -1;
	}
	fds = calloc(img.n, sizeof(*fds));
	if (!fds || image_stack(&img, &st) < 0 || open_layers(dirfd, dir, &img, fds) < 0) {
		free(fds);
		stack_free(&st);
		oci_image_free(&img);
		return -1;
	}
	if (store_writable(s) == 0) {
		r = stage_layers(s, &img, fds, &fresh);
		if (r == 0 && (r = image_write(s->dirfd, name, &st, err, sizeof(err))) < 0)
			say("stage: %s", err);
		store_restore(s);
	}
	for (size_t i = 0; i < img.n; i++)
		close(fds[i]);
	if (r == 0 && (text = malloc(stack_format(&st, NULL, 0) + 1))) {
		stack_format(&st, text, stack_format(&st, NULL, 0) + 1);
		printf("staged image %s: manifest sha256:%s, %zu layers (%zu new): %s\n", name,
		       img.manifest_hex, st.n, fresh, text);
		free(text);
	}
	free(fds);
	stack_free(&st);
	oci_image_free(&img);
	return r;
}

int oci_stage(struct store *s, const char *name, const char *from, const char *sha256)
{
	const char *dir, *tag;
	char buf[PATH_MAX];
	int dirfd, r;

	if (oci_source_parse(from, buf, sizeof(buf), &dir, &tag) != 1) {
		say("stage: '%.200s' is not oci:DIR[:TAG]", from);
		return 1;
	}
	if (name_free(s, name) < 0)
		return 1;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		say("stage: %s: %s: nothing staged", dir, strerror(errno));
		return 1;
	}
	r = stage_image(s, name, dir, dirfd, tag, sha256);
	close(dirfd);
	return r < 0 ? 1 : 0;
}
