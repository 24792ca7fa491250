/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "init/cmdline.h"

static char warned[1024];

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	strncat(warned, msg, sizeof(warned) - strlen(warned) - 2);
	strcat(warned, ";");
}

static void parse(struct cmdline *c, const char *text)
{
	warned[0] = '\0';
	cmdline_parse(c, text, collect, NULL);
}

static void test_defaults(void **state)
{
	struct cmdline c;

	(void)state;
	parse(&c, "");
	assert_string_equal(c.dir, "/ovroot");
	assert_int_equal(c.nkeys, 1);
	assert_int_equal(c.keys[0], 1);
	assert_int_equal(c.keywait_ms, KEYWAIT_DEFAULT_MS);
	assert_int_equal(c.rootdelay, -1);
	assert_int_equal(c.rw, -1);
	assert_int_equal(c.upper, -1);
	assert_int_equal(c.watchdog, -1);
	assert_int_equal(c.panic_s, PANIC_DEFAULT_S);
	assert_string_equal(c.uppersize, "50%");
	assert_int_equal(c.fatal, FATAL_DEFAULT);
	assert_false(c.debug);
	assert_string_equal(c.override, "");
	assert_string_equal(warned, "");
}

static void test_kernel_params(void **state)
{
	struct cmdline c;

	(void)state;
	parse(&c, "BOOT_IMAGE=/vmlinuz root=LABEL=store rootfstype=ext4 rootflags=noatime,"
		  "data=ordered rootwait rootdelay=5 ro quiet init=/sbin/other console=ttyS0\n");
	assert_string_equal(c.root, "LABEL=store");
	assert_string_equal(c.rootfstype, "ext4");
	assert_string_equal(c.rootflags, "noatime,data=ordered");
	assert_true(c.rootwait);
	assert_int_equal(c.rootdelay, 5);
	assert_int_equal(c.rw, 0);
	assert_string_equal(c.init, "/sbin/other");
	parse(&c, "ro rw");
	assert_int_equal(c.rw, 1);
}

static void test_ovroot_params(void **state)
{
	struct cmdline c;

	(void)state;
	parse(&c, "ovroot.dir=/os ovroot.root=v9+v1 ovroot.key=esc,f12,30 ovroot.keywait=0 "
		  "ovroot.upper=persist ovroot.fatal=halt ovroot.debug ovroot.watchdog=30 "
		  "ovroot.panic=0");
	assert_string_equal(c.dir, "/os");
	assert_string_equal(c.override, "v9+v1");
	assert_int_equal(c.nkeys, 3);
	assert_int_equal(c.keys[1], 88);
	assert_int_equal(c.keys[2], 30);
	assert_int_equal(c.keywait_ms, 0);
	assert_int_equal(c.upper, UPPER_PERSIST);
	assert_int_equal(c.fatal, FATAL_HALT);
	assert_true(c.debug);
	assert_int_equal(c.watchdog, 30);
	assert_int_equal(c.panic_s, 0);
	assert_string_equal(warned, "");
	parse(&c, "ovroot.key=power,volumedown");
	assert_int_equal(c.nkeys, 2);
	assert_int_equal(c.keys[0], 116);
	assert_int_equal(c.keys[1], 114);
	parse(&c, "ovroot.key=none");
	assert_int_equal(c.nkeys, 0);
	for (size_t i = 0; i < 6; i++) {
		static const char *const ok[] = { "512m", "2G", "100%", "1%", "65536k", "7" };
		char text[64];

		snprintf(text, sizeof(text), "ovroot.uppersize=%s", ok[i]);
		parse(&c, text);
		assert_string_equal(c.uppersize, ok[i]);
		assert_string_equal(warned, "");
	}
}

static void test_quotes(void **state)
{
	struct cmdline c;

	(void)state;
	parse(&c, "rootflags=\"a b\" \"ovroot.dir=/x y\" root=/dev/vda");
	assert_string_equal(c.rootflags, "a b");
	assert_string_equal(c.dir, "/x y");
	assert_string_equal(c.root, "/dev/vda");
}

