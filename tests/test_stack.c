/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "selector/stack.h"

static void test_names(void **state)
{
	static const struct { const char *s; bool ok; } t[] = {
		{ "v1", true }, { "a", true }, { "A.b_c-9", true }, { "...", false },
		{ ".x", false }, { "-x", false }, { "_x", false }, { "9.x", true },
		{ "", false }, { ".", false }, { "..", false },
		{ "a/b", false }, { "../x", false }, { "a b", false }, { "a+b", false },
		{ "é", false }, { "a\n", false }, { "a:b", false }, { "a,b", false },
	};
	char n64[65], n65[66];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(version_name_valid(t[i].s, strlen(t[i].s)), t[i].ok);
	memset(n64, 'x', 64);
	n64[64] = '\0';
	memset(n65, 'x', 65);
	n65[65] = '\0';
	assert_true(version_name_valid(n64, 64));
	assert_false(version_name_valid(n65, 65));
}

static void test_parse(void **state)
{
	static const struct { const char *s; int ok; size_t n; } t[] = {
		{ "v1", 0, 1 }, { "v3+v2+v1", 0, 3 }, { "", -1, 0 }, { "+", -1, 0 },
		{ "v1+", -1, 0 }, { "+v1", -1, 0 }, { "v1++v2", -1, 0 },
		{ "v1+v1", -1, 0 }, { "v2+..", -1, 0 }, { "v2+a/b", -1, 0 },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct stack st;

		err[0] = '\0';
		assert_int_equal(stack_parse(&st, t[i].s, strlen(t[i].s), err, sizeof(err)),
				 t[i].ok);
		assert_int_equal(st.n, t[i].n);
		if (t[i].ok < 0)
			assert_true(err[0] != '\0');
		stack_free(&st);
	}
}

static void test_layers_in_order(void **state)
{
	struct stack st, v;
	char err[64], buf[64];

	(void)state;
	assert_int_equal(stack_parse(&st, "v3+v2+v1", 8, err, sizeof(err)), 0);
	assert_string_equal(st.layer[0], "v3");
	assert_string_equal(st.layer[2], "v1");
	v = stack_without_top(&st);
	assert_int_equal(stack_format(&v, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "v2+v1");
	assert_int_equal(stack_format(&st, buf, 4), 8);
	assert_string_equal(buf, "v3");
	stack_free(&st);
}

static void test_limits(void **state)
{
	size_t n = STACK_LAYERS_MAX + 1, len = 0;
	char *s = malloc(n * 5), err[128];
	struct stack st;

	(void)state;
	for (size_t i = 0; i < STACK_LAYERS_MAX; i++)
		len += (size_t)sprintf(s + len, "%s%zu", i ? "+" : "", i);
	assert_int_equal(stack_parse(&st, s, len, err, sizeof(err)), 0);
	assert_int_equal(st.n, STACK_LAYERS_MAX);
	stack_free(&st);
	len += (size_t)sprintf(s + len, "+x");
	assert_int_equal(stack_parse(&st, s, len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "500"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_layers_in_order),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
