/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_INIT_FSCK_H
#define OVROOT_INIT_FSCK_H

#include <stdbool.h>
#include <stddef.h>

/* Where ovroot-mkinitramfs --fsck puts Debian's e2fsck.static. */
#define FSCK_PATH "/sbin/e2fsck"

enum fsck_result {
	FSCK_CLEAN,		/* exit 0 */
	FSCK_FIXED,		/* exit 1 or 2: errors corrected */
	FSCK_UNFIXED,		/* exit 4: errors left uncorrected */
	FSCK_FAILED,		/* 8 and up, or killed: it could not check */
};

/* What e2fsck(8)'s exit status (a wait status) says of the filesystem.  Pure. */
enum fsck_result fsck_verdict(int wstatus);
/* Whether e2fsck checks this filesystem type (ext2, ext3, ext4). */
bool fsck_applies(const char *fstype);
/*
 * Runs "fsck -p dev" (preen: fixes what is safe to fix without a person),
 * its output kept from the console; the last line it printed goes to last.
 * Returns the wait status, or -1 when it cannot be started.
 */
int fsck_run(const char *fsck, const char *dev, char *last, size_t lastlen);

#endif
