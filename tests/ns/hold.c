/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helper of tests/ns/gc-torture.sh: holds a directory or file the way a
 * process can, prints "ready" and waits to be killed.
 *   ns-hold cwd DIR      its working directory
 *   ns-hold root DIR     its root (chroot)
 *   ns-hold fd FILE      an open file descriptor
 *   ns-hold mmap FILE    a mapping, the descriptor closed: only the map holds it
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int hold(const char *how, const char *path)
{
	int fd;

	if (!strcmp(how, "cwd"))
		return chdir(path);
	if (!strcmp(how, "root"))
		return chroot(path) || chdir("/") ? -1 : 0;
	if (!strcmp(how, "fd"))
		return open(path, O_RDONLY) < 0 ? -1 : 0;
	if (strcmp(how, "mmap"))
		return -2;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (mmap(NULL, 1, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int main(int argc, char **argv)
{
	int r = argc == 3 ? hold(argv[1], argv[2]) : -2;

	if (r == -2) {
		fputs("usage: ns-hold cwd|root|fd|mmap PATH\n", stderr);
		return 2;
	}
	if (r < 0) {
		perror(argv[2]);
		return 1;
	}
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}
