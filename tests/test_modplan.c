/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "init/modplan.h"

static const char plan[] =
	"# ovroot load plan\n"
	"kernel 6.1.0-56-amd64\n"
	"module crc16 - /lib/modules/k/kernel/lib/crc16.ko -\n"
	"module ext4 r /lib/modules/k/kernel/fs/ext4/ext4.ko crc16 \n"
	"module virtio_blk r /lib/modules/k/kernel/drivers/block/virtio_blk.ko - \n"
	"module loop r /lib/modules/k/kernel/drivers/block/loop.ko - max_loop=4 max_part=2\n"
	"alias fs-ext3 ext4\n";

static int parse(struct modplan *p, const char *text, char *err, size_t errlen)
{
	return modplan_parse(p, strdup(text), err, errlen);
}

static void test_parse(void **state)
{
	struct modplan p;
	char err[128];

	(void)state;
	assert_int_equal(parse(&p, plan, err, sizeof(err)), 0);
	assert_string_equal(p.kver, "6.1.0-56-amd64");
	assert_int_equal(p.n, 4);
	assert_string_equal(p.mod[1].deps, "crc16");
	assert_false(p.mod[0].requested);
	assert_true(p.mod[1].requested);
	assert_string_equal(p.mod[3].opts, "max_loop=4 max_part=2");
	assert_int_equal(modplan_find(&p, "virtio-blk"), 2);
	assert_int_equal(modplan_find(&p, "fs-ext3"), 1);
	assert_int_equal(modplan_find(&p, "xfs"), -1);
	modplan_free(&p);
}

/* Filesystems, loop and evdev wait for the moment they are needed. */
static void test_loaded_at_start(void **state)
{
	struct modplan p;
	char err[128];

	(void)state;
	assert_int_equal(parse(&p, plan, err, sizeof(err)), 0);
	assert_false(modplan_loads_at_start(&p.mod[0]));
	assert_false(modplan_loads_at_start(&p.mod[1]));
	assert_true(modplan_loads_at_start(&p.mod[2]));
	assert_false(modplan_loads_at_start(&p.mod[3]));
	modplan_free(&p);
}

static void test_bad_plans(void **state)
{
	static const char *const bad[] = {
		"module ext4 r\n",
		"module ext4 x /a.ko -\n",
		"module ext4 r relative.ko -\n",
		"alias fs-ext3\n",
		"firmware x\n",
	};
	char err[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct modplan p;

		err[0] = '\0';
		assert_int_equal(parse(&p, bad[i], err, sizeof(err)), -1);
		assert_non_null(strstr(err, "line 1"));
	}
}

/* Aliases that name each other (or nothing) end the lookup: found by fuzzing. */
static void test_alias_loop(void **state)
{
	struct modplan p;
	char err[128];

	(void)state;
	assert_int_equal(parse(&p, "alias fs-a fs-b\nalias fs-b fs-a\nalias x x\nalias  \n",
			       err, sizeof(err)), 0);
	assert_int_equal(modplan_find(&p, "fs-a"), -1);
	assert_int_equal(modplan_find(&p, "x"), -1);
	assert_int_equal(modplan_find(&p, ""), -1);
	modplan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_loaded_at_start),
		cmocka_unit_test(test_bad_plans),
		cmocka_unit_test(test_alias_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
