/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bad input to ovroot-mkinitramfs: each mistake gives a non-zero exit and
 * one line naming the path, and leaves nothing at OUT (not even a
 * temporary file), while an older OUT stays as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/mk-helpers.h"

/* No file at out and no out.tmp.* beside it. */
static void nothing_at(const char *out)
{
	assert_false(mk_exists(out));
	assert_int_equal(mk_sh("ls -d '%s'.tmp.* >/dev/null 2>&1", out), 2);
}

/*
 * Runs the tool with extra arguments replacing the defaults' values and
 * expects a failure whose single line names path.
 */
static void expect_failure(const char *m, const char *init,
			   const char *include, const char *out,
			   const char *path)
{
	char *err = NULL;
	char *argv[] = { (char *)mk_tool(), "-k", (char *)mk_kver(), "-m",
		(char *)m, "--init", (char *)init, "-o", (char *)out,
		"--compress", "none", include ? "--include" : NULL,
		(char *)include, NULL };

	assert_int_not_equal(mk_run(argv, &err), 0);
	assert_non_null(err);
	if (mk_lines(err) != 1 || !strstr(err, path) ||
	    strncmp(err, "ovroot-mkinitramfs: ", 20))
		fail_msg("want one line naming %s, got: %s", path, err);
	free(err);
}

static void test_missing_module_dir(void **state)
{
	char out[4200], dir[4200];

	(void)state;
	snprintf(out, sizeof(out), "%s/m.img", mk_work);
	snprintf(dir, sizeof(dir), "%s/no/lib/modules/1.2.3", mk_work);
	expect_failure(dir, "/bin/true", NULL, out, dir);
	nothing_at(out);
}

static void test_missing_init(void **state)
{
	char out[4200], init[4200];

	(void)state;
	snprintf(out, sizeof(out), "%s/i.img", mk_work);
	snprintf(init, sizeof(init), "%s/no-such-init", mk_work);
	expect_failure(mk_moddir(), init, NULL, out, init);
	nothing_at(out);
}

static void test_missing_include(void **state)
{
	char out[4200], inc[4200];

	(void)state;
	snprintf(out, sizeof(out), "%s/inc.img", mk_work);
	snprintf(inc, sizeof(inc), "%s/no-such-dir", mk_work);
	expect_failure(mk_moddir(), "/bin/true", inc, out, inc);
	nothing_at(out);
}

static void test_unwritable_output(void **state)
{
	char out[4200], file[4200];

	(void)state;
	snprintf(out, sizeof(out), "%s/no-such-dir/o.img", mk_work);
	expect_failure(mk_moddir(), "/bin/true", NULL, out, out);
	nothing_at(out);
	/* A plain file where the directory should be. */
	snprintf(file, sizeof(file), "%s/plain", mk_work);
	assert_int_equal(mk_write(file, "x"), 0);
	snprintf(out, sizeof(out), "%s/plain/o.img", mk_work);
	expect_failure(mk_moddir(), "/bin/true", NULL, out, out);
}

static void test_old_output_kept(void **state)
{
	char out[4200], inc[4200], *text;

	(void)state;
	snprintf(out, sizeof(out), "%s/old.img", mk_work);
	snprintf(inc, sizeof(inc), "%s/missing-file", mk_work);
	assert_int_equal(mk_write(out, "old image"), 0);
	expect_failure(mk_moddir(), "/bin/true", inc, out, inc);
	text = mk_read(out, NULL);
	assert_string_equal(text, "old image");
	free(text);
	assert_int_equal(mk_sh("ls -d '%s'.tmp.* >/dev/null 2>&1", out), 2);
}

static void test_bad_source_date_epoch(void **state)
{
	char out[4200];

	(void)state;
	snprintf(out, sizeof(out), "%s/e.img", mk_work);
	setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
	expect_failure(mk_moddir(), "/bin/true", NULL, out, "yesterday");
	unsetenv("SOURCE_DATE_EPOCH");
	nothing_at(out);
}

static void test_usage_errors(void **state)
{
	char *err = NULL;
	char *no_out[] = { (char *)mk_tool(), "-k", "1", NULL };
	char *bad_kind[] = { (char *)mk_tool(), "-k", "1", "-o", "x",
		"--compress", "lz4", NULL };
	char *help[] = { (char *)mk_tool(), "--help", NULL };

	(void)state;
	assert_int_equal(mk_run(no_out, &err), 2);
	free(err);
	assert_int_equal(mk_run(bad_kind, &err), 2);
	assert_non_null(strstr(err, "lz4"));
	free(err);
	assert_int_equal(mk_run(help, &err), 0);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_module_dir),
		cmocka_unit_test(test_missing_init),
		cmocka_unit_test(test_missing_include),
		cmocka_unit_test(test_unwritable_output),
		cmocka_unit_test(test_old_output_kept),
		cmocka_unit_test(test_bad_source_date_epoch),
		cmocka_unit_test(test_usage_errors),
	};

	return cmocka_run_group_tests(tests, mk_work_setup, mk_work_teardown);
}
