/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pure parts of staging, as tables: manifest lines formatted and parsed
 * back, bad lines refused, differences named; tar member names confined;
 * OCI whiteout names mapped; the view overlayfs makes of layers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "command/manifest.h"
#include "command/member.h"
#include "command/mfmerge.h"

#define SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* Lines that parse, and format back to themselves. */
static const char *const good[] = {
	"/ d 0755 0:0 - - - -",
	"/etc/hostname f 0644 0:0 6 " SHA " - -",
	"/bin/sh l 0777 0:0 - - busybox -",
	"/gone c 0000 0:0 0:0 - - -",
	"/dev/sda b 0660 0:6 8:0 - - -",
	"/fifo p 0600 1000:1000 - - - -",
	"/sock s 0755 0:0 - - - -",
	"/dir d 0755 0:0 - - - trusted.overlay.opaque=79",
	"/su f 4755 0:0 0 " SHA " - security.capability=0100,user.a=",
	"/a\\040b\\134c\\054d\\075e f 0644 0:0 0 " SHA " - -",
	"/nl\\012x l 0777 0:0 - - \\055 -",
	"/t l 0777 0:0 - - a\\040b/\\303\\251 -",
};

static void test_roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct mf_entry e;
		char err[128], *line;

		assert_int_equal(mf_parse_line(good[i], strlen(good[i]), &e, err, sizeof(err)), 0);
		line = mf_format_line(&e);
		assert_non_null(line);
		assert_string_equal(line, good[i]);
		free(line);
		mf_entry_free(&e);
	}
}

static void test_escapes(void **state)
{
	struct mf_entry e;
	char err[128];

	(void)state;
	assert_int_equal(mf_parse_line(good[9], strlen(good[9]), &e, err, sizeof(err)), 0);
	assert_string_equal(e.path, "/a b\\c,d=e");
	mf_entry_free(&e);
	assert_int_equal(mf_parse_line(good[10], strlen(good[10]), &e, err, sizeof(err)), 0);
	assert_string_equal(e.path, "/nl\nx");
	assert_string_equal(e.target, "-");
	mf_entry_free(&e);
}

static const struct {
	const char *line, *why;
} bad[] = {
	{ "", "not 8 fields" },
	{ "/ d 0755 0:0 - - -", "not 8 fields" },
	{ "/ d 0755 0:0 - - - - -", "not 8 fields" },
	{ "/  d 0755 0:0 - - - -", "not 8 fields" },
	{ "etc d 0755 0:0 - - - -", "bad path" },
	{ "/ x 0755 0:0 - - - -", "bad type" },
	{ "/ d 755 0:0 - - - -", "bad mode" },
	{ "/ d 0758 0:0 - - - -", "bad mode" },
	{ "/ d 0755 0 - - - -", "bad owner" },
	{ "/f f 0644 0:0 - " SHA " - -", "bad size" },
	{ "/f f 0644 0:0 1x " SHA " - -", "bad size" },
	{ "/d d 0755 0:0 1 - - -", "bad size" },
	{ "/c c 0600 0:0 - - - -", "bad size" },
	{ "/f f 0644 0:0 1 abc - -", "bad sha256" },
	{ "/f f 0644 0:0 1 " SHA "0 - -", "bad sha256" },
	{ "/d d 0755 0:0 - " SHA " - -", "bad sha256" },
	{ "/l l 0777 0:0 - - - -", "bad symlink target" },
	{ "/f f 0644 0:0 0 " SHA " x -", "bad symlink target" },
	{ "/a\\9 d 0755 0:0 - - - -", "bad path" },
	{ "/a\\4 d 0755 0:0 - - - -", "bad path" },
};

static void test_bad_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mf_entry e;
		char err[128] = "";

		assert_int_equal(mf_parse_line(bad[i].line, strlen(bad[i].line), &e, err,
					       sizeof(err)), -1);
		assert_string_equal(err, bad[i].why);
	}
}

static void test_whole(void **state)
{
	static const char text[] = "ovroot-manifest 1\n"
				   "image squashfs " SHA "\n"
				   "/b d 0755 0:0 - - - -\n"
				   "/ d 0755 0:0 - - - -\n";
	struct manifest m;
	char err[128], *out;
	size_t len;

	(void)state;
	assert_int_equal(mf_parse(&m, text, strlen(text), err, sizeof(err)), 0);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.e[0].path, "/");	/* sorted */
	assert_string_equal(m.image_type, "squashfs");
	assert_non_null(mf_find(&m, "/b"));
	assert_null(mf_find(&m, "/c"));
	assert_int_equal(mf_format(&m, &out, &len), 0);
	assert_string_equal(out, "ovroot-manifest 1\nimage squashfs " SHA "\n"
				 "/ d 0755 0:0 - - - -\n/b d 0755 0:0 - - - -\n");
	free(out);
	mf_free(&m);
	assert_int_equal(mf_parse(&m, "ovroot-manifest 2\n", 18, err, sizeof(err)), -1);
	assert_int_equal(mf_parse(&m, "ovroot-manifest 1\n/ d 0755 0:0 - - - -", 38, err,
				  sizeof(err)), -1);
	assert_string_equal(err, "line 2: no newline at the end");
	assert_int_equal(mf_parse(&m, "ovroot-manifest 1\nimage ext4 x\n", 31, err, sizeof(err)),
			 -1);
}

