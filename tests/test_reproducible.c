/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The same inputs give the same image, byte for byte, for every
 * compression: built twice, and once more from an include tree made in
 * another order with other timestamps.  Each image decompresses, with the
 * codec's own program, to a cpio archive that GNU cpio reads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/mk-helpers.h"

static char *work;

/*
 * An include tree.  The second version makes the same tree in another
 * order (so directories list their entries differently) and sets every
 * timestamp to another day.
 */
static void make_tree(const char *dir, int other)
{
	static const char first[] =
		"mkdir -p D/sub/deeper D/empty-dir && echo one > D/a && "
		"echo two > D/sub/b && printf '' > D/sub/empty && "
		"ln D/a D/sub/a-link && ln -s ../a D/sub/a-sym && "
		"echo three > D/sub/deeper/c && chmod 0750 D/sub";
	static const char second[] =
		"mkdir -p D/empty-dir D/sub && echo three > D/c0 && "
		"mkdir D/sub/deeper && mv D/c0 D/sub/deeper/c && "
		"ln -s ../a D/sub/a-sym && echo one > D/sub/a-link && "
		"ln D/sub/a-link D/a && printf '' > D/sub/empty && "
		"echo two > D/sub/b && chmod 0750 D/sub && "
		"find D -exec touch -h -d '2001-02-03 04:05' {} +";

	assert_int_equal(mk_sh("mkdir -p %s/%s && cd %s/%s && %s", work, dir,
			       work, dir, other ? second : first), 0);
}

static int setup(void **state)
{
	(void)state;
	work = mk_tmpdir();
	if (!work)
		return -1;
	make_tree("t1", 0);
	make_tree("t2", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mk_rmtree(work);
	return 0;
}

static void build(const char *kind, const char *tree, const char *name)
{
	char out[4200], inc[4200], *err = NULL;
	const char *moddir = mk_modules_dir();
	char *argv[] = { (char *)mk_tool(), "-k", (char *)mk_kver(), "-m",
		(char *)moddir, "--init", "/bin/true", "-o", out,
		"--compress", (char *)kind, "--include", inc, NULL };

	if (!moddir)
		fail_msg("no test kernel in %s (set OVROOT_KERNEL_DIR)",
			 mk_kernel_dir());
	snprintf(out, sizeof(out), "%s/%s", work, name);
	snprintf(inc, sizeof(inc), "%s/%s/D:/data", work, tree);
	if (mk_run(argv, &err) != 0)
		fail_msg("build failed: %s", err ? err : "");
	free(err);
}

static void same_bytes(const char *a, const char *b)
{
	char pa[4200], pb[4200], *da, *db;
	size_t la, lb;

	snprintf(pa, sizeof(pa), "%s/%s", work, a);
	snprintf(pb, sizeof(pb), "%s/%s", work, b);
	da = mk_read(pa, &la);
	db = mk_read(pb, &lb);
	assert_non_null(da);
	assert_non_null(db);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	free(da);
	free(db);
}

static void check_kind(const char *kind, const char *unpack)
{
	char a[64], b[64], c[64];

	snprintf(a, sizeof(a), "%s-1.img", kind);
	snprintf(b, sizeof(b), "%s-2.img", kind);
	snprintf(c, sizeof(c), "%s-3.img", kind);
	build(kind, "t1", a);
	build(kind, "t1", b);
	build(kind, "t2", c);
	same_bytes(a, b);
	same_bytes(a, c);
	assert_int_equal(mk_sh(
		"cd %s && %s %s > %s.cpio && head -c 6 %s.cpio | grep -q 070701 "
		"&& rm -rf x && mkdir x && cd x && cpio -idm --quiet < ../%s.cpio"
		" && cmp data/sub/a-link ../t1/D/a && test \"$(readlink "
		"data/sub/a-sym)\" = ../a && test -f etc/ovroot/modules && "
		"test \"$(stat -c %%i data/a)\" = \"$(stat -c %%i data/sub/a-link)\"",
		work, unpack, a, a, a, a), 0);
}

static void test_none(void **state)
{
	(void)state;
	check_kind("none", "cat");
}

static void test_gzip(void **state)
{
	(void)state;
	check_kind("gzip", "gzip -dc");
}

static void test_zstd(void **state)
{
	(void)state;
	check_kind("zstd", "zstd -dcq");
}

static void test_xz(void **state)
{
	(void)state;
	check_kind("xz", "xz -dc");
	/* The kernel's xz decoder takes CRC32 or no check, not CRC64. */
	assert_int_equal(mk_sh("xz -lvv %s/xz-1.img | grep -q 'CRC32'", work),
			 0);
}

static void test_source_date_epoch(void **state)
{
	(void)state;
	setenv("SOURCE_DATE_EPOCH", "1234567890", 1);
	build("none", "t1", "epoch.img");
	unsetenv("SOURCE_DATE_EPOCH");
	/* 1234567890 is 499602D2: the mtime field of the first header. */
	assert_int_equal(mk_sh("head -c 54 %s/epoch.img | tail -c 8 | "
			       "grep -q 499602D2", work), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_xz),
		cmocka_unit_test(test_source_date_epoch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
