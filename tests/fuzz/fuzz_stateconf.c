// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state area's list (selector/stateconf.c): the input is a state.conf.
 * What parses holds only paths the init may bind: relative, no empty, "."
 * or ".." part, no control character, none under /dev /proc /sys /run,
 * none inside another; a pattern only in the last part.  The glob matcher
 * always ends.
 */
#include "selector/stateconf.h"
#include "tests/fuzz/fuzz.h"

static bool part_ok(const char *p, size_t n)
{
	return n > 0 && !(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.');
}

static void check_path(const struct state_path *p)
{
	const char *s = p->path, *slash;
	size_t len;

	CHECK_STR(p->path);
	len = strlen(s);
	CHECK(len > 0 && s[0] != '/' && s[len - 1] != '/');
	for (size_t i = 0; i < len; i++)
		CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
	for (const char *part = s;; part = slash + 1) {
		slash = strchr(part, '/');
		CHECK(part_ok(part, slash ? (size_t)(slash - part) : strlen(part)));
		if (slash)
			CHECK(!memchr(part, '*', (size_t)(slash - part)) &&
			      !memchr(part, '?', (size_t)(slash - part)));
		else
			break;
	}
	CHECK((p->kind == STATE_GLOB) == (strchr(s, '*') || strchr(s, '?')));
	CHECK(strncmp(s, "dev", 3) || (s[3] && s[3] != '/'));
	CHECK(strncmp(s, "run", 3) || (s[3] && s[3] != '/'));
}

static bool inside(const char *a, const char *b)
{
	size_t n = strlen(b);

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct stateconf c;
	char err[256], *name = fuzz_strdup(data, size);

	if (stateconf_parse(&c, (const char *)data, size, fuzz_warn, NULL, err, sizeof(err)) < 0) {
		CHECK_STR(err);
		CHECK(c.n == 0);
	} else {
		CHECK(c.n <= STATE_PATHS_MAX && c.epoch >= 0 && c.epoch <= STATE_EPOCH_MAX);
		for (size_t i = 0; i < c.n; i++) {
			const char *last = strrchr(c.p[i].path, '/');

			check_path(&c.p[i]);
			for (size_t j = 0; j < i; j++)
				CHECK(!inside(c.p[i].path, c.p[j].path) &&
				      !inside(c.p[j].path, c.p[i].path));
			state_glob_match(last ? last + 1 : c.p[i].path, name);
		}
	}
	machine_id_valid(name, size);
	free(name);
	return 0;
}
