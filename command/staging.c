/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The staging convention: a version is made aside and appears by one rename. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/images.h"
#include "command/staging.h"
#include "command/trash.h"
#include "lib/beneath.h"
#include "lib/file.h"
#include "lib/layers.h"
#include "lib/log.h"

#define STAGING_PREFIX ".staging-"
#define MANIFESTS "manifests"
#define MANIFEST_MAX (256u << 20)

static void said(bool dry, const char *what, const char *why)
{
	printf("%s %s (%s)\n", dry ? "would remove" : "removed", what, why);
}

int staging_remove(int ovroot_dirfd, const char *entry, char *err, size_t errlen)
{
	int vfd = beneath_subdir(ovroot_dirfd, "versions"), r;
	char trash[300];
	struct stat st;

	if (vfd < 0) {
		snprintf(err, errlen, "versions/: %s", strerror(-vfd));
		return -1;
	}
	snprintf(trash, sizeof(trash), ".trash-%s", entry + 1);
	if (fstatat(vfd, entry, &st, AT_SYMLINK_NOFOLLOW) < 0)
		r = errno == ENOENT ? 0 : -1;
	else if (S_ISDIR(st.st_mode))
		r = trash_dir(vfd, entry, ovroot_dirfd, trash, err, errlen);
	else
		r = unlinkat(vfd, entry, 0);
	if (r < 0 && !S_ISDIR(st.st_mode))
		snprintf(err, errlen, "%s", strerror(errno));
	close(vfd);
	return r;
}

/* versions/.staging-*: directories via the trash, images unlinked. */
static int versions_leftovers(struct store *s, int vfd, enum leftovers mode)
{
	DIR *d = fdopendir(dup(vfd));
	struct dirent *de;
	char what[300], err[512];
	int n = 0;

	if (!d)
		return -1;
	rewinddir(d);	/* the dup shares the offset */
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, STAGING_PREFIX, strlen(STAGING_PREFIX)))
			continue;
		snprintf(what, sizeof(what), "versions/%s", de->d_name);
		n++;
		if (mode != LEFTOVERS_REMOVE) {
			if (mode == LEFTOVERS_SAY)
				said(true, what, "left by an interrupted staging");
			continue;
		}
		if (staging_remove(s->dirfd, de->d_name, err, sizeof(err)) < 0) {
			say("cannot remove %s: %s", what, err);
			n = -1;
			break;
		}
		said(false, what, "left by an interrupted staging");
	}
	closedir(d);
	return n;
}

/* A manifest whose version is gone, or a temp file of a write cut short. */
static bool stale_manifest(const struct store *s, const char *entry)
{
	if (entry[0] == '.')
		return true;
	return version_name_valid(entry, strlen(entry)) &&
	       layer_find(s->dirfd, entry, NULL) == -ENOENT;
}

int stale_manifests(struct store *s, enum leftovers mode)
{
	int mfd = beneath_subdir(s->dirfd, MANIFESTS), n = 0;
	DIR *d = mfd >= 0 ? fdopendir(mfd) : NULL;
	struct dirent *de;
	char what[300];

	if (!d) {
		if (mfd >= 0)
			close(mfd);
		return mfd == -ENOENT ? 0 : -1;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    fstatat(mfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || !stale_manifest(s, de->d_name))
			continue;
		snprintf(what, sizeof(what), MANIFESTS "/%s", de->d_name);
		if (mode == LEFTOVERS_REMOVE && unlinkat(mfd, de->d_name, 0) < 0) {
			say("cannot remove %s: %s", what, strerror(errno));
			n = -1;
			break;
		}
		n++;
		if (mode != LEFTOVERS_COUNT)
			said(mode == LEFTOVERS_SAY, what, de->d_name[0] == '.' ?
			     "left by an interrupted write" : "its version is gone");
	}
	closedir(d);
	return n;
}

int staging_leftovers(struct store *s, enum leftovers mode)
{
	int vfd = beneath_subdir(s->dirfd, "versions"), n, m;

	if (vfd < 0) {
		say("versions/: %s", strerror(-vfd));
		return -1;
	}
	n = versions_leftovers(s, vfd, mode);
	close(vfd);
	m = n < 0 ? -1 : stale_manifests(s, mode);
	return n < 0 || m < 0 ? -1 : n + m;
}

