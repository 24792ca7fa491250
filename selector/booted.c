/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selector/booted.h"

struct text {
	char *buf;
	size_t len, cap;
	int failed;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;

	for (int tries = 0; !t->failed && tries < 2; tries++) {
		int n;

		va_start(ap, fmt);
		n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->failed = 1;
		} else if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		} else {
			size_t cap = t->cap * 2 + (size_t)n + 1;
			char *p = realloc(t->buf, cap);

			if (!p)
				t->failed = 1;
			t->buf = p ? p : t->buf;
			t->cap = p ? cap : t->cap;
		}
	}
}

static void put_stack(struct text *t, const char *key, const struct stack *st)
{
	char buf[STACK_LAYERS_MAX * (VERSION_NAME_MAX + 1)];

	stack_format(st, buf, sizeof(buf));
	put(t, "%s=%s\n", key, buf);
}

char *booted_format(const struct booted *b, size_t *len)
{
	struct text t = { 0 };

	put_stack(&t, "stack", &b->stack);
	put(&t, "reason=%s\n", b->reason);
	if (b->promoted.n)
		put_stack(&t, "promoted", &b->promoted);
	put(&t, "store=%s\nstore_type=%s\nstore_mount=%s\nstore_dir=%s\n", b->store,
	    b->store_type, b->store_mount, b->store_dir);
	put(&t, "upper=%s\ntries=%s\nkey_wait_ms=%lld\n", b->upper, b->tries, b->key_wait_ms);
	for (size_t i = 0; i < b->nlayer && i < b->stack.n; i++)
		put(&t, "layer=%s %s\n", b->stack.layer[i], b->layer_path[i]);
	if (b->upper_path[0])
		put(&t, "upper_path=%s\n", b->upper_path);
	if (b->notes[0])
		put(&t, "notes=%s\n", b->notes);
	if (b->state[0])
		put(&t, "state=%s\n", b->state);
	if (b->watchdog)
		put(&t, "watchdog=%d\n", b->watchdog);
	if (b->panic)
		put(&t, "panic=%d\n", b->panic);
	if (t.failed) {
		free(t.buf);
		return NULL;
	}
	*len = t.len;
	return t.buf;
}

static void copy_value(char *dst, size_t size, const char *val, size_t len)
{
	snprintf(dst, size, "%.*s", (int)len, val);
}

/* "layer=NAME PATH": the path is kept, the name is stack='s. */
static int add_layer(struct booted *b, const char *val, size_t vlen)
{
	const char *sp = memchr(val, ' ', vlen);
	char (*v)[PATH_MAX];

	if (!sp)
		return 0;
	v = realloc(b->layer_path, (b->nlayer + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	b->layer_path = v;
	sp++;
	copy_value(v[b->nlayer++], PATH_MAX, sp, vlen - (size_t)(sp - val));
	return 0;
}

static int set_key(struct booted *b, const char *key, size_t klen, const char *val,
		   size_t vlen, char *err, size_t errlen)
{
	static const struct { const char *key; size_t off, size; } text[] = {
#define F(k, f) { k, offsetof(struct booted, f), sizeof(((struct booted *)0)->f) }
		F("reason", reason), F("store", store), F("store_type", store_type),
		F("store_mount", store_mount), F("store_dir", store_dir),
		F("upper", upper), F("tries", tries), F("upper_path", upper_path),
		F("notes", notes), F("state", state),
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
	if (klen == 5 && !memcmp(key, "layer", 5) && add_layer(b, val, vlen) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (klen == 11 && !memcmp(key, "key_wait_ms", 11))
		b->key_wait_ms = strtoll(val, NULL, 10);
	if (klen == 8 && !memcmp(key, "watchdog", 8))
		b->watchdog = (int)strtol(val, NULL, 10);
	if (klen == 5 && !memcmp(key, "panic", 5))
		b->panic = (int)strtol(val, NULL, 10);
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (strlen(text[i].key) == klen && !memcmp(key, text[i].key, klen))
			copy_value((char *)b + text[i].off, text[i].size, val, vlen);
	return 0;	/* keys of newer inits are skipped */
}

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

void booted_free(struct booted *b)
{
	stack_free(&b->stack);
	stack_free(&b->promoted);
	free(b->layer_path);
	b->layer_path = NULL;
	b->nlayer = 0;
}
