/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_INUSE_H
#define OVROOT_INUSE_H

#include "command/items.h"

#include "selector/booted.h"

/*
 * Marks each item something uses now, with the first use seen: a mount of
 * it, on it or inside it, an overlay layer (in any mount namespace a process
 * is in), a loop device backed by it, a process whose root, working
 * directory, open file or mapping is in it.  ovroot_dir is the store's
 * ovroot directory; rec the init's record (RUN/booted, of whatever store),
 * which names the layers of its overlay when the overlay's options do not;
 * NULL when there is none.  inuse_unseen comes last: when an overlay has a
 * layer that could be found neither way, every directory not otherwise in
 * use may be that layer.
 */
void inuse_mounts(struct items *it, const char *ovroot_dir, const struct booted *rec);
void inuse_loops(struct items *it);
void inuse_procs(struct items *it);
void inuse_unseen(struct items *it);

#endif
