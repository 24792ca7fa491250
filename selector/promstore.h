/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_PROMSTORE_H
#define OVROOT_PROMSTORE_H

#include <stddef.h>

#include "selector/promfile.h"

/* In the store's ovroot directory: the promotion file and the one before it. */
#define PROMFILE_NAME "boot"
#define PROMFILE_BACKUP "boot.bak"

int read_small_file(int dirfd, const char *name, size_t max, char **text, size_t *len);
int promfile_load(int dirfd, const char *name, struct promfile *pf, char **text,
		  size_t *len, char *why, size_t whylen);
int promfile_save(int dirfd, const struct promfile *pf, const char *old_text,
		  size_t old_len, char *err, size_t errlen);

#endif
