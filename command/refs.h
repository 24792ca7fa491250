/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_REFS_H
#define OVROOT_REFS_H

#include <stdbool.h>
#include <stddef.h>

#include "command/pins.h"
#include "command/store.h"
#include "selector/promfile.h"

enum {
	REF_ROOT = 1, REF_FALLBACK = 2, REF_GOOD = 4, REF_BACKUP = 8,
	REF_BOOTED = 16, REF_PINNED = 32,
};

/* Everything that names versions: the promotion file, its backup, the boot, pins. */
struct refs {
	struct promfile file, backup;
	bool have_file, have_backup;
	char file_why[320], backup_why[320];
	struct pins pins;
	const struct booted *booted;	/* NULL: not booted from this store */
};

int refs_load(struct refs *r, const struct store *s);
unsigned refs_of(const struct refs *r, const char *name);
void refs_describe(unsigned bits, char *buf, size_t len);
void refs_free(struct refs *r);

#endif
