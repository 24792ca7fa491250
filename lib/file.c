/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/hook.h"

/*
 * Reads at most max bytes of dirfd/name, never through a symlink, into a
 * NUL-terminated buffer.  -EFBIG when the file is larger.
 */
int read_small_file(int dirfd, const char *name, size_t max, char **text, size_t *len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char *buf;
	size_t have = 0;
	ssize_t r = 1;

	if (fd < 0)
		return -errno;
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
 * Fault injection for the crash test: with the test hook OVROOT_FAULT_AT=N
 * the process ends right before the Nth disk-changing step (create, write,
 * fsync, rename, fsync of the directory; counted over all writes of the
 * run), as a power loss there would.  Inert without it.
 */
static void fault_point(void)
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

/*
 * Replaces dirfd/name so that after a power loss at any point it holds
 * either the whole old text or the whole new one: write a temp file beside
 * it, fsync, rename over, fsync the directory.
 */
int atomic_write(int dirfd, const char *name, const char *data, size_t len,
		 char *err, size_t errlen)
{
	char tmp[256];
	int fd, e, r;

	if (snprintf(tmp, sizeof(tmp), ".%s.tmp", name) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return fail(err, errlen, "cannot write", name);
	}
	fault_point();
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return fail(err, errlen, "cannot create", tmp);
	fault_point();
	r = write_all(fd, data, len);
	if (r == 0) {
		fault_point();
		r = fsync(fd);
	}
	if (r < 0) {
		e = errno;
		close(fd);
		unlinkat(dirfd, tmp, 0);
		errno = e;
		return fail(err, errlen, "cannot write", tmp);
	}
	if (close(fd) < 0) {
		e = errno;
		unlinkat(dirfd, tmp, 0);
		errno = e;
		return fail(err, errlen, "cannot write", tmp);
	}
	fault_point();
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		e = errno;
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
