/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ovroot stage NAME --from SOURCE [--base STACK] [--delta] [--image T] [--sha256 HEX] */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/cmd.h"
#include "command/copytree.h"
#include "command/mftree.h"
#include "command/oci_stage.h"
#include "command/stage.h"
#include "command/stagebase.h"
#include "command/stagecheck.h"
#include "command/staging.h"
#include "command/store_mount.h"
#include "command/untar.h"
#include "lib/log.h"

struct stage_args {
	const char *name, *from, *base, *image, *sha256;
	bool delta;
	bool oci_layer;		/* the tarball is one OCI layer: stage_tar_layer */
	char hex[SHA256_HEX_LEN];	/* --sha256, lower case */
};

static int parse_args(int argc, char **argv, struct stage_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < argc; i++) {
		const char **opt = !strcmp(argv[i], "--from") ? &a->from :
				   !strcmp(argv[i], "--base") ? &a->base :
				   !strcmp(argv[i], "--image") ? &a->image :
				   !strcmp(argv[i], "--sha256") ? &a->sha256 : NULL;

		if (opt && i + 1 < argc) {
			*opt = argv[++i];
		} else if (!strcmp(argv[i], "--delta")) {
			a->delta = true;
		} else if (!strcmp(argv[i], "--oci-layer")) {
			a->oci_layer = true;
		} else if (argv[i][0] != '-' && !a->name) {
			a->name = argv[i];
		} else {
			say("stage: unexpected '%s' (ovroot --help)", argv[i]);
			return -1;
		}
	}
	if (!a->name || !a->from) {
		say("stage: which version, from what? e.g. ovroot stage v2 --from rootfs.tar.zst");
		return -1;
	}
	if (a->delta && !a->base) {
		say("stage: --delta needs --base STACK (what the layer lies on)");
		return -1;
	}
	if (a->oci_layer && (a->base || a->image)) {
		say("stage: --oci-layer stages the layer as it stands: no --base, no --image");
		return -1;
	}
	if (a->image && strcmp(a->image, "squashfs") && strcmp(a->image, "erofs")) {
		say("stage: --image must be squashfs or erofs, not '%s'", a->image);
		return -1;
	}
	if (a->sha256 && (strlen(a->sha256) != SHA256_HEX_LEN - 1 ||
			  strspn(a->sha256, "0123456789abcdefABCDEF") != SHA256_HEX_LEN - 1)) {
		say("stage: --sha256 wants 64 hex digits, not '%s'", a->sha256);
		return -1;
	}
	if (a->sha256) {	/* as sha256 writes it: the stream check compares bytes */
		for (size_t i = 0; i < SHA256_HEX_LEN; i++)
			a->hex[i] = (char)tolower((unsigned char)a->sha256[i]);
		a->sha256 = a->hex;
	}
	return 0;
}

/*
 * The source: a directory (*dirfd) or a tarball (*tarfd; "-" is standard
 * input).  A tarball file's digest is checked before anything is unpacked,
 * a pipe's as it is read (fill).
 */
