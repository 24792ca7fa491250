/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver of tests/ns/overlay.sh:
 *   ns-overlay find OVROOT NAME           prints dir|squashfs|erofs or E<NAME>
 *   ns-overlay assemble OVROOT STATE TARGET tmpfs|persist|none NAME...
 * assemble prints the log lines, then "fstype=", "method=", "upper=" and
 * "layer=" lines; on failure "error: REASON" and exit status 1.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "overlay/assemble.h"

static void log_line(const char *fmt, ...)
{
	va_list ap;

	printf("log: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int modules_asked(void *ctx, const char *name)
{
	(void)ctx;
	printf("module: %s\n", name);
	return 0;
}

static int find(const char *ovroot, const char *name)
{
	static const char *const kinds[] = { "dir", "squashfs", "erofs" };
	enum layer_kind kind;
	int fd, ret;

	fd = open(ovroot, O_PATH | O_DIRECTORY);
	if (fd < 0) {
		perror(ovroot);
		return 2;
	}
	ret = layer_find(fd, name, &kind);
	close(fd);
	if (ret)
		printf("%s\n", strerrorname_np(-ret));
	else
		printf("%s\n", kinds[kind]);
	return 0;
}

static int upper_mode(const char *s, enum upper_mode *mode)
{
	if (!strcmp(s, "tmpfs"))
		*mode = UPPER_TMPFS;
	else if (!strcmp(s, "persist"))
		*mode = UPPER_PERSIST;
	else if (!strcmp(s, "none"))
		*mode = UPPER_NONE;
	else
		return -1;
	return 0;
}

static int assemble(char **argv, int argc)
{
	struct assembly a = {
		.ovroot_dir = argv[0],
		.state_dir = argv[1],
		.target = argv[2],
		.names = (const char *const *)argv + 4,
		.n = (size_t)argc - 4,
		.need_module = modules_asked,
		.log = log_line,
	};
	struct assembled out;
	char err[512];
	size_t i;

	if (upper_mode(argv[3], &a.upper)) {
		fprintf(stderr, "bad upper mode %s\n", argv[3]);
		return 2;
	}
	if (assemble_stack(&a, &out, err, sizeof(err))) {
		printf("error: %s\n", err);
		return 1;
	}
	printf("fstype=%s\nmethod=%s\nupper=%s\n", out.fstype,
	       out.mount_method, out.upper_path);
	for (i = 0; i < out.n; i++)
		printf("layer=%s\n", out.layer_path[i]);
	assembled_free(&out);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "find"))
		return find(argv[2], argv[3]);
	if (argc >= 6 && !strcmp(argv[1], "assemble"))
		return assemble(argv + 2, argc - 2);
	fprintf(stderr, "usage: ns-overlay find OVROOT NAME | assemble OVROOT STATE TARGET MODE NAME...\n");
	return 2;
}
