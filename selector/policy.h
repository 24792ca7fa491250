/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_POLICY_H
#define OVROOT_POLICY_H

#include <stdbool.h>

#include "selector/promfile.h"

enum reason {
	REASON_NONE,		/* nothing bootable: fatal */
	REASON_OVERRIDE,	/* ovroot.root= on the command line */
	REASON_PROMOTED,	/* root= of the promotion file */
	REASON_KEY,		/* rollback key held: fallback */
	REASON_TRIES_EXHAUSTED,	/* tries=0: fallback */
	REASON_LAYER_MISSING,	/* a layer of root is missing: fallback */
	REASON_GOOD,		/* root and fallback unusable: good= */
	REASON_FILE_BAD,	/* promotion file missing or corrupt: its backup */
	REASON_TRIES_UNWRITABLE, /* the try of an unconfirmed root cannot be recorded: fallback */
	REASON_MENU,		/* chosen in the boot menu (passed as the override) */
};

struct policy_input {
	const struct stack *override;	/* ovroot.root=, NULL when absent */
	bool override_from_menu;	/* the override was chosen in the boot menu */
	const struct promfile *file;	/* NULL when missing or corrupt */
	const struct promfile *backup;	/* boot.bak, NULL when missing or corrupt */
	bool key_held;
	int upper_override;		/* ovroot.upper=, -1 when absent */
	bool tries_unwritable;		/* a try cannot be recorded (read-only, full, locked) */
	/* true when the version exists in the store and may be used */
	bool (*layer_ok)(void *ctx, const char *name);
	void *ctx;
};

struct decision {
	struct stack stack;	/* a view into the input: never freed */
	enum reason reason;
	enum upper_mode upper;
	int write_tries;	/* -1: write nothing; else the new tries= value */
	const char *missing;	/* first unusable layer of the stack passed over */
	const char *note;	/* why a preferred choice was passed over, or NULL */
};

struct decision policy_select(const struct policy_input *in);
struct stack policy_fallback(const struct promfile *pf);
const char *reason_name(enum reason r);

#endif
