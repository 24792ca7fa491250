// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /run/ovroot/booted as the ovroot command reads it (selector/booted.c), and
 * what parses, written again by the init's writer, reads back the same.
 */
#include "selector/booted.h"
#include "tests/fuzz/fuzz.h"

static void check_stack(const struct stack *st)
{
	CHECK(st->n <= STACK_LAYERS_MAX);
	for (size_t i = 0; i < st->n; i++)
		CHECK(version_name_valid(st->layer[i], strlen(st->layer[i])));
}

static void round_trip(const struct booted *b)
{
	char *text, err[256];
	struct booted again;
	size_t len;

	text = booted_format(b, &len);
	CHECK(text && strlen(text) == len);
	CHECK(booted_parse(&again, text, err, sizeof(err)) == 0);
	CHECK(stack_equal(&again.stack, &b->stack));
	CHECK(stack_equal(&again.promoted, &b->promoted));
	CHECK(!strcmp(again.reason, b->reason) && !strcmp(again.store_mount, b->store_mount));
	CHECK(again.key_wait_ms == b->key_wait_ms);
	booted_free(&again);
	free(text);
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
		round_trip(&b);
		booted_free(&b);
	}
	free(text);
	return 0;
}
