/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selector/stack.h"

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool version_name_valid(const char *s, size_t len)
{
	if (len == 0 || len > VERSION_NAME_MAX)
		return false;
	/* Not ".", "..", a hidden or staging name (".x"), nor an option ("-x"). */
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	      (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char_ok(s[i]))
			return false;
	return true;
}

static size_t count_layers(const char *text, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += text[i] == '+';
	return n;
}

static bool has_repeat(const struct stack *st, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		if (strcmp(st->layer[i], st->layer[upto]) == 0)
			return true;
	return false;
}

/*
 * Splits text at '+' into st; every name must be valid and appear once.
 * The names live in the same allocation as the pointer array.
 */
int stack_parse(struct stack *st, const char *text, size_t len, char *err, size_t errlen)
{
	size_t n = count_layers(text, len);
	const char *p = text, *end = text + len;

	st->n = 0;
	st->layer = NULL;
	if (n > STACK_LAYERS_MAX) {
		snprintf(err, errlen, "stack has %zu layers, more than overlayfs allows (%d)",
			 n, STACK_LAYERS_MAX);
		return -1;
	}
	st->layer = malloc(n * sizeof(char *) + len + 1);
	if (!st->layer) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char *names = (char *)(st->layer + n);

	memcpy(names, text, len);
	names[len] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *plus = memchr(p, '+', (size_t)(end - p));
		size_t l = plus ? (size_t)(plus - p) : (size_t)(end - p);

		if (!version_name_valid(p, l)) {
			snprintf(err, errlen, "bad version name '%.*s' in stack '%.*s'",
				 (int)(l > 80 ? 80 : l), p, (int)(len > 120 ? 120 : len), text);
			stack_free(st);
			return -1;
		}
		st->layer[i] = names + (p - text);
		st->layer[i][l] = '\0';
		st->n = i + 1;
		if (has_repeat(st, i)) {
			snprintf(err, errlen, "version '%s' appears twice in stack", st->layer[i]);
			stack_free(st);
			return -1;
		}
		p += l + 1;
	}
	return 0;
}

void stack_free(struct stack *st)
{
	free(st->layer);
	st->layer = NULL;
	st->n = 0;
}

/* Writes "a+b+c" like snprintf: returns the length it needed. */
size_t stack_format(const struct stack *st, char *buf, size_t len)
{
	size_t used = 0;
	bool fits = true;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < st->n; i++) {
		size_t l = strlen(st->layer[i]) + (i > 0);

		fits = fits && used + l < len;
		if (fits)
			snprintf(buf + used, len - used, "%s%s", i ? "+" : "", st->layer[i]);
		used += l;
	}
	return used;
}

bool stack_equal(const struct stack *a, const struct stack *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->layer[i], b->layer[i]) != 0)
			return false;
	return true;
}

struct stack stack_without_top(const struct stack *st)
{
	struct stack v = { 0, NULL };

	if (st->n > 1) {
		v.n = st->n - 1;
		v.layer = st->layer + 1;
	}
	return v;
}

/* A stack of its own (a stack may be a view into another): via its text. */
int stack_copy(struct stack *dst, const struct stack *src)
{
	size_t len = stack_format(src, NULL, 0);
	char *text = calloc(len + 1, 1);
	struct stack st = { 0, NULL };
	int r = 0;

	if (!text)
		return -1;
	stack_format(src, text, len + 1);
	if (len) {
		char err[160];

		r = stack_parse(&st, text, len, err, sizeof(err));
	}
	free(text);
	if (r < 0)
		return -1;
	stack_free(dst);
	*dst = st;
	return 0;
}
