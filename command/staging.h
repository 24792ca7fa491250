/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_STAGING_H
#define OVROOT_COMMAND_STAGING_H

#include <stdbool.h>

#include "command/manifest.h"
#include "command/store.h"
#include "selector/stack.h"

/*
 * The staging convention: a version NAME is made as versions/.staging-NAME
 * (an image as versions/.staging-NAME.squashfs or .erofs), a name no
 * command takes for a version, under the store lock.  Once whole it is
 * synced, its manifest written (ovroot/manifests/NAME, atomically), and it
 * is renamed to versions/NAME: a power cut leaves no version NAME or the
 * whole one.  What an interrupted staging leaves is removed by the next
 * stage or gc.
 */
struct staging {
	struct store *s;
	int versions;		/* versions/, confined */
	int dir;		/* versions/.staging-NAME */
	char name[VERSION_NAME_MAX + 1];
	char entry[VERSION_NAME_MAX + 32];
};

enum leftovers { LEFTOVERS_COUNT, LEFTOVERS_SAY, LEFTOVERS_REMOVE };
/*
 * The leftovers of interrupted stagings: versions/.staging-* (a directory
 * goes through the trash, .trash-staging-*), manifests of no version and
 * the manifests' temp files.  Counted; said ("would remove ..."); or
 * removed, each said ("removed ... (left by an interrupted staging)").
 * How many, or -1.
 */
int staging_leftovers(struct store *s, enum leftovers mode);
/* The manifests alone (gc: the staging directories are its items, in-use checked). */
int stale_manifests(struct store *s, enum leftovers mode);
/* Removes versions/entry, a staging directory (through the trash) or image.  0 or -1. */
int staging_remove(int ovroot_dirfd, const char *entry, char *err, size_t errlen);
/* Refuses a name that is a version; makes the staging directory.  0 or -1 said. */
int staging_begin(struct staging *st, struct store *s, const char *name);
/*
 * Syncs the store, writes m as NAME's manifest and renames entry (the
 * staging directory, or an image beside it: ".staging-NAME.squashfs") to
 * NAME + suffix.  0 or -1 said.
 */
int staging_commit(struct staging *st, const struct manifest *m, const char *entry,
		   const char *suffix);
/* Removes what the staging made (the directory; an image entry too). */
void staging_end(struct staging *st, const char *image_entry);

/* NAME's manifest from ovroot/manifests: 0, -ENOENT, or -1 said. */
int manifest_load(const struct store *s, const char *name, struct manifest *m);

#endif
