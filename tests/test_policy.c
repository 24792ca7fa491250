/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "selector/policy.h"

/* Flags of a row's key field besides "held" (1). */
#define KEY 1
#define UNWRITABLE 2	/* the try cannot be recorded */
#define MENU 4		/* the override was chosen in the boot menu */

/* One row: the inputs as text, the decision expected. */
struct row {
	const char *what;
	const char *file;	/* NULL: missing or corrupt */
	const char *backup;	/* NULL: none */
	const char *override;	/* ovroot.root= */
	int key;		/* KEY, and UNWRITABLE, MENU */
	int upper_override;
	const char *present;	/* versions in the store, space separated */
	const char *stack;	/* expected, "" when fatal */
	enum reason reason;
	int write_tries;
	int upper;
};

static const struct row rows[] = {
	{ "try unwritable: fallback, nothing written", "root=v2\nfallback=v1\ntries=2\n", NULL,
	  NULL, UNWRITABLE, -1, "v1 v2", "v1", REASON_TRIES_UNWRITABLE, -1, UPPER_TMPFS },
	{ "try unwritable, good= when no fallback=", "root=v3+v2\ngood=v1\ntries=2\n", NULL,
	  NULL, UNWRITABLE, -1, "v1 v2 v3", "v1", REASON_TRIES_UNWRITABLE, -1, UPPER_TMPFS },
	{ "try unwritable, no fallback: root boots uncounted", "root=v2\ntries=2\n", NULL, NULL,
	  UNWRITABLE, -1, "v2", "v2", REASON_PROMOTED, -1, UPPER_TMPFS },
	{ "try unwritable, confirmed root: root", "root=v2+v1\n", NULL, NULL, UNWRITABLE, -1,
	  "v1 v2", "v2+v1", REASON_PROMOTED, -1, UPPER_TMPFS },
	{ "try unwritable, tries=0: tries-exhausted", "root=v2\nfallback=v1\ntries=0\n", NULL,
	  NULL, UNWRITABLE, -1, "v1 v2", "v1", REASON_TRIES_EXHAUSTED, -1, UPPER_TMPFS },
	{ "try unwritable, key held: key", "root=v2\nfallback=v1\ntries=2\n", NULL, NULL,
	  KEY | UNWRITABLE, -1, "v1 v2", "v1", REASON_KEY, -1, UPPER_TMPFS },
	{ "menu choice: reason menu, no try spent", "root=v2\nfallback=v1\ntries=2\n", NULL, "v1",
	  MENU, -1, "v1 v2", "v1", REASON_MENU, -1, UPPER_TMPFS },
	{ "menu choice missing: the file as without it", "root=v2\nfallback=v1\ntries=2\n", NULL,
	  "v9", MENU, -1, "v1 v2", "v2", REASON_PROMOTED, 1, UPPER_TMPFS },
	{ "promoted root boots", "root=v2+v1\n", NULL, NULL, 0, -1, "v1 v2",
	  "v2+v1", REASON_PROMOTED, -1, UPPER_TMPFS },
	{ "key held: root without top", "root=v2+v1\n", NULL, NULL, 1, -1, "v1 v2",
	  "v1", REASON_KEY, -1, UPPER_TMPFS },
	{ "key held: fallback= wins over good=", "root=v3+v2\nfallback=v2\ngood=v1\n", NULL,
	  NULL, 1, -1, "v1 v2 v3", "v2", REASON_KEY, -1, UPPER_TMPFS },
	{ "key held: good= when no fallback=", "root=v3+v2\ngood=v1\n", NULL, NULL, 1, -1,
	  "v1 v2 v3", "v1", REASON_KEY, -1, UPPER_TMPFS },
	{ "key held, no fallback at all: root", "root=v1\n", NULL, NULL, 1, -1, "v1",
	  "v1", REASON_PROMOTED, -1, UPPER_TMPFS },
	{ "key held, fallback missing: root", "root=v2\nfallback=v1\n", NULL, NULL, 1, -1,
	  "v2", "v2", REASON_PROMOTED, -1, UPPER_TMPFS },
	{ "key held and tries left: fallback, tries untouched",
	  "root=v2\nfallback=v1\ntries=2\n", NULL, NULL, 1, -1, "v1 v2", "v1", REASON_KEY,
	  -1, UPPER_TMPFS },
	{ "tries=2: root, write 1", "root=v2\nfallback=v1\ntries=2\n", NULL, NULL, 0, -1,
	  "v1 v2", "v2", REASON_PROMOTED, 1, UPPER_TMPFS },
	{ "tries=1: root, write 0", "root=v2\nfallback=v1\ntries=1\n", NULL, NULL, 0, -1,
	  "v1 v2", "v2", REASON_PROMOTED, 0, UPPER_TMPFS },
	{ "tries=0: fallback", "root=v2\nfallback=v1\ntries=0\n", NULL, NULL, 0, -1,
	  "v1 v2", "v1", REASON_TRIES_EXHAUSTED, -1, UPPER_TMPFS },
	{ "tries=0, no fallback: root, nothing written", "root=v2\ntries=0\n", NULL, NULL, 0,
	  -1, "v2", "v2", REASON_PROMOTED, -1, UPPER_TMPFS },
	{ "tries=0, fallback missing: good", "root=v3\nfallback=v2\ngood=v1\ntries=0\n",
	  NULL, NULL, 0, -1, "v1 v3", "v1", REASON_TRIES_EXHAUSTED, -1, UPPER_TMPFS },
	{ "key held, fallback missing: good", "root=v3\nfallback=v2\ngood=v1\n",
	  NULL, NULL, 1, -1, "v1 v3", "v1", REASON_KEY, -1, UPPER_TMPFS },
	{ "missing top layer: fallback", "root=v2+v1\n", NULL, NULL, 0, -1, "v1",
	  "v1", REASON_LAYER_MISSING, -1, UPPER_TMPFS },
	{ "missing lower layer: fallback=", "root=v3+v2\nfallback=v1\n", NULL, NULL, 0, -1,
	  "v1 v3", "v1", REASON_LAYER_MISSING, -1, UPPER_TMPFS },
	{ "missing root, tries left: fallback, nothing written", "root=v3\nfallback=v1\ntries=3\n",
	  NULL, NULL, 0, -1, "v1", "v1", REASON_LAYER_MISSING, -1, UPPER_TMPFS },
	{ "root and fallback missing: good", "root=v3\nfallback=v2\ngood=v1\n", NULL, NULL, 0,
	  -1, "v1", "v1", REASON_GOOD, -1, UPPER_TMPFS },
	{ "nothing present: fatal", "root=v3\nfallback=v2\ngood=v1\n", NULL, NULL, 0, -1, "",
	  "", REASON_NONE, -1, UPPER_TMPFS },
	{ "override wins over key and tries", "root=v3\nfallback=v2\ntries=0\n", NULL, "v1", 1,
	  -1, "v1 v2 v3", "v1", REASON_OVERRIDE, -1, UPPER_TMPFS },
	{ "override of a missing version: ignored", "root=v3\n", NULL, "v9", 0, -1, "v3",
	  "v3", REASON_PROMOTED, -1, UPPER_TMPFS },
	{ "override with no file", NULL, NULL, "v1", 0, -1, "v1", "v1", REASON_OVERRIDE, -1,
	  UPPER_TMPFS },
	{ "override does not spend tries", "root=v2\ntries=1\n", NULL, "v2", 0, -1, "v2", "v2",
	  REASON_OVERRIDE, -1, UPPER_TMPFS },
	{ "file bad, no backup: fatal", NULL, NULL, NULL, 0, -1, "v1 v2", "", REASON_NONE, -1,
	  UPPER_TMPFS },
	{ "file bad: backup's fallback", NULL, "root=v2+v1\n", NULL, 0, -1, "v1 v2", "v1",
	  REASON_FILE_BAD, -1, UPPER_TMPFS },
	{ "file bad: backup's good", NULL, "root=v3\nfallback=v2\ngood=v1\n", NULL, 0, -1,
	  "v1 v3", "v1", REASON_FILE_BAD, -1, UPPER_TMPFS },
	{ "file bad: backup's confirmed root", NULL, "root=v1\n", NULL, 0, -1, "v1", "v1",
	  REASON_FILE_BAD, -1, UPPER_TMPFS },
	{ "file bad: backup's unconfirmed root never", NULL, "root=v2\ntries=2\n", NULL, 0, -1,
	  "v2", "", REASON_NONE, -1, UPPER_TMPFS },
	{ "file bad, key held: backup's fallback", NULL, "root=v2\nfallback=v1\n", NULL, 1, -1,
	  "v1 v2", "v1", REASON_FILE_BAD, -1, UPPER_TMPFS },
	{ "upper from file", "root=v1\nupper=persist\n", NULL, NULL, 0, -1, "v1", "v1",
	  REASON_PROMOTED, -1, UPPER_PERSIST },
	{ "ovroot.upper= over file", "root=v1\nupper=persist\n", NULL, NULL, 0, UPPER_NONE,
	  "v1", "v1", REASON_PROMOTED, -1, UPPER_NONE },
	{ "upper from backup", NULL, "root=v1\nupper=none\n", NULL, 0, -1, "v1", "v1",
	  REASON_FILE_BAD, -1, UPPER_NONE },
	{ "key with single-layer root and good= equal to root", "root=v1\ngood=v1\n", NULL, NULL,
	  1, -1, "v1", "v1", REASON_KEY, -1, UPPER_TMPFS },
};

