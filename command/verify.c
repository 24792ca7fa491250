/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A version compared with its manifest: bit rot, a tampered file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "command/mftree.h"
#include "command/staging.h"
#include "command/verify.h"
#include "lib/layers.h"
#include "lib/log.h"

struct ctx {
	const char *name;
	size_t n;
};

static void say_diff(void *p, const char *path, const char *what)
{
	struct ctx *c = p;

	c->n++;
	printf("%s: %s: %s\n", c->name, path, what);
}

static int verify_dir(const struct store *s, const char *name, const struct manifest *want)
{
	int fd = layer_open(s->dirfd, name, LAYER_DIR, O_RDONLY | O_DIRECTORY);
	struct ctx c = { name, 0 };
	struct manifest got;
	char err[1024];
	int r;

	if (fd < 0) {
		say("verify: cannot open version %s: %s", name, strerror(-fd));
		return -1;
	}
	r = mf_tree(fd, &got, err, sizeof(err));
	close(fd);
	if (r < 0) {
		say("verify: version %s: %s", name, err);
		return -1;
	}
	mf_diff(want, &got, say_diff, &c);
	mf_free(&got);
	return c.n ? 1 : 0;
}

static int verify_image(const struct store *s, const char *name, enum layer_kind kind,
			const struct manifest *want)
{
	int fd = layer_open(s->dirfd, name, kind, O_RDONLY);
	char hex[SHA256_HEX_LEN];
	int r;

	if (fd < 0) {
		say("verify: cannot open version %s: %s", name, strerror(-fd));
		return -1;
	}
	r = sha256_fd(fd, hex);
	close(fd);
	if (r < 0) {
		say("verify: cannot read version %s: %s", name, strerror(-r));
		return -1;
	}
	if (strcmp(want->image_type, layer_fstype(kind)) || strcmp(hex, want->image_sha256)) {
		printf("%s: the %s image differs from its manifest (sha256 %s, not %s)\n", name,
		       layer_fstype(kind), hex, want->image_sha256[0] ? want->image_sha256 : "-");
		return 1;
	}
	return 0;
}

static int verify_layer(const struct store *s, const char *name, bool need_manifest)
{
	struct manifest m;
	enum layer_kind kind;
	int r = layer_find(s->dirfd, name, &kind);

	if (r < 0) {
		say("verify: version %s: %s", name, r == -ENOENT ? "not in the store" : strerror(-r));
		return -1;
	}
	r = manifest_load(s, name, &m);
	if (r == -ENOENT) {
		if (need_manifest) {
			say("verify: version %s has no manifest (not made by ovroot stage): cannot verify",
			    name);
			return 1;
		}
		return 0;	/* made by hand: promote passes it over */
	}
	if (r < 0)
		return -1;
	r = kind == LAYER_DIR ? verify_dir(s, name, &m) : verify_image(s, name, kind, &m);
	mf_free(&m);
	if (r == 0 && need_manifest)
		printf("%s: ok\n", name);
	return r;
}

int verify_stack(const struct store *s, const struct stack *st, bool need_manifest)
{
	int bad = 0;

	for (size_t i = 0; i < st->n; i++) {
		int r = verify_layer(s, st->layer[i], need_manifest);

		if (r < 0)
			return -1;
		bad += r;
	}
	return bad;
}
