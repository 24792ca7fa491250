/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the store is mounted (libmount reads mountinfo), and making it
 * writable for the moment of a write, then exactly as it was again.
 */
#include <errno.h>
#include <libmount/libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "command/store.h"
#include "command/store_mount.h"
#include "lib/log.h"
#include "lib/mount.h"

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

static unsigned long keep_of(const char *dir)
{
	struct statvfs v;

	return statvfs(dir, &v) == 0 ? kept_flags(v.f_flag) : 0;
}

static bool read_only(const char *dir)
{
	struct statvfs v;

	return statvfs(dir, &v) == 0 && (v.f_flag & ST_RDONLY);
}

static bool has_ro(const char *optstr)
{
	return optstr && mnt_optstr_get_option(optstr, "ro", NULL, NULL) == 0;
}

/*
 * The mount point of dir, and whether that mount (its own flag) and its
 * filesystem (the superblock, shared by every mount of it) are read-only.
 * The caller frees *mnt; -1 when unknown.
 */
static int mount_of(const char *dir, char **mnt, struct libmnt_fs **fsp,
		    struct libmnt_table **tbp)
{
	*mnt = mnt_get_mountpoint(dir);
	*tbp = *mnt ? mnt_new_table_from_file("/proc/self/mountinfo") : NULL;
	*fsp = *tbp ? mnt_table_find_target(*tbp, *mnt, MNT_ITER_BACKWARD) : NULL;
	return *fsp ? 0 : -1;
}

/* What booted says, else what the mount table says of the directory. */
void store_where(const struct store *s, struct store_where *w)
{
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	char *mnt;

	memset(w, 0, sizeof(*w));
	w->read_only = read_only(s->dir);
	if (s->have_booted) {
		snprintf(w->device, sizeof(w->device), "%s", s->booted.store);
		snprintf(w->type, sizeof(w->type), "%s", s->booted.store_type);
		snprintf(w->mount, sizeof(w->mount), "%s", s->booted.store_mount);
		return;
	}
	if (mount_of(s->dir, &mnt, &fs, &tb) == 0) {
		snprintf(w->device, sizeof(w->device), "%s", mnt_fs_get_source(fs) ?
			 mnt_fs_get_source(fs) : "");
		snprintf(w->type, sizeof(w->type), "%s", mnt_fs_get_fstype(fs) ?
			 mnt_fs_get_fstype(fs) : "");
	}
	if (mnt)
		snprintf(w->mount, sizeof(w->mount), "%s", mnt);
	mnt_unref_table(tb);
	free(mnt);
}

/*
 * The store stays read-only in the booted system but for the moment of a
 * write, as the init does for its try count.  Only what is read-only is
 * changed: the filesystem when it is (which makes this mount writable too),
 * else this mount alone (a read-only bind mount of a writable filesystem),
 * so that no other mount of the filesystem is ever touched.
 */
int store_writable(struct store *s)
{
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	char *mnt;
	int r = -1;

	if (!read_only(s->dir))
		return 0;
	if (mount_of(s->dir, &mnt, &fs, &tb) < 0) {
		say("the store %s is read-only and its mount is unknown", s->dir);
		goto out;
	}
	snprintf(s->remounted, sizeof(s->remounted), "%s", mnt);
	s->mount_was_ro = has_ro(mnt_fs_get_vfs_options(fs));
	s->sb_was_ro = has_ro(mnt_fs_get_fs_options(fs));
	if (s->sb_was_ro && remount(mnt, keep_of(mnt), true, false, NULL) < 0)
		s->sb_was_ro = false;	/* unchanged: nothing to undo */
	if (s->mount_was_ro && read_only(s->dir) && remount(mnt, keep_of(mnt), true, true, NULL) == 0)
		s->bind_changed = true;
	r = read_only(s->dir) ? -1 : 0;
	if (r < 0) {
		say("cannot make the store %s writable: %s", mnt, strerror(errno));
		store_restore(s);
	}
out:
	mnt_unref_table(tb);
	free(mnt);
	return r;
}

/* Puts back exactly what store_writable changed. */
void store_restore(struct store *s)
{
	const char *mnt = s->remounted;

	if (!mnt[0])
		return;
	if (s->bind_changed && remount(mnt, keep_of(mnt), false, true, NULL) < 0)
		say("cannot make the store's mount %s read-only again: %s", mnt, strerror(errno));
	if (s->sb_was_ro && remount(mnt, keep_of(mnt), false, false, NULL) < 0)
		say("cannot make the store %s read-only again: %s", mnt, strerror(errno));
	/* The filesystem's remount set this mount's flag too: a rw mount stays rw. */
	if (s->sb_was_ro && !s->mount_was_ro && remount(mnt, keep_of(mnt), true, true, NULL) < 0)
		say("cannot make the store's mount %s writable again: %s", mnt, strerror(errno));
	s->remounted[0] = '\0';
	s->sb_was_ro = s->mount_was_ro = s->bind_changed = false;
}
