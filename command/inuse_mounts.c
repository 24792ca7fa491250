/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <libmount/libmount.h>
#include <limits.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "command/inuse.h"

/* One mount namespace, seen through a process in it. */
struct ns {
	const char *proc;		/* "/proc/self", "/proc/PID" */
	const char *ovroot_rel;		/* the ovroot dir from its filesystem's root */
	dev_t store_dev;
	const struct booted *rec;	/* the init's record, NULL: none */
};

/* The first line of a small file, without its newline. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int r = -1;

	if (!f)
		return -1;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		r = 0;
	}
	fclose(f);
	return r;
}

/*
 * The file behind loop device name ("loop3"): its device and inode as the
 * kernel holds them (LOOP_GET_STATUS64 on /dev/NAME, opened read-only, once
 * /sys says that node is this device).  They mean the same in every mount
 * namespace; /sys/block/NAME/loop/backing_file is a path as the namespace
 * that attached it sees it, and is only the fallback when /dev/NAME is not
 * there.  -1: not attached.
 */
static int loop_backing(const char *name, dev_t *dev, ino_t *ino)
{
	char path[PATH_MAX], sys[300];
	struct loop_info64 info;
	unsigned maj, min;
	struct stat st;
	int fd, r = 1;

	snprintf(sys, sizeof(sys), "/sys/block/%s/dev", name);
	if (read_line(sys, path, sizeof(path)) < 0 || sscanf(path, "%u:%u", &maj, &min) != 2)
		return -1;
	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) &&
	    st.st_rdev == makedev(maj, min)) {
		/* lo_device is the kernel's encoding of st_dev, as stat(2) gives it */
		r = ioctl(fd, LOOP_GET_STATUS64, &info) == 0 ? 0 : -1;
		*dev = (dev_t)info.lo_device;
		*ino = (ino_t)info.lo_inode;
	}
	if (fd >= 0)
		close(fd);
	if (r <= 0)
		return r;
	snprintf(sys, sizeof(sys), "/sys/block/%s/loop/backing_file", name);
	if (read_line(sys, path, sizeof(path)) < 0 || stat(path, &st) < 0)
		return -1;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/*
 * Whether path, from the root of filesystem dev, lies in item v (1) or is it
 * (0); -1 when neither.  ovroot_rel is "" for a store at the root of its
 * filesystem; store_dev is 0 (no device) when it could not be located.
 */
static int item_at(const struct item *v, const struct ns *ns, dev_t dev, const char *path)
{
	size_t rl = strlen(ns->ovroot_rel), il = strlen(v->rel);

	if (dev != ns->store_dev || strncmp(path, ns->ovroot_rel, rl) ||
	    path[rl] != '/' || strncmp(path + rl + 1, v->rel, il))
		return -1;
	path += rl + 1 + il;
	return *path == '\0' ? 0 : *path == '/' ? 1 : -1;
}

/* A bind mount of a version (or of a directory in it) shows it as its root. */
static void mark_bind(struct items *it, const struct ns *ns, struct libmnt_fs *fs)
{
	const char *root = mnt_fs_get_root(fs);

	for (size_t i = 0; root && i < it->n; i++)
		if (!it->v[i].used[0] && item_at(&it->v[i], ns, mnt_fs_get_devno(fs), root) >= 0)
			snprintf(it->v[i].used, sizeof(it->v[i].used), "mounted at %s",
				 mnt_fs_get_target(fs));
}

static struct libmnt_fs *find_id(struct libmnt_table *tb, int id)
{
	struct libmnt_iter *itr = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs = NULL;

	while (itr && mnt_table_next_fs(tb, itr, &fs) == 0 && mnt_fs_get_id(fs) != id)
		fs = NULL;
	mnt_free_iter(itr);
	return fs;
}

/*
 * A mount on a version or on a directory in it (in any namespace): the
 * directory it covers, from the root of its parent's filesystem, is the
 * parent's root joined with the mount point's path below the parent's.
 */
