/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command/promedit.h"
#include "command/store_mount.h"
#include "lib/file.h"
#include "lib/layers.h"
#include "lib/log.h"

int promfile_load(int dirfd, const char *name, struct promfile *pf, char **text,
		  size_t *len, char *why, size_t whylen)
{
	char *buf = NULL, prefix[32];
	size_t n = 0;
	int r = read_small_file(dirfd, name, PROMFILE_MAX, &buf, &n);

	snprintf(prefix, sizeof(prefix), "%s: ", name);
	r = promfile_parse_read(pf, r, buf, n, say_warning, prefix, why, whylen);
	if (r == 0 && text) {
		*text = buf;
		*len = n;
	} else {
		free(buf);
	}
	return r;
}

/* A corrupt file is never overwritten: it is what tells what went wrong. */
int promedit_load(struct store *s, struct promedit *e, bool missing_ok)
{
	char why[320];

	memset(e, 0, sizeof(*e));
	promfile_init(&e->pf);
	if (missing_ok && faccessat(s->dirfd, PROMFILE_NAME, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT)
		return 0;
	if (promfile_load(s->dirfd, PROMFILE_NAME, &e->pf, &e->text, &e->len, why,
			  sizeof(why)) == 0)
		return 0;
	say("the promotion file %s/%s %s: nothing written", s->dir, PROMFILE_NAME, why);
	return -1;
}

/* boot.bak gets the old text, boot the new; the store is writable only meanwhile. */
int promedit_save(struct store *s, struct promedit *e)
{
	char err[320], *text;
	size_t len;
	int r = -1;

	text = promfile_text(&e->pf, &len, err, sizeof(err));
	if (text && store_writable(s) < 0) {
		free(text);
		return -1;
	}
	if (text) {
		r = atomic_replace(s->dirfd, PROMFILE_NAME, PROMFILE_BACKUP, e->text, e->len,
				   text, len, err, sizeof(err));
		store_restore(s);
		free(text);
	}
	if (r < 0)
		say("cannot write the promotion file in %s: %s", s->dir, err);
	return r;
}

void promedit_free(struct promedit *e)
{
	promfile_free(&e->pf);
	free(e->text);
	e->text = NULL;
}

/* Every layer there, well formed, inside the store: said for the first that is not. */
int stack_check(const struct store *s, const struct stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		int r = layer_find(s->dirfd, st->layer[i], NULL);

		if (r == 0)
			continue;
		if (r == -ENOENT)
			say("version %s is not in the store %s", st->layer[i], s->dir);
		else if (r == -EXDEV)
			say("version %s leads out of the store %s: refused", st->layer[i], s->dir);
		else
			say("version %s in %s is unusable: %s", st->layer[i], s->dir, strerror(-r));
		return -1;
	}
	return 0;
}
