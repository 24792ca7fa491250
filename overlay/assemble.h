/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_OVERLAY_ASSEMBLE_H
#define OVROOT_OVERLAY_ASSEMBLE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/layers.h"
#include "selector/upper_mode.h"



struct assembly {
	/* absolute path of the store's ovroot dir, e.g. /run/ovroot/store/ovroot */
	const char *ovroot_dir;
	const char *const *names;	/* the stack, top layer first */
	size_t n;
	enum upper_mode upper;
	const char *target;		/* mount the result here (exists, empty dir) */
	/*
	 * e.g. /run/ovroot: image layers are mounted read-only at
	 * STATE/layers/NAME, the tmpfs upper at STATE/upper (with upper/ and
	 * work/ inside); the mount(2) fallback briefly uses STATE/lower.
	 */
	const char *state_dir;
	/* tmpfs size= of the tmpfs upper ("50%", "512m"); NULL: no limit */
	const char *upper_size;
	/*
	 * Called once before first use: "overlay", "loop", "squashfs",
	 * "erofs" (and "aufs" when overlay is missing); may be NULL.
	 */
	int (*need_module)(void *ctx, const char *name);
	void *ctx;			/* need_module's */
	/* One line per step, without a trailing newline; may be NULL. */
	void (*log)(const char *fmt, ...);
};

struct assembled {			/* filled by assemble_stack */
	size_t n;
	/* absolute dir of each layer as used in lowerdir, top first (malloc'd) */
	char (*layer_path)[PATH_MAX];
	char upper_path[PATH_MAX];	/* "" when none */
	const char *fstype;		/* "overlay", "aufs", or "bind" (one layer, no upper) */
	const char *mount_method;	/* e.g. "fsconfig lowerdir+", for the log */
	long bad_layer;			/* after a failure: the layer to blame, or -1 */
	bool *mounted;			/* image layer i is mounted (malloc'd) */
	bool tmpfs;			/* STATE/upper is mounted */
};

/*
 * Mounts the stack a->names on a->target.  Overlayfs is always mounted with
 * index=off, so that a persistent upper survives a change of the stack under
 * it.  The test hook OVROOT_NO_LOWERDIR_PLUS=1 (lib/hook.h) forces the
 * mount(2) path that kernels before 6.8 take.  Returns 0, or -1 with a one-line reason in
 * err (what failed, which layer, strerror).  Undoes its own mounts on failure.
 */
int assemble_stack(const struct assembly *a, struct assembled *out, char *err,
		   size_t errlen);
void assembled_free(struct assembled *out);
/* Takes a mounted stack apart again (a root that turned out unusable) and frees out. */
void assembled_unmount(const struct assembly *a, struct assembled *out);

#endif