static void mark_mountpoint(struct items *it, const struct ns *ns, struct libmnt_table *tb,
			    struct libmnt_fs *fs)
{
	struct libmnt_fs *parent = find_id(tb, mnt_fs_get_parent_id(fs));
	const char *target = mnt_fs_get_target(fs), *pt, *pr;
	char path[PATH_MAX];
	size_t pl;

	if (!parent || parent == fs || !target || !(pt = mnt_fs_get_target(parent)) ||
	    !(pr = mnt_fs_get_root(parent)))
		return;
	pl = strcmp(pt, "/") ? strlen(pt) : 0;
	if (strncmp(target, pt, pl) || (target[pl] != '/' && target[pl] != '\0'))
		return;
	snprintf(path, sizeof(path), "%s%s", strcmp(pr, "/") || !target[pl] ? pr : "",
		 target + pl);
	for (size_t i = 0; i < it->n; i++) {
		int in = it->v[i].used[0] ? -1 :
			 item_at(&it->v[i], ns, mnt_fs_get_devno(parent), path);

		if (in >= 0)
			snprintf(it->v[i].used, sizeof(it->v[i].used), "%s (%s) mounted %s it at %s",
				 mnt_fs_get_fstype(fs) ? mnt_fs_get_fstype(fs) : "?",
				 mnt_fs_get_source(fs) ? mnt_fs_get_source(fs) : "?",
				 in ? "inside" : "on", target);
	}
}

/* mountinfo escapes ' ', ',' and the like as \ooo. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && isdigit((unsigned char)s[2]) &&
		    isdigit((unsigned char)s[3])) {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* One directory an overlay's options name, with the option that names it. */
struct layer_opt {
	const char *opt;		/* "lowerdir", "lowerdir+", "datadir+", "upperdir", "workdir" */
	char *path;			/* as given at mount time */
};

struct overlay {
	struct libmnt_fs *fs;
	struct layer_opt *v;
	size_t n;
	char *text;			/* the paths, NUL-separated */
};

/*
 * lowerdir=a:b (":" escaped as "\:"), lowerdir+=, datadir+=, upperdir=,
 * workdir=, in their order.  -1: out of memory.
 */
static int overlay_parse(struct overlay *o, struct libmnt_fs *fs)
{
	static const char *const opts[] = { "lowerdir", "lowerdir+", "datadir+", "upperdir",
					    "workdir" };
	const char *fsopts = mnt_fs_get_fs_options(fs);
	char *p, *name, *val;
	size_t nl, vl, at = 0;

	memset(o, 0, sizeof(*o));
	o->fs = fs;
	if (!fsopts)
		return 0;
	o->text = calloc(1, strlen(fsopts) + 1);
	p = strdup(fsopts);
	if (!o->text || !p) {
		free(p);
		return -1;
	}
	for (char *q = p; mnt_optstr_next_option(&q, &name, &nl, &val, &vl) == 0; ) {
		const char *opt = NULL;
		char *s;

		for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (nl == strlen(opts[i]) && !strncmp(name, opts[i], nl))
				opt = opts[i];
		if (!val || !opt)
			continue;
		s = memcpy(o->text + at, val, vl);
		at += vl + 1;
		while (s) {
			char *next = NULL;
			void *v;

			for (char *c = s; opt == opts[0] && *c; c++) {
				if (c[0] == '\\' && c[1]) {
					memmove(c, c + 1, strlen(c));
				} else if (*c == ':') {
					*c = '\0';
					next = c + 1;
					break;
				}
			}
			unescape(s);
			v = realloc(o->v, (o->n + 1) * sizeof(*o->v));
			if (!v) {
				free(p);
				return -1;
			}
			o->v = v;
			o->v[o->n].opt = opt;
			o->v[o->n++].path = s;
			s = next;
		}
	}
	free(p);
	return 0;
}

static void overlay_free(struct overlay *o)
{
	free(o->v);
	free(o->text);
}

/* An absolute layer path, as the overlay's namespace resolves it; -1: not found. */
static int mark_layer_path(struct items *it, const struct ns *ns, const char *path,
			   const char *target)
{
	char full[PATH_MAX];

	if (path[0] != '/')
		return -1;	/* relative to where the mounter was: unknown now */
	snprintf(full, sizeof(full), "%s/root%s", ns->proc, path);
	return items_mark_path(it, full, "a layer of the overlay at %s", target);
}

