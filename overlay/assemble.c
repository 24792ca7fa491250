/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "lib/hook.h"
#include "lib/log.h"
#include "lib/mount.h"
#include "overlay/assemble.h"
#include "overlay/stackmount.h"
#include "overlay/steps.h"

/* What one assemble_stack() call holds, so that failure can undo it. */
struct run {
	const struct assembly *a;
	struct assembled *out;
	int ovroot_dirfd;
	enum layer_kind *kind;
	long bad;			/* the layer that failed, or -1 */
	char work[PATH_MAX];
	char *err;
	size_t errlen;
};

static int check_args(const struct assembly *a, char *err, size_t errlen)
{
	if (!a->n || !a->names) {
		errmsg(err, errlen, "empty stack");
		return -EINVAL;
	}
	if (a->n > OVL_MAX_LOWER) {
		errmsg(err, errlen, "stack of %zu layers: overlayfs takes at most %d",
		       a->n, OVL_MAX_LOWER);
		return -E2BIG;
	}
	if (!a->ovroot_dir || a->ovroot_dir[0] != '/' || !a->target ||
	    a->target[0] != '/' || !a->state_dir || a->state_dir[0] != '/') {
		errmsg(err, errlen, "ovroot dir, target and state dir must be absolute paths");
		return -EINVAL;
	}
	return 0;
}

/* Every layer is looked up before anything is mounted. */
static int find_layers(struct run *r)
{
	const struct assembly *a = r->a;
	size_t i;

	for (i = 0; i < a->n; i++) {
		int ret = layer_find(r->ovroot_dirfd, a->names[i], &r->kind[i]);
		if (ret == -EXDEV)
			errmsg(r->err, r->errlen, "layer %s: leads out of the store %s: %s",
			       a->names[i], a->ovroot_dir, strerror(-ret));
		else if (ret)
			errmsg(r->err, r->errlen, "layer %s: not in %s/versions: %s",
			       a->names[i], a->ovroot_dir, strerror(-ret));
		if (ret) {
			r->bad = (long)i;
			return ret;
		}
	}
	return 0;
}

/* need_module() once for the loop driver and each image filesystem. */
static void load_image_modules(struct run *r)
{
	bool want[3] = { false };
	size_t i;

	if (!r->a->need_module)
		return;
	for (i = 0; i < r->a->n; i++)
		want[r->kind[i]] = true;
	if (want[LAYER_SQUASHFS] || want[LAYER_EROFS])
		r->a->need_module(r->a->ctx, "loop");
	if (want[LAYER_SQUASHFS])
		r->a->need_module(r->a->ctx, "squashfs");
	if (want[LAYER_EROFS])
		r->a->need_module(r->a->ctx, "erofs");
}

static int layer_path(struct run *r, size_t i)
{
	const struct assembly *a = r->a;
	const char *base = r->kind[i] == LAYER_DIR ? a->ovroot_dir : a->state_dir;
	const char *sub = r->kind[i] == LAYER_DIR ? "versions" : "layers";
	int ret;

	ret = snprintf(r->out->layer_path[i], PATH_MAX, "%s/%s/%s", base, sub,
		       a->names[i]);
	if (ret >= 0 && ret < PATH_MAX)
		return 0;
	errmsg(r->err, r->errlen, "layer %s: path too long", a->names[i]);
	return -ENAMETOOLONG;
}

static int prepare_layers(struct run *r)
{
	const struct assembly *a = r->a;
	size_t i;

	load_image_modules(r);
	for (i = 0; i < a->n; i++) {
		int ret = layer_path(r, i);
		if (ret)
			return ret;
		if (r->kind[i] == LAYER_DIR) {
			LOG(a, "layer %s: directory %s", a->names[i],
			    r->out->layer_path[i]);
			continue;
		}
		ret = image_layer_mount(a, r->ovroot_dirfd, a->names[i],
					r->kind[i], r->out->layer_path[i],
					r->err, r->errlen);
		if (ret) {
			r->bad = (long)i;
			return ret;
		}
		r->out->mounted[i] = true;
	}
	return 0;
}

/* A bind mount takes MS_RDONLY only when remounted. */
static int bind_mount_ro(const char *src, const char *target, char *err,
		  size_t errlen)
{
	int ret;

	if (mount(src, target, NULL, MS_BIND, NULL)) {
		ret = -errno;
		errmsg(err, errlen, "bind %s on %s: %s", src, target,
		       strerror(-ret));
		return ret;
	}
	if (!mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL))
		return 0;
	ret = -errno;
	errmsg(err, errlen, "read-only remount of %s: %s", target,
	       strerror(-ret));
	umount2(target, MNT_DETACH);
	return ret;
}

/*
 * need_module() may fail only because overlay is built in, so the verdict
 * is /proc/filesystems'.  Without /proc, try overlay and let mount say.
 */
