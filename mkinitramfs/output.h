/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_OUTPUT_H
#define OVROOT_MK_OUTPUT_H

/*
 * The output file, replaced atomically: written to OUT.tmp.XXXXXX in the
 * same directory, synced and renamed over OUT, so that a failed build
 * leaves no partial file behind.  "-" means standard output.
 */
struct output {
	const char *path;
	char *tmp;		/* NULL for standard output */
	int fd;
};

/* 0, or -1 after a one-line error naming path. */
int output_open(struct output *out, const char *path);

/* Syncs, closes and renames into place; 0, or -1 after an error. */
int output_commit(struct output *out);

/* Closes and removes the temporary file. */
void output_abort(struct output *out);

#endif
