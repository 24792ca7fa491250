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

#include "command/store.h"
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

/* What the init writes (init/state.c, booted_format), and keys a newer init may add. */
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

/* The writer's text, read back, is what was written: one format, both sides. */
static void test_format_parse_round_trip(void **state)
{
	char *names[] = { "v3", "v1" }, *text, err[128];
	char paths[2][PATH_MAX] = { "/run/ovroot/layers/v3", "/s/ovroot/versions/v1" };
	struct booted w = {
		.stack = { 2, names }, .promoted = { 2, names }, .reason = "key",
		.store = "/dev/vda", .store_type = "ext4", .store_mount = "/run/ovroot/store",
		.store_dir = "/ovroot", .upper = "tmpfs", .tries = "2", .key_wait_ms = 1000,
		.layer_path = paths, .nlayer = 2,
	}, r;
	size_t len;

	(void)state;
	text = booted_format(&w, &len);
	assert_non_null(text);
	assert_int_equal(strlen(text), len);
	assert_int_equal(booted_parse(&r, text, err, sizeof(err)), 0);
	assert_true(stack_equal(&r.stack, &w.stack));
	assert_true(stack_equal(&r.promoted, &w.promoted));
	assert_string_equal(r.reason, "key");
	assert_string_equal(r.store, "/dev/vda");
	assert_string_equal(r.store_type, "ext4");
	assert_string_equal(r.store_mount, "/run/ovroot/store");
	assert_string_equal(r.store_dir, "/ovroot");
	assert_string_equal(r.upper, "tmpfs");
	assert_string_equal(r.tries, "2");
	assert_string_equal(r.upper_path, "");
	assert_int_equal(r.key_wait_ms, 1000);
	assert_int_equal(r.nlayer, 2);
	assert_string_equal(r.layer_path[0], "/run/ovroot/layers/v3");
	assert_string_equal(r.layer_path[1], "/s/ovroot/versions/v1");
	booted_free(&r);
	free(text);
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
		cmocka_unit_test(test_format_parse_round_trip),
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
