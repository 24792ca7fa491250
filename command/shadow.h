/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_SHADOW_H
#define OVROOT_SHADOW_H

#include "command/store.h"
#include "selector/stack.h"

/*
 * Warns, one line each, when a layer of st has a directory /lib, /bin, /sbin
 * or /lib64 where a lower layer has a symlink (merged /usr: lib -> usr/lib):
 * overlayfs shows the directory alone, and the lower layer's loader and
 * libraries are gone from the root.  Directory layers only; an image layer
 * ends the look at that name.  Returns how many warnings it printed.
 */
int warn_shadowed_links(const struct store *s, const struct stack *st);

#endif
