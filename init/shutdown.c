/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clean hand-back at shutdown.  The store is mounted read-write when
 * the upper is persistent, the state area is on or the command line says
 * rw, and the booted root (an overlay) holds it to the very end: systemd
 * can unmount /run/ovroot/store from the tree, but the overlay keeps the
 * filesystem alive and writable, and the power goes off with its journal
 * dirty.  systemd's answer is the initrd interface: at the end of
 * shutdown, when /run/initramfs/shutdown exists, it moves /dev /proc /sys
 * /run into /run/initramfs, pivots into it with the old root at /oldroot,
 * and executes "shutdown VERB [options]" as PID 1.  This is that program.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/boot.h"
#include "init/shutdown.h"
#include "lib/copy.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/mount.h"
#include "lib/sys.h"
#include "selector/booted.h"

/* The whole release of the store, at most; then the machine goes down anyway. */
#define RELEASE_WAIT_MS 30000
/* How long the store device may take to be let go after the last unmount. */
#define LET_GO_WAIT_MS 5000
#define MOUNTS_MAX 256
/* The kernel's FIFREEZE (linux/fs.h), spelled here: its header clashes. */
#define OVROOT_FIFREEZE _IOWR('X', 119, int)

static const char *const handback_dirs[] = { "dev", "proc", "sys", "run", "oldroot" };

