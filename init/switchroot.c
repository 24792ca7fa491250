/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Leaves the initramfs for the assembled root the way util-linux
 * switch_root and klibc run-init do.  Runs in PID 1: no exit, no abort.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>

#include "init/switchroot.h"
#include "lib/dirs.h"
#include "lib/log.h"
#include "lib/sys.h"
#include "selector/execfmt.h"

static const char *const api_dirs[] = { "dev", "proc", "sys", "run" };
#define N_API_DIRS (sizeof(api_dirs) / sizeof(api_dirs[0]))

/* Deleting a disk root would be a disaster: only an initramfs qualifies. */
static int check_root_fs(char *err, size_t errlen)
{
	struct statfs sfs;
	uint32_t type;

	if (statfs("/", &sfs)) {
		errmsg(err, errlen, "switch root: statfs /: %s", strerror(errno));
		return -1;
	}
	/* A 32-bit magic in a signed word of either width (an int on i386 and arm). */
	type = (uint32_t)sfs.f_type;
	if (type == RAMFS_MAGIC || type == TMPFS_MAGIC)
		return 0;
	errmsg(err, errlen, "switch root: / is not ramfs or tmpfs (type 0x%lx), refusing to delete it",
	    (unsigned long)type);
	return -1;
}

static int check_api_dirs(int newfd, const char *newroot, char *err,
			  size_t errlen)
{
	char missing[64] = "";
	struct stat st;
	size_t i;

	for (i = 0; i < N_API_DIRS; i++) {
		if (fstatat(newfd, api_dirs[i], &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode)) {
			strcat(missing, " /");
			strcat(missing, api_dirs[i]);
		}
	}
	if (!missing[0])
		return 0;
	errmsg(err, errlen, "switch root: %s lacks the directories%s", newroot,
	    missing);
	return -1;
}

/* Absolute symlinks (/sbin/init -> /lib/systemd/systemd) stay in newroot. */
static int open_in_root(int newfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned)flags | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)sys_openat2(newfd, path, &how, sizeof(how));
}

static bool is_program(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/*
 * What execve() would need besides the file: its ELF loader or #!
 * interpreter in the new root.  NULL, or why the init cannot run.
 */
static const char *loader_missing(int newfd, int fd, char *interp, size_t len)
{
	static unsigned char head[4096];	/* PT_INTERP sits in the first page */
	ssize_t n = pread(fd, head, sizeof(head), 0);
	enum exec_kind kind = n > 0 ? exec_interp(head, (size_t)n, interp, len) : EXEC_UNKNOWN;
	int lfd;

	if (kind == EXEC_NONE)
		return "is not a program (neither ELF nor #!): exec would fail";
	if (kind != EXEC_DYNAMIC && kind != EXEC_SCRIPT)
		return NULL;
	lfd = open_in_root(newfd, interp, O_RDONLY);
	if (lfd >= 0) {
		bool ok = kind == EXEC_DYNAMIC || is_program(lfd);

		close(lfd);
		return ok ? NULL : "needs the #! interpreter %s, which is not a program there";
	}
	return kind == EXEC_DYNAMIC ? "needs the ELF interpreter %s, missing there"
				    : "needs the #! interpreter %s, missing there";
}

/* 0, or -1 with why (printf'd with the interpreter's path) the init cannot run. */
static int init_runnable(int newfd, const char *path, char *why, size_t whylen)
{
	char interp[PATH_MAX];
	const char *bad;
	struct stat st;
	int fd;

	fd = open_in_root(newfd, path, O_RDONLY);
	if (fd < 0 && errno == ENOSYS) {
		/* before Linux 5.6: no loader check, absolute links would leave newroot */
		if (!fstatat(newfd, path + (path[0] == '/'), &st, AT_SYMLINK_NOFOLLOW))
			return 0;
	}
	if (fd < 0) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	if (!is_program(fd)) {
		close(fd);
		snprintf(why, whylen, "not an executable file");
		return -1;
	}
	bad = loader_missing(newfd, fd, interp, sizeof(interp));
	close(fd);
	if (!bad)
		return 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(why, whylen, bad, interp);
#pragma GCC diagnostic pop
	return -1;
}

static int check_inits(int newfd, const char *newroot,
		       const char *const inits[], char *err, size_t errlen)
{
	char why[PATH_MAX + 80] = "none given";
	size_t i;

	for (i = 0; inits && inits[i]; i++) {
		if (init_runnable(newfd, inits[i], why, sizeof(why)) == 0)
			return 0;
	}
	errmsg(err, errlen, "switch root: no executable init in %s (tried %zu): %s: %s",
	    newroot, i, i ? inits[i - 1] : "-", why);
	return -1;
}

static int check_new_root(const char *newroot, const char *const inits[],
			  dev_t rootdev, char *err, size_t errlen)
{
	struct stat st;
	int fd, ret = -1;

	fd = open(newroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		errmsg(err, errlen, "switch root: %s: %s", newroot, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st))
		errmsg(err, errlen, "switch root: %s: %s", newroot, strerror(errno));
	else if (st.st_dev == rootdev)
		errmsg(err, errlen, "switch root: %s is not a mounted filesystem of its own",
		    newroot);
	else if (!check_api_dirs(fd, newroot, err, errlen))
		ret = check_inits(fd, newroot, inits, err, errlen);
	close(fd);
	return ret;
}

int newroot_check(const char *newroot, const char *init, char *err, size_t errlen)
{
	const char *const inits[] = { init, NULL };
	struct stat root;

	if (stat("/", &root)) {
		errmsg(err, errlen, "switch root: stat /: %s", strerror(errno));
		return -1;
	}
	return check_new_root(newroot, inits, root.st_dev, err, errlen);
}

static void move_back(const char *newroot, const bool moved[])
{
	char from[PATH_MAX], to[PATH_MAX];
	size_t i;

	for (i = 0; i < N_API_DIRS; i++) {
		if (!moved[i])
			continue;
		snprintf(from, sizeof(from), "%s/%s", newroot, api_dirs[i]);
		snprintf(to, sizeof(to), "/%s", api_dirs[i]);
		mount(from, to, NULL, MS_MOVE, NULL);
	}
}

/* /dev /proc /sys /run that are mounted (not plain initramfs dirs) move. */
static int move_api_mounts(const char *newroot, dev_t rootdev, bool moved[],
			   char *err, size_t errlen)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct stat st;
	size_t i;

	for (i = 0; i < N_API_DIRS; i++) {
		snprintf(from, sizeof(from), "/%s", api_dirs[i]);
		if (stat(from, &st) || st.st_dev == rootdev)
			continue;
		if ((size_t)snprintf(to, sizeof(to), "%s/%s", newroot,
				     api_dirs[i]) >= sizeof(to))
			errno = ENAMETOOLONG;
		else if (!mount(from, to, NULL, MS_MOVE, NULL)) {
			moved[i] = true;
			continue;
		}
		errmsg(err, errlen, "switch root: moving %s to %s: %s", from, to,
		    strerror(errno));
		move_back(newroot, moved);
		return -1;
	}
	return 0;
}

