/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/cmd.h"
#include "command/format.h"
#include "command/images.h"
#include "command/inuse.h"
#include "command/refs.h"
#include "command/staging.h"
#include "command/store_mount.h"
#include "command/trash.h"
#include "lib/beneath.h"
#include "lib/log.h"

/* Why v stays, "" when it may go.  An upper layer goes with its version. */
static void keep_why(const struct items *it, const struct item *v, const struct refs *r,
		     char *why, size_t len)
{
	size_t n;

	refs_describe(refs_of(r, v->name), why, len);
	n = strlen(why);
	if (v->used[0])
		n += (size_t)snprintf(why + n, len - n, "%sin use: %s", n ? "; " : "", v->used);
	if (v->covered && !v->used[0])
		n += (size_t)snprintf(why + n, len - n, "%ssomething is mounted on it",
				      n ? "; " : "");
	if (v->tree.incomplete)
		n += (size_t)snprintf(why + n, len - n, "%scould not be read whole",
				      n ? "; " : "");
	if (v->work_unsafe)
		n += (size_t)snprintf(why + n, len - n, "%swork is a symlink or another mount",
				      n ? "; " : "");
	for (size_t i = 0; v->kind == ITEM_UPPER && i < it->n; i++)
		if (it->v[i].kind != ITEM_UPPER && !strcmp(it->v[i].name, v->name) &&
		    it->v[i].used[0])
			n += (size_t)snprintf(why + n, len - n, "%sits version is in use",
					      n ? "; " : "");
}

/*
 * Moves SUB/NAME to the trash in the ovroot directory and deletes it there.
 * SUB is opened confined (lib/beneath.h), so nothing outside the store is
 * ever renamed or deleted.  A missing SUB/NAME is nothing to do.
 */
static int trash_entry(int dirfd, const char *sub, const char *name, const char *trash,
		       char *err, size_t errlen)
{
	int fd = beneath_subdir(dirfd, sub), r;
	struct stat st;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", sub, fd == -EXDEV ?
			 "a symlink or another mount, left alone" : strerror(-fd));
		return fd == -ENOENT ? 0 : -1;
	}
	r = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT ? 0 :
	    trash_dir(fd, name, dirfd, trash, err, errlen);
	close(fd);
	return r;
}

/* An image is a file: unlinked from the confined versions/ fd. */
static int remove_image(int dirfd, const struct item *v, char *err, size_t errlen)
{
	char entry[VERSION_NAME_MAX + 16];
	int fd = beneath_subdir(dirfd, "versions"), r;

	snprintf(entry, sizeof(entry), "%s%s", v->name,
		 v->kind == ITEM_SQUASHFS ? ".squashfs" : ".erofs");
	r = fd < 0 ? fd : unlinkat(fd, entry, 0) < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	if (r < 0)
		snprintf(err, errlen, "%s", strerror(-r));
	return r < 0 ? -1 : 0;
}

static int remove_item(int dirfd, const struct item *v, char *err, size_t errlen)
{
	char trash[VERSION_NAME_MAX + 32];

	if (v->kind == ITEM_SQUASHFS || v->kind == ITEM_EROFS)
		return remove_image(dirfd, v, err, errlen);
	if (v->kind == ITEM_TRASH)
		return trash_delete(dirfd, v->rel, err, errlen);
	if (v->kind == ITEM_STAGING)
		return staging_remove(dirfd, v->rel + strlen("versions/"), err, errlen);
	if (v->kind == ITEM_DIR) {
		snprintf(trash, sizeof(trash), ".trash-%s", v->name);
		return trash_entry(dirfd, "versions", v->name, trash, err, errlen);
	}
	snprintf(trash, sizeof(trash), ".trash-upper-%s", v->name);
	if (trash_entry(dirfd, "upper", v->name, trash, err, errlen) < 0)
		return -1;
	snprintf(trash, sizeof(trash), ".trash-work-%s", v->name);
	return trash_entry(dirfd, "work", v->name, trash, err, errlen);
}

static size_t removable(const struct items *it, const struct refs *r)
{
	char why[1024];
	size_t n = 0;

	for (size_t i = 0; i < it->n; i++) {
		keep_why(it, &it->v[i], r, why, sizeof(why));
		n += !why[0];
	}
	return n;
}

/* An upper layer goes with its work directory. */
static const char *work_of(const struct item *v)
{
	static char text[VERSION_NAME_MAX + 16];

	if (v->kind != ITEM_UPPER)
		return "";
	snprintf(text, sizeof(text), " and work/%s", v->name);
	return text;
}

/* Returns how many could not be removed. */
static int sweep(struct store *s, const struct items *it, const struct refs *r, bool dry)
{
	char why[1024], size[16], err[512];
	int failed = 0;

	for (size_t i = 0; i < it->n; i++) {
		const struct item *v = &it->v[i];

		keep_why(it, v, r, why, sizeof(why));
		size_human(v->bytes, size, sizeof(size));
		if (why[0]) {
			printf("kept %s (%s): %s\n", v->rel, item_kind_name(v->kind), why);
		} else if (dry) {
			printf("would remove %s%s (%s, %s)\n", v->rel, work_of(v),
			       item_kind_name(v->kind), size);
		} else if (remove_item(s->dirfd, v, err, sizeof(err)) == 0) {
			printf("removed %s%s (%s, %s)\n", v->rel, work_of(v),
			       item_kind_name(v->kind), size);
		} else {
			say("gc: cannot remove %s: %s", v->rel, err);
			failed++;
		}
	}
	return failed;
}

static int parse_args(int argc, char **argv, bool *dry)
{
	*dry = argc == 1 && !strcmp(argv[0], "--dry-run");
	if (argc == 0 || *dry)
		return 0;
	say("gc: unexpected '%s' (only --dry-run)", argv[0]);
	return -1;
}

/*
 * Without a readable promotion file gc cannot tell what boots: it removes
 * nothing.  The store is writable only while it removes.
 */
int cmd_gc(struct store *s, int argc, char **argv)
{
	struct items it;
	struct refs r;
	bool dry;
	int failed = 0;

	if (parse_args(argc, argv, &dry) < 0)
		return 2;
	if (refs_load(&r, s) < 0 || !r.have_file) {
		if (!r.have_file)
			say("gc: the promotion file %s/boot %s: nothing removed", s->dir, r.file_why);
		refs_free(&r);
		return 1;
	}
	if (items_scan(s->dirfd, &it) < 0) {
		refs_free(&r);
		return 1;
	}
	inuse_mounts(&it, s->dir, store_record(s));
	inuse_loops(&it);
	inuse_procs(&it);
	inuse_unseen(&it);
	if (!removable(&it, &r) && !images_removable(s->dirfd, &r) &&
	    stale_manifests(s, LEFTOVERS_COUNT) <= 0)
		dry = true;	/* nothing to write: the store is not remounted */
	if (!dry && store_writable(s) < 0) {
		failed = 1;
	} else {
		failed = images_gc(s->dirfd, &r, dry) + sweep(s, &it, &r, dry);
		/* after the sweep: the manifests of the versions it removed go too */
		failed += stale_manifests(s, dry ? LEFTOVERS_SAY : LEFTOVERS_REMOVE) < 0;
		store_restore(s);
	}
	items_free(&it);
	refs_free(&r);
	return failed ? 1 : 0;
}