/*
 * The init's own overlay on kernels before 6.8 (overlay/ovl_legacy.c):
 * lowerdir=0:1:...:N-1, links in a directory it removed once mounted, so
 * the names lead nowhere; RUN/booted has the N layer paths (and the upper
 * it gave).  A file that says this overlay is the init's.
 */
static bool is_recorded(const struct overlay *o, const struct booted *rec)
{
	const char *upper = NULL;
	size_t k = 0;

	for (size_t i = 0; i < o->n; i++) {
		char num[24];

		if (!strcmp(o->v[i].opt, "upperdir"))
			upper = o->v[i].path;
		if (!strcmp(o->v[i].opt, "lowerdir+") || !strcmp(o->v[i].opt, "datadir+"))
			return false;
		if (strcmp(o->v[i].opt, "lowerdir"))
			continue;
		snprintf(num, sizeof(num), "%zu", k++);
		if (strcmp(o->v[i].path, num))
			return false;
	}
	if (!k || k != rec->nlayer)
		return false;
	return rec->upper_path[0] ? upper && !strcmp(upper, rec->upper_path) : !upper;
}

/*
 * Every layer the overlay's options name, in its own namespace.  A layer
 * that cannot be found there (a relative name, a path gone since) is one
 * gc cannot rule out: unless the init's record accounts for this overlay,
 * every directory of the store may be it (it->unseen, marked last).
 */
static void mark_overlay(struct items *it, const struct ns *ns, struct libmnt_fs *fs,
			 const struct booted *rec)
{
	const char *target = mnt_fs_get_target(fs);
	const struct layer_opt *lost = NULL;
	struct overlay o;

	if (overlay_parse(&o, fs) < 0) {
		snprintf(it->unseen, sizeof(it->unseen),
			 "may be a layer of the overlay at %s (out of memory reading it)", target);
		overlay_free(&o);
		return;
	}
	for (size_t i = 0; i < o.n; i++)
		if (mark_layer_path(it, ns, o.v[i].path, target) < 0 && !lost)
			lost = &o.v[i];
	if (lost && rec && is_recorded(&o, rec)) {
		lost = NULL;
		for (size_t i = 0; i < rec->nlayer; i++)
			if (mark_layer_path(it, ns, rec->layer_path[i], target) < 0)
				lost = &o.v[0];
	}
	if (lost && !it->unseen[0])
		snprintf(it->unseen, sizeof(it->unseen),
			 "may be a layer of the overlay at %s (%s %s: no path gc can follow, so "
			 "every directory is kept)", target, lost->opt, lost->path);
	overlay_free(&o);
}

/* A filesystem on a loop device: the mount's device number leads to it. */
static void mark_loop_mount(struct items *it, struct libmnt_fs *fs)
{
	char path[64], link[PATH_MAX];
	dev_t devno = mnt_fs_get_devno(fs), dev;
	const char *name;
	ino_t ino;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(devno), minor(devno));
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	name = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	if (strncmp(name, "loop", 4) || loop_backing(name, &dev, &ino) < 0)
		return;
	items_mark(it, dev, ino, "mounted at %s (/dev/%s)", mnt_fs_get_target(fs), name);
}

static void scan_ns(struct items *it, const struct ns *ns)
{
	char path[64];
	struct libmnt_table *tb;
	struct libmnt_iter *itr;
	struct libmnt_fs *fs;

	snprintf(path, sizeof(path), "%s/mountinfo", ns->proc);
	tb = mnt_new_table_from_file(path);
	itr = mnt_new_iter(MNT_ITER_FORWARD);
	while (tb && itr && mnt_table_next_fs(tb, itr, &fs) == 0) {
		const char *type = mnt_fs_get_fstype(fs);

		mark_bind(it, ns, fs);
		mark_mountpoint(it, ns, tb, fs);
		if (type && !strcmp(type, "overlay"))
			mark_overlay(it, ns, fs, ns->rec);
		mark_loop_mount(it, fs);
	}
	mnt_free_iter(itr);
	mnt_unref_table(tb);
}

