/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_STORE_MOUNT_H
#define OVROOT_COMMAND_STORE_MOUNT_H

#include <limits.h>
#include <stdbool.h>

#include "command/store.h"

/* The store's device and mount, for status. */
struct store_where {
	char device[256];
	char type[64];
	char mount[PATH_MAX];
	bool read_only;
};

void store_where(const struct store *s, struct store_where *w);

/* Makes a read-only store writable: 0, or -1 said.  store_restore() undoes it. */
int store_writable(struct store *s);
void store_restore(struct store *s);

#endif
