/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tar member names: confined to the staging directory, OCI whiteouts. */
#include <stdio.h>
#include <string.h>

#include "command/member.h"

int member_path(const char *name, char *out, size_t outlen)
{
	size_t n = 0;

	if (name[0] == '/' || !outlen)
		return -1;
	for (const char *p = name; *p;) {
		size_t l = strcspn(p, "/");

		if (l == 2 && !memcmp(p, "..", 2))
			return -1;
		if (l && !(l == 1 && p[0] == '.')) {
			if (n + (n > 0) + l >= outlen)
				return -1;
			if (n)
				out[n++] = '/';
			memcpy(out + n, p, l);
			n += l;
		}
		p += l;
		while (*p == '/')
			p++;
	}
	out[n] = '\0';
	return 0;
}

#define WH ".wh."
#define OPQ ".wh..wh..opq"

enum oci_wh oci_whiteout(const char *rel, char *out, size_t outlen)
{
	const char *base = strrchr(rel, '/');
	size_t dirlen = base ? (size_t)(base - rel) : 0;

	base = base ? base + 1 : rel;
	if (strncmp(base, WH, strlen(WH)))
		return OCI_WH_NONE;
	if (!strcmp(base, OPQ)) {
		if (dirlen >= outlen)
			return OCI_WH_BAD;
		memcpy(out, rel, dirlen);
		out[dirlen] = '\0';
		return OCI_WH_OPAQUE;
	}
	if (!base[strlen(WH)] || !strncmp(base, WH WH, 2 * strlen(WH)) ||
	    !strcmp(base + strlen(WH), ".") || !strcmp(base + strlen(WH), ".."))
		return OCI_WH_BAD;
	if ((size_t)snprintf(out, outlen, "%.*s%s%s", (int)dirlen, rel, dirlen ? "/" : "",
			     base + strlen(WH)) >= outlen)
		return OCI_WH_BAD;
	return OCI_WH_FILE;
}
