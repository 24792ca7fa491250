/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/hook.h"

/* O_NONBLOCK: a FIFO put there must not hang PID 1; it is then refused. */
int read_small_file(int dirfd, const char *name, size_t max, char **text, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	char *buf;
	size_t have = 0;
	ssize_t r = 1;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	buf = malloc(max + 2);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (have <= max && (r = read(fd, buf + have, max + 1 - have)) > 0)
		have += (size_t)r;
	r = r < 0 ? -errno : 0;
	close(fd);
	if (r == 0 && have > max)
		r = -EFBIG;
	if (r < 0) {
		free(buf);
		return (int)r;
	}
	buf[have] = '\0';
	*text = buf;
	if (len)
		*len = have;
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * Fault injection for the process-crash test: with the test hook
 * OVROOT_FAULT_AT=N the process ends right before the Nth disk-changing
 * step (create, write, fsync, rename, fsync of the directory; counted over
 * all writes of the run).  The page cache survives it: power cuts are
 * qemu-tests/test-powercut.sh's.  Inert without it.
 */
void fault_point(void)
{
	static long at = -1, step;

	if (at < 0) {
		const char *s = hook("OVROOT_FAULT_AT");

		at = s ? atol(s) : 0;
	}
	if (at > 0 && ++step == at)
		_exit(99);
}

static int fail(char *err, size_t errlen, const char *what, const char *name)
{
	snprintf(err, errlen, "%s %s: %s", what, name, strerror(errno));
	return -1;
}

/* What is at name may be replaced only when it is a regular file (or nothing). */
static int check_target(int dirfd, const char *name, char *err, size_t errlen)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : fail(err, errlen, "cannot look at", name);
	if (S_ISREG(st.st_mode))
		return 0;
	snprintf(err, errlen, "%s is not a regular file: not replaced", name);
	return -1;
}

/*
 * A fresh regular file beside name, under a name of its own: O_EXCL never
 * opens what is already there (a FIFO, a device node, another writer's
 * file), so nothing but the new file is ever written.
 */
static int create_temp(int dirfd, const char *name, char *tmp, size_t len)
{
	static unsigned serial;

	for (int i = 0; i < 100; i++) {
		int fd;

		if (snprintf(tmp, len, ".%s.%ld.%u.tmp", name, (long)getpid(), serial++) >=
		    (int)len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK |
			    O_CLOEXEC, 0644);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Writes and syncs the temp file; removes it on failure. */
static int fill_temp(int dirfd, int fd, const char *tmp, const char *data, size_t len)
{
	int r, e;

	fault_point();
	r = write_all(fd, data, len);
	if (r == 0) {
		fault_point();
		r = fsync(fd);
	}
	e = errno;
	if (close(fd) < 0 && r == 0) {
		r = -1;
		e = errno;
	}
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		errno = e;
	}
	return r;
}

/*
 * Replaces dirfd/name so that after a power loss at any point it holds
 * either the whole old text or the whole new one: write a temp file beside
 * it, fsync, rename over, fsync the directory.
 */
int atomic_write(int dirfd, const char *name, const char *data, size_t len,
		 char *err, size_t errlen)
{
	char tmp[300];
	int fd;

	if (check_target(dirfd, name, err, errlen) < 0)
		return -1;
	fault_point();
	fd = create_temp(dirfd, name, tmp, sizeof(tmp));
	if (fd < 0)
		return fail(err, errlen, "cannot create a temporary file for", name);
	if (fill_temp(dirfd, fd, tmp, data, len) < 0)
		return fail(err, errlen, "cannot write", tmp);
	fault_point();
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		int e = errno;

		unlinkat(dirfd, tmp, 0);
		errno = e;
		return fail(err, errlen, "cannot rename over", name);
	}
	fault_point();
	if (fsync(dirfd) < 0)
		return fail(err, errlen, "cannot sync the directory of", name);
	return 0;
}

/*
 * Keeps old (the file's text as read, NULL when there was none) as backup,
 * then replaces name with text: each step an atomic write, so at any power
 * loss both files are whole.
 */
int atomic_replace(int dirfd, const char *name, const char *backup, const char *old,
		   size_t old_len, const char *text, size_t len, char *err, size_t errlen)
{
	if (old && atomic_write(dirfd, backup, old, old_len, err, errlen) < 0)
		return -1;
	return atomic_write(dirfd, name, text, len, err, errlen);
}
