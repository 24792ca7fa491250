/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_STORE_WHERE_H
#define OVROOT_STORE_WHERE_H

#include <limits.h>
#include <stdbool.h>

#include "selector/store.h"

/* The store's device and mount, for status. */
struct store_where {
	char device[256];
	char type[64];
	char mount[PATH_MAX];
	bool read_only;
};

void store_where(const struct store *s, struct store_where *w);

#endif
