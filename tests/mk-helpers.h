/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_TESTS_MK_HELPERS_H
#define OVROOT_TESTS_MK_HELPERS_H

/*
 * Shared by the ovroot-mkinitramfs test suites: where the built tool and
 * the test kernel are, running the tool with its stderr captured, and
 * temporary directories.  Tests run from the top of the repository.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static inline const char *mk_tool(void)
{
	const char *p = getenv("OVROOT_MKINITRAMFS");

	return p ? p : "build/mkinitramfs/ovroot-mkinitramfs";
}

static inline const char *mk_kernel_dir(void)
{
	const char *p = getenv("OVROOT_KERNEL_DIR");

	return p ? p : ".cache/kernel/current";
}

/*
 * The release of the test kernel: the one directory below
 * KERNEL_DIR/lib/modules.  Returns NULL if there is no test kernel.
 */
static inline const char *mk_kver(void)
{
	static char kver[256];
	char path[4096];
	struct dirent *de;
	DIR *d;

	if (kver[0])
		return kver;
	snprintf(path, sizeof(path), "%s/lib/modules", mk_kernel_dir());
	d = opendir(path);
	if (!d)
		return NULL;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(kver, sizeof(kver), "%s", de->d_name);
	closedir(d);
	return kver[0] ? kver : NULL;
}

/* KERNEL_DIR/lib/modules/KVER made absolute, or NULL without one. */
static inline const char *mk_modules_dir(void)
{
	static char dir[4096];
	char path[4096];

	if (dir[0])
		return dir;
	if (!mk_kver())
		return NULL;
	snprintf(path, sizeof(path), "%s/lib/modules/%s", mk_kernel_dir(),
		 mk_kver());
	/* Absolute, so that tests may change directory in their commands. */
	if (!realpath(path, dir))
		dir[0] = '\0';
	return dir[0] ? dir : NULL;
}

static inline char *mk_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static inline int mk_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/*
 * Runs argv (NULL-terminated) with stdout to /dev/null and stderr caught
 * in *err (malloc'd, may be NULL).  Returns the exit status, or -1.
 */
static inline int mk_run(char *const argv[], char **err)
{
	char tmpl[] = "/tmp/mk-err.XXXXXX";
	int fd = mkstemp(tmpl), status;
	pid_t pid;

	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = -1;
	if (err)
		*err = mk_read(tmpl, NULL);
	unlink(tmpl);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Runs a shell command made from fmt; returns its exit status. */
static inline int mk_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static inline char *mk_tmpdir(void)
{
	char *dir = strdup("/tmp/mk-test.XXXXXX");

	return mkdtemp(dir);
}

static inline void mk_rmtree(char *dir)
{
	if (dir && !strncmp(dir, "/tmp/mk-test.", 13))
		mk_sh("rm -rf '%s'", dir);
	free(dir);
}

static inline int mk_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Number of lines in s (a last line without newline counts). */
static inline int mk_lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		if (*s == '\n' || !s[1])
			n++;
	return n;
}

/* The scratch directory of a group of tests, as cmocka group setup/teardown. */
static char *mk_work __attribute__((unused));

static inline int mk_work_setup(void **state)
{
	(void)state;
	mk_work = mk_tmpdir();
	return mk_work ? 0 : -1;
}

static inline int mk_work_teardown(void **state)
{
	(void)state;
	mk_rmtree(mk_work);
	return 0;
}

/* The test kernel's modules; without it the test fails, it is not skipped. */
static inline const char *mk_moddir(void)
{
	const char *dir = mk_modules_dir();

	if (!dir)
		fail_msg("no test kernel in %s (set OVROOT_KERNEL_DIR)", mk_kernel_dir());
	return dir;
}

#endif
