/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>

#include "selector/promfile.h"

static int warnings;

static void count_warning(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
	warnings++;
}

/* Each bad file, and the words its error must contain. */
static void test_bad_files(void **state)
{
	static const struct { const char *text; size_t len; const char *why; } t[] = {
		{ "", 0, "empty" },
		{ "# only a comment\n", 17, "no root" },
		{ "garbage\n", 8, "line 1" },
		{ "root=v1\nhello world\n", 20, "line 2" },
		{ "root=v1\0x\n", 10, "NUL" },
		{ "root=\n", 6, "root" },
		{ "root=../etc\n", 12, "bad version" },
		{ "root=v1+\n", 9, "bad version" },
		{ "root=v1\nroot=v2\n", 16, "twice" },
		{ "root=v1\ntries=-1\n", 17, "tries" },
		{ "root=v1\ntries=x\n", 16, "tries" },
		{ "root=v1\ntries=1001\n", 19, "tries" },
		{ "root=v1\nwatchdog=3601\n", 22, "watchdog" },
		{ "root=v1\nwatchdog=\n", 18, "watchdog" },
		{ "root=v1\nwatchdog=1\nwatchdog=2\n", 30, "watchdog must be given once" },
		{ "root=v1\nupper=disk\n", 19, "upper" },
		{ "root=v1\nBAD KEY=1\n", 18, "bad key" },
		{ "=v1\n", 4, "bad key" },
		{ "root=v1+v1\n", 11, "twice" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct promfile pf;

		err[0] = '\0';
		assert_int_equal(promfile_parse(&pf, t[i].text, t[i].len, NULL, NULL,
						err, sizeof(err)), -1);
		if (!strstr(err, t[i].why))
			fail_msg("file %zu: error '%s' lacks '%s'", i, err, t[i].why);
		assert_int_equal(pf.root.n, 0);
	}
}

static void test_good_file(void **state)
{
	const char *text = "# written by hand\r\nroot = v3+v2\r\nfallback=v2\n"
			   "good=v1\ntries=2\nupper=persist\nwatchdog=30\nfuture=1\n\n";
	struct promfile pf;
	char err[128];

	(void)state;
	warnings = 0;
	assert_int_equal(promfile_parse(&pf, text, strlen(text), count_warning, NULL,
					err, sizeof(err)), 0);
	assert_int_equal(warnings, 1);
	assert_int_equal(pf.root.n, 2);
	assert_string_equal(pf.root.layer[1], "v2");
	assert_string_equal(pf.fallback.layer[0], "v2");
	assert_string_equal(pf.good.layer[0], "v1");
	assert_int_equal(pf.tries, 2);
	assert_int_equal(pf.upper, UPPER_PERSIST);
	assert_int_equal(pf.watchdog, 30);
	assert_string_equal(pf.extra, "# written by hand\nfuture=1\n");
	promfile_free(&pf);
}

static void test_no_trailing_newline(void **state)
{
	struct promfile pf;
	char err[128];

	(void)state;
	assert_int_equal(promfile_parse(&pf, "root=v1\ntries=0", 15, NULL, NULL,
					err, sizeof(err)), 0);
	assert_int_equal(pf.tries, 0);
	assert_int_equal(pf.upper, -1);
	promfile_free(&pf);
}

/* Writing what was read and reading it again changes nothing. */
static void test_round_trip(void **state)
{
	const char *text = "# keep me\nroot=v3+v2\ngood=v1\ntries=1\nwatchdog=0\nnewer=yes\n";
	struct promfile a, b;
	char err[128], *out, *again;
	size_t len, len2;

	(void)state;
	assert_int_equal(promfile_parse(&a, text, strlen(text), NULL, NULL, err, sizeof(err)), 0);
	a.tries = 0;
	out = promfile_format(&a, &len);
	assert_non_null(out);
	assert_string_equal(out, "# keep me\nnewer=yes\nroot=v3+v2\ngood=v1\ntries=0\nwatchdog=0\n");
	assert_int_equal(promfile_parse(&b, out, len, NULL, NULL, err, sizeof(err)), 0);
	again = promfile_format(&b, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(out, again, len);
	free(out);
	free(again);
	promfile_free(&a);
	promfile_free(&b);
}

static void test_too_large(void **state)
{
	size_t len = PROMFILE_MAX + 1;
	char *big = malloc(len), err[128];
	struct promfile pf;

	(void)state;
	memset(big, '#', len);
	assert_int_equal(promfile_parse(&pf, big, len, NULL, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger"));
	free(big);
}

/*
 * A file of exactly the limit without a final newline parses, but written
 * back it would be one byte over: promfile_text refuses (found by fuzzing).
 */
static void test_save_refuses_too_large(void **state)
{
	size_t len = PROMFILE_MAX, out_len = 0;
	char *text = malloc(len), err[128] = "";
	struct promfile pf;

	(void)state;
	memcpy(text, "root=v1\n#", 9);
	memset(text + 9, 'x', len - 9);
	assert_int_equal(promfile_parse(&pf, text, len, NULL, NULL, err, sizeof(err)), 0);
	assert_null(promfile_text(&pf, &out_len, err, sizeof(err)));
	assert_non_null(strstr(err, "larger than"));
	promfile_free(&pf);
	free(text);
}

/* What the init and the command say of a promotion file they could not read. */
static void test_parse_read_says_why(void **state)
{
	struct promfile pf;
	char why[128];

	(void)state;
	assert_int_equal(promfile_parse_read(&pf, -ENOENT, NULL, 0, NULL, NULL, why,
					     sizeof(why)), -1);
	assert_string_equal(why, "is missing");
	assert_int_equal(promfile_parse_read(&pf, -EFBIG, NULL, 0, NULL, NULL, why,
					     sizeof(why)), -1);
	assert_string_equal(why, "is too large");
	assert_int_equal(promfile_parse_read(&pf, -EINVAL, NULL, 0, NULL, NULL, why,
					     sizeof(why)), -1);
	assert_string_equal(why, "is not a regular file");
	assert_int_equal(promfile_parse_read(&pf, 0, "root=a/b\n", 9, NULL, NULL, why,
					     sizeof(why)), -1);
	assert_non_null(strstr(why, "is corrupt ("));
	assert_int_equal(promfile_parse_read(&pf, 0, "root=v2+v1\n", 11, NULL, NULL, why,
					     sizeof(why)), 0);
	assert_int_equal(pf.root.n, 2);
	promfile_free(&pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_no_trailing_newline),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_save_refuses_too_large),
		cmocka_unit_test(test_parse_read_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
