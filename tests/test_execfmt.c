/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "selector/execfmt.h"

/* An ELF header, phnum program headers at phoff, the last PT_INTERP to interp. */
struct elfspec {
	int is64, be, phnum, phoff, interp_at, interp_size;
	const char *interp;		/* NULL: no PT_INTERP */
};

static void put(unsigned char *b, size_t off, uint64_t v, unsigned width, int be)
{
	for (unsigned i = 0; i < width; i++)
		b[off + (be ? width - 1 - i : i)] = (unsigned char)(v >> (8 * i));
}

static size_t mk_elf(unsigned char *b, size_t cap, const struct elfspec *s)
{
	unsigned phsize = s->is64 ? 56 : 32;
	size_t end = (size_t)s->phoff + (size_t)s->phnum * phsize;

	memset(b, 0, cap);
	memcpy(b, "\177ELF", 4);
	b[4] = s->is64 ? 2 : 1;
	b[5] = s->be ? 2 : 1;
	put(b, s->is64 ? 32 : 28, (uint64_t)s->phoff, s->is64 ? 8 : 4, s->be);
	put(b, s->is64 ? 54 : 42, phsize, 2, s->be);
	put(b, s->is64 ? 56 : 44, (uint64_t)s->phnum, 2, s->be);
	for (int i = 0; i < s->phnum; i++) {
		size_t ph = (size_t)s->phoff + (size_t)i * phsize;
		int last = i == s->phnum - 1;

		put(b, ph, last && s->interp ? 3 : 1, 4, s->be);	/* PT_INTERP : PT_LOAD */
		if (!last || !s->interp)
			continue;
		put(b, ph + (s->is64 ? 8 : 4), (uint64_t)s->interp_at, s->is64 ? 8 : 4, s->be);
		put(b, ph + (s->is64 ? 32 : 16), (uint64_t)s->interp_size, s->is64 ? 8 : 4,
		    s->be);
	}
	if (s->interp && (size_t)s->interp_at + strlen(s->interp) < cap) {
		memcpy(b + s->interp_at, s->interp, strlen(s->interp));
		if ((size_t)s->interp_at + strlen(s->interp) + 1 > end)
			end = (size_t)s->interp_at + strlen(s->interp) + 1;
	}
	return end > 64 ? end : 64;
}

static void test_elf(void **state)
{
	static const char ld[] = "/lib64/ld-linux-x86-64.so.2";
	static const struct {
		struct elfspec s;
		enum exec_kind want;
	} t[] = {
		{ { 1, 0, 4, 64, 400, sizeof(ld), ld }, EXEC_DYNAMIC },
		{ { 1, 1, 4, 64, 400, sizeof(ld), ld }, EXEC_DYNAMIC },
		{ { 0, 0, 3, 52, 300, sizeof(ld), ld }, EXEC_DYNAMIC },
		{ { 0, 1, 3, 52, 300, sizeof(ld), ld }, EXEC_DYNAMIC },
		{ { 1, 0, 1, 64, 400, sizeof(ld), ld }, EXEC_DYNAMIC },
		{ { 1, 0, 4, 64, 0, 0, NULL }, EXEC_STATIC },
		{ { 0, 1, 2, 52, 0, 0, NULL }, EXEC_STATIC },
		{ { 1, 0, 0, 64, 0, 0, NULL }, EXEC_STATIC },
		/* PT_INTERP past the buffer, too short, without its NUL, NUL inside */
		{ { 1, 0, 4, 64, 5000, sizeof(ld), ld }, EXEC_UNKNOWN },
		{ { 1, 0, 4, 64, 400, 1, ld }, EXEC_UNKNOWN },
		{ { 1, 0, 4, 64, 400, sizeof(ld) - 1, ld }, EXEC_UNKNOWN },
		{ { 1, 0, 4, 64, 400, sizeof(ld) + 4, ld }, EXEC_UNKNOWN },
		/* program headers past the buffer */
		{ { 1, 0, 1, 3990, 0, 0, NULL }, EXEC_UNKNOWN },
	};
	unsigned char b[4096];
	char interp[64];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len = mk_elf(b, 4000, &t[i].s);

		if (len > 4000)
			len = 4000;
		strcpy(interp, "junk");
		assert_int_equal(exec_interp(b, len, interp, sizeof(interp)), t[i].want);
		assert_string_equal(interp, t[i].want == EXEC_DYNAMIC ? ld : "");
	}
}

