/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The store's preen check.  systemd skips fsck of / when / is an overlay, so
 * the store is checked here or never: before the init first makes it
 * writable, with e2fsck -p from the image (ovroot-mkinitramfs --fsck).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/fsck.h"

enum fsck_result fsck_verdict(int wstatus)
{
	int code;

	if (!WIFEXITED(wstatus))
		return FSCK_FAILED;
	code = WEXITSTATUS(wstatus);
	if (code == 0)
		return FSCK_CLEAN;
	/* 1 corrected, 2 corrected and "reboot" (for a mounted root; ours is not) */
	if ((code & ~3) == 0)
		return FSCK_FIXED;
	/* 8 operational error, 16 usage, 32 cancelled, 128 library error */
	if ((code & ~7) == 0)
		return FSCK_UNFIXED;
	return FSCK_FAILED;
}

bool fsck_applies(const char *fstype)
{
	return !strcmp(fstype, "ext2") || !strcmp(fstype, "ext3") || !strcmp(fstype, "ext4");
}

/*
 * Keeps the last line of what the pipe carries that says something: not
 * empty, and not a continuation (e2fsck indents "(i.e., without -a or -p
 * options)" under "UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.").
 */
static void read_last_line(int fd, char *last, size_t lastlen)
{
	char buf[512], line[256];
	size_t used = 0;
	ssize_t n;

	last[0] = '\0';
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n' && buf[i] != '\r') {
				if (used + 1 < sizeof(line))
					line[used++] = buf[i];
				continue;
			}
			if (used && line[0] != ' ' && line[0] != '\t') {
				line[used] = '\0';
				strncpy(last, line, lastlen - 1);
				last[lastlen - 1] = '\0';
			}
			used = 0;
		}
	}
	if (used && line[0] != ' ' && line[0] != '\t') {
		line[used] = '\0';
		strncpy(last, line, lastlen - 1);
		last[lastlen - 1] = '\0';
	}
}

int fsck_run(const char *fsck, const char *dev, char *last, size_t lastlen)
{
	int p[2], status;
	pid_t pid;

	last[0] = '\0';
	if (access(fsck, X_OK) < 0 || pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null >= 0 ? null : p[0], 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		execl(fsck, "e2fsck", "-p", dev, (char *)NULL);
		_exit(8);	/* e2fsck's "operational error" */
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	read_last_line(p[0], last, lastlen);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}
