/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_FORMAT_H
#define OVROOT_COMMAND_FORMAT_H

#include <stddef.h>
#include <stdio.h>

#include "selector/stack.h"

/* Just enough JSON for --json: strings quoted and escaped. */
void json_str(FILE *f, const char *s);
void json_stack(FILE *f, const struct stack *st);	/* "" -> null */

/* 1536 -> "1.5K", as du -h does. */
void size_human(unsigned long long bytes, char *buf, size_t len);

#endif
