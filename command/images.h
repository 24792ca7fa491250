/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_IMAGES_H
#define OVROOT_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "command/refs.h"
#include "command/store.h"
#include "selector/stack.h"

/*
 * A staged OCI image is no version of its own: its layers are versions
 * (sha256-...), and ovroot/images/NAME, one line "L_top+...+L_bottom",
 * remembers which, until `promote NAME` writes them into the promotion
 * file as root=L_top+...+L_bottom.  Only the command reads these records;
 * the init never does.
 */
#define IMAGES_DIR "images"

/* 0 and st set; 1 when there is no record NAME; -1 with err. */
int image_read(int ovroot_dirfd, const char *name, struct stack *st, char *err, size_t errlen);
/* Whether images/NAME is there (a name no version may take then). */
bool image_exists(int ovroot_dirfd, const char *name);
/* Writes the record atomically (images/ made when missing): 0, or -1 with err. */
int image_write(int ovroot_dirfd, const char *name, const struct stack *st, char *err,
		size_t errlen);
/*
 * Every layer of st that is no version but an image record becomes the
 * image's layers, in place: 0, or -1 said.
 */
int images_expand(const struct store *s, struct stack *st);
/*
 * gc: a record goes once a layer of it is named by no stack that boots
 * (root, fallback, good, boot.bak, booted) nor pinned: the image is
 * neither booted nor kept, and its layers go with the versions no stack
 * names.  Prints what it keeps and removes (dry: would remove); returns
 * how many it could not remove.
 */
int images_gc(int ovroot_dirfd, const struct refs *r, bool dry);
/*
 * Calls fn for each image record whose stack holds layer (for list), in
 * directory order.
 */
void images_holding(int ovroot_dirfd, const char *layer,
		    void (*fn)(void *ctx, const char *image), void *ctx);
/* How many records images_gc would remove. */
size_t images_removable(int ovroot_dirfd, const struct refs *r);

#endif
