/* SPDX-License-Identifier: GPL-2.0-or-later */
/* aufs_branches(): the "br=" option for kernels with aufs, not overlayfs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "overlay/aufs.h"

static char layers[3][PATH_MAX] = {
	"/run/ovroot/layers/v3", "/store/ovroot/versions/v2",
	"/store/ovroot/versions/v1",
};

static void upper_then_layers_top_first(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(aufs_branches(buf, sizeof(buf), "/run/ovroot/upper/upper",
				       layers, 3), 0);
	assert_string_equal(buf, "br=/run/ovroot/upper/upper=rw:"
			    "/run/ovroot/layers/v3=ro:/store/ovroot/versions/v2=ro:"
			    "/store/ovroot/versions/v1=ro");
}

static void without_upper_only_read_only(void **state)
{
	char buf[256];

	(void)state;
	assert_int_equal(aufs_branches(buf, sizeof(buf), NULL, layers, 2), 0);
	assert_string_equal(buf, "br=/run/ovroot/layers/v3=ro:"
			    "/store/ovroot/versions/v2=ro");
	assert_int_equal(aufs_branches(buf, sizeof(buf), "", layers, 1), 0);
	assert_string_equal(buf, "br=/run/ovroot/layers/v3=ro");
}

static void exact_fit_and_one_short(void **state)
{
	const char *want = "br=/u=rw:/run/ovroot/layers/v3=ro";
	char buf[64];

	(void)state;
	assert_int_equal(aufs_branches(buf, strlen(want) + 1, "/u", layers, 1), 0);
	assert_string_equal(buf, want);
	assert_int_equal(aufs_branches(buf, strlen(want), "/u", layers, 1),
			 -ENAMETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(aufs_branches(buf, 3, "/u", layers, 1), -ENAMETOOLONG);
}

/* 40 paths of 98 characters fit in a page, 41 do not. */
static void one_page_holds_forty_long_layers(void **state)
{
	static char many[41][PATH_MAX];
	char buf[4096];
	size_t i;

	(void)state;
	for (i = 0; i < 41; i++)
		snprintf(many[i], PATH_MAX, "/run/ovroot/store/ovroot/versions/"
			 "%062d%02zu", 0, i);
	assert_int_equal(aufs_branches(buf, sizeof(buf), "/u", many, 40), 0);
	assert_int_equal(strlen(buf), 3 + 5 + 40 * (98 + 4));
	assert_int_equal(aufs_branches(buf, sizeof(buf), "/u", many, 41),
			 -ENAMETOOLONG);
}

static void separators_and_nothing_refused(void **state)
{
	char bad[1][PATH_MAX] = { "/a:b" };
	char buf[256];

	(void)state;
	assert_int_equal(aufs_branches(buf, sizeof(buf), NULL, bad, 1), -EINVAL);
	strcpy(bad[0], "/a,b");
	assert_int_equal(aufs_branches(buf, sizeof(buf), NULL, bad, 1), -EINVAL);
	assert_int_equal(aufs_branches(buf, sizeof(buf), "/u:x", layers, 1),
			 -EINVAL);
	assert_int_equal(aufs_branches(buf, sizeof(buf), NULL, layers, 0),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(upper_then_layers_top_first),
		cmocka_unit_test(without_upper_only_read_only),
		cmocka_unit_test(exact_fit_and_one_short),
		cmocka_unit_test(one_page_holds_forty_long_layers),
		cmocka_unit_test(separators_and_nothing_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
