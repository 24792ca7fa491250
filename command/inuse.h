/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_INUSE_H
#define OVROOT_INUSE_H

#include "command/items.h"

/*
 * Marks each item something uses now, with the first use seen: a mount of
 * it or of a layer on it (in any mount namespace), a loop device backed by
 * it, a process whose root, working directory, open file or mapping is in
 * it.  ovroot_dir is the store's ovroot directory.
 */
void inuse_mounts(struct items *it, const char *ovroot_dir);
void inuse_loops(struct items *it);
void inuse_procs(struct items *it);

#endif