/* newroot becomes /; on failure the old / stays, with its mounts back. */
static int enter_new_root(const char *newroot, const bool moved[], char *err,
			  size_t errlen)
{
	const char *what = "chdir";

	if (!chdir(newroot)) {
		what = "moving it onto /";
		if (!mount(".", "/", NULL, MS_MOVE, NULL)) {
			what = "chroot";
			if (!chroot(".") && !chdir("/"))
				return 0;
		}
	}
	errmsg(err, errlen, "switch root: %s: %s: %s", newroot, what,
	    strerror(errno));
	if (chdir("/") == 0 && strcmp(what, "chroot"))
		move_back(newroot, moved);
	return -1;
}

static void exec_first(const char *const inits[], char *const argv[],
		       char *err, size_t errlen)
{
	size_t argc = 0, i;
	char **av;

	while (argv && argv[argc])
		argc++;
	av = calloc(argc + 2, sizeof(*av));
	if (!av) {
		errmsg(err, errlen, "switch root: exec init: out of memory");
		return;
	}
	for (i = 1; i < argc; i++)
		av[i] = argv[i];
	errmsg(err, errlen, "switch root: no init executed:");
	for (i = 0; inits[i]; i++) {
		size_t used;

		av[0] = (char *)inits[i];
		execv(inits[i], av);
		used = err ? strlen(err) : errlen;
		if (used + 1 < errlen)
			snprintf(err + used, errlen - used, " %s: %s;", inits[i],
				 strerror(errno));
	}
	free(av);
}

int switch_root(const char *newroot, const char *const inits[],
		char *const argv[], char *err, size_t errlen)
{
	bool moved[N_API_DIRS] = { false };
	struct stat root;
	int oldroot;

	if (check_root_fs(err, errlen))
		return -1;
	if (stat("/", &root)) {
		errmsg(err, errlen, "switch root: stat /: %s", strerror(errno));
		return -1;
	}
	if (check_new_root(newroot, inits, root.st_dev, err, errlen))
		return -1;
	oldroot = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (oldroot < 0) {
		errmsg(err, errlen, "switch root: open /: %s", strerror(errno));
		return -1;
	}
	if (move_api_mounts(newroot, root.st_dev, moved, err, errlen) ||
	    enter_new_root(newroot, moved, err, errlen)) {
		close(oldroot);
		return -1;
	}
	/* The old root is out of sight now, but its files still take RAM. */
	delete_tree_same_dev(oldroot, root.st_dev);
	close(oldroot);
	exec_first(inits, argv, err, errlen);
	return SWITCHED_NO_INIT;
}
