/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init/cmdline.h"

struct param {
	const char *key, *val;	/* val is NULL for a bare word */
	size_t klen, vlen;
};

static const struct { const char *name; unsigned short code; } key_names[] = {
	{ "esc", 1 }, { "backspace", 14 }, { "tab", 15 }, { "enter", 28 },
	{ "leftctrl", 29 }, { "ctrl", 29 }, { "leftshift", 42 }, { "shift", 42 },
	{ "rightshift", 54 }, { "leftalt", 56 }, { "alt", 56 }, { "space", 57 },
	{ "f1", 59 }, { "f2", 60 }, { "f3", 61 }, { "f4", 62 }, { "f5", 63 },
	{ "f6", 64 }, { "f7", 65 }, { "f8", 66 }, { "f9", 67 }, { "f10", 68 },
	{ "f11", 87 }, { "f12", 88 }, { "rightctrl", 97 }, { "rightalt", 100 },
	{ "home", 102 }, { "up", 103 }, { "down", 108 }, { "end", 107 },
	/* boards' buttons (gpio-keys) */
	{ "volumedown", 114 }, { "volumeup", 115 }, { "power", 116 }, { "menu", 139 },
	{ "prog1", 148 }, { "prog2", 149 }, { "back", 158 }, { "homepage", 172 },
	{ "restart", 408 }, { "m", 50 },
};

/* A key by name (esc, f12, ...) or by its Linux input code (1-767). */
int key_code(const char *name, size_t len)
{
	int code = 0;

	for (size_t i = 0; i < sizeof(key_names) / sizeof(key_names[0]); i++)
		if (strlen(key_names[i].name) == len &&
		    strncasecmp(key_names[i].name, name, len) == 0)
			return key_names[i].code;
	if (len == 0 || len > 3)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		code = code * 10 + (name[i] - '0');
	}
	return code > 0 && code < 768 ? code : -1;
}

const char *fatal_action_name(enum fatal_action f)
{
	static const char *const names[] = { "default", "shell", "reboot", "halt" };

	return names[f];
}

static bool is(const struct param *p, const char *key)
{
	return p->klen == strlen(key) && memcmp(p->key, key, p->klen) == 0;
}

static void warnf(warn_fn warn, void *ctx, const char *what, const struct param *p)
{
	char msg[160];

	if (!warn)
		return;
	snprintf(msg, sizeof(msg), "%s: %.*s%s%.*s", what, (int)(p->klen > 40 ? 40 : p->klen),
		 p->key, p->val ? "=" : "", p->val ? (int)(p->vlen > 60 ? 60 : p->vlen) : 0,
		 p->val ? p->val : "");
	warn(ctx, msg);
}

static bool copy_val(char *dst, size_t size, const struct param *p)
{
	if (!p->val || p->vlen >= size)
		return false;
	memcpy(dst, p->val, p->vlen);
	dst[p->vlen] = '\0';
	return true;
}

static int number(const struct param *p, int max)
{
	long v = 0;

	if (!p->val || p->vlen == 0 || p->vlen > 9)
		return -1;
	for (size_t i = 0; i < p->vlen; i++) {
		if (p->val[i] < '0' || p->val[i] > '9')
			return -1;
		v = v * 10 + (p->val[i] - '0');
	}
	return v <= max ? (int)v : -1;
}

/* A bad list leaves the keys as they were. */
static bool parse_keys(struct cmdline *c, const struct param *p)
{
	const char *s = p->val, *end = p->val + p->vlen;
	unsigned short keys[KEYS_MAX];
	size_t n = 0;

	if (p->vlen == 4 && memcmp(s, "none", 4) == 0) {
		c->nkeys = 0;
		return true;
	}
	while (s < end) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		size_t l = comma ? (size_t)(comma - s) : (size_t)(end - s);
		int code = key_code(s, l);

		if (code < 0 || n == KEYS_MAX)
			return false;
		keys[n++] = (unsigned short)code;
		s += l + 1;
	}
	if (n == 0)
		return false;
	memcpy(c->keys, keys, n * sizeof(keys[0]));
	c->nkeys = n;
	return true;
}

static bool parse_fatal(struct cmdline *c, const struct param *p)
{
	for (int f = FATAL_SHELL; f <= FATAL_HALT; f++) {
		const char *n = fatal_action_name((enum fatal_action)f);

		if (p->val && p->vlen == strlen(n) && memcmp(p->val, n, p->vlen) == 0) {
			c->fatal = (enum fatal_action)f;
			return true;
		}
	}
	return false;
}

