// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An executable's header (selector/execfmt.c), the first bytes of a file as
 * the init reads them from a root's /sbin/init: never a read past the input,
 * and an interpreter only for EXEC_DYNAMIC and EXEC_SCRIPT, a non-empty path
 * that fits the buffer and is in the input as it stands.
 */
#include "selector/execfmt.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so ASan sees any read past the end */
	unsigned char *buf = malloc(size ? size : 1);
	char interp[64];
	enum exec_kind k;
	size_t n;

	CHECK(buf);
	memcpy(buf, data, size);
	k = exec_interp(buf, size, interp, sizeof(interp));
	CHECK(k == EXEC_NONE || k == EXEC_STATIC || k == EXEC_DYNAMIC || k == EXEC_SCRIPT ||
	      k == EXEC_UNKNOWN);
	n = strnlen(interp, sizeof(interp));
	CHECK(n < sizeof(interp));
	if (k != EXEC_DYNAMIC && k != EXEC_SCRIPT) {
		CHECK(n == 0);
	} else {
		CHECK(n > 0);
		CHECK(memmem(data, size, interp, n) != NULL);
		if (k == EXEC_SCRIPT)
			CHECK(size >= 2 && data[0] == '#' && data[1] == '!' && !strpbrk(interp, " \t\n"));
		else
			CHECK(size >= 4 && !memcmp(data, "\177ELF", 4));
	}
	free(buf);
	return 0;
}