/* Bad values are reported and leave the default; nothing is fatal. */
static void test_bad_values(void **state)
{
	static const struct { const char *text; const char *warn; } t[] = {
		{ "ovroot.bogus=1", "unknown parameter ignored: ovroot.bogus=1;" },
		{ "ovroot.keywait=soon", "bad value ignored: ovroot.keywait=soon;" },
		{ "ovroot.keywait=-1", "bad value ignored: ovroot.keywait=-1;" },
		{ "ovroot.key=nokey", "bad value ignored: ovroot.key=nokey;" },
		{ "ovroot.upper=disk", "bad value ignored: ovroot.upper=disk;" },
		{ "ovroot.fatal=explode", "bad value ignored: ovroot.fatal=explode;" },
		{ "ovroot.dir=relative", "bad value ignored: ovroot.dir=relative;" },
		{ "ovroot.dir=/a/../b", "bad value ignored: ovroot.dir=/a/../b;" },
		{ "ovroot.root=", "bad value ignored: ovroot.root=;" },
		{ "rootdelay=x", "bad value ignored: rootdelay=x;" },
		{ "root", "root needs a value, ignored: root;" },
		{ "ovroot.watchdog=3601", "bad value ignored: ovroot.watchdog=3601;" },
		{ "ovroot.panic=-5", "bad value ignored: ovroot.panic=-5;" },
		{ "ovroot.uppersize=lots", "bad value ignored: ovroot.uppersize=lots;" },
		{ "ovroot.uppersize=0", "bad value ignored: ovroot.uppersize=0;" },
		{ "ovroot.uppersize=000m", "bad value ignored: ovroot.uppersize=000m;" },
		{ "ovroot.uppersize=0%", "bad value ignored: ovroot.uppersize=0%;" },
		{ "ovroot.uppersize=101%", "bad value ignored: ovroot.uppersize=101%;" },
		{ "ovroot.uppersize=5mb", "bad value ignored: ovroot.uppersize=5mb;" },
		{ "ovroot.uppersize=m", "bad value ignored: ovroot.uppersize=m;" },
		{ "ovroot.uppersize=1,nr_inodes=0", "bad value ignored: ovroot.uppersize=1,nr_inodes=0;" },
		{ "ovroot.uppersize", "bad value ignored: ovroot.uppersize;" },
	};
	struct cmdline c;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		parse(&c, t[i].text);
		assert_string_equal(warned, t[i].warn);
		assert_string_equal(c.dir, "/ovroot");
		assert_int_equal(c.keywait_ms, KEYWAIT_DEFAULT_MS);
		assert_int_equal(c.upper, -1);
		assert_int_equal(c.fatal, FATAL_DEFAULT);
		assert_int_equal(c.watchdog, -1);
		assert_int_equal(c.panic_s, PANIC_DEFAULT_S);
		assert_string_equal(c.uppersize, UPPERSIZE_DEFAULT);
	}
	parse(&c, "ovroot.key=esc,nokey");
	assert_int_equal(c.nkeys, 1);
	assert_int_equal(c.keys[0], 1);
}

static void test_init_args_after_dashes(void **state)
{
	struct cmdline c;

	(void)state;
	parse(&c, "root=/dev/vda -- ovroot.root=v1 single");
	assert_string_equal(c.override, "");
}

static void test_key_names(void **state)
{
	(void)state;
	assert_int_equal(key_code("ESC", 3), 1);
	assert_int_equal(key_code("f1", 2), 59);
	assert_int_equal(key_code("767", 3), 767);
	assert_int_equal(key_code("768", 3), -1);
	assert_int_equal(key_code("0", 1), -1);
	assert_int_equal(key_code("", 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_kernel_params),
		cmocka_unit_test(test_ovroot_params),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_init_args_after_dashes),
		cmocka_unit_test(test_key_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
