/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_BOOTED_H
#define OVROOT_BOOTED_H

#include <limits.h>
#include <stddef.h>

#include "selector/stack.h"

/*
 * RUN/booted: what booted and why, written by the init for the ovroot
 * command and for scripts.  "key=value" lines; "layer=NAME PATH" once per
 * layer, top first.  The writer and the reader are side by side here so the
 * format has one definition.
 */
#define BOOTED_FILE "booted"
#define BOOTED_MAX (1024 * 1024)

struct booted {
	struct stack stack;
	struct stack promoted;		/* n == 0: the file was unreadable */
	char reason[32];
	char store[256];
	char store_type[64];
	char store_mount[PATH_MAX];
	char store_dir[PATH_MAX];
	char upper[16];
	char tries[16];			/* as the store holds it, "" when confirmed */
	char notes[1024];		/* what was passed over or changed on the way */
	char upper_path[PATH_MAX];	/* "" when none */
	char state[128];		/* the state area: "epoch-0, 4 path(s) bound"; "" off */
	long long key_wait_ms;
	int watchdog;			/* seconds the watchdog was armed for, 0: not */
	int panic;			/* panic timeout ovroot set, 0: none */
	char (*layer_path)[PATH_MAX];	/* the mounted dir of each layer, top first */
	size_t nlayer;
};

/*
 * The text of the file (malloc'd, len set), NULL when out of memory.  The
 * stacks and layer paths may be views the caller owns.
 */
char *booted_format(const struct booted *b, size_t *len);
/* Parses the text into b, which then owns its stacks; on error b is freed and err set. */
int booted_parse(struct booted *b, const char *text, char *err, size_t errlen);
void booted_free(struct booted *b);

#endif
