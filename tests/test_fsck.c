/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <cmocka.h>

#include "init/fsck.h"

/* e2fsck(8): the exit code is the sum of 1, 2, 4, 8, 16, 32 and 128. */
static void test_verdict(void **state)
{
	static const struct { int wstatus; enum fsck_result want; } t[] = {
		{ 0 << 8, FSCK_CLEAN },
		{ 1 << 8, FSCK_FIXED },
		{ 2 << 8, FSCK_FIXED },
		{ 3 << 8, FSCK_FIXED },
		{ 4 << 8, FSCK_UNFIXED },
		{ 5 << 8, FSCK_UNFIXED },
		{ 6 << 8, FSCK_UNFIXED },
		{ 8 << 8, FSCK_FAILED },
		{ 12 << 8, FSCK_FAILED },
		{ 16 << 8, FSCK_FAILED },
		{ 32 << 8, FSCK_FAILED },
		{ 128 << 8, FSCK_FAILED },
		{ SIGKILL, FSCK_FAILED },
		{ SIGSEGV | 0x80, FSCK_FAILED },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(fsck_verdict(t[i].wstatus), t[i].want);
}

static void test_applies(void **state)
{
	(void)state;
	assert_true(fsck_applies("ext4"));
	assert_true(fsck_applies("ext3"));
	assert_true(fsck_applies("ext2"));
	assert_false(fsck_applies("vfat"));
	assert_false(fsck_applies("btrfs"));
	assert_false(fsck_applies(""));
	assert_false(fsck_applies("ext"));
}

/* The last line that says something, through a program that prints lines. */
static void test_run_last_line(void **state)
{
	char last[64];
	int st;

	(void)state;
	st = fsck_run("/bin/echo", "one", last, sizeof(last));
	assert_int_equal(fsck_verdict(st), FSCK_CLEAN);
	assert_string_equal(last, "-p one");
	assert_int_equal(fsck_run("/nonexistent/e2fsck", "x", last, sizeof(last)), -1);
	st = fsck_run("/bin/false", "x", last, sizeof(last));
	assert_int_equal(fsck_verdict(st), FSCK_FIXED);
	assert_string_equal(last, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_applies),
		cmocka_unit_test(test_run_last_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
