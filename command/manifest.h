/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_MANIFEST_H
#define OVROOT_COMMAND_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "command/digest.h"

/*
 * What a version holds, one line per path (docs/ovroot.md, "Manifests"):
 *
 *   ovroot-manifest 1
 *   / d 0755 0:0 - - - -
 *   /etc/hostname f 0644 0:0 6 <sha256> - -
 *   /bin/sh l 0777 0:0 - - busybox -
 *   /gone c 0000 0:0 0:0 - - -
 *   /dir d 0755 0:0 - - - trusted.overlay.opaque=79
 *
 * Fields: path, type (d f l c b p s), permission bits in octal, uid:gid,
 * size (files; major:minor for devices; else -), sha256 of the content
 * (files, else -), symlink target (else -), xattrs (name=hex-value,...
 * sorted by name, or -).  Bytes outside 0x21-0x7e and \ , = are written
 * \ooo; a field whose value is "-" is written \055.  Lines are sorted by
 * path (bytes); an "image TYPE SHA256" line gives an image's digest.
 */
#define MANIFEST_MAGIC "ovroot-manifest 1"
/* overlayfs' own xattrs: part of a layer, never of the view it makes. */
#define OVERLAY_XATTR_PREFIX "trusted.overlay."
#define OVERLAY_OPAQUE_XATTR "trusted.overlay.opaque"

struct mf_entry {
	char *path;			/* "/" or "/etc/passwd" */
	char type;			/* d f l c b p s */
	unsigned mode;			/* the permission bits, 07777 */
	unsigned uid, gid;
	unsigned long long size;	/* f */
	unsigned major, minor;		/* c b */
	char sha256[SHA256_HEX_LEN];	/* f, else "" */
	char *target;			/* l, else NULL */
	char *xattrs;			/* "name=hex,..." sorted, NULL: none */
	int layer;			/* a merged view: the layer it comes from */
	size_t seq;			/* order added: the last of a path wins */
};

struct manifest {
	struct mf_entry *e;
	size_t n, cap;
	char image_type[16];		/* "" or "squashfs"/"erofs" */
	char image_sha256[SHA256_HEX_LEN];
	size_t seq_next;
};

/* Takes over e's strings.  0 or -1 (no memory). */
int mf_add(struct manifest *m, struct mf_entry *e);
/* Sorts by path; of two entries of one path the later added stays. */
void mf_sort(struct manifest *m);
struct mf_entry *mf_find(const struct manifest *m, const char *path);
void mf_entry_free(struct mf_entry *e);
void mf_free(struct manifest *m);
/* Everything a view shows is the same (layer and seq do not count). */
bool mf_same(const struct mf_entry *a, const struct mf_entry *b);
/* A whiteout: a character device 0/0. */
bool mf_is_whiteout(const struct mf_entry *e);
bool mf_is_opaque(const struct mf_entry *e);
/* e's xattrs without overlayfs' own (malloc'd, NULL when none are left). */
char *mf_xattrs_without_overlay(const char *xattrs);

/* The line of e, without the newline (malloc'd; NULL: no memory). */
char *mf_format_line(const struct mf_entry *e);
/* The whole text (malloc'd), sorted m.  0 or -1. */
int mf_format(const struct manifest *m, char **text, size_t *len);
/* One line (without its newline) into e.  0, or -1 with why in err. */
int mf_parse_line(const char *line, size_t len, struct mf_entry *e, char *err, size_t errlen);
int mf_parse(struct manifest *m, const char *text, size_t len, char *err, size_t errlen);

/* Escapes len bytes of s into a malloc'd field ("-" stays "\055"). */
char *mf_escape(const char *s, size_t len);

/*
 * Differences of got from want, one call of say_diff per path, in path
 * order: "missing" (in want only), "added" (in got only) or what differs.
 * Returns how many.
 */
size_t mf_diff(const struct manifest *want, const struct manifest *got,
	       void (*say_diff)(void *ctx, const char *path, const char *what), void *ctx);

#endif
