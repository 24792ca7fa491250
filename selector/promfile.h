/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_PROMFILE_H
#define OVROOT_PROMFILE_H

#include <stddef.h>

#include "selector/stack.h"
#include "selector/upper_mode.h"

/* In the store's ovroot directory: the promotion file and the one before it. */
#define PROMFILE_NAME "boot"
#define PROMFILE_BACKUP "boot.bak"

/* Larger than any valid file: three stacks of 500 names of 64 characters. */
#define PROMFILE_MAX (128 * 1024)
#define TRIES_MAX 1000
/* The longest hardware watchdog timeout a boot asks for, in seconds. */
#define WATCHDOG_MAX 3600

/*
 * The promotion file, store/ovroot/boot: "key=value" lines and "#" comments.
 * One parser and one writer serve the init and the ovroot command.
 */
struct promfile {
	struct stack root;	/* required */
	struct stack fallback;	/* n == 0: absent */
	struct stack good;	/* n == 0: absent */
	int tries;		/* -1: absent, root is confirmed */
	int upper;		/* -1: absent, else enum upper_mode */
	int watchdog;		/* seconds while a try is spent; -1: absent, 0: off */
	char *extra;		/* comments and unknown keys, verbatim, kept on rewrite */
};

typedef void (*warn_fn)(void *ctx, const char *msg);

int promfile_parse(struct promfile *pf, const char *text, size_t len,
		   warn_fn warn, void *ctx, char *err, size_t errlen);
char *promfile_format(const struct promfile *pf, size_t *len);
/* promfile_format(), refusing a text the init would not read; NULL with err. */
char *promfile_text(const struct promfile *pf, size_t *len, char *err, size_t errlen);
/*
 * Parses what read_small_file() (lib/file.h) returned: r its result, text
 * and len its buffer.  0, or -1 with why in words for the console ("is
 * missing", "is corrupt (...)"); pf is initialised either way.
 */
int promfile_parse_read(struct promfile *pf, int r, const char *text, size_t len,
			warn_fn warn, void *ctx, char *why, size_t whylen);
void promfile_free(struct promfile *pf);
/*
 * What `ovroot promote` and the boot menu's "make default" do: root becomes
 * the new root (copied), tries its try count (-1: confirmed); the old root
 * becomes the fallback when it was confirmed.  0, or -1 out of memory.
 */
int promfile_promote(struct promfile *pf, const struct stack *root, int tries);
void promfile_init(struct promfile *pf);

#endif
