/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The boot menu's model (selector/menu.c): entries, order, greyed ones, choices. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "selector/menu.h"

/* The store: versions present; "bad.squashfs" stands for a broken image. */
static const char *present = " v1 v2 v3 v4 v5 v6 old ";

static const char *kind(void *ctx, const char *name, const char **why)
{
	char pad[80];

	(void)ctx;
	snprintf(pad, sizeof(pad), " %s ", name);
	if (!strcmp(name, "bad")) {
		*why = "does not mount";
		return NULL;
	}
	if (!strstr(present, pad)) {
		*why = "missing";
		return NULL;
	}
	return strcmp(name, "v6") == 0 ? "squashfs" : "dir";
}

/* The entries as "stack:what:usable" words, for comparing with a row. */
static void entries(const char *file, const char *versions, char *out, size_t len)
{
	const char *names[16];
	char buf[128], err[128], *save = NULL;
	struct promfile pf;
	struct menu m;
	size_t n = 0, used = 0;
	struct menu_input in = { .kind = kind };

	snprintf(buf, sizeof(buf), "%s", versions);
	for (char *t = strtok_r(buf, " ", &save); t && n < 16; t = strtok_r(NULL, " ", &save))
		names[n++] = t;
	in.versions = names;
	in.nversions = n;
	if (file)
		assert_int_equal(promfile_parse(&pf, file, strlen(file), NULL, NULL, err,
						sizeof(err)), 0);
	in.file = file ? &pf : NULL;
	assert_int_equal(menu_build(&m, &in), 0);
	out[0] = '\0';
	for (size_t i = 0; i < m.n; i++) {
		char st[256];

		stack_format(&m.v[i].stack, st, sizeof(st));
		used += (size_t)snprintf(out + used, len - used, "%s%s:%s%s", i ? " " : "", st,
					 menu_what_name(m.v[i].what), m.v[i].usable ? "" : ":grey");
	}
	snprintf(out + used, len - used, " first=%zu", m.first);
	menu_free(&m);
	if (file)
		promfile_free(&pf);
}

static void test_entries(void **state)
{
	static const struct { const char *what, *file, *versions, *want; } t[] = {
		{ "one layer", "root=v1\n", "v1",
		  "v1:promoted first=0" },
		{ "two layers", "root=v2+v1\n", "v1 v2",
		  "v2+v1:promoted v1:stripped v2:version first=0" },
		{ "six layers, stripped one by one, then the rest alone",
		  "root=v6+v5+v4+v3+v2+v1\n", "v1 v2 v3 v4 v5 v6 old",
		  "v6+v5+v4+v3+v2+v1:promoted v5+v4+v3+v2+v1:stripped v4+v3+v2+v1:stripped "
		  "v3+v2+v1:stripped v2+v1:stripped v1:stripped v2:version v3:version "
		  "v4:version v5:version v6:version old:version first=0" },
		{ "a missing top layer: greyed, the first usable is highlighted",
		  "root=v9+v2+v1\n", "v1 v2",
		  "v9+v2+v1:promoted:grey v2+v1:stripped v1:stripped v2:version first=1" },
		{ "fallback= and good= after the stripped ones",
		  "root=v4+v3\nfallback=v2\ngood=v1\n", "v1 v2 v3 v4",
		  "v4+v3:promoted v3:stripped v2:fallback v1:good v4:version first=0" },
		{ "fallback equal to root: listed once", "root=v2+v1\nfallback=v2+v1\n",
		  "v1 v2", "v2+v1:promoted v1:stripped v2:version first=0" },
		{ "a version that does not mount is greyed", "root=bad+v1\n", "v1 bad",
		  "bad+v1:promoted:grey v1:stripped bad:version:grey first=1" },
		{ "no promotion file: every version alone", NULL, "v1 v2",
		  "v1:version v2:version first=0" },
	};
	char got[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		entries(t[i].file, t[i].versions, got, sizeof(got));
		if (strcmp(got, t[i].want))
			fail_msg("%s:\n got  %s\n want %s", t[i].what, got, t[i].want);
	}
}

static void test_step_skips_greyed(void **state)
{
	const char *names[] = { "v1", "v2" };
	struct menu_input in = { .versions = names, .nversions = 2, .kind = kind };
	struct promfile pf;
	struct menu m;
	char err[64];

	(void)state;
	assert_int_equal(promfile_parse(&pf, "root=v2+v9+v1\n", 14, NULL, NULL, err,
					sizeof(err)), 0);
	in.file = &pf;
	assert_int_equal(menu_build(&m, &in), 0);
	/* v2+v9+v1 grey, v9+v1 grey, v1, v2 */
	assert_int_equal(m.n, 4);
	assert_int_equal(m.first, 2);
	assert_int_equal(menu_step(&m, 2, -1), 2);
	assert_int_equal(menu_step(&m, 2, +1), 3);
	assert_int_equal(menu_step(&m, 3, +1), 3);
	menu_free(&m);
	promfile_free(&pf);
}

static void test_make_default(void **state)
{
	struct promfile pf;
	struct stack st;
	char err[64], *text;
	size_t len;

	(void)state;
	assert_int_equal(promfile_parse(&pf, "root=v3+v2+v1\ngood=v2+v1\ntries=1\n", 33, NULL,
					NULL, err, sizeof(err)), 0);
	assert_int_equal(stack_parse(&st, "v2+v1", 5, err, sizeof(err)), 0);
	assert_int_equal(menu_make_default(&pf, &st), 0);
	text = promfile_format(&pf, &len);
	/* the unconfirmed root is no fallback; the derived one (good) is the new root */
	assert_string_equal(text, "root=v2+v1\ngood=v2+v1\n");
	free(text);
	stack_free(&st);
	promfile_free(&pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_step_skips_greyed),
		cmocka_unit_test(test_make_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
