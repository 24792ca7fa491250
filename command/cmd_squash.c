/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ovroot squash STACK --as NAME: one version equal to what STACK shows,
 * its files hard links to the layers' (made like a staging: aside, checked
 * against the view's manifest, renamed whole).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "command/cmd.h"
#include "command/mftree.h"
#include "command/nofollow.h"
#include "command/stagebase.h"
#include "command/stagecheck.h"
#include "command/staging.h"
#include "command/store_mount.h"
#include "command/xattrs.h"
#include "lib/file.h"
#include "lib/log.h"

static int set_attrs(int fd, int parent, const char *name, const struct mf_entry *e)
{
	if (fd >= 0 ? fchown(fd, e->uid, e->gid) || fchmod(fd, e->mode) :
	    fchownat(parent, name, e->uid, e->gid, AT_SYMLINK_NOFOLLOW) ||
	    (e->type != 'l' && fchmodat(parent, name, e->mode, 0)))
		return -errno;
	return e->xattrs ? xattrs_apply(fd, parent, name, e->xattrs) : 0;
}

static int make_dir(int parent, const char *name, const struct mf_entry *e)
{
	int fd, r;

	if (*name) {
		fault_point();
		if (mkdirat(parent, name, 0700) < 0)
			return -errno;
		fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} else {
		fd = dup(parent);
	}
	if (fd < 0)
		return -errno;
	r = set_attrs(fd, -1, NULL, e);
	close(fd);
	return r;
}

static int make_node(int parent, const char *name, const struct mf_entry *e)
{
	int r;

	fault_point();
	if (e->type == 'l')
		r = symlinkat(e->target, parent, name);
	else if (e->type == 'p')
		r = mkfifoat(parent, name, 0600);
	else
		r = mknodat(parent, name, (e->type == 'c' ? S_IFCHR : e->type == 'b' ? S_IFBLK :
					   S_IFSOCK) | 0600, makedev(e->major, e->minor));
	return r < 0 ? -errno : set_attrs(-1, parent, name, e);
}

static int make(struct stage_base *b, int stagefd, const struct mf_entry *e)
{
	char dir[4096];
	const char *name = split_parent(e->path + 1, dir, sizeof(dir));
	int parent, r;

	if (e->type == 'f') {
		if (b->fd[e->layer] < 0)
			return -EMEDIUMTYPE;
		r = link_from_layer(b->fd[e->layer], stagefd, e->path + 1);
		return r == 0 ? 0 : r > 0 ? -EMLINK : -errno;
	}
	parent = open_dirs_nofollow(stagefd, dir, false);
	if (parent < 0)
		return parent;
	r = e->type == 'd' ? make_dir(parent, name, e) : make_node(parent, name, e);
	close(parent);
	return r;
}

static int squash(struct store *s, const char *stack, const char *name)
{
	struct stage_base b;
	struct manifest got = { 0 };
	struct staging st;
	char err[1024];
	int r = -1;

	memset(&st, 0, sizeof(st));
	st.versions = st.dir = -1;
	if (stage_base_load(s, stack, &b) < 0 || staging_begin(&st, s, name) < 0)
		goto out;
	for (size_t i = 0; i < b.view.n; i++) {
		int e = make(&b, st.dir, &b.view.e[i]);

		if (e < 0) {
			say("squash %s: %s: %s: nothing made", name, b.view.e[i].path,
			    e == -EMEDIUMTYPE ? "a file of an image layer (squash reads directories)" :
			    strerror(-e));
			goto out;
		}
	}
	if (mf_tree(st.dir, &got, err, sizeof(err)) < 0)
		say("squash %s: %s: nothing made", name, err);
	else if (stage_check(name, &b.view, &got) == 0)
		r = staging_commit(&st, &got, st.entry, "");
	if (r == 0)
		printf("squashed %s into %s (%zu paths)\n", stack, name, got.n);
out:
	if (st.s)
		staging_end(&st, NULL);
	stage_base_free(&b);
	mf_free(&got);
	return r;
}

int cmd_squash(struct store *s, int argc, char **argv)
{
	const char *stack = NULL, *name = NULL;
	int r;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			name = argv[++i];
		} else if (argv[i][0] != '-' && !stack) {
			stack = argv[i];
		} else {
			say("squash: unexpected '%s' (ovroot --help)", argv[i]);
			return 2;
		}
	}
	if (!stack || !name) {
		say("squash: which stack, as what? e.g. ovroot squash v3+v2+v1 --as v3s");
		return 2;
	}
	r = store_writable(s) < 0 ? -1 : squash(s, stack, name);
	store_restore(s);
	return r < 0;
}
