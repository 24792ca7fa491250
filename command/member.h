/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_MEMBER_H
#define OVROOT_COMMAND_MEMBER_H

#include <stddef.h>

/*
 * A tar member's name as a path relative to the staging directory:
 * "./a//b/" -> "a/b", "./" or "." -> "" (the directory itself).  -1 for a
 * name that is absolute, holds a ".." component or does not fit.
 */
int member_path(const char *name, char *out, size_t outlen);

enum oci_wh {
	OCI_WH_BAD = -1,	/* ".wh." alone, or another ".wh..wh." name */
	OCI_WH_NONE,		/* not a whiteout */
	OCI_WH_FILE,		/* "d/.wh.x": out "d/x" is deleted */
	OCI_WH_OPAQUE,		/* "d/.wh..wh..opq": out "d" hides what lies below */
};

/* What an OCI layer's member (a member_path) means; out as above. */
enum oci_wh oci_whiteout(const char *rel, char *out, size_t outlen);

#endif
