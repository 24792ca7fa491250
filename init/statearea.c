/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state area: the paths of state.conf, kept in the store under
 * ovroot/state/epoch-N/ (machine-id under ovroot/state/, for every epoch)
 * and bound onto the same paths in the assembled root.  Both sides are
 * opened without following any symlink (lib/beneath.c): a version whose
 * /home is a symlink to / gets no bind on /, a state/ that leads out of the
 * store binds nothing.  A path the state does not hold yet is made from
 * the version's own file or directory (copied, then renamed into place),
 * else empty.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/boot.h"
#include "init/statearea.h"
#include "lib/beneath.h"
#include "lib/copy.h"
#include "lib/dirs.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/mount.h"
#include "selector/stateconf.h"

#define STATE_SUBDIR "state"
#define MACHINE_ID_FILE "machine-id"

struct area {
	struct boot *b;
	int rootfd;		/* the assembled root */
	int statefd;		/* ovroot/state */
	int epochfd;		/* ovroot/state/epoch-N */
	char epoch[24];		/* "epoch-N" */
	bool store_rw;		/* the state can be made and written */
	bool root_rw;		/* mount points can be made in the root */
	int bound;
};

static struct stateconf conf;	/* 16 KiB: off PID 1's stack */

/*
 * dirfd/rel as a directory, made with its parents when make is set; no
 * symlink followed, nothing left.  An O_RDONLY fd or -errno.
 */
static int open_dirs(int dirfd, const char *rel, bool make)
{
	char buf[STATE_PATH_MAX], *part, *next;
	int cur = dup(dirfd);

	if (cur < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%s", rel);
	for (part = buf; *part && cur >= 0; part = next) {
		int fd;

		next = strchr(part, '/');
		next = next ? (*next = '\0', next + 1) : part + strlen(part);
		fd = beneath_open_nolinks(cur, part, O_RDONLY | O_DIRECTORY);
		if (fd == -ENOENT && make && mkdirat(cur, part, 0755) == 0)
			fd = beneath_open_nolinks(cur, part, O_RDONLY | O_DIRECTORY);
		else if (fd == -ENOENT && make)
			fd = -errno;
		close(cur);
		cur = fd;
	}
	return cur;
}

/* Splits "var/lib/x" into its parent "var/lib" (or "") and "x". */
static const char *split(const char *path, char *parent, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash) {
		parent[0] = '\0';
		return path;
	}
	snprintf(parent, len, "%.*s", (int)(slash - path), path);
	return slash + 1;
}

static bool kind_is(mode_t mode, bool dir)
{
	return dir ? S_ISDIR(mode) : S_ISREG(mode);
}

/* A leftover of a copy cut short by a power loss. */
static void remove_stale(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			delete_tree_same_dev(fd, st.st_dev);
			close(fd);
		}
		unlinkat(dirfd, name, AT_REMOVEDIR);
	} else {
		unlinkat(dirfd, name, 0);
	}
}

static int make_empty(int dirfd, const char *name, bool dir)
{
	int fd;

	if (dir)
		return mkdirat(dirfd, name, 0755) < 0 ? -errno : 0;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	fsync(fd);
	close(fd);
	return 0;
}

/*
 * The state's first content of one path: the version's own (rootdir/name,
 * when it is of the right kind), else empty when empty is set; made under
 * a temporary name and renamed, so that a power loss leaves none or all.
 */
