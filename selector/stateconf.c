/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "selector/stateconf.h"

const char *const state_default_paths[] = {
	"/etc/machine-id",
	"/var/lib/systemd/random-seed",
	"/var/log/journal/",
	"/etc/ssh/ssh_host_*",
	"/home/",
	NULL,
};

/* Mounted over at the switch: a bind under them would be hidden. */
static const char *const api_dirs[] = { "dev", "proc", "sys", "run" };

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			(*s)[*len - 1] == '\r'))
		(*len)--;
}

static bool is_glob(const char *s, size_t len)
{
	return memchr(s, '*', len) || memchr(s, '?', len);
}

/* Each part of a relative path: not empty, not "." or "..", no control character. */
static const char *check_parts(const char *p, size_t len, bool *glob_before_last)
{
	const char *part = p, *end = p + len;

	*glob_before_last = false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return "has a control character";
	while (part <= end) {
		const char *slash = memchr(part, '/', (size_t)(end - part));
		size_t n = (size_t)((slash ? slash : end) - part);

		if (n == 0)
			return "has an empty part (\"//\")";
		if ((n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
			return "has a \".\" or \"..\" part";
		if (slash && is_glob(part, n))
			*glob_before_last = true;
		if (!slash)
			break;
		part = slash + 1;
	}
	return NULL;
}

static bool under_api_dir(const char *p)
{
	for (size_t i = 0; i < sizeof(api_dirs) / sizeof(api_dirs[0]); i++) {
		size_t n = strlen(api_dirs[i]);

		if (strncmp(p, api_dirs[i], n) == 0 && (p[n] == '\0' || p[n] == '/'))
			return true;
	}
	return false;
}

/* a is b, or lies under it, or b under a. */
static bool overlaps(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;

	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/') &&
	       (b[n] == '\0' || b[n] == '/');
}

/* One path line into c->p[c->n]: NULL, or why it is refused. */
static const char *add_path(struct stateconf *c, const char *s, size_t len)
{
	struct state_path *p;
	bool dir, glob_early;
	const char *why;

	if (len == 0 || s[0] != '/')
		return "is not an absolute path";
	s++, len--;
	dir = len && s[len - 1] == '/';
	if (dir)
		len--;
	if (len == 0)
		return "is / itself";
	if (len >= STATE_PATH_MAX)
		return "is too long";
	why = check_parts(s, len, &glob_early);
	if (why)
		return why;
	if (glob_early)
		return "has \"*\" or \"?\" before its last part";
	if (dir && is_glob(s, len))
		return "is a pattern and a directory";
	if (c->n == STATE_PATHS_MAX)
		return "is one path too many";
	p = &c->p[c->n];
	memcpy(p->path, s, len);
	p->path[len] = '\0';
	p->kind = dir ? STATE_DIR : is_glob(s, len) ? STATE_GLOB : STATE_FILE;
	if (under_api_dir(p->path))
		return "lies under /dev, /proc, /sys or /run";
	for (size_t i = 0; i < c->n; i++)
		if (overlaps(c->p[i].path, p->path))
			return "overlaps a path listed before it";
	c->n++;
	return NULL;
}

static const char *add_defaults(struct stateconf *c)
{
	const char *why = NULL;

	for (size_t i = 0; state_default_paths[i] && !why; i++)
		why = add_path(c, state_default_paths[i], strlen(state_default_paths[i]));
	return why;
}

static const char *parse_epoch(struct stateconf *c, const char *v, size_t len, bool *seen)
{
	long n = 0;

	if (*seen)
		return "epoch= is given twice";
	*seen = true;
	if (len == 0 || len > 6)
		return "epoch= wants a number 0-999999";
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return "epoch= wants a number 0-999999";
		n = n * 10 + (v[i] - '0');
	}
	c->epoch = (int)n;
	return NULL;
}

static const char *parse_line(struct stateconf *c, const char *s, size_t len, bool *epoch_seen,
			      bool *defaults_seen, warn_fn warn, void *ctx, unsigned no)
{
	const char *eq = memchr(s, '=', len), *key = s;
	size_t klen;

	if (len == 7 && memcmp(s, "default", 7) == 0) {
		if (*defaults_seen)
			return "default is given twice";
		*defaults_seen = true;
		return add_defaults(c);
	}
	if (s[0] == '/')
		return add_path(c, s, len);
	if (!eq)
		return "is neither a path, \"default\" nor key=value";
	klen = (size_t)(eq - s);
	trim(&key, &klen);
	if (klen == 5 && memcmp(key, "epoch", 5) == 0) {
		const char *v = eq + 1;
		size_t vlen = len - (size_t)(eq - s) - 1;

		trim(&v, &vlen);
		return parse_epoch(c, v, vlen, epoch_seen);
	}
	if (warn) {
		char msg[160];

		snprintf(msg, sizeof(msg), "line %u: unknown key %.*s: ignored", no,
			 (int)(klen > 40 ? 40 : klen), key);
		warn(ctx, msg);
	}
	return NULL;
}

int stateconf_parse(struct stateconf *c, const char *text, size_t len, warn_fn warn, void *ctx,
		    char *err, size_t errlen)
{
	const char *end = text + len, *why = NULL;
	bool epoch_seen = false, defaults_seen = false;
	unsigned no = 0;

	memset(c, 0, sizeof(*c));
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "has a NUL byte");
		return -1;
	}
	while (text < end && !why) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		const char *s = text;
		size_t n = (size_t)((nl ? nl : end) - text);

		text = nl ? nl + 1 : end;
		no++;
		trim(&s, &n);
		if (n == 0 || s[0] == '#')
			continue;
		why = parse_line(c, s, n, &epoch_seen, &defaults_seen, warn, ctx, no);
	}
	if (!why)
		return 0;
	snprintf(err, errlen, "line %u: %s", no, why);
	c->n = 0;
	return -1;
}

bool state_glob_match(const char *pattern, const char *name)
{
	const char *star = NULL, *resume = NULL;

	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	while (*name) {
		if (*pattern == '*') {
			star = pattern++;
			resume = name;
		} else if (*pattern == '?' || *pattern == *name) {
			pattern++;
			name++;
		} else if (star) {
			pattern = star + 1;
			name = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

bool machine_id_valid(const char *text, size_t len)
{
	if (len != 33 || text[32] != '\n')
		return false;
	for (size_t i = 0; i < 32; i++)
		if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f')))
			return false;
	/* all zeros is systemd's "no id" */
	return strspn(text, "0") != 32;
}

void machine_id_format(const unsigned char rnd[16], char out[34])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];

	memcpy(b, rnd, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* the RFC 4122 variant */
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 0xf];
	}
	out[32] = '\n';
	out[33] = '\0';
}
