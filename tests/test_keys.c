/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key window (init/keys.c): when it closes, and what opens it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "init/keys.h"

static void test_deadline(void **state)
{
	static const struct {
		const char *what;
		long long first, last, usb;
		int wait;
		long long want;
	} t[] = {
		{ "nothing seen: no window", -1, -1, -1, 1000, -1 },
		{ "a keyboard at 100: the wait from then", 100, 100, -1, 1000, 1100 },
		{ "a USB host at 50, no keyboard yet: the wait from it", -1, -1, 50, 1000, 1050 },
		{ "a USB keyboard after its host: the wait from the keyboard", 900, 900, 50,
		  1000, 1900 },
		{ "a late second keyboard: capped at twice the wait", 0, 1900, -1, 1000, 2000 },
		{ "PS/2 at 0 and a USB host at 0", 0, 0, 0, 1000, 1000 },
		{ "a USB host after the keyboard extends it", 0, 0, 400, 1000, 1400 },
		{ "no wait", 100, 100, 100, 0, 100 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		long long got = key_deadline(t[i].first, t[i].last, t[i].usb, t[i].wait);

		if (got != t[i].want)
			fail_msg("%s: got %lld, want %lld", t[i].what, got, t[i].want);
	}
}

static void test_usb_hosts(void **state)
{
	char dir[] = "/tmp/ovroot-usb.XXXXXX", path[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_false(usb_hosts(dir));
	snprintf(path, sizeof(path), "%s/1-1", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_false(usb_hosts(dir));
	snprintf(path, sizeof(path), "%s/usb1", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_true(usb_hosts(dir));
	assert_false(usb_hosts("/nonexistent-ovroot"));
	rmdir(path);
	snprintf(path, sizeof(path), "%s/1-1", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_usb_hosts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
