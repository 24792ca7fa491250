/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_STACK_H
#define OVROOT_STACK_H

#include <stdbool.h>
#include <stddef.h>

#define VERSION_NAME_MAX 64
/* overlayfs refuses more lower layers than this (OVL_MAX_STACK). */
#define STACK_LAYERS_MAX 500

/*
 * A layer stack such as "v3+v2": version names, top layer first.  A parsed
 * stack owns one allocation; a view (fallback = root without its top) shares
 * the layer array of the stack it was cut from and is never freed.
 */
struct stack {
	size_t n;
	char **layer;
};

bool version_name_valid(const char *s, size_t len);
int stack_parse(struct stack *st, const char *text, size_t len, char *err, size_t errlen);
void stack_free(struct stack *st);
size_t stack_format(const struct stack *st, char *buf, size_t len);
bool stack_equal(const struct stack *a, const struct stack *b);
struct stack stack_without_top(const struct stack *st);
/* dst becomes a stack of its own equal to src (which may be a view); 0 or -1. */
int stack_copy(struct stack *dst, const struct stack *src);

#endif