static char said[1024];

static void collect(void *ctx, const char *path, const char *what)
{
	(void)ctx;
	snprintf(said + strlen(said), sizeof(said) - strlen(said), "%s: %s;", path, what);
}

static void test_diff(void **state)
{
	static const char a[] = "ovroot-manifest 1\n/ d 0755 0:0 - - - -\n"
				"/f f 0644 0:0 1 " SHA " - -\n/g f 0644 0:0 1 " SHA " - -\n"
				"/l l 0777 0:0 - - x -\n/m f 0644 0:0 1 " SHA " - -\n";
	static const char b[] = "ovroot-manifest 1\n/ d 0755 0:0 - - - -\n"
				"/f f 0600 0:0 1 " SHA " - -\n/h f 0644 0:0 1 " SHA " - -\n"
				"/l l 0777 0:0 - - y -\n/m f 0644 0:0 1 " SHA " - user.x=01\n";
	struct manifest ma, mb;
	char err[128];

	(void)state;
	assert_int_equal(mf_parse(&ma, a, strlen(a), err, sizeof(err)), 0);
	assert_int_equal(mf_parse(&mb, b, strlen(b), err, sizeof(err)), 0);
	said[0] = '\0';
	assert_int_equal(mf_diff(&ma, &mb, collect, NULL), 5);
	assert_string_equal(said, "/f: mode 0600, not 0644;/g: missing;/h: added;"
			    "/l: symlink target differs;/m: xattrs differ;");
	said[0] = '\0';
	assert_int_equal(mf_diff(&ma, &ma, collect, NULL), 0);
	mf_free(&ma);
	mf_free(&mb);
}

/* Later entries of one path win; the opaque mark; overlay xattrs dropped. */
static void test_sort_and_xattrs(void **state)
{
	struct manifest m = { 0 };
	struct mf_entry e = { .type = 'f', .mode = 0644 };
	char *x;

	(void)state;
	e.path = strdup("/a");
	assert_int_equal(mf_add(&m, &e), 0);
	e = (struct mf_entry){ .type = 'l', .mode = 0777, .path = strdup("/a"),
			       .target = strdup("t") };
	assert_int_equal(mf_add(&m, &e), 0);
	mf_sort(&m);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.e[0].type, 'l');
	m.e[0].type = 'd';
	m.e[0].xattrs = strdup("trusted.overlay.opaque=79,user.a=00");
	assert_true(mf_is_opaque(&m.e[0]));
	x = mf_xattrs_without_overlay(m.e[0].xattrs);
	assert_string_equal(x, "user.a=00");
	free(x);
	assert_null(mf_xattrs_without_overlay("trusted.overlay.opaque=79"));
	mf_free(&m);
}

static const struct {
	const char *name, *rel;
} members[] = {
	{ "a", "a" }, { "./a", "a" }, { "a/", "a" }, { "./a//b/./c/", "a/b/c" },
	{ ".", "" }, { "./", "" }, { "", "" }, { "a..b/..c", "a..b/..c" },
	{ "/a", NULL }, { "../a", NULL }, { "a/../b", NULL }, { "a/..", NULL },
	{ "./..", NULL }, { "//a", NULL },
};

static void test_member_path(void **state)
{
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		int r = member_path(members[i].name, out, sizeof(out));

		if (!members[i].rel) {
			assert_int_equal(r, -1);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(out, members[i].rel);
	}
	assert_int_equal(member_path("abcdefgh", out, 8), -1);
	assert_int_equal(member_path("abcdefg", out, 8), 0);
}

static const struct {
	const char *rel;
	enum oci_wh wh;
	const char *out;
} whiteouts[] = {
	{ "a/b", OCI_WH_NONE, NULL },
	{ "a/.wh.b", OCI_WH_FILE, "a/b" },
	{ ".wh.b", OCI_WH_FILE, "b" },
	{ "a/b/.wh..hidden", OCI_WH_FILE, "a/b/.hidden" },
	{ "a/.wh..wh..opq", OCI_WH_OPAQUE, "a" },
	{ ".wh..wh..opq", OCI_WH_OPAQUE, "" },
	{ "a/.wh.", OCI_WH_BAD, NULL },
	{ "a/.wh..wh.plnk", OCI_WH_BAD, NULL },
	{ "a/.wh..", OCI_WH_BAD, NULL },
	{ "a/.wh...", OCI_WH_BAD, NULL },
	{ "a.wh.b", OCI_WH_NONE, NULL },
	{ ".wh.x/y", OCI_WH_NONE, NULL },
};

