/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "selector/booted.h"

static char dir[] = "/tmp/ovroot-booted.XXXXXX";

static void put(const char *text)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/booted", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* What init/state.c writes, and keys a newer init may add. */
static void test_reads_what_the_init_writes(void **state)
{
	struct booted b;
	char err[256];

	(void)state;
	put("stack=v3+v1\nreason=key\npromoted=v4+v3+v1\nstore=/dev/vda\nstore_type=ext4\n"
	    "store_mount=/run/ovroot/store\nstore_dir=/ovroot\nupper=persist\ntries=\n"
	    "key_wait_ms=12\nlayer=v3 /run/ovroot/layers/v3\nlayer=v1 /x\nnew_key=1\n"
	    "upper_path=/run/ovroot/store/ovroot/upper/v3\n");
	assert_int_equal(booted_load(dir, &b, err, sizeof(err)), 0);
	assert_int_equal(b.stack.n, 2);
	assert_string_equal(b.stack.layer[1], "v1");
	assert_int_equal(b.promoted.n, 3);
	assert_string_equal(b.reason, "key");
	assert_string_equal(b.store_mount, "/run/ovroot/store");
	assert_string_equal(b.store_dir, "/ovroot");
	assert_string_equal(b.upper, "persist");
	assert_string_equal(b.tries, "");
	assert_string_equal(b.upper_path, "/run/ovroot/store/ovroot/upper/v3");
	booted_free(&b);
}

static void test_bad_and_missing(void **state)
{
	struct booted b;
	char err[256] = "";

	(void)state;
	put("stack=v1+v1\nstore_mount=/s\n");
	assert_int_equal(booted_load(dir, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	put("reason=promoted\n");
	assert_int_equal(booted_load(dir, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no stack="));
	assert_int_equal(booted_load("/nonexistent-ovroot-run", &b, err, sizeof(err)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_what_the_init_writes),
		cmocka_unit_test(test_bad_and_missing),
	};
	char path[64];
	int r;

	if (!mkdtemp(dir))
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(path, sizeof(path), "%s/booted", dir);
	unlink(path);
	rmdir(dir);
	return r;
}
