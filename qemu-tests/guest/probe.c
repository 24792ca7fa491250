/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe: the /sbin/init of every test root.  It reports what it sees on
 * /dev/console as "PROBE: ..." lines and powers the machine off.  It never
 * waits for anything: whatever fails is printed and the probe goes on.
 *
 * Kernel command line options (read from /proc/cmdline):
 *   probe.write=PATH   write "probe-wrote" to PATH and sync (persistence)
 *   probe.kmsg         print the kernel log's records of ovroot-init as
 *                      "kmsg LEVEL TEXT" (LEVEL: 4 warning, 5 notice, 6 info)
 *   probe.shutdown=handback|handback-move|nohandback  end as systemd-shutdown
 *                      does: unmount what can be unmounted, remount /
 *                      read-only, then
 *                      (handback) pivot into /run/initramfs and execute its
 *                      shutdown program with "poweroff", or (nohandback, or
 *                      when there is none) power off right there;
 *                      handback-move: as systemd does when pivot_root fails,
 *                      / bound at /run/initramfs/oldroot and /run/initramfs
 *                      moved over /, the old root left underneath
 *   probe.busy=PATH    before that, a child keeps PATH open for writing and
 *                      never ends (a process stuck in the old root)
 * and /etc/ovroot-test/run, when executable, runs before the mounts are listed.
 * /etc/ovroot-test/end makes a bad version: "hang" hangs for ever instead of
 * powering off (for a watchdog to catch), "exit" exits, so that the kernel
 * panics (PID 1 died).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TESTDIR "/etc/ovroot-test"

/* One write per line, so kernel messages do not split our lines. */
static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	memcpy(buf, "PROBE: ", 7);
	va_start(ap, fmt);
	n = vsnprintf(buf + 7, sizeof(buf) - 8, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += 7;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		return;
}

static void open_console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0 && mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) == 0)
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* Calls fn on each line of path; returns -1 if it cannot be opened. */
static int each_line(const char *path, void (*fn)(const char *, const char *),
		     const char *arg)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		fn(line, arg);
	}
	fclose(f);
	return 0;
}

static void print_prefixed(const char *line, const char *prefix)
{
	if (*line)
		say("%s%s", prefix, line);
}

static void print_test_files(void)
{
	struct dirent **ents;
	char path[512], line[512];
	int i, n = scandir(TESTDIR, &ents, NULL, alphasort);

	if (n < 0) {
		say("no %s: %s", TESTDIR, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		FILE *f;

		snprintf(path, sizeof(path), TESTDIR "/%s", ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && (f = fopen(path, "r"))) {
			if (!fgets(line, sizeof(line), f))
				line[0] = '\0';
			line[strcspn(line, "\n")] = '\0';
			say("file %s=%s", ents[i]->d_name, line);
			fclose(f);
		}
		free(ents[i]);
	}
	free(ents);
}

static void check_writable(void)
{
	const char *t = "/.probe-rw-test";
	int fd = open(t, O_WRONLY | O_CREAT | O_EXCL, 0600);

	if (fd < 0) {
		say("rootfs readonly (%s)", strerror(errno));
		return;
	}
	close(fd);
	unlink(t);
	say("rootfs writable");
}

static void write_marker(const char *cmdline)
{
	const char *p = strstr(cmdline, "probe.write=");
	char path[256];
	int fd;

	if (!p)
		return;
	p += strlen("probe.write=");
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(p, " \n"), p);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "probe-wrote\n", 12) != 12 || fsync(fd) < 0)
		say("write %s failed: %s", path, strerror(errno));
	else
		say("wrote %s", path);
	if (fd >= 0)
		close(fd);
	sync();
}

/* Records are "PRIO,SEQ,USEC,FLAGS;TEXT\n"; PRIO is facility * 8 + level. */
static void print_kmsg(const char *cmdline)
{
	char rec[2048];
	int fd;
	ssize_t n;

	if (!strstr(cmdline, "probe.kmsg"))
		return;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say("cannot read /dev/kmsg: %s", strerror(errno));
		return;
	}
	/* EPIPE: a record was overwritten before it was read; go on */
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		char *text;

		if (n <= 0)
			continue;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!text || strncmp(text + 1, "ovroot: ", 8))
			continue;
		text[1 + strcspn(text + 1, "\n")] = '\0';
		say("kmsg %ld %s", strtol(rec, NULL, 10) & 7, text + 1);
	}
	close(fd);
}

/* Marks the moment in the kernel's log, timestamped like "Run /init". */
static void kmsg(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		say("cannot write /dev/kmsg: %s", strerror(errno));
	close(fd);
}

/* The mount points under dir, the last mounted first, each unmounted once. */
static void unmount_under(const char *dir)
{
	char line[1024], mp[64][256];
	size_t n = 0, len = strlen(dir);
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && n < 64 && fgets(line, sizeof(line), f)) {
		char *p = line;

		for (int i = 0; i < 4 && p; i++)
			if ((p = strchr(p, ' ')))
				p++;
		if (!p)
			continue;
		p[strcspn(p, " ")] = '\0';
		if (strncmp(p, dir, len) == 0 && (p[len] == '/' || p[len] == '\0'))
			snprintf(mp[n++], sizeof(mp[0]), "%s", p);
	}
	if (f)
		fclose(f);
	while (n-- > 0)
		say("systemd end: umount %s: %s", mp[n],
		    umount2(mp[n], 0) == 0 ? "done" : strerror(errno));
}

