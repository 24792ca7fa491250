/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <libmount/libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "selector/store.h"
#include "selector/store_where.h"

/* What booted says, else what the mount table says of the directory. */
void store_where(const struct store *s, struct store_where *w)
{
	struct libmnt_table *tb;
	struct libmnt_fs *fs;
	struct statvfs v;
	char *mnt;

	memset(w, 0, sizeof(*w));
	w->read_only = statvfs(s->dir, &v) == 0 && (v.f_flag & ST_RDONLY);
	if (s->have_booted) {
		snprintf(w->device, sizeof(w->device), "%s", s->booted.store);
		snprintf(w->type, sizeof(w->type), "%s", s->booted.store_type);
		snprintf(w->mount, sizeof(w->mount), "%s", s->booted.store_mount);
		return;
	}
	mnt = mnt_get_mountpoint(s->dir);
	if (!mnt)
		return;
	snprintf(w->mount, sizeof(w->mount), "%s", mnt);
	tb = mnt_new_table_from_file("/proc/self/mountinfo");
	fs = tb ? mnt_table_find_target(tb, mnt, MNT_ITER_BACKWARD) : NULL;
	if (fs) {
		snprintf(w->device, sizeof(w->device), "%s", mnt_fs_get_source(fs) ?
			 mnt_fs_get_source(fs) : "");
		snprintf(w->type, sizeof(w->type), "%s", mnt_fs_get_fstype(fs) ?
			 mnt_fs_get_fstype(fs) : "");
	}
	mnt_unref_table(tb);
	free(mnt);
}