/* A stale copy from an earlier try is removed first: the copy is made O_EXCL. */
static int install_copy(void)
{
	static const char tmp[] = HANDBACK_DIR "/.shutdown.tmp";
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out, r;

	if (in < 0)
		return -errno;
	unlink(tmp);
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	r = copy_data(in, out);
	close(in);
	close(out);
	if (r == 0 && rename(tmp, HANDBACK_PROGRAM) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

void shutdown_install(const struct boot *b)
{
	char path[64];
	int r = 0;

	if (!b->store_rw) {
		debug("the store is read-only: no shutdown program needed");
		return;
	}
	if (mkdir(HANDBACK_DIR, 0755) < 0 && errno != EEXIST)
		r = -errno;
	for (size_t i = 0; !r && i < sizeof(handback_dirs) / sizeof(handback_dirs[0]); i++) {
		snprintf(path, sizeof(path), HANDBACK_DIR "/%s", handback_dirs[i]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			r = -errno;
	}
	if (!r)
		r = install_copy();
	if (r < 0)
		say_warn("cannot put the shutdown program at %s (%s): the store may be left unclean "
		    "at power-off", HANDBACK_PROGRAM, strerror(-r));
	else
		debug("shutdown program at %s", HANDBACK_PROGRAM);
}

bool shutdown_invoked(int argc, char **argv)
{
	const char *base;

	if (argc < 1 || !argv[0])
		return false;
	if (argc >= 2 && strcmp(argv[1], "--shutdown") == 0)
		return true;
	base = strrchr(argv[0], '/');
	return strcmp(base ? base + 1 : argv[0], "shutdown") == 0;
}

/* systemd's verbs; anything else reboots, the safe choice for a device no one watches. */
static unsigned int verb_cmd(const char *verb)
{
	if (strcmp(verb, "poweroff") == 0)
		return SYS_REBOOT_POWER_OFF;
	if (strcmp(verb, "halt") == 0)
		return SYS_REBOOT_HALT;
	if (strcmp(verb, "kexec") == 0)
		return SYS_REBOOT_KEXEC;
	if (strcmp(verb, "reboot") != 0)
		say_warn("shutdown: unknown verb \"%s\": rebooting", verb);
	return SYS_REBOOT_RESTART;
}

/* A mount point of mountinfo, its octal escapes (\040) undone, in place. */
static char *mount_point(char *line)
{
	char *p = line, *out, *mp;

	for (int field = 0; field < 4 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return NULL;
	mp = out = p;
	while (*p && *p != ' ') {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*out++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 4;
		} else {
			*out++ = *p++;
		}
	}
	*out = '\0';
	return mp;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * Unmounts dir and everything under it, the last mounted first; a pass
 * that frees nothing ends it.  What is left is detached lazily, so that
 * it goes as soon as nothing uses it.
 */
static void unmount_tree(const char *dir)
{
	for (int pass = 0; pass < 4; pass++) {
		char *text = NULL, *mp[MOUNTS_MAX], *line, *next;
		size_t n = 0;
		int freed = 0;

		if (read_small_file(AT_FDCWD, "/proc/self/mountinfo", 1 << 20, &text, NULL) < 0)
			break;
		for (line = text; line && *line && n < MOUNTS_MAX; line = next) {
			char *p;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			p = mount_point(line);
			if (p && under(p, dir))
				mp[n++] = p;
		}
		for (size_t i = n; i-- > 0;)
			freed += umount2(mp[i], 0) == 0;
		free(text);
		if (n == 0 || freed == (int)n)
			return;
		if (freed == 0 || pass == 3) {
			if (umount2(dir, MNT_DETACH) == 0)
				debug("shutdown: %s detached, %zu mount(s) of it still busy", dir,
				      n - (size_t)freed);
			return;
		}
	}
}

/* The store's device is free once no filesystem holds it (an exclusive open). */
static bool store_let_go(const char *dev, long long wait_ms)
{
	long long until = now_ms() + wait_ms;

	for (;;) {
		int fd = open(dev, O_RDONLY | O_EXCL | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			return true;
		}
		if (errno != EBUSY || now_ms() >= until)
			return false;
		usleep(20000);
	}
}

/*
 * The store is still held (by a detached overlay that something keeps):
 * mounting its device again gives a handle on the same filesystem, which
 * is then remounted read-only, or at least frozen (its journal flushed).
 */
static void store_read_only(const struct booted *bt)
{
	const char *dir = "/.ovroot-store";
	unsigned long flags = MS_NOSUID | MS_NODEV;
	int fd;

	mkdir(dir, 0700);
	if (mount(bt->store, dir, bt->store_type, flags, NULL) < 0) {
		if (errno == EBUSY && mount(bt->store, dir, bt->store_type, flags | MS_RDONLY,
					    NULL) == 0) {
			say("shutdown: the store %s is read-only already", bt->store);
			umount2(dir, 0);
			return;
		}
		say_warn("shutdown: the store %s is still mounted and cannot be reached (%s): "
		    "it may need recovery at the next boot", bt->store, strerror(errno));
		return;
	}
	if (remount(dir, flags, false, false, NULL) == 0) {
		say("shutdown: the store %s is still held: remounted read-only", bt->store);
		umount2(dir, 0);
		return;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && ioctl(fd, OVROOT_FIFREEZE, 0) == 0)
		say_warn("shutdown: the store %s cannot be made read-only (busy): frozen, its "
		    "journal flushed", bt->store);
	else
		say_warn("shutdown: the store %s can be neither made read-only nor frozen (%s): "
		    "it may need recovery at the next boot", bt->store, strerror(errno));
	if (fd >= 0)
		close(fd);
	umount2(dir, MNT_DETACH);
}

static bool read_booted(struct booted *bt)
{
	char *text = NULL, err[128];
	int r = read_small_file(AT_FDCWD, "/run/ovroot/" BOOTED_FILE, BOOTED_MAX, &text, NULL);

	memset(bt, 0, sizeof(*bt));
	if (r == 0)
		r = booted_parse(bt, text, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "%s", strerror(-r));
	free(text);
	if (r < 0)
		say_warn("shutdown: /run/ovroot/%s: %s: the store is not known", BOOTED_FILE, err);
	return r == 0 && bt->store[0] == '/';
}

/* In a child of PID 1: whatever hangs here hangs alone. */
static void release(void)
{
	static struct booted bt;
	bool known = read_booted(&bt);

	sync();
	unmount_tree(HANDBACK_OLDROOT);
	if (known && store_let_go(bt.store, LET_GO_WAIT_MS))
		say("shutdown: the store %s is unmounted", bt.store);
	else if (known)
		store_read_only(&bt);
	sync();
}

/* Waits for the child at most RELEASE_WAIT_MS, reaping whatever else dies. */
static bool wait_release(pid_t pid)
{
	long long until = now_ms() + RELEASE_WAIT_MS;

	while (now_ms() < until) {
		pid_t w = waitpid(-1, NULL, WNOHANG);

		if (w == pid || (w < 0 && errno == ECHILD))
			return true;
		if (w <= 0)
			usleep(20000);
	}
	return false;
}

int shutdown_main(int argc, char **argv)
{
	int v = argc >= 2 && strcmp(argv[1], "--shutdown") == 0 ? 2 : 1;
	const char *verb = argc > v ? argv[v] : "reboot";
	unsigned int cmd;
	pid_t pid;

	if (getpid() != 1) {
		fprintf(stderr, "ovroot-init: the shutdown program runs as PID 1 at the end of "
			"shutdown (systemd's initrd interface), not by hand\n");
		return 2;
	}
	cmd = verb_cmd(verb);
	say("shutdown: %s: unmounting the old root and the store", verb);
	pid = fork();
	if (pid == 0) {
		release();
		_exit(0);
	}
	if (pid < 0 || !wait_release(pid)) {
		say_warn("shutdown: the store was not let go within %d s: going down anyway",
		    RELEASE_WAIT_MS / 1000);
		if (pid > 0)
			kill(pid, SIGKILL);
	}
	sys_reboot_cmd(cmd);
	if (cmd == SYS_REBOOT_KEXEC) {
		say_warn("shutdown: kexec failed (%s): rebooting", strerror(errno));
		sys_reboot_cmd(SYS_REBOOT_RESTART);
	}
	say_warn("shutdown: %s failed: %s", verb, strerror(errno));
	for (;;)
		pause();
}
