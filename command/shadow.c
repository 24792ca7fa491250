/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The most common way to break a Debian root with a delta layer: the delta
 * ships a real lib/ directory, which hides the lower layer's lib -> usr/lib
 * and with it the ELF loader.  The init passes such a root over at boot;
 * this says so at promotion, while someone is looking.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/shadow.h"
#include "lib/layers.h"
#include "lib/log.h"

static const char *const merged_links[] = { "lib", "bin", "sbin", "lib64" };

/* 1 directory, 2 symlink (its target in link), 0 absent, -1 anything else. */
static int entry_kind(int dirfd, const char *version, const char *name, char *link,
		      size_t linklen)
{
	enum layer_kind kind;
	struct stat st;
	int fd, r = -1;
	ssize_t n;

	if (layer_find(dirfd, version, &kind) < 0 || kind != LAYER_DIR)
		return -1;
	fd = layer_open(dirfd, version, kind, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = 0;
	else if (S_ISDIR(st.st_mode))
		r = 1;
	else if (S_ISLNK(st.st_mode) && (n = readlinkat(fd, name, link, linklen - 1)) >= 0) {
		link[n] = '\0';
		r = 2;
	}
	close(fd);
	return r;
}

/* Top down: directories merge; the first symlink under one is hidden. */
static int check_name(const struct store *s, const struct stack *st, const char *name)
{
	const char *dir_in = NULL;
	char link[PATH_MAX];

	for (size_t i = 0; i < st->n; i++) {
		int k = entry_kind(s->dirfd, st->layer[i], name, link, sizeof(link));

		if (k == 1)
			dir_in = st->layer[i];
		else if (k == 2 && dir_in) {
			say("warning: version %s has a directory /%s where %s has the symlink "
			    "/%s -> %s: the overlay hides the symlink (merged /usr), and with it "
			    "what the root finds through it (its ELF loader, libraries)",
			    dir_in, name, st->layer[i], name, link);
			return 1;
		} else if (k != 0) {
			return 0;
		}
	}
	return 0;
}

int warn_shadowed_links(const struct store *s, const struct stack *st)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(merged_links) / sizeof(merged_links[0]); i++)
		n += check_name(s, st, merged_links[i]);
	return n;
}