static void test_oci_whiteout(void **state)
{
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(whiteouts) / sizeof(whiteouts[0]); i++) {
		assert_int_equal(oci_whiteout(whiteouts[i].rel, out, sizeof(out)), whiteouts[i].wh);
		if (whiteouts[i].out)
			assert_string_equal(out, whiteouts[i].out);
	}
}

/* Layers as manifest texts (top first) and the paths their view shows. */
static const struct {
	const char *layers[3];
	const char *view;
} merges[] = {
	/* a whiteout hides the path below, and all under it */
	{ { "/ d 0755 0:0 - - - -\n/a c 0000 0:0 0:0 - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/x p 0644 0:0 - - - -\n/b p 0644 0:0 - - - -\n" },
	  "/ /b" },
	/* an upper dir merges with the lower one; its attributes win */
	{ { "/ d 0700 0:0 - - - -\n/a d 0700 0:0 - - - -\n/a/y p 0644 0:0 - - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/x p 0644 0:0 - - - -\n" },
	  "/ /a /a/x /a/y" },
	/* an opaque dir hides what lies below it, its xattr is not shown */
	{ { "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - trusted.overlay.opaque=79\n/a/y p 0644 0:0 - - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/x p 0644 0:0 - - - -\n" },
	  "/ /a /a/y" },
	/* a file hides a directory below and all in it */
	{ { "/ d 0755 0:0 - - - -\n/a p 0644 0:0 - - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/x p 0644 0:0 - - - -\n" },
	  "/ /a" },
	/* an opaque dir of a middle layer ends the lookup under an upper dir */
	{ { "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/z p 0644 0:0 - - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - trusted.overlay.opaque=79\n/a/y p 0644 0:0 - - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/x p 0644 0:0 - - - -\n" },
	  "/ /a /a/y /a/z" },
	/* a whiteout of a middle layer under an upper dir hides the bottom's */
	{ { "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/x c 0000 0:0 0:0 - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a/x p 0644 0:0 - - - -\n/a/w p 0644 0:0 - - - -\n" },
	  "/ /a /a/w" },
	/* "/a-b" sorts between "/a" and "/a/b": not under /a */
	{ { "/ d 0755 0:0 - - - -\n/a c 0000 0:0 0:0 - - -\n",
	    "/ d 0755 0:0 - - - -\n/a d 0755 0:0 - - - -\n/a-b p 0644 0:0 - - - -\n/a/b p 0644 0:0 - - - -\n" },
	  "/ /a-b" },
};

static void test_merge(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(merges) / sizeof(merges[0]); i++) {
		struct manifest l[3], view;
		char err[128], got[256] = "";
		size_t n = 0;

		for (; n < 3 && merges[i].layers[n]; n++) {
			char text[1024];

			snprintf(text, sizeof(text), "ovroot-manifest 1\n%s", merges[i].layers[n]);
			assert_int_equal(mf_parse(&l[n], text, strlen(text), err, sizeof(err)), 0);
		}
		assert_int_equal(mf_merge(l, n, &view), 0);
		for (size_t j = 0; j < view.n; j++) {
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", j ? " " : "",
				 view.e[j].path);
			assert_null(view.e[j].xattrs);	/* overlayfs' own are not shown */
		}
		assert_string_equal(got, merges[i].view);
		if (i == 1)
			assert_int_equal(mf_find(&view, "/a")->mode, 0700);
		mf_free(&view);
		while (n--)
			mf_free(&l[n]);
	}
}

static void test_under(void **state)
{
	static const char text[] = "ovroot-manifest 1\n/ d 0755 0:0 - - - -\n"
				   "/a d 0755 0:0 - - - -\n/a-b p 0644 0:0 - - - -\n"
				   "/a.c p 0644 0:0 - - - -\n/a/b p 0644 0:0 - - - -\n"
				   "/b p 0644 0:0 - - - -\n";
	struct manifest m;
	char err[128];

	(void)state;
	assert_int_equal(mf_parse(&m, text, strlen(text), err, sizeof(err)), 0);
	assert_true(mf_under("/a/b", "/a"));
	assert_false(mf_under("/a-b", "/a"));
	assert_false(mf_under("/a", "/a"));
	assert_true(mf_under("/a", "/"));
	assert_false(mf_under("/", "/"));
	assert_string_equal(m.e[mf_first_under(&m, "/a")].path, "/a/b");
	assert_string_equal(m.e[mf_first_under(&m, "/")].path, "/a");
	assert_int_equal(mf_first_under(&m, "/b"), m.n);
	mf_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_sort_and_xattrs),
		cmocka_unit_test(test_member_path),
		cmocka_unit_test(test_oci_whiteout),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_under),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
