/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init/state.h"
#include "selector/booted.h"
#include "selector/promstore.h"

static void copy_value(char *dst, size_t size, const char *val, size_t len)
{
	snprintf(dst, size, "%.*s", (int)len, val);
}

static int set_key(struct booted *b, const char *key, size_t klen, const char *val,
		   size_t vlen, char *err, size_t errlen)
{
	static const struct { const char *key; size_t off, size; } text[] = {
#define F(k, f) { k, offsetof(struct booted, f), sizeof(((struct booted *)0)->f) }
		F("reason", reason), F("store", store), F("store_type", store_type),
		F("store_mount", store_mount), F("store_dir", store_dir),
		F("upper", upper), F("tries", tries), F("upper_path", upper_path),
#undef F
	};
	struct stack *st = NULL;

	if (klen == 5 && !memcmp(key, "stack", 5))
		st = &b->stack;
	else if (klen == 8 && !memcmp(key, "promoted", 8))
		st = &b->promoted;
	if (st) {
		stack_free(st);
		return stack_parse(st, val, vlen, err, errlen);
	}
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (strlen(text[i].key) == klen && !memcmp(key, text[i].key, klen))
			copy_value((char *)b + text[i].off, text[i].size, val, vlen);
	return 0;	/* layer=, key_wait_ms= and keys of newer inits */
}

/* Parses the text of RUN/booted into b; on error b is freed and err set. */
int booted_parse(struct booted *b, const char *p, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *eq = memchr(p, '=', len);

		if (eq && set_key(b, p, (size_t)(eq - p), eq + 1, len - (size_t)(eq - p) - 1,
				  err, errlen) < 0) {
			booted_free(b);
			return -1;
		}
		p += len + (p[len] == '\n');
	}
	if (b->stack.n == 0 || !b->store_mount[0]) {
		snprintf(err, errlen, "no stack= or store_mount= line");
		booted_free(b);
		return -1;
	}
	return 0;
}

int booted_load(const char *run, struct booted *b, char *err, size_t errlen)
{
	char *text, why[160];
	int dirfd, r;

	memset(b, 0, sizeof(*b));
	dirfd = open(run, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 && errno == ENOENT)
		return -ENOENT;
	if (dirfd < 0) {
		snprintf(err, errlen, "%s: %s", run, strerror(errno));
		return -1;
	}
	r = read_small_file(dirfd, STATE_FILE, 1024 * 1024, &text, NULL);
	close(dirfd);
	if (r == -ENOENT)
		return -ENOENT;
	if (r < 0) {
		snprintf(err, errlen, "%s/%s: %s", run, STATE_FILE, strerror(-r));
		return -1;
	}
	r = booted_parse(b, text, why, sizeof(why));
	free(text);
	if (r < 0)
		snprintf(err, errlen, "%s/%s: %s", run, STATE_FILE, why);
	return r;
}

void booted_free(struct booted *b)
{
	stack_free(&b->stack);
	stack_free(&b->promoted);
}
