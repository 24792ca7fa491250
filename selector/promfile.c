/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selector/policy.h"
#include "selector/promfile.h"

static const char *const upper_names[] = {
	[UPPER_TMPFS] = "tmpfs",
	[UPPER_PERSIST] = "persist",
	[UPPER_NONE] = "none",
};

int upper_mode_parse(const char *s, size_t len)
{
	for (int i = 0; i < (int)(sizeof(upper_names) / sizeof(upper_names[0])); i++)
		if (strlen(upper_names[i]) == len && memcmp(s, upper_names[i], len) == 0)
			return i;
	return -1;
}

const char *upper_mode_name(int mode)
{
	if (mode < 0 || mode > UPPER_NONE)
		return "unset";
	return upper_names[mode];
}

struct line {
	const char *key, *val;
	size_t klen, vlen;
	unsigned no;
};

void promfile_init(struct promfile *pf)
{
	memset(pf, 0, sizeof(*pf));
	pf->tries = -1;
	pf->upper = -1;
	pf->watchdog = -1;
}

void promfile_free(struct promfile *pf)
{
	stack_free(&pf->root);
	stack_free(&pf->fallback);
	stack_free(&pf->good);
	free(pf->extra);
	promfile_init(pf);
}

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

static int key_is(const struct line *l, const char *key)
{
	return l->klen == strlen(key) && memcmp(l->key, key, l->klen) == 0;
}

