/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_STAGEBASE_H
#define OVROOT_COMMAND_STAGEBASE_H

#include "command/manifest.h"
#include "command/staging.h"
#include "command/store.h"
#include "selector/stack.h"

/* The stack a staging builds on (--base): its layers and the view they make. */
struct stage_base {
	struct stack stack;
	struct manifest *layer;	/* each layer's manifest, top first */
	int *fd;		/* each directory layer, -1 for an image */
	size_t n;
	struct manifest view;	/* what the stack shows (command/mfmerge.h) */
};

int stage_base_load(struct store *s, const char *stack, struct stage_base *b);
void stage_base_free(struct stage_base *b);
/* Full version: each file the same as the base's at its path becomes a hard link to it. */
int stage_base_link(struct stage_base *b, int stagefd, const struct manifest *src,
		    const char *name);
/* Delta: the staging directory (holding all of src) keeps only what differs. */
int stage_base_reduce(struct stage_base *b, int stagefd, const struct manifest *src,
		      const char *name);
/* got over the base shows exactly src: 0, else -1 said. */
int stage_base_check(struct stage_base *b, const char *name, const struct manifest *src,
		     const struct manifest *got);

/*
 * rel in the staging directory becomes a hard link to rel in layerfd (a
 * directory version): 0, 1 when it stays a copy, -1 when unknown.
 */
int link_from_layer(int layerfd, int stagefd, const char *rel);

/* The staged tree packed as entry (versions/.staging-NAME.TYPE); m gets its digest. */
int stage_image(struct staging *st, const char *type, const char *entry, struct manifest *m);

#endif
