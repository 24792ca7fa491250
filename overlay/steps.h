/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The steps of assemble_stack() that live in files of their own. */
#ifndef OVROOT_OVERLAY_STEPS_H
#define OVROOT_OVERLAY_STEPS_H

#include <stdbool.h>
#include <stddef.h>

#include "overlay/assemble.h"

#define LOG(a, ...) do { if ((a)->log) (a)->log(__VA_ARGS__); } while (0)

/* Loop-mounts image layer name (found as kind) read-only at mnt. */
int image_layer_mount(const struct assembly *a, int ovroot_dirfd,
		      const char *name, enum layer_kind kind, const char *mnt,
		      char *err, size_t errlen);

/*
 * Makes the upper and work directories for a->upper and writes their paths
 * (both "" for UPPER_NONE); *tmpfs tells whether STATE/upper was mounted.
 */
int upper_prepare(const struct assembly *a, int ovroot_dirfd,
		  char *upper, char *work, size_t len, bool *tmpfs,
		  char *err, size_t errlen);


#endif
