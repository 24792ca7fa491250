/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * floor: the least an initramfs init can do to reach a root on a disk.  It
 * is the benchmark floor for ovroot-init and the proof that the QEMU harness
 * works.  PID 1: mount /dev and /proc, load the modules listed in
 * /floor/modules (one path a line, dependencies first), wait for the disk,
 * mount it read-only on /root, move it onto / and exec /sbin/init.
 *
 * Kernel command line: floor.dev=/dev/vda floor.fstype=ext4 (the defaults),
 * floor.rw to mount the root read-write.
 * On any failure it prints "floor: ..." and powers off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	sync();
	reboot(RB_POWER_OFF);
	_exit(1);
}

/* Copies the value of "key=" from the command line into buf. */
static void param(const char *cmdline, const char *key, char *buf, size_t len)
{
	const char *p = strstr(cmdline, key);

	if (p) {
		p += strlen(key);
		snprintf(buf, len, "%.*s", (int)strcspn(p, " \n"), p);
	}
}

static void load_modules(void)
{
	char path[256];
	FILE *f = fopen("/floor/modules", "r");

	if (!f)
		die("/floor/modules");
	while (fgets(path, sizeof(path), f)) {
		int fd;

		path[strcspn(path, "\n")] = '\0';
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path);
		if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
			die(path);
		close(fd);
	}
	fclose(f);
}

int main(void)
{
	char cmdline[4096] = "", dev[128] = "/dev/vda", fstype[32] = "ext4";
	struct stat st;
	FILE *f;
	int i, fd;

	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (fcntl(1, F_GETFD) < 0 &&
	    (fd = open("/dev/console", O_RDWR | O_NOCTTY)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (mount("proc", "/proc", "proc", 0, NULL))
		die("mount /proc");
	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
	}
	param(cmdline, "floor.dev=", dev, sizeof(dev));
	param(cmdline, "floor.fstype=", fstype, sizeof(fstype));
	load_modules();

	for (i = 0; stat(dev, &st); i++) {	/* 10 ms steps, 10 s at most */
		if (i == 1000)
			die(dev);
		usleep(10000);
	}
	mkdir("/root", 0755);
	if (mount(dev, "/root", fstype,
		  strstr(cmdline, "floor.rw") ? 0 : MS_RDONLY, NULL))
		die(dev);
	/* The new root gets /dev and /proc when it has the directories. */
	if (mount("/dev", "/root/dev", NULL, MS_MOVE, NULL))
		umount2("/dev", MNT_DETACH);
	if (mount("/proc", "/root/proc", NULL, MS_MOVE, NULL))
		umount2("/proc", MNT_DETACH);
	if (chdir("/root") || mount(".", "/", NULL, MS_MOVE, NULL) ||
	    chroot(".") || chdir("/"))
		die("switch root");
	execl("/sbin/init", "/sbin/init", (char *)NULL);
	die("exec /sbin/init");
	return 1;
}
