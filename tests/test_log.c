/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/log.h"

static char path[] = "/tmp/ovroot-test-log.XXXXXX";

static char *slurp(void)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static void test_levels(void **state)
{
	const char *want = "<5>ovroot: plain 1\n<4>ovroot: fell back to v1\n<6>ovroot: [";
	char *text;

	(void)state;
	log_to_kmsg(path);
	say("plain %d", 1);
	say_warn("fell back to %s", "v1");
	log_debug_on = false;
	debug("hidden");
	log_debug_on = true;
	debug("shown");
	log_to_kmsg(NULL);
	say("not logged");
	text = slurp();
	assert_memory_equal(text, want, strlen(want));
	assert_non_null(strstr(text, "] shown\n"));
	assert_null(strstr(text, "hidden"));
	assert_null(strstr(text, "not logged"));
}

/* /dev/kmsg refuses records over 992 bytes: a long line goes in pieces. */
static void test_long_line(void **state)
{
	char big[1200], *text, *p;
	size_t total = 0;
	int records = 0;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(truncate(path, 0), 0);
	log_to_kmsg(path);
	say("%s", big);
	log_to_kmsg(NULL);
	text = slurp();
	for (p = text; (p = strstr(p, "<5>ovroot: ")); p += 11) {
		size_t len = strcspn(p + 11, "\n");

		assert_true(len + 11 <= 992);
		total += len;
		records++;
	}
	assert_int_equal(records, 2);
	/* the console line is cut to the 1024-byte buffer: so is its copy */
	assert_int_equal(total, 1024 - 2 - strlen("ovroot: "));
}

static int setup(void **state)
{
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
