/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The manifest of a version: its lines, parsed and formatted, and compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/manifest.h"

int mf_add(struct manifest *m, struct mf_entry *e)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct mf_entry *v = realloc(m->e, cap * sizeof(*v));

		if (!v)
			return -1;
		m->e = v;
		m->cap = cap;
	}
	e->seq = m->seq_next++;
	m->e[m->n++] = *e;
	memset(e, 0, sizeof(*e));
	return 0;
}

static int by_path_seq(const void *a, const void *b)
{
	const struct mf_entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void mf_sort(struct manifest *m)
{
	size_t out = 0;

	if (m->n)
		qsort(m->e, m->n, sizeof(m->e[0]), by_path_seq);
	for (size_t i = 0; i < m->n; i++) {
		if (i + 1 < m->n && !strcmp(m->e[i].path, m->e[i + 1].path)) {
			mf_entry_free(&m->e[i]);	/* a later one of the path follows */
			continue;
		}
		m->e[out++] = m->e[i];
	}
	m->n = out;
}

static int by_path(const void *key, const void *elem)
{
	return strcmp(key, ((const struct mf_entry *)elem)->path);
}

struct mf_entry *mf_find(const struct manifest *m, const char *path)
{
	return m->n ? bsearch(path, m->e, m->n, sizeof(m->e[0]), by_path) : NULL;
}

void mf_entry_free(struct mf_entry *e)
{
	free(e->path);
	free(e->target);
	free(e->xattrs);
	e->path = e->target = e->xattrs = NULL;
}

void mf_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		mf_entry_free(&m->e[i]);
	free(m->e);
	memset(m, 0, sizeof(*m));
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool mf_same(const struct mf_entry *a, const struct mf_entry *b)
{
	return a->type == b->type && a->mode == b->mode && a->uid == b->uid &&
	       a->gid == b->gid && a->size == b->size && a->major == b->major &&
	       a->minor == b->minor && !strcmp(a->sha256, b->sha256) &&
	       str_same(a->target, b->target) && str_same(a->xattrs, b->xattrs);
}

bool mf_is_whiteout(const struct mf_entry *e)
{
	return e->type == 'c' && e->major == 0 && e->minor == 0;
}

bool mf_is_opaque(const struct mf_entry *e)
{
	static const char want[] = OVERLAY_OPAQUE_XATTR "=79";	/* "y" */
	const char *x = e->xattrs;
	size_t n = strlen(want);

	for (; x && *x; x = strchr(x, ',') ? strchr(x, ',') + 1 : "")
		if (!strncmp(x, want, n) && (x[n] == ',' || !x[n]))
			return e->type == 'd';
	return false;
}

char *mf_xattrs_without_overlay(const char *xattrs)
{
	size_t pl = strlen(OVERLAY_XATTR_PREFIX), n = 0;
	char *out;

	if (!xattrs)
		return NULL;
	out = malloc(strlen(xattrs) + 1);
	if (!out)
		return NULL;
	for (const char *x = xattrs; *x;) {
		const char *end = strchr(x, ',');
		size_t l = end ? (size_t)(end - x) : strlen(x);

		if (strncmp(x, OVERLAY_XATTR_PREFIX, pl)) {
			if (n)
				out[n++] = ',';
			memcpy(out + n, x, l);
			n += l;
		}
		x += l + (end != NULL);
	}
	out[n] = '\0';
	if (!n) {
		free(out);
		return NULL;
	}
	return out;
}

static bool plain(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '\\' && c != ',' && c != '=';
}

char *mf_escape(const char *s, size_t len)
{
	char *out = malloc(4 * len + 1), *p = out;

	if (!out)
		return NULL;
	if (len == 1 && s[0] == '-') {
		strcpy(out, "\\055");
		return out;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (plain(c))
			*p++ = (char)c;
		else
			p += sprintf(p, "\\%03o", c);
	}
	*p = '\0';
	return out;
}

/* Undoes mf_escape in place; -1 for a bad escape. */
static int unescape(char *s)
{
	char *out = s;

	for (char *p = s; *p; p++) {
		if (*p != '\\') {
			*out++ = *p;
			continue;
		}
		if (p[1] < '0' || p[1] > '3' || p[2] < '0' || p[2] > '7' || p[3] < '0' ||
		    p[3] > '7')
			return -1;
		*out++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
		p += 3;
	}
	*out = '\0';
	return 0;
}

static char *field_of(const char *s)
{
	return s ? mf_escape(s, strlen(s)) : strdup("-");
}

char *mf_format_line(const struct mf_entry *e)
{
	char *path = field_of(e->path), *target = field_of(e->target), *line = NULL;
	char size[48];

	if (e->type == 'f')
		snprintf(size, sizeof(size), "%llu", e->size);
	else if (e->type == 'c' || e->type == 'b')
		snprintf(size, sizeof(size), "%u:%u", e->major, e->minor);
	else
		strcpy(size, "-");
	if (path && target &&
	    asprintf(&line, "%s %c %04o %u:%u %s %s %s %s", path, e->type, e->mode & 07777,
		     e->uid, e->gid, size, e->sha256[0] ? e->sha256 : "-", target,
		     e->xattrs ? e->xattrs : "-") < 0)
		line = NULL;
	free(path);
	free(target);
	return line;
}

int mf_format(const struct manifest *m, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return -1;
	n = (size_t)sprintf(buf, "%s\n", MANIFEST_MAGIC);
	if (m->image_type[0])
		n += (size_t)sprintf(buf + n, "image %s %s\n", m->image_type, m->image_sha256);
	for (size_t i = 0; i < m->n; i++) {
		char *line = mf_format_line(&m->e[i]);
		size_t l = line ? strlen(line) : 0;

		if (line && n + l + 2 > cap) {
			char *b;

			while (n + l + 2 > cap)
				cap *= 2;
			b = realloc(buf, cap);
			if (!b) {
				free(line);
				line = NULL;
			} else {
				buf = b;
			}
		}
		if (!line) {
			free(buf);
			return -1;
		}
		memcpy(buf + n, line, l);
		n += l;
		buf[n++] = '\n';
		free(line);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static int bad(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

/* The fields of a line, split at single spaces: how many (at most max). */
static size_t split(char *s, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = s;
		s = strchr(s, ' ');
		if (!s)
			break;
		*s++ = '\0';
	}
	return s ? max + 1 : n;
}

static int parse_size(struct mf_entry *e, const char *s)
{
	char *end;

	if (e->type == 'f') {
		if (*s < '0' || *s > '9')
			return -1;
		e->size = strtoull(s, &end, 10);
		return *end ? -1 : 0;
	}
	if (e->type == 'c' || e->type == 'b')
		return sscanf(s, "%u:%u", &e->major, &e->minor) == 2 ? 0 : -1;
	return strcmp(s, "-") ? -1 : 0;
}

static bool hex64(const char *s)
{
	return strlen(s) == SHA256_HEX_LEN - 1 && strspn(s, "0123456789abcdef") == strlen(s);
}

static int parse_fields(char **f, struct mf_entry *e, char *err, size_t errlen)
{
	char *end;

	if (f[0][0] != '/' || unescape(f[0]) < 0)
		return bad(err, errlen, "bad path");
	if (strlen(f[1]) != 1 || !strchr("dflcbps", f[1][0]))
		return bad(err, errlen, "bad type");
	e->type = f[1][0];
	e->mode = (unsigned)strtoul(f[2], &end, 8);
	if (strlen(f[2]) != 4 || *end)
		return bad(err, errlen, "bad mode");
	if (sscanf(f[3], "%u:%u", &e->uid, &e->gid) != 2)
		return bad(err, errlen, "bad owner");
	if (parse_size(e, f[4]) < 0)
		return bad(err, errlen, "bad size");
	if (e->type == 'f' ? !hex64(f[5]) : strcmp(f[5], "-"))
		return bad(err, errlen, "bad sha256");
	if (e->type == 'f')
		strcpy(e->sha256, f[5]);
	if ((e->type == 'l') != (strcmp(f[6], "-") != 0) || unescape(f[6]) < 0)
		return bad(err, errlen, "bad symlink target");
	if (!f[7][0])
		return bad(err, errlen, "bad xattrs");
	return 0;
}

int mf_parse_line(const char *line, size_t len, struct mf_entry *e, char *err, size_t errlen)
{
	char *copy = strndup(line, len), *f[9];
	int r;

	memset(e, 0, sizeof(*e));
	if (!copy)
		return bad(err, errlen, "out of memory");
	if (strlen(copy) != len || split(copy, f, 8) != 8) {
		free(copy);
		return bad(err, errlen, "not 8 fields");
	}
	r = parse_fields(f, e, err, errlen);
	if (r == 0) {
		e->path = strdup(f[0]);
		e->target = e->type == 'l' ? strdup(f[6]) : NULL;
		e->xattrs = strcmp(f[7], "-") ? strdup(f[7]) : NULL;
		if (!e->path || (e->type == 'l' && !e->target) ||
		    (strcmp(f[7], "-") && !e->xattrs)) {
			mf_entry_free(e);
			r = bad(err, errlen, "out of memory");
		}
	}
	free(copy);
	return r;
}

static int parse_image(struct manifest *m, const char *line, size_t len)
{
	char type[16], hex[SHA256_HEX_LEN + 1];

	if (len > 100 || sscanf(line, "image %15s %65s", type, hex) != 2 || !hex64(hex) ||
	    (strcmp(type, "squashfs") && strcmp(type, "erofs")))
		return -1;
	strcpy(m->image_type, type);
	strcpy(m->image_sha256, hex);
	return 0;
}

int mf_parse(struct manifest *m, const char *text, size_t len, char *err, size_t errlen)
{
	size_t ml = strlen(MANIFEST_MAGIC), lineno = 1;
	const char *p = text, *end = text + len;
	char why[128];

	memset(m, 0, sizeof(*m));
	if (len < ml + 1 || memcmp(text, MANIFEST_MAGIC "\n", ml + 1))
		return bad(err, errlen, "not a manifest (no '" MANIFEST_MAGIC "' line)");
	for (p += ml + 1; p < end; lineno++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct mf_entry e;

		if (!nl) {
			snprintf(err, errlen, "line %zu: no newline at the end", lineno + 1);
			mf_free(m);
			return -1;
		}
		if (l > 6 && !memcmp(p, "image ", 6)) {
			if (parse_image(m, p, l) < 0)
				snprintf(why, sizeof(why), "bad image line");
			else
				why[0] = '\0';
		} else if (mf_parse_line(p, l, &e, why, sizeof(why)) == 0) {
			why[0] = '\0';
			if (mf_add(m, &e) < 0) {
				mf_entry_free(&e);
				snprintf(why, sizeof(why), "out of memory");
			}
		}
		if (why[0]) {
			snprintf(err, errlen, "line %zu: %s", lineno + 1, why);
			mf_free(m);
			return -1;
		}
		p = nl + 1;
	}
	mf_sort(m);
	return 0;
}

/* What differs between two entries of one path, in words. */
static void describe(const struct mf_entry *w, const struct mf_entry *g, char *buf, size_t len)
{
	if (w->type != g->type)
		snprintf(buf, len, "type %c, not %c", g->type, w->type);
	else if (strcmp(w->sha256, g->sha256) || w->size != g->size)
		snprintf(buf, len, "content differs (%llu bytes, sha256 %.12s, not %llu bytes, %.12s)",
			 g->size, g->sha256, w->size, w->sha256);
	else if (w->mode != g->mode)
		snprintf(buf, len, "mode %04o, not %04o", g->mode, w->mode);
	else if (w->uid != g->uid || w->gid != g->gid)
		snprintf(buf, len, "owner %u:%u, not %u:%u", g->uid, g->gid, w->uid, w->gid);
	else if (!str_same(w->target, g->target))
		snprintf(buf, len, "symlink target differs");
	else if (w->major != g->major || w->minor != g->minor)
		snprintf(buf, len, "device %u:%u, not %u:%u", g->major, g->minor, w->major,
			 w->minor);
	else
		snprintf(buf, len, "xattrs differ");
}

size_t mf_diff(const struct manifest *want, const struct manifest *got,
	       void (*say_diff)(void *ctx, const char *path, const char *what), void *ctx)
{
	size_t i = 0, j = 0, n = 0;
	char what[256];

	while (i < want->n || j < got->n) {
		int c = i == want->n ? 1 : j == got->n ? -1 :
			strcmp(want->e[i].path, got->e[j].path);

		if (c < 0) {
			say_diff(ctx, want->e[i++].path, "missing");
			n++;
		} else if (c > 0) {
			say_diff(ctx, got->e[j++].path, "added");
			n++;
		} else {
			if (!mf_same(&want->e[i], &got->e[j])) {
				describe(&want->e[i], &got->e[j], what, sizeof(what));
				say_diff(ctx, want->e[i].path, what);
				n++;
			}
			i++;
			j++;
		}
	}
	return n;
}
