/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A staged tree packed as a squashfs or erofs image (the Debian tools do it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command/stagebase.h"
#include "lib/beneath.h"
#include "lib/file.h"
#include "lib/log.h"

static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execvp(argv[0], argv);
		fprintf(stderr, "ovroot: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int stage_image(struct staging *st, const char *type, const char *entry, struct manifest *m)
{
	char src[4200], out[4200];
	int fd, r;

	snprintf(src, sizeof(src), "%s/versions/%s", st->s->dir, st->entry);
	snprintf(out, sizeof(out), "%s/versions/%s", st->s->dir, entry);
	fault_point();
	if (!strcmp(type, "squashfs")) {
		char *argv[] = { "mksquashfs", src, out, "-noappend", "-quiet", "-no-progress",
				 "-all-root", NULL };

		argv[6] = NULL;	/* owners as they are */
		r = run(argv);
	} else {
		char *argv[] = { "mkfs.erofs", "--quiet", out, src, NULL };

		r = run(argv);
	}
	if (r < 0) {
		say("stage %s: %s could not pack it: nothing staged",
		    st->name, !strcmp(type, "squashfs") ? "mksquashfs" : "mkfs.erofs");
		return -1;
	}
	fd = beneath_open(st->versions, entry, O_RDONLY | O_NOFOLLOW);
	r = fd < 0 ? fd : sha256_fd(fd, m->image_sha256);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (fd >= 0)
		close(fd);
	if (r < 0) {
		say("stage %s: the image %s: %s: nothing staged", st->name, entry, strerror(-r));
		return -1;
	}
	snprintf(m->image_type, sizeof(m->image_type), "%s", type);
	return 0;
}