/* Where the ovroot dir lies in its filesystem, as mountinfo's root fields say. */
static int locate(const char *ovroot_dir, char *rel, size_t len, dev_t *dev)
{
	struct libmnt_table *tb = mnt_new_table_from_file("/proc/self/mountinfo");
	char *real = realpath(ovroot_dir, NULL);
	struct libmnt_fs *fs = NULL;
	int r = -1;

	if (tb && real)
		fs = mnt_table_find_mountpoint(tb, real, MNT_ITER_BACKWARD);
	if (fs) {
		const char *target = mnt_fs_get_target(fs), *root = mnt_fs_get_root(fs);
		const char *rest = real + (strcmp(target, "/") ? strlen(target) : 0);

		snprintf(rel, len, "%s%s", strcmp(root, "/") ? root : "", rest);
		*dev = mnt_fs_get_devno(fs);
		r = 0;
	}
	free(real);
	mnt_unref_table(tb);
	return r;
}

/* A view of the mounts: a mount namespace as seen from one root directory. */
struct view {
	ino_t ns;
	dev_t root_dev;
	ino_t root_ino;
};

/*
 * Each namespace once per root its processes have: /proc/PID/mountinfo
 * shows only what is reachable from that process's root, so a chrooted
 * process may see little of its namespace, and another in it all.
 */
static bool seen_view(struct view **seen, size_t *n, const char *proc)
{
	char path[64];
	struct stat ns, root;
	void *v;

	snprintf(path, sizeof(path), "%s/ns/mnt", proc);
	if (stat(path, &ns) < 0)
		return true;
	snprintf(path, sizeof(path), "%s/root", proc);
	if (stat(path, &root) < 0)
		return true;
	for (size_t i = 0; i < *n; i++)
		if ((*seen)[i].ns == ns.st_ino && (*seen)[i].root_dev == root.st_dev &&
		    (*seen)[i].root_ino == root.st_ino)
			return true;
	v = realloc(*seen, (*n + 1) * sizeof(**seen));
	if (!v)
		return true;
	*seen = v;
	(*seen)[(*n)++] = (struct view){ ns.st_ino, root.st_dev, root.st_ino };
	return false;
}

/* This mount namespace, then every other one a process is in, from each root. */
void inuse_mounts(struct items *it, const char *ovroot_dir, const struct booted *rec)
{
	char rel[PATH_MAX], proc[64];
	struct ns ns = { .proc = "/proc/self", .ovroot_rel = rel, .rec = rec };
	struct view *seen = NULL;
	size_t nseen = 0;
	struct dirent *de;
	DIR *d;

	if (locate(ovroot_dir, rel, sizeof(rel), &ns.store_dev) < 0)
		rel[0] = '\0';
	seen_view(&seen, &nseen, ns.proc);
	scan_ns(it, &ns);
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(proc, sizeof(proc), "/proc/%s", de->d_name);
		ns.proc = proc;
		if (!seen_view(&seen, &nseen, proc))
			scan_ns(it, &ns);
	}
	if (d)
		closedir(d);
	free(seen);
}

/* A loop device keeps its image open even when nothing is mounted from it. */
void inuse_loops(struct items *it)
{
	DIR *d = opendir("/sys/block");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		dev_t dev;
		ino_t ino;

		if (!strncmp(de->d_name, "loop", 4) && loop_backing(de->d_name, &dev, &ino) == 0)
			items_mark(it, dev, ino, "attached to /dev/%s", de->d_name);
	}
	if (d)
		closedir(d);
}

/* Last: an overlay whose layers could not all be found may stack any directory. */
void inuse_unseen(struct items *it)
{
	for (size_t i = 0; it->unseen[0] && i < it->n; i++) {
		enum item_kind k = it->v[i].kind;

		if (!it->v[i].used[0] && (k == ITEM_DIR || k == ITEM_UPPER || k == ITEM_TRASH ||
					    k == ITEM_STAGING))
			snprintf(it->v[i].used, sizeof(it->v[i].used), "%s", it->unseen);
	}
}