/* The store directory: absolute, and no ".." to climb out of the store. */
static bool dir_ok(const char *d)
{
	if (d[0] != '/')
		return false;
	for (const char *p = d; (p = strstr(p, "..")); p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0'))
			return false;
	return true;
}

/* Returns false when the value of a known ovroot.* key is bad. */
static bool set_dir(struct cmdline *c, const struct param *p)
{
	char d[sizeof(c->dir)];

	if (!copy_val(d, sizeof(d), p) || !dir_ok(d))
		return false;
	memcpy(c->dir, d, sizeof(d));
	return true;
}

static bool set_menukey(struct cmdline *c, const struct param *p)
{
	int code;

	if (p->val && p->vlen == 4 && memcmp(p->val, "none", 4) == 0) {
		c->menukey = 0;
		return true;
	}
	code = p->val ? key_code(p->val, p->vlen) : -1;
	if (code > 0)
		c->menukey = (unsigned short)code;
	return code > 0;
}

/* tmpfs's size=: a number with k, m, g or t, or a percentage of the RAM (1-100%). */
static bool set_size(char *dst, size_t size, const struct param *p)
{
	size_t digits = 0;

	if (!p->val || p->vlen >= size)
		return false;
	while (digits < p->vlen && p->val[digits] >= '0' && p->val[digits] <= '9')
		digits++;
	if (digits == 0 || digits > 15 || p->vlen - digits > 1)
		return false;
	if (digits < p->vlen && !strchr("kKmMgGtT%", p->val[digits]))
		return false;
	if (digits < p->vlen && p->val[digits] == '%') {
		int pct = digits <= 3 ? atoi(p->val) : 0;

		if (pct < 1 || pct > 100)
			return false;
	} else if (strspn(p->val, "0") >= digits) {
		return false;	/* size=0 is no limit at all */
	}
	return copy_val(dst, size, p);
}

/* A bad value leaves *dst as it was. */
static bool set_number(int *dst, const struct param *p, int max)
{
	int v = number(p, max);

	if (v >= 0)
		*dst = v;
	return v >= 0;
}

static bool take_ovroot(struct cmdline *c, const struct param *p, bool *known)
{
	*known = true;
	if (is(p, "ovroot.dir"))
		return set_dir(c, p);
	if (is(p, "ovroot.root"))
		return copy_val(c->override, sizeof(c->override), p) && p->vlen > 0;
	if (is(p, "ovroot.key"))
		return p->val && parse_keys(c, p);
	if (is(p, "ovroot.keywait"))
		return set_number(&c->keywait_ms, p, 60000);
	if (is(p, "ovroot.watchdog"))
		return set_number(&c->watchdog, p, WATCHDOG_MAX);
	if (is(p, "ovroot.panic"))
		return set_number(&c->panic_s, p, 3600);
	if (is(p, "ovroot.upper"))
		return p->val && (c->upper = upper_mode_parse(p->val, p->vlen)) >= 0;
	if (is(p, "ovroot.uppersize"))
		return set_size(c->uppersize, sizeof(c->uppersize), p);
	if (is(p, "ovroot.fatal"))
		return parse_fatal(c, p);
	if (is(p, "ovroot.menukey"))
		return set_menukey(c, p);
	if (is(p, "ovroot.menutimeout"))
		return set_number(&c->menutimeout_s, p, 3600);
	if (is(p, "ovroot.menu") && !p->val) {
		c->menu = true;
		return true;
	}
	if (is(p, "ovroot.debug")) {
		c->debug = true;
		return true;
	}
	*known = false;
	return true;
}

static void take(struct cmdline *c, const struct param *p, warn_fn warn, void *ctx)
{
	bool known;
	int v;

	if (is(p, "root")) {
		if (!p->val)
			warnf(warn, ctx, "root needs a value, ignored", p);
		else if (!copy_val(c->root, sizeof(c->root), p))
			warnf(warn, ctx, "root= too long, ignored", p);
	} else if (is(p, "rootfstype")) {
		copy_val(c->rootfstype, sizeof(c->rootfstype), p);
	} else if (is(p, "rootflags")) {
		copy_val(c->rootflags, sizeof(c->rootflags), p);
	} else if (is(p, "rootwait") && !p->val) {
		c->rootwait = true;
	} else if (is(p, "rootdelay")) {
		if ((v = number(p, 3600)) >= 0)
			c->rootdelay = v;
		else
			warnf(warn, ctx, "bad value ignored", p);
	} else if ((is(p, "ro") || is(p, "rw")) && !p->val) {
		c->rw = p->key[1] == 'w';
	} else if (is(p, "init")) {
		copy_val(c->init, sizeof(c->init), p);
	} else if (p->klen > 7 && memcmp(p->key, "ovroot.", 7) == 0) {
		if (!take_ovroot(c, p, &known))
			warnf(warn, ctx, "bad value ignored", p);
		else if (!known)
			warnf(warn, ctx, "unknown parameter ignored", p);
	}
}

/* One word of the command line: quotes group, as the kernel's next_arg(). */
static const char *next_param(const char *s, struct param *p)
{
	bool quoted = false;
	const char *start;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return NULL;
	if (*s == '"') {
		quoted = true;
		s++;
	}
	start = s;
	p->val = NULL;
	for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (*s == '=' && !p->val)
			p->val = s + 1;
	}
	p->key = start;
	p->klen = (size_t)((p->val ? p->val - 1 : s) - start);
	if (p->val) {
		p->vlen = (size_t)(s - p->val);
		if (p->vlen && p->val[0] == '"') {
			p->val++;
			p->vlen--;
		}
		if (p->vlen && p->val[p->vlen - 1] == '"')
			p->vlen--;
	} else if (p->klen && start[p->klen - 1] == '"') {
		p->klen--;
	}
	return s;
}

void cmdline_parse(struct cmdline *c, const char *text, warn_fn warn, void *ctx)
{
	struct param p;

	memset(c, 0, sizeof(*c));
	c->rootdelay = -1;
	c->rw = -1;
	c->upper = -1;
	strcpy(c->uppersize, UPPERSIZE_DEFAULT);
	c->keys[0] = 1;	/* esc */
	c->nkeys = 1;
	c->keywait_ms = KEYWAIT_DEFAULT_MS;
	c->watchdog = -1;
	c->panic_s = PANIC_DEFAULT_S;
	c->menukey = MENUKEY_DEFAULT;
	c->menutimeout_s = MENUTIMEOUT_DEFAULT_S;
	strcpy(c->dir, "/ovroot");
	while ((text = next_param(text, &p))) {
		if (p.key[0] == '-' && p.klen == 2 && p.key[1] == '-' && !p.val)
			break;	/* the rest belongs to init */
		take(c, &p, warn, ctx);
	}
}
