/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): each defines
 * LLVMFuzzerTestOneInput and is linked either with libFuzzer (make fuzz,
 * clang) or with tests/fuzz/replay.c (the corpus replay of make check, gcc).
 * Both builds use ASan and UBSan; an invariant that fails aborts.
 */
#ifndef OVROOT_FUZZ_H
#define OVROOT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd, NUL-terminated copy: the parsers that take C strings. */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	CHECK(s);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Reads every byte of a warning: ASan sees a message that is not a string. */
static inline void fuzz_warn(void *ctx, const char *msg)
{
	(void)ctx;
	CHECK(strlen(msg) < 4096);
}

/* The field is a string that ends inside its buffer. */
#define CHECK_STR(buf) CHECK(memchr((buf), '\0', sizeof(buf)) != NULL)

#endif
