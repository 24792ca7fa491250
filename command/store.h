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
	bool booted_elsewhere;		/* RUN/booted was read, but names another store */
	struct booted booted;		/* with either of them */
	char remounted[PATH_MAX];	/* made writable for a write, "" */
	bool sb_was_ro, mount_was_ro;	/* what store_writable found */
	bool bind_changed;		/* it made the mount alone writable */
};

int booted_load(const char *run, struct booted *b, char *err, size_t errlen);
int store_open(struct store *s, const char *dir, const char *run);
/* The init's record of this boot, of this store or another; NULL: none. */
const struct booted *store_record(const struct store *s);
int store_lock(struct store *s);
void store_close(struct store *s);

#endif
