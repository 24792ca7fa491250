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
	char cmdline[4096] = "", end[32];
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
	reboot(RB_POWER_OFF);
	say("poweroff failed: %s", strerror(errno));
	return 1;
}
