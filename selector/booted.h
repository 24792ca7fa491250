/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_BOOTED_H
#define OVROOT_BOOTED_H

#include <limits.h>

#include "selector/stack.h"

/* RUN/booted as the init wrote it (init/state.c): what booted and why. */
struct booted {
	struct stack stack;
	struct stack promoted;		/* n == 0: the file was unreadable */
	char reason[32];
	char store[256];
	char store_type[64];
	char store_mount[PATH_MAX];
	char store_dir[PATH_MAX];
	char upper[16];
	char tries[16];			/* "" when confirmed */
	char upper_path[PATH_MAX];
};

/* 0, -ENOENT when nothing booted through ovroot, else -1 with err set. */
int booted_load(const char *run, struct booted *b, char *err, size_t errlen);
int booted_parse(struct booted *b, const char *text, char *err, size_t errlen);
void booted_free(struct booted *b);

#endif
