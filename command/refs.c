/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include "command/promedit.h"
#include "command/refs.h"
#include "selector/policy.h"

/* Missing or corrupt files are noted in *_why, not fatal: status shows them. */
int refs_load(struct refs *r, const struct store *s)
{
	memset(r, 0, sizeof(*r));
	r->have_file = promfile_load(s->dirfd, PROMFILE_NAME, &r->file, NULL, NULL,
				     r->file_why, sizeof(r->file_why)) == 0;
	r->have_backup = promfile_load(s->dirfd, PROMFILE_BACKUP, &r->backup, NULL, NULL,
				       r->backup_why, sizeof(r->backup_why)) == 0;
	r->booted = s->have_booted ? &s->booted : NULL;
	return pins_load(s->dirfd, &r->pins);
}

static bool in_stack(const struct stack *st, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->layer[i], name))
			return true;
	return false;
}

/* A backup names what a bad file would make the init boot: all of its stacks. */
static bool in_file(const struct promfile *pf, const char *name)
{
	struct stack fb = policy_fallback(pf);

	return in_stack(&pf->root, name) || in_stack(&fb, name) || in_stack(&pf->good, name);
}

unsigned refs_of(const struct refs *r, const char *name)
{
	unsigned bits = 0;

	if (r->have_file) {
		struct stack fb = policy_fallback(&r->file);

		bits |= in_stack(&r->file.root, name) ? REF_ROOT : 0;
		bits |= in_stack(&fb, name) ? REF_FALLBACK : 0;
		bits |= in_stack(&r->file.good, name) ? REF_GOOD : 0;
	}
	if (r->have_backup && in_file(&r->backup, name))
		bits |= REF_BACKUP;
	if (r->booted && in_stack(&r->booted->stack, name))
		bits |= REF_BOOTED;
	if (pins_has(&r->pins, name))
		bits |= REF_PINNED;
	return bits;
}

/* "root, fallback, pinned" */
void refs_describe(unsigned bits, char *buf, size_t len)
{
	static const char *const names[] = {
		"root", "fallback", "good", "boot.bak", "booted", "pinned",
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bits & (1u << i) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? ", " : "", names[i]);
}

void refs_free(struct refs *r)
{
	promfile_free(&r->file);
	promfile_free(&r->backup);
	pins_free(&r->pins);
}
