/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tar stream unpacked into the staging directory.  libarchive reads; the
 * writing is ours, relative to directory fds opened without following any
 * symlink (command/nofollow.c), so that no member lands outside.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "command/member.h"
#include "command/nofollow.h"
#include "command/stage.h"
#include "command/untar.h"
#include "command/xattrs.h"
#include "lib/file.h"

struct reader {
	int fd;
	struct digest d;
	unsigned char buf[1 << 16];
};

struct untar {
	int root;
	unsigned flags;
	struct archive *a;
	struct manifest *src;
	struct manifest opaque;		/* directories made opaque (OCI) */
	struct archive_entry *entry;	/* the member being made */
	char *err;
	size_t errlen;
};

static ssize_t read_cb(struct archive *a, void *ctx, const void **buf)
{
	struct reader *r = ctx;
	ssize_t n;

	do
		n = read(r->fd, r->buf, sizeof(r->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read: %s", strerror(errno));
		return -1;
	}
	digest_add(&r->d, r->buf, (size_t)n);
	*buf = r->buf;
	return n;
}

static int fail(struct untar *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct untar *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->err, u->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The last entry of path added so far (a hard link copies it). */
static const struct mf_entry *last_of(const struct manifest *m, const char *path)
{
	for (size_t i = m->n; i-- > 0;)
		if (!strcmp(m->e[i].path, path))
			return &m->e[i];
	return NULL;
}

static int record(struct untar *u, const char *rel, struct mf_entry *e)
{
	if (asprintf(&e->path, "/%s", rel) < 0 || mf_add(u->src, e) < 0) {
		mf_entry_free(e);
		return fail(u, "out of memory at %s", rel);
	}
	return 0;
}

/* The xattrs of a member, refusing overlayfs' own but the opaque mark. */
static int member_xattrs(struct untar *u, struct archive_entry *ae, const char *rel,
			 char **text)
{
	const char *name;
	const void *value;
	size_t size;

	*text = NULL;
	archive_entry_xattr_reset(ae);
	while (archive_entry_xattr_next(ae, &name, &value, &size) == ARCHIVE_OK) {
		if (!strncmp(name, OVERLAY_XATTR_PREFIX, strlen(OVERLAY_XATTR_PREFIX)) &&
		    (strcmp(name, OVERLAY_OPAQUE_XATTR) || size != 1 ||
		     *(const char *)value != 'y'))
			return fail(u, "member %s carries overlayfs' xattr %s: refused", rel, name);
		if (xattrs_add(text, name, value, size) < 0)
			return fail(u, "out of memory at %s", rel);
	}
	return 0;
}

/* Makes room for a non-directory at parent/name: an old one goes, a directory stays. */
static int clear_name(struct untar *u, int parent, const char *name, const char *rel)
{
	struct stat st;

	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return fail(u, "member %s would replace a directory: refused", rel);
	fault_point();
	if (unlinkat(parent, name, 0) < 0)
		return fail(u, "cannot replace %s: %s", rel, strerror(errno));
	return 0;
}

/* Hashes len zero bytes (a hole of a sparse member). */
static void hash_zeros(struct digest *d, unsigned long long len)
{
	static const unsigned char zero[4096];

	while (len) {
		size_t n = len < sizeof(zero) ? (size_t)len : sizeof(zero);

		digest_add(d, zero, n);
		len -= n;
	}
}

/* The member's data, holes as holes; e gets its size and digest. */
static int write_data(struct untar *u, int fd, const char *rel, unsigned long long want,
		      struct mf_entry *e)
{
	unsigned long long pos = 0;
	struct digest d;
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	digest_init(&d);
	while ((r = archive_read_data_block(u->a, &buf, &size, &off)) == ARCHIVE_OK) {
		if (off < 0 || (unsigned long long)off < pos)
			return fail(u, "member %s: data out of order", rel);
		hash_zeros(&d, (unsigned long long)off - pos);
		for (size_t done = 0; done < size;) {
			ssize_t w = pwrite(fd, (const char *)buf + done, size - done,
					   off + (off_t)done);

			if (w < 0)
				return fail(u, "cannot write %s: %s", rel, strerror(errno));
			done += (size_t)w;
		}
		digest_add(&d, buf, size);
		pos = (unsigned long long)off + size;
	}
	if (r != ARCHIVE_EOF)
		return fail(u, "member %s: %s", rel, archive_error_string(u->a));
	if (want > pos) {	/* a hole at the end */
		hash_zeros(&d, want - pos);
		pos = want;
	}
	if (ftruncate(fd, (off_t)pos) < 0)
		return fail(u, "cannot write %s: %s", rel, strerror(errno));
	e->size = pos;
	digest_end(&d, e->sha256);
	return 0;
}

static int set_owner_mode(struct untar *u, int fd, const struct mf_entry *e, const char *rel)
{
	int r;

	if (fchown(fd, e->uid, e->gid) < 0 || fchmod(fd, e->mode) < 0)
		return fail(u, "cannot set the owner or mode of %s: %s", rel, strerror(errno));
	r = e->xattrs ? xattrs_apply(fd, -1, NULL, e->xattrs) : 0;
	if (r < 0)
		return fail(u, "cannot set the xattrs of %s: %s", rel, strerror(-r));
	return 0;
}

/* The member's modification time (directories' are not kept: their entries change them). */
static void keep_mtime(int fd, int parent, const char *name, struct archive_entry *ae)
{
	struct timespec t[2] = { { 0, UTIME_OMIT }, { archive_entry_mtime(ae),
						      archive_entry_mtime_nsec(ae) } };

	if (!archive_entry_mtime_is_set(ae))
		return;
	if (name)
		utimensat(parent, name, t, AT_SYMLINK_NOFOLLOW);
	else
		futimens(fd, t);
}

static int make_file(struct untar *u, int parent, const char *name, const char *rel,
		     struct archive_entry *ae, struct mf_entry *e)
{
	unsigned long long want = archive_entry_size_is_set(ae) ?
				  (unsigned long long)archive_entry_size(ae) : 0;
	int fd, r;

	if (clear_name(u, parent, name, rel) < 0)
		return -1;
	fault_point();
	fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(u, "cannot create %s: %s", rel, strerror(errno));
	r = write_data(u, fd, rel, want, e);
	if (r == 0)
		r = set_owner_mode(u, fd, e, rel);
	if (r == 0)
		keep_mtime(fd, AT_FDCWD, NULL, ae);
	if (close(fd) < 0 && r == 0)
		r = fail(u, "cannot write %s: %s", rel, strerror(errno));
	return r;
}

/* A directory: made, or one already there given the member's owner and mode. */
static int make_dir(struct untar *u, int parent, const char *name, const char *rel,
		    const struct mf_entry *e)
{
	struct stat st;
	int fd, r;

	if (!*rel) {
		fd = dup(u->root);
	} else {
		if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
		    clear_name(u, parent, name, rel) < 0)
			return -1;
		fault_point();
		if (mkdirat(parent, name, 0700) < 0 && errno != EEXIST)
			return fail(u, "cannot make %s: %s", rel, strerror(errno));
		fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return fail(u, "cannot open %s: %s", rel, strerror(errno));
	r = set_owner_mode(u, fd, e, rel);
	close(fd);
	return r;
}

/* A symlink, FIFO or whiteout: made by name, owner and mode set without following it. */
static int make_node(struct untar *u, int parent, const char *name, const char *rel,
		     const struct mf_entry *e)
{
	int r;

	if (clear_name(u, parent, name, rel) < 0)
		return -1;
	fault_point();
	if (e->type == 'l')
		r = symlinkat(e->target, parent, name);
	else if (e->type == 'p')
		r = mkfifoat(parent, name, 0600);
	else
		r = mknodat(parent, name, S_IFCHR | 0600, makedev(0, 0));
	if (r < 0)
		return fail(u, "cannot make %s: %s", rel, strerror(errno));
	if (fchownat(parent, name, e->uid, e->gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    (e->type != 'l' && fchmodat(parent, name, e->mode, 0) < 0))
		return fail(u, "cannot set the owner or mode of %s: %s", rel, strerror(errno));
	r = e->xattrs ? xattrs_apply(-1, parent, name, e->xattrs) : 0;
	if (r < 0)
		return fail(u, "cannot set the xattrs of %s: %s", rel, strerror(-r));
	if (u->entry && e->type != 'c')
		keep_mtime(-1, parent, name, u->entry);
	return 0;
}

/* A hard link to a name the stream made before, inside the staging directory. */
static int make_link(struct untar *u, int parent, const char *name, const char *rel,
		     const char *to, struct mf_entry *e)
{
	char trel[4096], tdir[4096];
	const struct mf_entry *te;
	const char *tname;
	int tfd, r;

	if (member_path(to, trel, sizeof(trel)) < 0 || !*trel)
		return fail(u, "hard link %s -> %s: outside the staging directory: refused", rel,
			    to);
	te = last_of(u->src, (snprintf(tdir, sizeof(tdir), "/%s", trel), tdir));
	if (!te || te->type == 'd')
		return fail(u, "hard link %s -> %s: not a file the archive holds before it: refused",
			    rel, to);
	tname = split_parent(trel, tdir, sizeof(tdir));
	tfd = open_dirs_nofollow(u->root, tdir, false);
	if (tfd < 0)
		return fail(u, "hard link %s -> %s: not reachable without a symlink: refused", rel,
			    to);
	r = clear_name(u, parent, name, rel);
	if (r == 0) {
		fault_point();
		if (linkat(tfd, tname, parent, name, 0) < 0)
			r = fail(u, "cannot link %s: %s", rel, strerror(errno));
	}
	close(tfd);
	if (r == 0) {
		char *path = e->path;

		*e = *te;
		e->path = path;
		e->target = te->target ? strdup(te->target) : NULL;
		e->xattrs = te->xattrs ? strdup(te->xattrs) : NULL;
	}
	return r;
}

/* The entry a member describes, before anything is made. */
static int describe(struct untar *u, struct archive_entry *ae, const char *rel,
		    struct mf_entry *e)
{
	mode_t type = archive_entry_filetype(ae);

	memset(e, 0, sizeof(*e));
	e->mode = (unsigned)archive_entry_perm(ae) & 07777;
	e->uid = (unsigned)archive_entry_uid(ae);
	e->gid = (unsigned)archive_entry_gid(ae);
	if (type == AE_IFREG)
		e->type = 'f';
	else if (type == AE_IFDIR)
		e->type = 'd';
	else if (type == AE_IFLNK)
		e->type = 'l';
	else if (type == AE_IFIFO)
		e->type = 'p';
	else if (type == AE_IFCHR && archive_entry_rdev(ae) == 0)
		e->type = 'c';	/* an overlayfs whiteout */
	else
		return fail(u, "member %s is a device node or socket: refused (a root's /dev is the kernel's devtmpfs)",
			    rel);
	if (e->type == 'l') {
		const char *t = archive_entry_symlink(ae);

		if (!t || !*t)
			return fail(u, "member %s: a symlink to nothing", rel);
		e->target = strdup(t);
	}
	return member_xattrs(u, ae, rel, &e->xattrs);
}

/* .wh..wh..opq: the directory is opaque now; its entry says so at the end. */
static int record_opaque(struct untar *u, const char *rel)
{
	struct mf_entry e = { 0 };
	int fd = open_dirs_nofollow(u->root, rel, true), r;

	if (fd < 0)
		return fail(u, "cannot make %s opaque: %s", rel, strerror(-fd));
	fault_point();
	r = fsetxattr(fd, OVERLAY_OPAQUE_XATTR, "y", 1, 0);
	close(fd);
	if (r < 0)
		return fail(u, "cannot make %s opaque: %s", rel, strerror(errno));
	e.type = 'd';
	if (asprintf(&e.path, "/%s", rel) < 0 || mf_add(&u->opaque, &e) < 0)
		return fail(u, "out of memory at %s", rel);
	return 0;
}
/* An OCI whiteout member: what it stands for. */
static int oci_member(struct untar *u, char *rel, struct mf_entry *e, bool *done)
{
	char out[4096];
	enum oci_wh w = oci_whiteout(rel, out, sizeof(out));

	*done = false;
	if (w == OCI_WH_NONE)
		return 0;
	if (w == OCI_WH_BAD)
		return fail(u, "member %s: not a whiteout OCI knows: refused", rel);
	mf_entry_free(e);
	memset(e, 0, sizeof(*e));
	strcpy(rel, out);
	if (w == OCI_WH_FILE) {
		e->type = 'c';
		return 0;
	}
	/* .wh..wh..opq: the directory is opaque (set once the stream is read) */
	*done = true;
	e->type = 'd';
	return record_opaque(u, rel);
}

static int make(struct untar *u, const char *rel, const char *hl, struct mf_entry *e)
{
	char dir[4096];
	const char *name = split_parent(rel, dir, sizeof(dir));
	int parent, r;

	if (!*rel && (hl || e->type != 'd'))
		return fail(u, "member %s: the top must be a directory", rel);
	parent = open_dirs_nofollow(u->root, dir, true);
	if (parent == -ELOOP || parent == -ENOTDIR)
		return fail(u, "member %s goes through a symlink or a file: refused", rel);
	if (parent < 0)
		return fail(u, "cannot make the directory of %s: %s", rel, strerror(-parent));
	if (hl)
		r = make_link(u, parent, name, rel, hl, e);
	else if (e->type == 'f')
		r = make_file(u, parent, name, rel, u->entry, e);
	else if (e->type == 'd')
		r = make_dir(u, parent, name, rel, e);
	else
		r = make_node(u, parent, name, rel, e);
	close(parent);
	return r;
}

static int member(struct untar *u, struct archive_entry *ae)
{
	const char *name = archive_entry_pathname(ae), *hl = archive_entry_hardlink(ae);
	struct mf_entry e = { 0 };
	char rel[4096];
	bool done = false;

	if (!name || member_path(name, rel, sizeof(rel)) < 0)
		return fail(u, "member %s: an absolute name or one with '..': refused",
			    name ? name : "(none)");
	u->entry = ae;
	if (!hl && describe(u, ae, rel, &e) < 0)
		goto bad;
	if (u->flags & STAGE_OCI_WHITEOUTS) {
		char was[4096];

		strcpy(was, rel);
		if (oci_member(u, rel, &e, &done) < 0)
			goto bad;
		if (strcmp(was, rel))
			hl = NULL;	/* a whiteout, whatever else the member says */
	}
	if (!done && make(u, rel, hl, &e) < 0)
		goto bad;
	if (done) {
		mf_entry_free(&e);
		return 0;
	}
	return record(u, rel, &e);
bad:
	mf_entry_free(&e);
	return -1;
}

/* The directories the members imply but the stream lacks, as made (0755, ours). */
static int add_implied(struct untar *u)
{
	struct manifest imp = { 0 };
	size_t n = u->src->n;
	int r = 0;

	mf_sort(u->src);
	for (size_t i = 0; i <= n && !r; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s", i < n ? u->src->e[i].path : "/x");
		for (char *slash = strrchr(path, '/'); slash && !r; slash = strrchr(path, '/')) {
			struct mf_entry e = { .type = 'd', .mode = 0755 };

			slash[slash == path] = '\0';
			if (mf_find(u->src, path))
				break;
			e.uid = (unsigned)geteuid();
			e.gid = (unsigned)getegid();
			if (!(e.path = strdup(path)) || mf_add(&imp, &e) < 0)
				r = fail(u, "out of memory at %s", path);
			if (slash == path)
				break;
		}
	}
	for (size_t i = 0; i < imp.n && !r; i++)
		r = mf_add(u->src, &imp.e[i]) < 0 ? fail(u, "out of memory") : 0;
	imp.n = r ? imp.n : 0;
	mf_free(&imp);
	return r;
}

static int finish(struct untar *u)
{
	if (add_implied(u) < 0)
		return -1;
	mf_sort(u->src);
	for (size_t i = 0; i < u->opaque.n; i++) {
		struct mf_entry *e = mf_find(u->src, u->opaque.e[i].path);

		if (e && e->type == 'd' && !mf_is_opaque(e) &&
		    xattrs_add(&e->xattrs, OVERLAY_OPAQUE_XATTR, "y", 1) < 0)
			return fail(u, "out of memory");
	}
	return 0;
}

/* The rest of fd, hashed: the digest is of the whole stream. */
static int drain(struct reader *rd)
{
	ssize_t n;

	while ((n = read(rd->fd, rd->buf, sizeof(rd->buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		digest_add(&rd->d, rd->buf, (size_t)n);
	}
	return 0;
}

static int read_all(struct untar *u, struct reader *rd)
{
	struct archive_entry *ae;
	int r;

	/* these three alone: libarchive is linked statically (Makefile) */
	archive_read_support_filter_gzip(u->a);
	archive_read_support_filter_xz(u->a);
	archive_read_support_filter_zstd(u->a);
	archive_read_support_format_tar(u->a);
	if (archive_read_open(u->a, rd, NULL, read_cb, NULL) != ARCHIVE_OK)
		return fail(u, "not a tarball: %s", archive_error_string(u->a));
	while ((r = archive_read_next_header(u->a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN)
		if (member(u, ae) < 0)
			return -1;
	if (r != ARCHIVE_EOF)
		return fail(u, "the tarball: %s", archive_error_string(u->a));
	r = drain(rd);
	if (r < 0)
		return fail(u, "read: %s", strerror(-r));
	return finish(u);
}

int untar(int fd, int rootfd, unsigned flags, struct manifest *src, char hex[SHA256_HEX_LEN],
	  char *err, size_t errlen)
{
	struct untar u = { .root = rootfd, .flags = flags, .src = src, .err = err,
			   .errlen = errlen };
	struct reader *rd = malloc(sizeof(*rd));
	mode_t mask = umask(0);
	int r = -1;

	memset(src, 0, sizeof(*src));
	u.a = archive_read_new();
	if (rd && u.a) {
		rd->fd = fd;
		digest_init(&rd->d);
		r = read_all(&u, rd);
		if (r == 0)
			digest_end(&rd->d, hex);
	} else {
		snprintf(err, errlen, "out of memory");
	}
	umask(mask);
	if (u.a)
		archive_read_free(u.a);
	free(rd);
	mf_free(&u.opaque);
	if (r < 0)
		mf_free(src);
	return r;
}
