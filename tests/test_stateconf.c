/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "selector/stateconf.h"

static int warnings;

static void count_warning(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
	warnings++;
}

static int parse(struct stateconf *c, const char *text, char *err, size_t errlen)
{
	return stateconf_parse(c, text, strlen(text), count_warning, NULL, err, errlen);
}

/* Each bad file, and the words its error must contain. */
static void test_bad_files(void **state)
{
	static const struct { const char *text; const char *why; } t[] = {
		{ "home/\n", "line 1: is neither a path" },
		{ "/home/\n/\n", "line 2: is / itself" },
		{ "//\n", "is / itself" },
		{ "/home//x\n", "empty part" },
		{ "/home/../etc/\n", "\"..\" part" },
		{ "/./etc/x\n", "\"..\" part" },
		{ "/home/..\n", "\"..\" part" },
		{ "/etc/ss*/key\n", "before its last part" },
		{ "/etc/ssh_*/\n", "pattern and a directory" },
		{ "/run/x\n", "under /dev, /proc, /sys or /run" },
		{ "/proc\n", "under /dev, /proc, /sys or /run" },
		{ "/dev/\n", "under /dev" },
		{ "/home/\n/home/user/\n", "line 2: overlaps" },
		{ "/home/user/\n/home/\n", "overlaps" },
		{ "/home\n/home/\n", "overlaps" },
		{ "default\n/etc/machine-id\n", "overlaps" },
		{ "default\ndefault\n", "given twice" },
		{ "epoch=1\nepoch=2\n", "line 2: epoch= is given twice" },
		{ "epoch=x\n", "epoch= wants a number" },
		{ "epoch=-1\n", "epoch= wants a number" },
		{ "epoch=1000000\n", "epoch= wants a number" },
		{ "epoch=\n", "epoch= wants a number" },
		{ "/home/\x01x\n", "control character" },
	};
	struct stateconf c;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(&c, t[i].text, err, sizeof(err)), -1);
		if (!strstr(err, t[i].why))
			fail_msg("file %zu: error '%s' lacks '%s'", i, err, t[i].why);
		assert_int_equal(c.n, 0);
	}
}

static void test_nul_byte(void **state)
{
	struct stateconf c;
	char err[64];

	(void)state;
	assert_int_equal(stateconf_parse(&c, "/home/\0x\n", 9, NULL, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "has a NUL byte");
}

static void test_paths_and_kinds(void **state)
{
	static const struct { const char *line, *path; enum state_kind kind; } t[] = {
		{ "/etc/machine-id", "etc/machine-id", STATE_FILE },
		{ "  /var/log/journal/  ", "var/log/journal", STATE_DIR },
		{ "/etc/ssh/ssh_host_*\r", "etc/ssh/ssh_host_*", STATE_GLOB },
		{ "/srv/a?", "srv/a?", STATE_GLOB },
		{ "/my dir/with space", "my dir/with space", STATE_FILE },
		{ "/devices/", "devices", STATE_DIR },
		{ "/.hidden", ".hidden", STATE_FILE },
		{ "/a...b/", "a...b", STATE_DIR },
	};
	struct stateconf c;
	char err[256], text[300];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(text, sizeof(text), "# comment\n\n%s\n", t[i].line);
		if (parse(&c, text, err, sizeof(err)) < 0)
			fail_msg("line %zu refused: %s", i, err);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.p[0].path, t[i].path);
		assert_int_equal(c.p[0].kind, t[i].kind);
		assert_int_equal(c.epoch, 0);
	}
}

static void test_default_epoch_unknown(void **state)
{
	const char *text = "epoch = 7\ndefault\n/srv/data/\nfuture=1\n";
	struct stateconf c;
	char err[256];
	size_t n = 0;

	(void)state;
	while (state_default_paths[n])
		n++;
	warnings = 0;
	assert_int_equal(parse(&c, text, err, sizeof(err)), 0);
	assert_int_equal(warnings, 1);
	assert_int_equal(c.epoch, 7);
	assert_int_equal(c.n, n + 1);
	assert_string_equal(c.p[0].path, STATE_MACHINE_ID);
	assert_string_equal(c.p[n].path, "srv/data");
	assert_int_equal(c.p[2].kind, STATE_DIR);
	assert_int_equal(c.p[3].kind, STATE_GLOB);
}

static void test_empty_file(void **state)
{
	struct stateconf c;
	char err[64];

	(void)state;
	assert_int_equal(stateconf_parse(&c, "", 0, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(c.n, 0);
}

static void test_too_many(void **state)
{
	static char text[STATE_PATHS_MAX * 16 + 32];
	struct stateconf c;
	char err[128];
	size_t used = 0;

	(void)state;
	for (int i = 0; i <= STATE_PATHS_MAX; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "/p%d\n", i);
	assert_int_equal(parse(&c, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "one path too many"));
}

static void test_glob(void **state)
{
	static const struct { const char *pat, *name; bool match; } t[] = {
		{ "ssh_host_*", "ssh_host_rsa_key", true },
		{ "ssh_host_*", "ssh_host_rsa_key.pub", true },
		{ "ssh_host_*", "ssh_host_", true },
		{ "ssh_host_*", "ssh_config", false },
		{ "ssh_host_*_key", "ssh_host_ed25519_key", true },
		{ "ssh_host_*_key", "ssh_host_ed25519_key.pub", false },
		{ "*.pub", "a.b.pub", true },
		{ "a?c", "abc", true },
		{ "a?c", "ac", false },
		{ "*", ".", false },
		{ "*", "..", false },
		{ "*a*a", "banana", true },
		{ "*a*a", "bananab", false },
		{ "", "", true },
		{ "x", "", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (state_glob_match(t[i].pat, t[i].name) != t[i].match)
			fail_msg("%s on %s: want %d", t[i].pat, t[i].name, t[i].match);
}

static void test_machine_id(void **state)
{
	static const struct { const char *text; bool valid; } t[] = {
		{ "0123456789abcdef0123456789abcdef\n", true },
		{ "0123456789abcdef0123456789abcdef", false },
		{ "0123456789ABCDEF0123456789abcdef\n", false },
		{ "uninitialized\n", false },
		{ "", false },
		{ "00000000000000000000000000000000\n", false },
		{ "0123456789abcdef0123456789abcdeg\n", false },
	};
	unsigned char rnd[16];
	char id[34];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (machine_id_valid(t[i].text, strlen(t[i].text)) != t[i].valid)
			fail_msg("'%s': want %d", t[i].text, t[i].valid);
	memset(rnd, 0xff, sizeof(rnd));
	machine_id_format(rnd, id);
	assert_string_equal(id, "ffffffffffff4fffbfffffffffffffff\n");
	assert_true(machine_id_valid(id, 33));
	memset(rnd, 0, sizeof(rnd));
	machine_id_format(rnd, id);
	assert_string_equal(id, "00000000000040008000000000000000\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_paths_and_kinds),
		cmocka_unit_test(test_default_epoch_unknown),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_machine_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
