/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_MFMERGE_H
#define OVROOT_COMMAND_MFMERGE_H

#include <stddef.h>

#include "command/manifest.h"

/*
 * What overlayfs shows of layers (manifests, top first), as a manifest:
 * the topmost entry of a path wins; a whiteout (c 0/0) hides the path
 * below it, a non-directory or an opaque directory everything under it
 * below; whiteouts and overlayfs' own xattrs are not shown.  Each entry's
 * layer says where it comes from.  0 or -1 (no memory).
 */
int mf_merge(const struct manifest *layer, size_t n, struct manifest *view);

/* The index in m of the first entry under dir ("/a" -> "/a/..."), m->n when none. */
size_t mf_first_under(const struct manifest *m, const char *dir);
/* Whether path lies under dir. */
bool mf_under(const char *path, const char *dir);

#endif
