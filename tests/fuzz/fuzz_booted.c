// SPDX-License-Identifier: GPL-2.0-or-later
/* /run/ovroot/booted as the ovroot command reads it (selector/booted.c). */
#include "selector/booted.h"
#include "tests/fuzz/fuzz.h"

static void check_stack(const struct stack *st)
{
	CHECK(st->n <= STACK_LAYERS_MAX);
	for (size_t i = 0; i < st->n; i++)
		CHECK(version_name_valid(st->layer[i], strlen(st->layer[i])));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strdup(data, size), err[256];
	struct booted b;

	if (booted_parse(&b, text, err, sizeof(err)) < 0) {
		CHECK_STR(err);
		CHECK(b.stack.n == 0 && b.stack.layer == NULL);
		CHECK(b.promoted.n == 0 && b.promoted.layer == NULL);
	} else {
		CHECK(b.stack.n > 0 && b.store_mount[0]);
		check_stack(&b.stack);
		check_stack(&b.promoted);
		CHECK_STR(b.reason);
		CHECK_STR(b.store);
		CHECK_STR(b.store_type);
		CHECK_STR(b.store_mount);
		CHECK_STR(b.store_dir);
		CHECK_STR(b.upper);
		CHECK_STR(b.tries);
		CHECK_STR(b.upper_path);
		booted_free(&b);
	}
	free(text);
	return 0;
}
