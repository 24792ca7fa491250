/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "command/format.h"
#include "command/pins.h"

static char dir[] = "/tmp/ovroot-pins.XXXXXX";

static void test_round_trip(void **state)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	struct pins p;
	char err[256];

	(void)state;
	assert_int_equal(pins_load(fd, &p), 0);		/* missing: none */
	assert_int_equal(p.n, 0);
	assert_int_equal(pins_add(&p, "v1"), 0);
	assert_int_equal(pins_add(&p, "v2.1"), 0);
	assert_int_equal(pins_add(&p, "v1"), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(pins_save(fd, &p, err, sizeof(err)), 0);
	pins_remove(&p, "v1");
	assert_false(pins_has(&p, "v1"));
	pins_free(&p);
	assert_int_equal(pins_load(fd, &p), 0);
	assert_int_equal(p.n, 2);
	assert_true(pins_has(&p, "v1"));
	assert_true(pins_has(&p, "v2.1"));
	assert_false(pins_has(&p, "v2"));
	pins_free(&p);
	close(fd);
}

/* A line that is no version name is skipped, never taken as a path. */
static void test_bad_lines_skipped(void **state)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	struct pins p;
	FILE *f;

	(void)state;
	f = fdopen(openat(fd, PINS_NAME, O_WRONLY | O_TRUNC | O_CREAT, 0644), "w");
	fputs("# kept base\nv1\r\n../etc\n\nv/2\nv3\n", f);
	fclose(f);
	assert_int_equal(pins_load(fd, &p), 0);
	assert_int_equal(p.n, 2);
	assert_true(pins_has(&p, "v1"));
	assert_true(pins_has(&p, "v3"));
	pins_free(&p);
	unlinkat(fd, PINS_NAME, 0);
	close(fd);
}

static void test_size_human(void **state)
{
	char b[16];

	(void)state;
	size_human(512, b, sizeof(b));
	assert_string_equal(b, "512");
	size_human(1536, b, sizeof(b));
	assert_string_equal(b, "1.5K");
	size_human(3ULL << 30, b, sizeof(b));
	assert_string_equal(b, "3.0G");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_lines_skipped),
		cmocka_unit_test(test_size_human),
	};
	int r;

	if (!mkdtemp(dir))
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return r;
}
