/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "command/stagebase.h"
#include "lib/log.h"

int stage_base_load(struct store *s, const char *stack, struct stage_base *b)
{
	(void)s; (void)stack; (void)b;
	say("stage: --base: not yet");
	return -1;
}

void stage_base_free(struct stage_base *b)
{
	(void)b;
}

int stage_base_link(struct stage_base *b, int stagefd, const struct manifest *src,
		    const char *name)
{
	(void)b; (void)stagefd; (void)src; (void)name;
	return -1;
}

int stage_base_reduce(struct stage_base *b, int stagefd, const struct manifest *src,
		      const char *name)
{
	(void)b; (void)stagefd; (void)src; (void)name;
	return -1;
}

int stage_base_check(struct stage_base *b, const char *name, const struct manifest *src,
		     const struct manifest *got)
{
	(void)b; (void)name; (void)src; (void)got;
	return -1;
}

int stage_image(struct staging *st, const char *type, const char *entry, struct manifest *m)
{
	(void)st; (void)type; (void)entry; (void)m;
	say("stage: --image: not yet");
	return -1;
}
