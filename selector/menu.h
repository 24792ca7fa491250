/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MENU_H
#define OVROOT_MENU_H

#include <stdbool.h>
#include <stddef.h>

#include "selector/promfile.h"

/*
 * The boot menu's model: which entries, in which order, and what a choice
 * does.  Pure; the init (init/bootmenu.c) draws it and reads the keys.
 */
enum menu_what {
	MENU_PROMOTED,		/* root= of the promotion file */
	MENU_STRIPPED,		/* root= without its top layer(s) */
	MENU_FALLBACK,
	MENU_GOOD,
	MENU_VERSION,		/* any other version alone */
};

struct menu_entry {
	enum menu_what what;
	struct stack stack;	/* a stack of its own */
	bool usable;
	char info[80];		/* "squashfs, unconfirmed, 2 tries" or why it is greyed */
};

struct menu {
	struct menu_entry *v;
	size_t n;
	size_t first;		/* the entry highlighted at start */
};

/* What the menu is built from. */
struct menu_input {
	const struct promfile *file;		/* NULL: missing or corrupt */
	const char *const *versions;		/* every version in the store */
	size_t nversions;
	/*
	 * A version's kind ("dir", "squashfs", "erofs"), or NULL with *why set
	 * when it is missing or unusable.
	 */
	const char *(*kind)(void *ctx, const char *name, const char **why);
	void *ctx;
};

int menu_build(struct menu *m, const struct menu_input *in);
void menu_free(struct menu *m);
/* The next usable entry from cur in direction dir (+1, -1); cur when none. */
size_t menu_step(const struct menu *m, size_t cur, int dir);
const char *menu_what_name(enum menu_what w);

/*
 * "Boot and make default": the promotion file after choosing st, as
 * `ovroot promote` would write it (confirmed: a person chose it).
 */
int menu_make_default(struct promfile *pf, const struct stack *st);

#endif
