/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/store.h"
#include "lib/beneath.h"
#include "lib/file.h"
#include "lib/log.h"

/* RUN/booted: 0, -ENOENT when nothing booted through ovroot, else -1 with err set. */
int booted_load(const char *run, struct booted *b, char *err, size_t errlen)
{
	char *text, why[160];
	int dirfd, r;

	memset(b, 0, sizeof(*b));
	dirfd = open(run, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 && errno == ENOENT)
		return -ENOENT;
	if (dirfd < 0) {
		snprintf(err, errlen, "%s: %s", run, strerror(errno));
		return -1;
	}
	r = read_small_file(dirfd, BOOTED_FILE, BOOTED_MAX, &text, NULL);
	close(dirfd);
	if (r == -ENOENT)
		return -ENOENT;
	if (r < 0) {
		snprintf(err, errlen, "%s/%s: %s", run, BOOTED_FILE, strerror(-r));
		return -1;
	}
	r = booted_parse(b, text, why, sizeof(why));
	free(text);
	if (r < 0)
		snprintf(err, errlen, "%s/%s: %s", run, BOOTED_FILE, why);
	return r;
}

/* Which store booted: --store wins, but booted still counts when it is the same. */
static int pick_dir(struct store *s, const char *dir, const char *run)
{
	char err[256];
	int r = booted_load(run, &s->booted, err, sizeof(err));

	if (r == -1)
		say("%s", err);
	s->have_booted = r == 0;
	if (dir) {
		snprintf(s->dir, sizeof(s->dir), "%s", dir);
		return 0;
	}
	if (!s->have_booted) {
		say("no store given and nothing booted through ovroot (%s/booted %s): use --store DIR",
		    run, r == -ENOENT ? "is missing" : "is unreadable");
		return -1;
	}
	if (snprintf(s->dir, sizeof(s->dir), "%s%s", s->booted.store_mount,
		     s->booted.store_dir) >= (int)sizeof(s->dir)) {
		say("store path too long: %s%s", s->booted.store_mount, s->booted.store_dir);
		return -1;
	}
	return 0;
}

/* The booted file describes this store only when its path leads here. */
static void check_booted_is_ours(struct store *s, const struct stat *ours)
{
	char path[PATH_MAX];
	struct stat st;

	if (!s->have_booted)
		return;
	snprintf(path, sizeof(path), "%s%s", s->booted.store_mount, s->booted.store_dir);
	if (stat(path, &st) == 0 && st.st_dev == ours->st_dev && st.st_ino == ours->st_ino)
		return;
	s->have_booted = false;
	s->booted_elsewhere = true;	/* its overlay may still be seen by gc */
}

const struct booted *store_record(const struct store *s)
{
	return s->have_booted || s->booted_elsewhere ? &s->booted : NULL;
}

/*
 * --store given the store's filesystem root, the directory that holds
 * ovroot/: the ovroot directory is the one meant.
 */
static int enter_ovroot_dir(struct store *s, struct stat *st)
{
	int fd = beneath_subdir(s->dirfd, "ovroot");

	if (fd < 0 || fstat(fd, st) < 0 || faccessat(fd, "versions", F_OK, AT_SYMLINK_NOFOLLOW)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(s->dirfd);
	s->dirfd = fd;
	s->dev = st->st_dev;
	if (strlen(s->dir) + 8 < sizeof(s->dir))
		strcat(s->dir, s->dir[strlen(s->dir) - 1] == '/' ? "ovroot" : "/ovroot");
	return 0;
}

int store_open(struct store *s, const char *dir, const char *run)
{
	struct stat st;
	int fd;

	memset(s, 0, sizeof(*s));
	s->dirfd = -1;
	if (pick_dir(s, dir, run) < 0)
		return -1;
	s->dirfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0 || fstat(s->dirfd, &st) < 0) {
		say("cannot open the store %s: %s", s->dir, strerror(errno));
		return -1;
	}
	s->dev = st.st_dev;
	fd = beneath_open(s->dirfd, "versions", O_PATH | O_DIRECTORY);
	if (fd < 0 && dir && enter_ovroot_dir(s, &st) == 0)
		fd = beneath_open(s->dirfd, "versions", O_PATH | O_DIRECTORY);
	if (fd < 0) {
		say("%s is not an ovroot store (no versions/ directory)", s->dir);
		return -1;
	}
	close(fd);
	check_booted_is_ours(s, &st);
	return 0;
}

/* Concurrent runs take turns; the lock goes with the process. */
int store_lock(struct store *s)
{
	if (flock(s->dirfd, LOCK_EX) == 0)
		return 0;
	say("cannot lock the store %s: %s", s->dir, strerror(errno));
	return -1;
}

void store_close(struct store *s)
{
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->dirfd = -1;
	if (s->have_booted || s->booted_elsewhere)
		booted_free(&s->booted);
	s->have_booted = s->booted_elsewhere = false;
}
