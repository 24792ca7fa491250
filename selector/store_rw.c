/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <libmount/libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "init/log.h"
#include "selector/store.h"

/* The mount flags that MS_REMOUNT would otherwise reset. */
static unsigned long kept_flags(unsigned long f)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME }, { ST_SYNCHRONOUS, MS_SYNCHRONOUS },
	};
	unsigned long ms = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (f & map[i].st)
			ms |= map[i].ms;
	return ms;
}

static bool read_only(const char *dir)
{
	struct statvfs v;

	return statvfs(dir, &v) == 0 && (v.f_flag & ST_RDONLY);
}

/*
 * The store stays read-only in the booted system but for the moment of a
 * write, as the init does for its try count.  A read-only bind mount of a
 * writable filesystem needs MS_BIND to change.
 */
int store_writable(struct store *s)
{
	struct statvfs v;
	char *mnt;

	if (statvfs(s->dir, &v) < 0 || !(v.f_flag & ST_RDONLY))
		return 0;
	mnt = mnt_get_mountpoint(s->dir);
	if (!mnt) {
		say("the store %s is read-only and its mount point is unknown", s->dir);
		return -1;
	}
	s->remount_flags = MS_REMOUNT | kept_flags(v.f_flag);
	if (mount(NULL, mnt, NULL, s->remount_flags, NULL) < 0 || read_only(s->dir)) {
		s->remount_flags |= MS_BIND;
		if (mount(NULL, mnt, NULL, s->remount_flags, NULL) < 0)
			s->remount_flags &= ~MS_BIND;
	}
	if (read_only(s->dir)) {
		say("cannot make the store %s writable: %s", mnt, strerror(errno));
		free(mnt);
		return -1;
	}
	snprintf(s->remounted, sizeof(s->remounted), "%s", mnt);
	free(mnt);
	return 0;
}

void store_restore(struct store *s)
{
	if (!s->remounted[0])
		return;
	if (mount(NULL, s->remounted, NULL, s->remount_flags | MS_RDONLY, NULL) < 0)
		say("cannot make the store %s read-only again: %s", s->remounted, strerror(errno));
	s->remounted[0] = '\0';
}
