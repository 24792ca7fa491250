// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Version names (version_name_valid): checked against the rule as
 * docs/boot.md states it, 1-64 characters of [A-Za-z0-9._-], not . or ..
 */
#include <stdbool.h>

#include "selector/stack.h"
#include "tests/fuzz/fuzz.h"

static bool rule(const uint8_t *s, size_t len)
{
	if (len < 1 || len > 64)
		return false;
	if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", s[i]) || s[i] == '\0')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool ok = version_name_valid((const char *)data, size);

	CHECK(ok == rule(data, size));
	if (ok) {	/* a valid name is a stack of one */
		struct stack st;
		char err[256];

		CHECK(stack_parse(&st, (const char *)data, size, err, sizeof(err)) == 0);
		CHECK(st.n == 1 && strlen(st.layer[0]) == size);
		stack_free(&st);
	}
	return 0;
}