static bool present(void *ctx, const char *name)
{
	const char *list = ctx;
	size_t l = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += l)
		if ((p == list || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
			return true;
	return false;
}

static void parse_or_null(const char *text, struct promfile *pf, const struct promfile **out)
{
	char err[256];

	*out = NULL;
	if (!text)
		return;
	assert_int_equal(promfile_parse(pf, text, strlen(text), NULL, NULL, err, sizeof(err)), 0);
	*out = pf;
}

static void check_row(const struct row *r)
{
	struct promfile file, backup;
	struct stack over = { 0, NULL };
	struct policy_input in = {
		.key_held = r->key & KEY,
		.upper_override = r->upper_override,
		.tries_unwritable = r->key & UNWRITABLE,
		.override_from_menu = r->key & MENU,
		.layer_ok = present,
		.ctx = (void *)r->present,
	};
	char got[256];
	struct decision d;

	promfile_init(&file);
	promfile_init(&backup);
	parse_or_null(r->file, &file, &in.file);
	parse_or_null(r->backup, &backup, &in.backup);
	if (r->override) {
		char err[256];

		assert_int_equal(stack_parse(&over, r->override, strlen(r->override),
					     err, sizeof(err)), 0);
		in.override = &over;
	}
	d = policy_select(&in);
	stack_format(&d.stack, got, sizeof(got));
	print_message("# %s: %s (%s)\n", r->what, got, reason_name(d.reason));
	assert_string_equal(got, r->stack);
	assert_int_equal(d.reason, r->reason);
	assert_int_equal(d.write_tries, r->write_tries);
	if (r->reason != REASON_NONE)
		assert_int_equal(d.upper, r->upper);
	stack_free(&over);
	promfile_free(&file);
	promfile_free(&backup);
}

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* One cmocka test per row, named after it: a failed row hides none. */
static void test_row(void **state)
{
	check_row(*state);
}

static void test_missing_layer_is_named(void **state)
{
	struct promfile f;
	char err[128];
	struct policy_input in = { .upper_override = -1, .layer_ok = present, .ctx = "v1" };
	struct decision d;

	(void)state;
	assert_int_equal(promfile_parse(&f, "root=v2+v1\n", 11, NULL, NULL, err, sizeof(err)), 0);
	in.file = &f;
	d = policy_select(&in);
	assert_string_equal(d.missing, "v2");
	promfile_free(&f);
}

static void test_note_when_key_has_no_fallback(void **state)
{
	struct promfile f;
	char err[128];
	struct policy_input in = { .key_held = true, .upper_override = -1,
				   .layer_ok = present, .ctx = "v1" };
	struct decision d;

	(void)state;
	assert_int_equal(promfile_parse(&f, "root=v1\n", 8, NULL, NULL, err, sizeof(err)), 0);
	in.file = &f;
	d = policy_select(&in);
	assert_non_null(d.note);
	assert_non_null(strstr(d.note, "key"));
	promfile_free(&f);
}

int main(void)
{
	static struct CMUnitTest tests[NROWS + 2] = {
		[NROWS] = cmocka_unit_test(test_missing_layer_is_named),
		[NROWS + 1] = cmocka_unit_test(test_note_when_key_has_no_fallback),
	};

	for (size_t i = 0; i < NROWS; i++)
		tests[i] = (struct CMUnitTest){ .name = rows[i].what, .test_func = test_row,
						.initial_state = (void *)&rows[i] };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
