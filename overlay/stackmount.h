/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_OVERLAY_STACKMOUNT_H
#define OVROOT_OVERLAY_STACKMOUNT_H

#include <limits.h>
#include <stddef.h>

/* The kernel's overlayfs limit on lower layers (OVL_MAX_STACK). */
#define OVL_MAX_LOWER 500
/* mount(2) takes its options in one page. */
#define OPTIONS_MAX 4096

/* One union mount to make: the layers are ready, the target exists. */
struct stack_mount {
	char (*lower)[PATH_MAX];	/* absolute layer dirs, top first */
	size_t n;
	const char *upper;		/* NULL: read-only, lower layers only */
	const char *work;		/* overlayfs' workdir beside upper */
	const char *target;		/* absolute */
	const char *state_dir;		/* for the mount(2) fallback's links */
};

/*
 * overlayfs through fsopen() and one fsconfig("lowerdir+") per layer, which
 * has no one-page limit on the options (Linux 6.8+).  Returns 0, -EOPNOTSUPP
 * when this kernel cannot do it (then use ovl_mount_legacy), or another
 * -errno with err filled.
 */
int ovl_mount_fsconfig(const struct stack_mount *s, char *err, size_t errlen);

/*
 * overlayfs through mount(2), every kernel: lowerdir names the layers by
 * short symlinks in STATE/lower, relative to it as the working directory, so
 * 500 layers fit in the one-page option string.  0 or -errno with err.
 */
int ovl_mount_legacy(const struct stack_mount *s, char *err, size_t errlen);

/* aufs, for kernels without overlayfs.  0 or -errno with err. */
int aufs_mount(const struct stack_mount *s, char *err, size_t errlen);


#endif