static void test_elf_bad_headers(void **state)
{
	static const char ld[] = "/lib/ld-linux-armhf.so.3";
	struct elfspec s = { 0, 0, 2, 52, 200, sizeof(ld), ld };
	unsigned char b[512];
	char interp[64], small[8];
	size_t len = mk_elf(b, sizeof(b), &s);

	(void)state;
	assert_int_equal(exec_interp(b, len, interp, sizeof(interp)), EXEC_DYNAMIC);
	assert_int_equal(exec_interp(b, len, small, sizeof(small)), EXEC_UNKNOWN);
	assert_int_equal(exec_interp(b, 40, interp, sizeof(interp)), EXEC_UNKNOWN);
	assert_int_equal(exec_interp(b, 4, interp, sizeof(interp)), EXEC_UNKNOWN);
	put(b, 42, 16, 2, 0);			/* e_phentsize smaller than a header */
	assert_int_equal(exec_interp(b, len, interp, sizeof(interp)), EXEC_UNKNOWN);
	b[4] = 3;				/* no such class */
	assert_int_equal(exec_interp(b, len, interp, sizeof(interp)), EXEC_NONE);
	b[4] = 1;
	b[5] = 0;				/* no such byte order */
	assert_int_equal(exec_interp(b, len, interp, sizeof(interp)), EXEC_NONE);
}

static void test_scripts(void **state)
{
	static const struct {
		const char *text, *interp;
		enum exec_kind want;
	} t[] = {
		{ "#!/bin/sh\necho", "/bin/sh", EXEC_SCRIPT },
		{ "#! /bin/bash -e\n", "/bin/bash", EXEC_SCRIPT },
		{ "#!\t/usr/bin/env\tpython3\n", "/usr/bin/env", EXEC_SCRIPT },
		{ "#!/bin/sh", "/bin/sh", EXEC_SCRIPT },
		{ "#!\n", "", EXEC_NONE },
		{ "#!   \n", "", EXEC_NONE },
		{ "#!", "", EXEC_NONE },
		{ "#!/a/path/that/is/far/too/long/for/the/buffer/given/here/x\n", "", EXEC_UNKNOWN },
		{ "echo hello\n", "", EXEC_NONE },
		{ "", "", EXEC_NONE },
		{ "\177EL", "", EXEC_NONE },
		{ "\177ELF", "", EXEC_UNKNOWN },
		{ "MZ\x90", "", EXEC_NONE },
	};
	char interp[32];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(exec_interp((const unsigned char *)t[i].text, strlen(t[i].text),
					     interp, sizeof(interp)), t[i].want);
		assert_string_equal(interp, t[i].interp);
	}
}

/* The build's own programs: the test is dynamic, the init static. */
static void test_real_files(void **state)
{
	static unsigned char b[8192];
	char interp[256];
	size_t n;
	FILE *f = fopen("/proc/self/exe", "rb");

	(void)state;
	assert_non_null(f);
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	assert_int_equal(exec_interp(b, n, interp, sizeof(interp)), EXEC_DYNAMIC);
	assert_true(interp[0] == '/' && strstr(interp, "ld-"));
	f = fopen("build/init/ovroot-init", "rb");
	if (!f)
		skip();
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	assert_int_equal(exec_interp(b, n, interp, sizeof(interp)), EXEC_STATIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf),
		cmocka_unit_test(test_elf_bad_headers),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_real_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