static const char *union_fstype(const struct assembly *a, char *err, size_t errlen)
{
	int has;

	if (a->need_module)
		a->need_module(a->ctx, "overlay");
	has = fs_supported("overlay");
	if (has)
		return "overlay";
	if (a->need_module)
		a->need_module(a->ctx, "aufs");
	if (fs_supported("aufs") > 0)
		return "aufs";
	errmsg(err, errlen, "neither overlay nor aufs in /proc/filesystems");
	return NULL;
}

static int mount_union(struct run *r, const char *fstype)
{
	struct assembled *out = r->out;
	struct stack_mount s = {
		.lower = out->layer_path,
		.n = out->n,
		.upper = out->upper_path[0] ? out->upper_path : NULL,
		.work = r->work,
		.target = r->a->target,
		.state_dir = r->a->state_dir,
	};
	const char *v = hook("OVROOT_NO_LOWERDIR_PLUS");
	int ret;

	if (!s.upper && s.n == 1) {
		out->fstype = "bind";
		out->mount_method = "read-only bind mount (one layer, no upper)";
		return bind_mount_ro(s.lower[0], s.target, r->err, r->errlen);
	}
	out->fstype = fstype;
	if (!strcmp(fstype, "aufs")) {
		out->mount_method = "mount(2) aufs br=";
		return aufs_mount(&s, r->err, r->errlen);
	}
	out->mount_method = "fsconfig lowerdir+";
	ret = v && !strcmp(v, "1") ? -EOPNOTSUPP :
	      ovl_mount_fsconfig(&s, r->err, r->errlen);
	if (ret != -EOPNOTSUPP)
		return ret;
	if (!v)
		LOG(r->a, "overlay: this kernel has no lowerdir+ (before 6.8), using mount(2)");
	out->mount_method = "mount(2) relative lowerdir";
	return ovl_mount_legacy(&s, r->err, r->errlen);
}

static void unmount(const char *path)
{
	if (umount2(path, 0))
		umount2(path, MNT_DETACH);
}

/* The image layers and the tmpfs upper: what the union stands on. */
static void undo(const struct assembly *a, struct assembled *out)
{
	for (size_t i = out->n; out->mounted && i-- > 0; ) {
		if (out->mounted[i])
			unmount(out->layer_path[i]);
		out->mounted[i] = false;
	}
	if (out->tmpfs) {
		char mnt[PATH_MAX];

		snprintf(mnt, sizeof(mnt), "%s/upper", a->state_dir);
		unmount(mnt);
		out->tmpfs = false;
	}
}

void assembled_unmount(const struct assembly *a, struct assembled *out)
{
	unmount(a->target);
	undo(a, out);
	assembled_free(out);
}

static int assemble(struct run *r)
{
	const struct assembly *a = r->a;
	const char *fstype = "overlay";
	int ret;

	r->ovroot_dirfd = open(a->ovroot_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->ovroot_dirfd < 0) {
		ret = -errno;
		errmsg(r->err, r->errlen, "ovroot dir %s: %s", a->ovroot_dir,
		       strerror(-ret));
		return ret;
	}
	ret = find_layers(r);
	if (!ret && (a->n > 1 || a->upper != UPPER_NONE)) {
		fstype = union_fstype(a, r->err, r->errlen);
		if (!fstype)
			ret = -ENODEV;
	}
	if (!ret)
		ret = prepare_layers(r);
	if (!ret)
		ret = upper_prepare(a, r->ovroot_dirfd, r->out->upper_path,
				    r->work, PATH_MAX, &r->out->tmpfs, r->err,
				    r->errlen);
	if (!ret)
		ret = mount_union(r, fstype);
	if (!ret)
		LOG(a, "%s of %zu layers on %s via %s", r->out->fstype, a->n,
		    a->target, r->out->mount_method);
	close(r->ovroot_dirfd);
	return ret;
}

int assemble_stack(const struct assembly *a, struct assembled *out, char *err,
		   size_t errlen)
{
	struct run r = { .a = a, .out = out, .err = err, .errlen = errlen, .bad = -1 };
	int ret;

	memset(out, 0, sizeof(*out));
	if (check_args(a, err, errlen))
		return -1;
	out->n = a->n;
	out->layer_path = calloc(a->n, PATH_MAX);
	r.kind = calloc(a->n, sizeof(*r.kind));
	out->mounted = calloc(a->n, sizeof(*out->mounted));
	if (!out->layer_path || !r.kind || !out->mounted) {
		errmsg(err, errlen, "stack of %zu layers: out of memory", a->n);
		ret = -ENOMEM;
	} else {
		ret = assemble(&r);
	}
	if (ret)
		undo(a, out);
	free(r.kind);
	if (ret)
		assembled_free(out);
	out->bad_layer = r.bad;
	return ret ? -1 : 0;
}

void assembled_free(struct assembled *out)
{
	free(out->layer_path);
	free(out->mounted);
	memset(out, 0, sizeof(*out));
}
