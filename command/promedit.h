/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_PROMEDIT_H
#define OVROOT_PROMEDIT_H

#include <stdbool.h>

#include "command/store.h"
#include "selector/promfile.h"

/* A change of the promotion file: load, change the struct, save. */
struct promedit {
	struct promfile pf;
	char *text;		/* as read, for boot.bak; NULL when there was none */
	size_t len;
};

/*
 * Reads and parses dirfd/name; with text, the text as read is kept for the
 * backup.  0, or -1 with why in words for the console.
 */
int promfile_load(int dirfd, const char *name, struct promfile *pf, char **text,
		  size_t *len, char *why, size_t whylen);
int promedit_load(struct store *s, struct promedit *e, bool missing_ok);
int promedit_save(struct store *s, struct promedit *e);
void promedit_free(struct promedit *e);
int stack_check(const struct store *s, const struct stack *st);

#endif
