/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_PINS_H
#define OVROOT_PINS_H

#include <stdbool.h>
#include <stddef.h>

#include "selector/stack.h"

/*
 * ovroot/pins: versions gc never removes, one name a line.  Kept out of the
 * promotion file so that nothing in it can change what boots.
 */
#define PINS_NAME "pins"

struct pins {
	char (*name)[VERSION_NAME_MAX + 1];
	size_t n;
};

int pins_load(int dirfd, struct pins *p);
bool pins_has(const struct pins *p, const char *name);
int pins_add(struct pins *p, const char *name);
void pins_remove(struct pins *p, const char *name);
int pins_save(int dirfd, const struct pins *p, char *err, size_t errlen);
void pins_free(struct pins *p);

#endif
