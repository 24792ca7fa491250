/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_STORE_H
#define OVROOT_STORE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "selector/booted.h"

/* The store's ovroot directory the command works on, and what booted from it. */
struct store {
	char dir[PATH_MAX];
	int dirfd;			/* O_RDONLY: fsync and flock need it */
	dev_t dev;
	bool have_booted;		/* RUN/booted names this store */
	struct booted booted;
	char remounted[PATH_MAX];	/* made writable for a write, "" */
	unsigned long remount_flags;
};

int store_open(struct store *s, const char *dir, const char *run);
int store_lock(struct store *s);
int store_writable(struct store *s);
void store_restore(struct store *s);
void store_close(struct store *s);

#endif
