// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A layer stack expression (selector/stack.c): parse, and a stack that
 * parses formats to a text that parses to the same stack.  The input as one
 * version name (version_name_valid) is checked against the rule as
 * docs/boot.md states it, 1-64 characters of [A-Za-z0-9._-], the first a
 * letter or digit;
 * a valid name is a stack of one.
 */
#include <ctype.h>
#include <stdbool.h>

#include "selector/stack.h"
#include "tests/fuzz/fuzz.h"

static bool rule(const uint8_t *s, size_t len)
{
	if (len < 1 || len > 64)
		return false;
	if (!isalnum(s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", s[i]) || s[i] == '\0')
			return false;
	return true;
}

static void round_trip(const struct stack *st)
{
	size_t need = stack_format(st, NULL, 0);
	char *buf = malloc(need + 1), err[256];
	struct stack again;

	CHECK(buf);
	CHECK(stack_format(st, buf, need + 1) == need && strlen(buf) == need);
	CHECK(stack_parse(&again, buf, need, err, sizeof(err)) == 0);
	CHECK(stack_equal(st, &again));
	/* Too small a buffer: cut, but a string, and the same length asked. */
	if (need > 0)
		CHECK(stack_format(st, buf, need) == need && strlen(buf) < need);
	stack_free(&again);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct stack st, rest;
	char err[256];
	bool name = version_name_valid(text, size);

	CHECK(name == rule(data, size));
	if (stack_parse(&st, text, size, err, sizeof(err)) < 0) {
		CHECK_STR(err);
		CHECK(st.n == 0 && st.layer == NULL);
		return 0;
	}
	CHECK(st.n >= 1 && st.n <= STACK_LAYERS_MAX);
	CHECK(!name || (st.n == 1 && strlen(st.layer[0]) == size));
	for (size_t i = 0; i < st.n; i++) {
		size_t l = strlen(st.layer[i]);

		CHECK(version_name_valid(st.layer[i], l));
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(st.layer[i], st.layer[j]) != 0);
	}
	rest = stack_without_top(&st);
	CHECK(rest.n == st.n - 1);
	round_trip(&st);
	stack_free(&st);
	return 0;
}
