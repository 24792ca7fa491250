/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_JSON_H
#define OVROOT_JSON_H

#include <stdio.h>

#include "selector/stack.h"

/* Just enough JSON for --json: strings quoted and escaped. */
void json_str(FILE *f, const char *s);
void json_stack(FILE *f, const struct stack *st);	/* "" -> null */

#endif