static void bind_into(const char *dir, unsigned long rec)
{
	char to[64];

	snprintf(to, sizeof(to), "/run/initramfs%s", dir);
	if (mount(dir, to, NULL, MS_BIND | rec, NULL))
		say("systemd end: bind %s: %s", to, strerror(errno));
}

/*
 * What systemd-shutdown does at the end (src/shutdown/shutdown.c and
 * src/shared/switch-root.c): every mount it can unmount goes (here: the
 * ovroot mounts under /run/ovroot, systemd's run-ovroot-store.mount and
 * the layers), / is remounted read-only, and when /run/initramfs/shutdown
 * is there, it is pivoted into with the old root at /oldroot, /dev /proc
 * /sys /run bound into it, and executed as PID 1 with the verb.
 */
static void systemd_end(const char *mode)
{
	sync();
	unmount_under("/run/ovroot");
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL))
		say("systemd end: remount / read-only: %s", strerror(errno));
	if (strncmp(mode, "handback", 8) || access("/run/initramfs/shutdown", X_OK)) {
		say("systemd end: no hand-back (%s): powering off",
		    strncmp(mode, "handback", 8) ? "not asked" : strerror(errno));
		return;
	}
	if (mount("/run/initramfs", "/run/initramfs", NULL, MS_BIND, NULL) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		say("systemd end: /run/initramfs: %s", strerror(errno));
		return;
	}
	bind_into("/dev", MS_REC);
	bind_into("/sys", MS_REC);
	bind_into("/proc", MS_REC);
	bind_into("/run", 0);
	if (chdir("/run/initramfs")) {
		say("systemd end: chdir: %s", strerror(errno));
		return;
	}
	if (strcmp(mode, "handback-move") == 0) {
		if (mount("/", "/run/initramfs/oldroot", NULL, MS_BIND | MS_REC, NULL) ||
		    mount(".", "/", NULL, MS_MOVE, NULL))
			say("systemd end: the move instead of pivot_root: %s", strerror(errno));
	} else if (syscall(SYS_pivot_root, ".", "oldroot")) {
		say("systemd end: pivot_root: %s", strerror(errno));
	}
	if (chroot(".") || chdir("/"))
		say("systemd end: chroot: %s", strerror(errno));
	say("systemd end: handing back to /shutdown poweroff");
	kmsg("probe: handing back\n");
	execl("/shutdown", "/shutdown", "poweroff", "--log-level", "info", (char *)NULL);
	say("systemd end: exec /shutdown: %s", strerror(errno));
}

/* The value of name= on the command line, "" when absent. */
static void param(const char *cmdline, const char *name, char *out, size_t len)
{
	const char *p = strstr(cmdline, name);

	out[0] = '\0';
	if (p)
		snprintf(out, len, "%.*s", (int)strcspn(p + strlen(name), " \n"), p + strlen(name));
}

/* A child that holds path open for writing until the power goes. */
static void keep_busy(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CREAT, 0644);

		say("keeping %s open for writing: %s", path, fd >= 0 ? "yes" : strerror(errno));
		for (;;)
			pause();
	}
	sleep(1);
}

/* "hang", "exit" or "" (power off) from /etc/ovroot-test/end. */
static void read_end(char *end, size_t len)
{
	FILE *f = fopen(TESTDIR "/end", "r");

	end[0] = '\0';
	if (!f)
		return;
	if (!fgets(end, (int)len, f))
		end[0] = '\0';
	end[strcspn(end, "\n")] = '\0';
	fclose(f);
}

/* A test version may carry a program to run in the booted system. */
static void run_hook(void)
{
	const char *hook = "/etc/ovroot-test/run";
	pid_t pid;

	if (access(hook, X_OK))
		return;
	say("running %s", hook);
	pid = fork();
	if (pid == 0) {
		execl(hook, hook, (char *)NULL);
		say("cannot run %s: %s", hook, strerror(errno));
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int main(void)
{
	char cmdline[4096] = "", end[32], shut[32], busy[256];
	FILE *f;
	int fd;

	open_console();
	/* Timestamped by the kernel's clock, like "Run /init", for timing. */
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "probe: started\n", 15) < 0)
			say("cannot write /dev/kmsg: %s", strerror(errno));
		close(fd);
	}
	say("start");
	if (access("/proc/self/mountinfo", R_OK) &&
	    mount("proc", "/proc", "proc", 0, NULL))
		say("mount /proc failed: %s", strerror(errno));
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
	}
	print_test_files();
	each_line("/run/ovroot/booted", print_prefixed, "booted ");
	check_writable();
	write_marker(cmdline);
	print_kmsg(cmdline);
	run_hook();
	say("mounts");
	each_line("/proc/self/mountinfo", print_prefixed, "mnt ");
	say("done");
	sync();
	if (getpid() != 1)	/* never power off or hang a host by mistake */
		return 0;
	read_end(end, sizeof(end));
	if (strcmp(end, "exit") == 0) {
		say("exiting as PID 1");
		return 1;
	}
	if (strcmp(end, "hang") == 0) {
		say("hanging");
		for (;;)
			pause();
	}
	param(cmdline, "probe.busy=", busy, sizeof(busy));
	if (busy[0])
		keep_busy(busy);
	param(cmdline, "probe.shutdown=", shut, sizeof(shut));
	if (shut[0])
		systemd_end(shut);
	reboot(RB_POWER_OFF);
	say("poweroff failed: %s", strerror(errno));
	return 1;
}
