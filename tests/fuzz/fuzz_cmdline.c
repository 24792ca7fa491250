// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel command line as the init reads it (init/cmdline.c). */
#include <stdbool.h>

#include "init/cmdline.h"
#include "selector/stack.h"
#include "tests/fuzz/fuzz.h"

/* ovroot.dir is absolute and has no ".." component anywhere. */
static bool dir_confined(const char *d)
{
	if (d[0] != '/')
		return false;
	for (const char *p = d; *p; p += strcspn(p, "/")) {
		p += strspn(p, "/");
		if (!strncmp(p, "..", 2) && (p[2] == '/' || p[2] == '\0'))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strdup(data, size);
	struct cmdline c;

	cmdline_parse(&c, text, fuzz_warn, NULL);
	CHECK_STR(c.root);
	CHECK_STR(c.rootfstype);
	CHECK_STR(c.rootflags);
	CHECK_STR(c.init);
	CHECK_STR(c.dir);
	CHECK_STR(c.override);
	CHECK(dir_confined(c.dir));
	CHECK(c.nkeys <= KEYS_MAX);
	for (size_t i = 0; i < c.nkeys; i++)
		CHECK(c.keys[i] > 0 && c.keys[i] < 768);
	CHECK(c.keywait_ms >= 0 && c.keywait_ms <= 60000);
	CHECK(c.rootdelay >= -1 && c.rootdelay <= 3600);
	CHECK(c.rw >= -1 && c.rw <= 1);
	CHECK(c.upper >= -1 && c.upper <= UPPER_NONE);
	CHECK(c.fatal >= FATAL_DEFAULT && c.fatal <= FATAL_HALT);
	CHECK(fatal_action_name(c.fatal) != NULL);
	if (c.override[0]) {	/* as the init takes it further */
		struct stack st;
		char err[160];

		if (stack_parse(&st, c.override, strlen(c.override), err, sizeof(err)) == 0)
			stack_free(&st);
	}
	free(text);
	return 0;
}
