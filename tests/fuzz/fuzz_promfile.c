// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The promotion file (selector/promfile.c): parse, and for a file that
 * parses, format(parse(x)) parses again to the same thing and formats to
 * the same bytes.
 */
#include "selector/promfile.h"
#include "tests/fuzz/fuzz.h"

static void check_stack(const struct stack *st)
{
	CHECK(st->n <= STACK_LAYERS_MAX);
	for (size_t i = 0; i < st->n; i++)
		CHECK(version_name_valid(st->layer[i], strlen(st->layer[i])));
}

static void check_same(const struct promfile *a, const struct promfile *b)
{
	CHECK(stack_equal(&a->root, &b->root));
	CHECK(stack_equal(&a->fallback, &b->fallback));
	CHECK(stack_equal(&a->good, &b->good));
	CHECK(a->tries == b->tries);
	CHECK(a->upper == b->upper);
	CHECK(!a->extra == !b->extra);
	CHECK(!a->extra || strcmp(a->extra, b->extra) == 0);
}

static void round_trip(const struct promfile *pf, size_t size)
{
	struct promfile again;
	char err[256], *text, *text2;
	size_t len, len2;

	text = promfile_format(pf, &len);
	CHECK(text && strlen(text) == len);
	/*
	 * Only a file of the limit without a final newline grows past it, by
	 * that newline; promfile_save refuses to write it.
	 */
	if (len > PROMFILE_MAX) {
		CHECK(len == size + 1);
		free(text);
		return;
	}
	if (promfile_parse(&again, text, len, NULL, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "formatted file does not parse: %s\n---\n%.300s\n---\n",
			err, text);
		CHECK(0);
	}
	check_same(pf, &again);
	text2 = promfile_format(&again, &len2);
	CHECK(text2 && len2 == len && memcmp(text, text2, len) == 0);
	free(text2);
	free(text);
	promfile_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct promfile pf;
	char err[256];

	if (promfile_parse(&pf, (const char *)data, size, fuzz_warn, NULL,
			   err, sizeof(err)) < 0) {
		CHECK_STR(err);
		CHECK(pf.root.n == 0 && pf.extra == NULL);
		return 0;
	}
	CHECK(pf.root.n > 0);
	check_stack(&pf.root);
	check_stack(&pf.fallback);
	check_stack(&pf.good);
	CHECK(pf.tries >= -1 && pf.tries <= TRIES_MAX);
	CHECK(pf.upper >= -1 && pf.upper <= UPPER_NONE);
	round_trip(&pf, size);
	promfile_free(&pf);
	return 0;
}
