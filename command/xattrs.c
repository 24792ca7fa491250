/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Extended attributes in the manifest's text form, read and set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#include "command/manifest.h"
#include "command/xattrs.h"

/* Where parentfd/name is reached without following it; "" without a name (fd >= 0). */
static void proc_path(char *buf, size_t len, int parentfd, const char *name)
{
	if (name)
		snprintf(buf, len, "/proc/self/fd/%d/%s", parentfd, name);
	else
		buf[0] = '\0';
}

static ssize_t list(int fd, const char *path, char *buf, size_t len)
{
	return fd >= 0 ? flistxattr(fd, buf, len) : llistxattr(path, buf, len);
}

static ssize_t get(int fd, const char *path, const char *name, void *buf, size_t len)
{
	return fd >= 0 ? fgetxattr(fd, name, buf, len) : lgetxattr(path, name, buf, len);
}

/* One "escaped-name=hex" item; NULL: no memory. */
static char *item(const char *name, const unsigned char *value, size_t len)
{
	char *ename = mf_escape(name, strlen(name)), *out;
	size_t el;

	if (!ename)
		return NULL;
	el = strlen(ename);
	out = malloc(el + 2 + 2 * len);
	if (out) {
		memcpy(out, ename, el);
		out[el] = '=';
		for (size_t i = 0; i < len; i++)
			sprintf(out + el + 1 + 2 * i, "%02x", value[i]);
		out[el + 1 + 2 * len] = '\0';
	}
	free(ename);
	return out;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The items joined by commas, sorted: *text takes the new list. */
static int join(char **items, size_t n, char **text)
{
	size_t len = 1;
	char *out;

	qsort(items, n, sizeof(items[0]), by_str);
	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + 1;
	out = malloc(len);
	if (!out)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, items[i]);
	}
	*text = n ? out : NULL;
	if (!n)
		free(out);
	return 0;
}

static void free_items(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* Splits a list into malloc'd items (the array has room for one more). */
static char **split(const char *text, size_t *n)
{
	size_t cap = 2;
	char **v;

	for (const char *p = text; p && *p; p++)
		cap += *p == ',';
	v = calloc(cap, sizeof(*v));
	*n = 0;
	for (const char *p = text; v && p && *p;) {
		size_t l = strcspn(p, ",");

		v[*n] = strndup(p, l);
		if (!v[(*n)++]) {
			free_items(v, *n);
			return NULL;
		}
		p += l + (p[l] == ',');
	}
	return v;
}

int xattrs_add(char **text, const char *name, const void *value, size_t len)
{
	size_t n;
	char **v = split(*text, &n), *joined = NULL;
	int r = -1;

	if (v) {
		v[n] = item(name, value, len);
		if (v[n] && join(v, n + 1, &joined) == 0) {
			free(*text);
			*text = joined;
			r = 0;
		}
		free_items(v, n + 1);
	}
	return r;
}

int xattrs_read(int fd, int parentfd, const char *name, char **out)
{
	char path[4200], names[65536], value[65536];
	ssize_t nl = 0;
	char *text = NULL;

	*out = NULL;
	proc_path(path, sizeof(path), parentfd, name);
	nl = list(fd, path, names, sizeof(names));
	if (nl < 0)
		return errno == ENOTSUP || errno == ENODATA ? 0 : -errno;
	for (char *p = names; p < names + nl; p += strlen(p) + 1) {
		ssize_t vl = get(fd, path, p, value, sizeof(value));

		if (vl < 0 && errno == ENODATA)
			continue;	/* gone meanwhile */
		if (vl < 0 || xattrs_add(&text, p, value, (size_t)vl) < 0) {
			int e = vl < 0 ? errno : ENOMEM;

			free(text);
			return -e;
		}
	}
	*out = text;
	return 0;
}

static int unhex(const char *s, unsigned char *out, size_t *len)
{
	size_t n = strlen(s);

	if (n % 2)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	*len = n / 2;
	return 0;
}

/* "name\ooo" -> raw name, in place. */
static void unescape_name(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1] && p[2] && p[3]) {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

int xattrs_apply(int fd, int parentfd, const char *name, const char *text)
{
	static unsigned char value[65536];
	char path[4200];
	size_t n, vl;
	char **v = split(text, &n);
	int r = v ? 0 : -ENOMEM;

	proc_path(path, sizeof(path), parentfd, name);
	for (size_t i = 0; !r && i < n; i++) {
		char *eq = strchr(v[i], '=');

		if (!eq || strlen(eq + 1) / 2 > sizeof(value) || unhex(eq + 1, value, &vl) < 0) {
			r = -EINVAL;
			break;
		}
		*eq = '\0';
		unescape_name(v[i]);
		if ((fd >= 0 ? fsetxattr(fd, v[i], value, vl, 0) :
		     lsetxattr(path, v[i], value, vl, 0)) < 0)
			r = -errno;
	}
	free_items(v, n);
	return r;
}
