/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver of tests/ns/switchroot.sh (static: it runs chrooted in a fake
 * initramfs, and as the init of the new root):
 *   ns-switchroot delete DIR                 delete_tree_same_dev(DIR)
 *   ns-switchroot switch NEWROOT INIT[,INIT...] [ARG...]
 * Called as ".../init" it is the new root's init: it prints its argv, the
 * entries of / and its mount table.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/switchroot.h"
#include "lib/dirs.h"

static int delete(const char *dir)
{
	struct stat st;
	int fd, ret;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(dir);
		return 2;
	}
	ret = delete_tree_same_dev(fd, st.st_dev);
	close(fd);
	printf("ret=%d\n", ret);
	return 0;
}

static int do_switch(char *newroot, char *list, char **args)
{
	const char *inits[8];
	char err[512];
	size_t n = 0;
	char *tok;

	for (tok = strtok(list, ","); tok && n < 7; tok = strtok(NULL, ","))
		inits[n++] = tok;
	inits[n] = NULL;
	args[0] = "replaced-by-the-init-path";
	fflush(stdout);
	switch_root(newroot, inits, args, err, sizeof(err));
	printf("error: %s\n", err);
	return 1;
}

static int be_init(int argc, char **argv)
{
	struct dirent **names;
	char line[1024];
	FILE *f;
	int i, n;

	printf("init argv:");
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\nroot:");
	n = scandir("/", &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			printf(" %s", names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	printf("\n");
	f = fopen("/proc/self/mountinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		printf("mountinfo: %s", line);
	if (f)
		fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(base ? base + 1 : argv[0], "init"))
		return be_init(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "delete"))
		return delete(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "switch"))
		return do_switch(argv[2], argv[3], argv + 3);
	fprintf(stderr, "usage: ns-switchroot delete DIR | switch NEWROOT INIT[,INIT...] [ARG...]\n");
	return 2;
}
