/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_NOFOLLOW_H
#define OVROOT_COMMAND_NOFOLLOW_H

#include <stdbool.h>

/*
 * Opens the directory rel ("a/b", "" for rootfd itself) beneath rootfd one
 * component at a time, each with O_NOFOLLOW: never through a symlink (not
 * even one that stays inside), never by "..", never absolute.  With create,
 * missing directories are made (0755; *created says whether the last one
 * was).  An O_RDONLY fd, or -errno: -ELOOP for a symlink on the way,
 * -EXDEV for a ".." or absolute rel.
 */
int open_dirs_nofollow(int rootfd, const char *rel, bool create);

/* Splits rel at its last '/': the directory part into dir, the name returned. */
const char *split_parent(const char *rel, char *dir, size_t dirlen);

#endif