static int open_source(const struct stage_args *a, int *dirfd, int *tarfd)
{
	char hex[SHA256_HEX_LEN];
	struct stat st;
	int fd, r;

	*dirfd = *tarfd = -1;
	fd = !strcmp(a->from, "-") ? dup(STDIN_FILENO) : open(a->from, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		say("stage: cannot open %s: %s", a->from, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (a->sha256) {
			say("stage: --sha256 checks a tarball, and %s is a directory", a->from);
			close(fd);
			return -1;
		}
		*dirfd = fd;
		return 0;
	}
	*tarfd = fd;
	if (!a->sha256 || !S_ISREG(st.st_mode))
		return 0;	/* a pipe: its digest is checked as it is read */
	r = sha256_fd(fd, hex);
	if (r < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		say("stage: cannot read %s: %s", a->from, strerror(r < 0 ? -r : errno));
		return -1;
	}
	if (strcasecmp(hex, a->sha256)) {
		say("stage: %s has sha256 %s, not %s: refused, nothing unpacked", a->from, hex,
		    a->sha256);
		return -1;
	}
	return 0;
}

/* The source into the staging directory; src its manifest. */
static int fill(const struct stage_args *a, int dirfd, int tarfd, int stagefd,
		struct manifest *src)
{
	char err[1024], hex[SHA256_HEX_LEN];

	if (dirfd >= 0) {
		if (mf_tree(dirfd, src, err, sizeof(err)) < 0 ||
		    copy_tree(dirfd, stagefd, err, sizeof(err)) < 0) {
			say("stage %s: %s: nothing staged", a->name, err);
			return -1;
		}
		return 0;
	}
	if (untar(tarfd, stagefd, 0, src, hex, err, sizeof(err)) < 0) {
		say("stage %s: %s: nothing staged", a->name, err);
		return -1;
	}
	if (a->sha256 && strcasecmp(hex, a->sha256)) {
		say("stage %s: %s has sha256 %s, not %s: refused, nothing staged", a->name,
		    a->from, hex, a->sha256);
		return -1;
	}
	return 0;
}

static int stage(struct store *s, const struct stage_args *a, int dirfd, int tarfd)
{
	struct manifest src = { 0 }, got = { 0 };
	struct stage_base base = { 0 };
	char err[1024], image_entry[VERSION_NAME_MAX + 32] = "";
	const char *suffix = "";
	struct staging st;
	int r = -1;

	if (staging_begin(&st, s, a->name) < 0)
		goto out;
	if (a->base && stage_base_load(s, a->base, &base) < 0)
		goto out;
	if (fill(a, dirfd, tarfd, st.dir, &src) < 0)
		goto out;
	if (a->base && (a->delta ? stage_base_reduce(&base, st.dir, &src, a->name) :
			stage_base_link(&base, st.dir, &src, a->name)) < 0)
		goto out;
	if (mf_tree(st.dir, &got, err, sizeof(err)) < 0) {
		say("stage %s: %s: nothing staged", a->name, err);
		goto out;
	}
	if (a->delta ? stage_base_check(&base, a->name, &src, &got) < 0 :
	    stage_check(a->name, &src, &got) < 0)
		goto out;
	if (a->image) {
		snprintf(image_entry, sizeof(image_entry), "%s.%s", st.entry, a->image);
		suffix = !strcmp(a->image, "squashfs") ? ".squashfs" : ".erofs";
		if (stage_image(&st, a->image, image_entry, &got) < 0)
			goto out;
	}
	r = staging_commit(&st, &got, a->image ? image_entry : st.entry, suffix);
	if (r == 0)
		printf("staged %s%s (%zu paths)\n", a->name, suffix, got.n);
out:
	staging_end(&st, image_entry);
	stage_base_free(&base);
	mf_free(&src);
	mf_free(&got);
	return r;
}

int cmd_stage(struct store *s, int argc, char **argv)
{
	struct stage_args a;
	int dirfd, tarfd, r;

	if (parse_args(argc, argv, &a) < 0)
		return 2;
	/* An OCI image layout: each layer a version, NAME the record of them. */
	if (!strncmp(a.from, "oci:", 4)) {
		if (a.base || a.image) {
			say("stage: --base, --delta and --image do not apply to an OCI image");
			return 2;
		}
		return oci_stage(s, a.name, a.from, a.sha256);
	}
	if (open_source(&a, &dirfd, &tarfd) < 0) {
		if (tarfd >= 0)
			close(tarfd);
		return 1;
	}
	if (a.oci_layer && dirfd >= 0) {
		say("stage: --oci-layer wants a tarball, and %s is a directory", a.from);
		close(dirfd);
		return 1;
	}
	if (store_writable(s) < 0)
		r = -1;
	else if (a.oci_layer && (r = stage_tar_layer_sha256(s, a.name, tarfd, STAGE_OCI_WHITEOUTS,
							     a.sha256)) == 0)
		printf("staged %s (an OCI layer)\n", a.name);
	else if (!a.oci_layer)
		r = stage(s, &a, dirfd, tarfd);
	store_restore(s);
	if (dirfd >= 0)
		close(dirfd);
	if (tarfd >= 0)
		close(tarfd);
	return r < 0;
}