static int key_valid(const struct line *l)
{
	if (l->klen == 0)
		return 0;
	for (size_t i = 0; i < l->klen; i++) {
		char c = l->key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/* A number 0-max given once: tries=, watchdog=. */
static int parse_count(const struct line *l, int *out, int max, char *err, size_t errlen)
{
	int v = 0;
	size_t i;

	for (i = 0; i < l->vlen && i < 5 && l->val[i] >= '0' && l->val[i] <= '9'; i++)
		v = v * 10 + (l->val[i] - '0');
	if (*out >= 0 || l->vlen == 0 || i < l->vlen || v > max) {
		snprintf(err, errlen, "line %u: %.*s must be given once, a number 0-%d",
			 l->no, (int)l->klen, l->key, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int append_extra(struct promfile *pf, const char *s, size_t len)
{
	size_t have = pf->extra ? strlen(pf->extra) : 0;
	char *p = realloc(pf->extra, have + len + 2);

	if (!p)
		return -1;
	memcpy(p + have, s, len);
	p[have + len] = '\n';
	p[have + len + 1] = '\0';
	pf->extra = p;
	return 0;
}

static int set_stack(struct stack *st, const struct line *l, char *err, size_t errlen)
{
	char why[160];

	if (st->n) {
		snprintf(err, errlen, "line %u: %.*s given twice", l->no, (int)l->klen, l->key);
		return -1;
	}
	if (stack_parse(st, l->val, l->vlen, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "line %u: %.*s: %s", l->no, (int)l->klen, l->key, why);
		return -1;
	}
	return 0;
}

static int set_value(struct promfile *pf, const struct line *l, char *err, size_t errlen)
{
	if (key_is(l, "root"))
		return set_stack(&pf->root, l, err, errlen);
	if (key_is(l, "fallback"))
		return set_stack(&pf->fallback, l, err, errlen);
	if (key_is(l, "good"))
		return set_stack(&pf->good, l, err, errlen);
	if (key_is(l, "tries"))
		return parse_count(l, &pf->tries, TRIES_MAX, err, errlen);
	if (key_is(l, "watchdog"))
		return parse_count(l, &pf->watchdog, WATCHDOG_MAX, err, errlen);
	if (key_is(l, "upper")) {
		if (pf->upper >= 0 || (pf->upper = upper_mode_parse(l->val, l->vlen)) < 0) {
			snprintf(err, errlen, "line %u: upper must be given once, tmpfs, persist or none",
				 l->no);
			return -1;
		}
		return 0;
	}
	return 1;
}

static int parse_line(struct promfile *pf, const char *s, size_t len, unsigned no,
		      warn_fn warn, void *ctx, char *err, size_t errlen)
{
	const char *eq;
	struct line l = { .no = no };
	int r;

	trim(&s, &len);
	if (len == 0)
		return 0;
	if (s[0] == '#')
		return append_extra(pf, s, len);
	eq = memchr(s, '=', len);
	if (!eq) {
		snprintf(err, errlen, "line %u: not a key=value line", no);
		return -1;
	}
	l.key = s;
	l.klen = (size_t)(eq - s);
	l.val = eq + 1;
	l.vlen = len - l.klen - 1;
	trim(&l.key, &l.klen);
	trim(&l.val, &l.vlen);
	if (!key_valid(&l)) {
		snprintf(err, errlen, "line %u: bad key", no);
		return -1;
	}
	r = set_value(pf, &l, err, errlen);
	if (r <= 0)
		return r;
	if (warn) {
		char msg[128];

		snprintf(msg, sizeof(msg), "line %u: unknown key '%.*s' ignored", no,
			 (int)(l.klen > 40 ? 40 : l.klen), l.key);
		warn(ctx, msg);
	}
	return append_extra(pf, s, len);
}

/*
 * Any line that is not blank, a comment or key=value makes the whole file
 * corrupt: a half-understood file must not pick what boots.
 */
int promfile_parse(struct promfile *pf, const char *text, size_t len,
		   warn_fn warn, void *ctx, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned no = 0;

	promfile_init(pf);
	if (len > PROMFILE_MAX) {
		snprintf(err, errlen, "larger than %d bytes", PROMFILE_MAX);
		return -1;
	}
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "contains a NUL byte");
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (parse_line(pf, p, l, ++no, warn, ctx, err, errlen) < 0) {
			promfile_free(pf);
			return -1;
		}
		p += l + 1;
	}
	if (pf->root.n == 0) {
		snprintf(err, errlen, "%s", len ? "has no root= line" : "is empty");
		promfile_free(pf);
		return -1;
	}
	return 0;
}

static int put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = (*len + n + 1) * 2;
		char *p = realloc(*buf, c);

		if (!p)
			return -1;
		*buf = p;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

static int put_stack(char **buf, size_t *len, size_t *cap, const char *key,
		     const struct stack *st)
{
	size_t need = stack_format(st, NULL, 0);
	char *s;
	int r;

	if (st->n == 0)
		return 0;
	s = malloc(need + 1);
	if (!s)
		return -1;
	stack_format(st, s, need + 1);
	r = put(buf, len, cap, key, strlen(key)) | put(buf, len, cap, "=", 1) |
	    put(buf, len, cap, s, need) | put(buf, len, cap, "\n", 1);
	free(s);
	return r;
}

/* The file's text: kept comments and unknown keys first, then the known keys. */
char *promfile_format(const struct promfile *pf, size_t *lenp)
{
	char *buf = NULL, num[32];
	size_t len = 0, cap = 0;
	int r = put(&buf, &len, &cap, "", 0);

	if (pf->extra)
		r |= put(&buf, &len, &cap, pf->extra, strlen(pf->extra));
	r |= put_stack(&buf, &len, &cap, "root", &pf->root);
	r |= put_stack(&buf, &len, &cap, "fallback", &pf->fallback);
	r |= put_stack(&buf, &len, &cap, "good", &pf->good);
	if (pf->tries >= 0) {
		snprintf(num, sizeof(num), "tries=%d\n", pf->tries);
		r |= put(&buf, &len, &cap, num, strlen(num));
	}
	if (pf->upper >= 0) {
		snprintf(num, sizeof(num), "upper=%s\n", upper_mode_name(pf->upper));
		r |= put(&buf, &len, &cap, num, strlen(num));
	}
	if (pf->watchdog >= 0) {
		snprintf(num, sizeof(num), "watchdog=%d\n", pf->watchdog);
		r |= put(&buf, &len, &cap, num, strlen(num));
	}
	if (r) {
		free(buf);
		return NULL;
	}
	if (lenp)
		*lenp = len;
	return buf;
}

/* The file as it is written: never one the init would call too large. */
char *promfile_text(const struct promfile *pf, size_t *len, char *err, size_t errlen)
{
	char *text = promfile_format(pf, len);

	if (!text) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* The init would call it corrupt: a file of the limit without a final newline. */
	if (*len > PROMFILE_MAX) {
		snprintf(err, errlen, "the new file would be larger than %d bytes: not written",
			 PROMFILE_MAX);
		free(text);
		return NULL;
	}
	return text;
}

int promfile_parse_read(struct promfile *pf, int r, const char *text, size_t len,
			warn_fn warn, void *ctx, char *why, size_t whylen)
{
	char err[256];

	promfile_init(pf);
	if (r < 0) {
		snprintf(why, whylen, "%s", r == -ENOENT ? "is missing" :
			 r == -EFBIG ? "is too large" :
			 r == -EINVAL ? "is not a regular file" : strerror(-r));
		return -1;
	}
	if (promfile_parse(pf, text, len, warn, ctx, err, sizeof(err)) < 0) {
		snprintf(why, whylen, "is corrupt (%s)", err);
		return -1;
	}
	return 0;
}

/*
 * The old root becomes the fallback when it was confirmed; an unconfirmed
 * one (tries= still there) is no safe place to fall back to, so the fallback
 * stays what it was, written out when it was derived.
 */
static int new_fallback(struct promfile *pf, const struct stack *root)
{
	struct stack fb;

	if (!pf->root.n || stack_equal(&pf->root, root))
		return 0;
	fb = pf->tries < 0 ? pf->root : policy_fallback(pf);
	if (fb.n == 0 || stack_equal(&fb, root)) {
		stack_free(&pf->fallback);
		return 0;
	}
	return stack_copy(&pf->fallback, &fb);
}

int promfile_promote(struct promfile *pf, const struct stack *root, int tries)
{
	if (new_fallback(pf, root) < 0 || stack_copy(&pf->root, root) < 0)
		return -1;
	pf->tries = tries;
	return 0;
}