static int seed(int rootdir, int statedir, const char *name, bool dir, bool empty)
{
	char tmp[STATE_PATH_MAX + 8];
	struct stat st;
	int r;

	snprintf(tmp, sizeof(tmp), ".new-%s", name);
	remove_stale(statedir, tmp);
	if (rootdir >= 0 && fstatat(rootdir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    kind_is(st.st_mode, dir))
		r = copy_entry(rootdir, name, statedir, tmp);
	else if (empty)
		r = make_empty(statedir, tmp, dir);
	else
		return -ENOENT;
	if (r == 0 && renameat(statedir, tmp, statedir, name) < 0)
		r = -errno;
	if (r == 0)
		fsync(statedir);
	else
		remove_stale(statedir, tmp);
	return r;
}

static int bind_fds(int from, int to)
{
	char src[64], dst[64];

	snprintf(src, sizeof(src), "/proc/self/fd/%d", from);
	snprintf(dst, sizeof(dst), "/proc/self/fd/%d", to);
	return mount(src, dst, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
}

/*
 * Binds statedir/name onto rootdir/name, both opened without following a
 * symlink and checked to be of the kind listed; the mount point is made in
 * the root when the version lacks it.
 */
static int bind_one(struct area *a, int rootdir, int statedir, const char *name, bool dir,
		    const char **what)
{
	struct stat st;
	int from, to, r;

	*what = "in the store";
	from = beneath_open_nolinks(statedir, name, O_PATH);
	if (from < 0)
		return from;
	if (fstat(from, &st) < 0 || !kind_is(st.st_mode, dir)) {
		close(from);
		return -EINVAL;
	}
	*what = "in the root";
	if (fstatat(rootdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    (errno != ENOENT || !a->root_rw || make_empty(rootdir, name, dir) < 0)) {
		r = -errno;
		close(from);
		return r;
	}
	to = beneath_open_nolinks(rootdir, name, O_PATH);
	if (to < 0) {
		close(from);
		return to;
	}
	if (fstat(to, &st) < 0 || !kind_is(st.st_mode, dir))
		r = -EINVAL;
	else if ((r = bind_fds(from, to)) < 0)
		*what = "bind";
	close(to);
	close(from);
	return r;
}

static const char *why(int r)
{
	if (r == -EXDEV)
		return "it is or leads through a symlink";
	if (r == -EINVAL)
		return "it is not what the list says (file or directory)";
	return strerror(-r);
}

/* One path of the list (or one file a pattern matched). */
static void state_path(struct area *a, int rootdir, int statedir, const char *path,
		       const char *name, bool dir, bool empty)
{
	const char *what = "in the store";
	struct stat st;
	int r = 0;

	if (fstatat(statedir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (!a->store_rw)
			return;
		r = seed(rootdir, statedir, name, dir, empty);
		if (r == -ENOENT)
			return;
		if (r == 0)
			debug("state area: /%s made from %s", path,
			      fstatat(rootdir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ?
			      "the version's" : "nothing");
	}
	if (r == 0)
		r = bind_one(a, rootdir, statedir, name, dir, &what);
	if (r == 0) {
		a->bound++;
		return;
	}
	say_warn("state area: /%s not bound (%s: %s): the version's own is used", path, what, why(r));
}

static void state_glob(struct area *a, int rootdir, int statedir, const char *parent,
		       const char *pattern)
{
	int fds[2] = { rootdir, statedir };
	char path[STATE_PATH_MAX * 2];
	struct stat st;

	/* the version's files first (they seed the state), then the state's own */
	for (int side = 0; side < 2; side++) {
		int fd = fds[side] >= 0 ? openat(fds[side], ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		struct dirent *e;

		if (!d) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((e = readdir(d))) {
			if (!state_glob_match(pattern, e->d_name) ||
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			if (side == 1 && fstatat(rootdir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				continue;	/* done with the version's */
			snprintf(path, sizeof(path), "%s%s%s", parent, parent[0] ? "/" : "",
				 e->d_name);
			state_path(a, rootdir, statedir, path, e->d_name, false, false);
		}
		closedir(d);
	}
}

static void state_entry(struct area *a, const struct state_path *p)
{
	char parent[STATE_PATH_MAX];
	const char *name = split(p->path, parent, sizeof(parent));
	bool glob = p->kind == STATE_GLOB, dir = p->kind == STATE_DIR;
	int rootdir, statedir;

	rootdir = open_dirs(a->rootfd, parent, a->root_rw && !glob);
	if (rootdir < 0 && !(glob && rootdir == -ENOENT)) {
		say_warn("state area: /%s not bound (in the root: %s): the version's own is used",
		    p->path, why(rootdir));
		return;
	}
	statedir = open_dirs(a->epochfd, parent, a->store_rw && (!glob || rootdir >= 0));
	if (statedir < 0 && statedir != -ENOENT)
		say_warn("state area: /%s not bound (in the store: %s): the version's own is used",
		    p->path, why(statedir));
	else if (glob && rootdir >= 0)
		state_glob(a, rootdir, statedir, parent, name);
	else if (statedir >= 0)
		state_path(a, rootdir, statedir, p->path, name, dir, true);
	if (statedir >= 0)
		close(statedir);
	if (rootdir >= 0)
		close(rootdir);
}

static int random_id(char id[34])
{
	unsigned char rnd[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, rnd, sizeof(rnd)) : -1;

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(rnd))
		return -1;
	machine_id_format(rnd, id);
	return 0;
}

/* id: the device's, from the state; else the version's, else new. */
static int device_id(struct area *a, int etcfd, char id[34])
{
	char err[160], *text = NULL;
	size_t len = 0;

	if (read_small_file(a->statefd, MACHINE_ID_FILE, 64, &text, &len) == 0 &&
	    machine_id_valid(text, len)) {
		memcpy(id, text, 34);
		free(text);
		return 0;
	}
	free(text);
	if (!a->store_rw)
		return -1;
	text = NULL;
	if (etcfd >= 0 && read_small_file(etcfd, MACHINE_ID_FILE, 64, &text, &len) == 0 &&
	    machine_id_valid(text, len)) {
		memcpy(id, text, 34);
	} else if (random_id(id) < 0) {
		free(text);
		say_warn("state area: no machine-id made (/dev/urandom: %s)", strerror(errno));
		return -1;
	}
	free(text);
	if (atomic_write(a->statefd, MACHINE_ID_FILE, id, 33, err, sizeof(err)) < 0) {
		say_warn("state area: the machine-id cannot be kept: %s", err);
		return -1;
	}
	say("state area: this device's machine-id is %.32s", id);
	return 0;
}

/*
 * /etc/machine-id is copied into the root, not bound: systemd's
 * machine-id-commit takes a mount there for its own transient one and
 * fails on any other.  A read-only root gets the bind.
 */
static void machine_id(struct area *a)
{
	char id[34], err[160], *text = NULL;
	int etcfd = open_dirs(a->rootfd, "etc", false), r;
	const char *what = "";
	size_t len = 0;

	if (device_id(a, etcfd, id) < 0)
		goto out;
	if (etcfd < 0) {
		say_warn("state area: /etc/machine-id not set (in the root: %s)", why(etcfd));
		goto out;
	}
	if (read_small_file(etcfd, MACHINE_ID_FILE, 64, &text, &len) == 0 && len == 33 &&
	    memcmp(text, id, 33) == 0)
		goto out;
	if (a->root_rw) {
		if (atomic_write(etcfd, MACHINE_ID_FILE, id, 33, err, sizeof(err)) < 0)
			say_warn("state area: /etc/machine-id not set: %s", err);
		goto out;
	}
	r = bind_one(a, etcfd, a->statefd, MACHINE_ID_FILE, false, &what);
	if (r < 0)
		say_warn("state area: /etc/machine-id not bound (%s: %s)", what, why(r));
out:
	free(text);
	if (etcfd >= 0)
		close(etcfd);
}

/* The conf the version ships, else the store's: 0, 1 when neither has one, -1 bad. */
static int read_conf(struct area *a)
{
	const char *from = "the version's /" STATECONF_ROOT_PATH;
	char err[256], prefix[80], *text = NULL;
	int etc = open_dirs(a->rootfd, "etc/ovroot", false), r = -ENOENT;
	size_t len = 0;

	if (etc >= 0) {
		r = read_small_file(etc, STATECONF_NAME, STATECONF_MAX, &text, &len);
		close(etc);
	}
	if (r == -ENOENT) {
		from = "the store's state.conf";
		r = read_small_file(a->b->dirfd, STATECONF_NAME, STATECONF_MAX, &text, &len);
	}
	if (r == -ENOENT)
		return 1;
	snprintf(prefix, sizeof(prefix), "state area: %s: ", from);
	if (r < 0)
		snprintf(err, sizeof(err), "%s", strerror(-r));
	else
		r = stateconf_parse(&conf, text, len, say_warning, prefix, err, sizeof(err));
	free(text);
	if (r < 0) {
		say_warn("state area: %s %s: nothing bound", from, err);
		return -1;
	}
	debug("state area: %zu paths, epoch %d, from %s", conf.n, conf.epoch, from);
	return 0;
}

void statearea_precheck(struct boot *b)
{
	if (b->store_rw || !boot_check_pending(b))
		return;
	if (faccessat(b->dirfd, STATECONF_NAME, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ||
	    faccessat(b->dirfd, STATE_SUBDIR, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		boot_check_store(b);
}

/*
 * The store writable for the state, checked first (fsck); read-only: what
 * exists is bound read-only.  A check still pending now cannot run (the
 * assembled root uses the store): statearea_precheck() missed it because
 * only the version has a state.conf, and the store has no state yet.
 */
static void store_writable(struct area *a)
{
	struct boot *b = a->b;
	const char *ro_why = NULL;

	if (b->store_rw) {
		a->store_rw = true;
		return;
	}
	if (boot_check_pending(b))
		ro_why = "not checked by fsck yet, and the root uses it now (a state.conf in "
			 "the store has it checked first)";
	else if (boot_check_store(b) < 0)
		ro_why = "kept read-only after fsck";
	else if (remount(b->store, MS_NOSUID | MS_NODEV, true, false,
			 b->cl.rootflags[0] ? b->cl.rootflags : NULL) < 0)
		ro_why = strerror(errno);
	else
		b->store_rw = true;
	a->store_rw = b->store_rw;
	if (ro_why)
		say_warn("state area: the store is read-only (%s): what it holds is bound read-only, "
		    "nothing is made", ro_why);
}

static int open_state(struct area *a)
{
	int r;

	if (a->store_rw)
		mkdirat(a->b->dirfd, STATE_SUBDIR, 0755);
	a->statefd = r = beneath_subdir(a->b->dirfd, STATE_SUBDIR);
	if (r >= 0) {
		snprintf(a->epoch, sizeof(a->epoch), "epoch-%d", conf.epoch);
		if (a->store_rw)
			mkdirat(a->statefd, a->epoch, 0755);
		a->epochfd = r = beneath_subdir(a->statefd, a->epoch);
	}
	if (r == -ENOENT && !a->store_rw)
		return -1;
	if (r < 0)
		say_warn("state area: %s/%s%s%s refused: %s: nothing bound", a->b->cl.dir, STATE_SUBDIR,
		    a->statefd >= 0 ? "/" : "", a->statefd >= 0 ? a->epoch : "",
		    r == -EXDEV ? "a symlink or another mount" : strerror(-r));
	return r < 0 ? -1 : 0;
}

void statearea_bind(struct boot *b)
{
	struct area a = { .b = b, .statefd = -1, .epochfd = -1, .root_rw = b->d.upper != UPPER_NONE };

	a.rootfd = open(b->target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a.rootfd < 0 || read_conf(&a) != 0 || conf.n == 0)
		goto out;
	store_writable(&a);
	if (open_state(&a) < 0)
		goto out;
	for (size_t i = 0; i < conf.n; i++) {
		if (strcmp(conf.p[i].path, STATE_MACHINE_ID) == 0)
			machine_id(&a);
		else
			state_entry(&a, &conf.p[i]);
	}
	say("state area: %d path(s) bound from %s/%s/%s%s", a.bound, b->cl.dir, STATE_SUBDIR,
	    a.epoch, a.store_rw ? "" : ", read-only");
	snprintf(b->state_area, sizeof(b->state_area), "%s, %d path(s) bound%s", a.epoch, a.bound,
		 a.store_rw ? "" : ", read-only");
out:
	if (a.epochfd >= 0)
		close(a.epochfd);
	if (a.statefd >= 0)
		close(a.statefd);
	if (a.rootfd >= 0)
		close(a.rootfd);
}