int staging_begin(struct staging *st, struct store *s, const char *name)
{
	char entry[sizeof(st->entry)];
	int r;

	memset(st, 0, sizeof(*st));
	st->s = s;
	st->versions = st->dir = -1;
	if (!version_name_valid(name, strlen(name))) {
		say("stage: '%s' is not a version name ([A-Za-z0-9._-], 64 at most, not starting with . or -)",
		    name);
		return -1;
	}
	r = layer_find(s->dirfd, name, NULL);
	if (r != -ENOENT) {
		say("stage: version %s is already in the store %s: refused (stage another name)",
		    name, s->dir);
		return -1;
	}
	/* promote NAME would take the version, and the image's name would lie. */
	if (image_exists(s->dirfd, name)) {
		say("stage: %s is the name of an OCI image in the store %s (%s/%s): refused",
		    name, s->dir, IMAGES_DIR, name);
		return -1;
	}
	if (staging_leftovers(s, LEFTOVERS_REMOVE) < 0)
		return -1;
	snprintf(st->name, sizeof(st->name), "%s", name);
	st->versions = beneath_subdir(s->dirfd, "versions");
	if (st->versions < 0) {
		say("stage: versions/: %s", strerror(-st->versions));
		return -1;
	}
	fault_point();
	snprintf(entry, sizeof(entry), STAGING_PREFIX "%s", name);
	if (mkdirat(st->versions, entry, 0755) < 0) {
		say("stage: cannot make versions/%s: %s", entry, strerror(errno));
		return -1;
	}
	strcpy(st->entry, entry);	/* staging_end removes it from now on */
	st->dir = openat(st->versions, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (st->dir < 0) {
		say("stage: cannot open versions/%s: %s", entry, strerror(errno));
		return -1;
	}
	return 0;
}

static int manifests_dir(struct store *s)
{
	fault_point();
	if (mkdirat(s->dirfd, MANIFESTS, 0755) < 0 && errno != EEXIST)
		return -errno;
	return beneath_subdir(s->dirfd, MANIFESTS);
}

static int write_manifest(struct staging *st, const struct manifest *m)
{
	char err[512], *text;
	size_t len;
	int mfd, r;

	if (mf_format(m, &text, &len) < 0) {
		say("stage: out of memory");
		return -1;
	}
	mfd = manifests_dir(st->s);
	r = mfd < 0 ? -1 : atomic_write(mfd, st->name, text, len, err, sizeof(err));
	if (mfd < 0)
		snprintf(err, sizeof(err), "%s", strerror(-mfd));
	if (r < 0)
		say("stage: cannot write the manifest " MANIFESTS "/%s: %s", st->name, err);
	if (mfd >= 0)
		close(mfd);
	free(text);
	return r;
}

int staging_commit(struct staging *st, const struct manifest *m, const char *entry,
		   const char *suffix)
{
	char final[VERSION_NAME_MAX + 16];

	snprintf(final, sizeof(final), "%s%s", st->name, suffix);
	fault_point();
	if (syncfs(st->dir) < 0) {
		say("stage: cannot sync the store: %s", strerror(errno));
		return -1;
	}
	if (write_manifest(st, m) < 0)
		return -1;
	fault_point();
	if (renameat2(st->versions, entry, st->versions, final, RENAME_NOREPLACE) < 0) {
		say("stage: cannot rename versions/%s to versions/%s: %s", entry, final,
		    strerror(errno));
		return -1;
	}
	if (!strcmp(entry, st->entry)) {
		close(st->dir);
		st->dir = -1;
		st->entry[0] = '\0';	/* it is the version now */
	}
	fault_point();
	if (fsync(st->versions) < 0) {
		say("stage: cannot sync versions/: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void staging_end(struct staging *st, const char *image_entry)
{
	if (st->dir >= 0)
		close(st->dir);
	st->dir = -1;
	if (st->versions >= 0 && image_entry && image_entry[0])
		unlinkat(st->versions, image_entry, 0);
	if (st->versions >= 0 && st->entry[0]) {
		char err[512], trash[300];

		snprintf(trash, sizeof(trash), ".trash-%s", st->entry + 1);
		if (trash_dir(st->versions, st->entry, st->s->dirfd, trash, err, sizeof(err)) < 0)
			say("stage: %s (the next stage or gc removes it)", err);
	}
	if (st->versions >= 0)
		close(st->versions);
	st->versions = -1;
}

int manifest_load(const struct store *s, const char *name, struct manifest *m)
{
	int mfd = beneath_subdir(s->dirfd, MANIFESTS), r;
	char *text, err[256];
	size_t len;

	memset(m, 0, sizeof(*m));
	if (mfd < 0)
		return mfd == -ENOENT ? -ENOENT : (say("%s/" MANIFESTS ": %s", s->dir,
							strerror(-mfd)), -1);
	r = read_small_file(mfd, name, MANIFEST_MAX, &text, &len);
	close(mfd);
	if (r == -ENOENT)
		return -ENOENT;
	if (r < 0) {
		say("cannot read " MANIFESTS "/%s: %s", name, strerror(-r));
		return -1;
	}
	r = mf_parse(m, text, len, err, sizeof(err));
	free(text);
	if (r < 0)
		say(MANIFESTS "/%s is corrupt: %s", name, err);
	return r;
}
