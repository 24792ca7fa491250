/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selector/atomicfile.h"
#include "selector/promstore.h"

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

static void warn_line(void *ctx, const char *msg)
{
	fprintf(stderr, "ovroot: %s: %s\n", (const char *)ctx, msg);
}

/* Reads and parses; why says what was wrong in words fit for the console. */
int promfile_load(int dirfd, const char *name, struct promfile *pf, char **text,
		  size_t *len, char *why, size_t whylen)
{
	char *buf = NULL, err[256];
	size_t n = 0;
	int r = read_small_file(dirfd, name, PROMFILE_MAX, &buf, &n);

	promfile_init(pf);
	if (r < 0) {
		snprintf(why, whylen, "%s", r == -ENOENT ? "is missing" :
			 r == -EFBIG ? "is too large" : strerror(-r));
		return -1;
	}
	if (promfile_parse(pf, buf, n, warn_line, (void *)name, err, sizeof(err)) < 0) {
		snprintf(why, whylen, "is corrupt (%s)", err);
		free(buf);
		return -1;
	}
	if (text) {
		*text = buf;
		*len = n;
	} else {
		free(buf);
	}
	return 0;
}

/*
 * Keeps the old text as the backup, then replaces the file: each step is an
 * atomic write, so at any power loss the file is whole, old or new.
 */
int promfile_save(int dirfd, const struct promfile *pf, const char *old_text,
		  size_t old_len, char *err, size_t errlen)
{
	size_t len;
	char *text = promfile_format(pf, &len);
	int r;

	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* The init would call it corrupt: a file of the limit without a final newline. */
	if (len > PROMFILE_MAX) {
		snprintf(err, errlen, "the new file would be larger than %d bytes: not written",
			 PROMFILE_MAX);
		free(text);
		return -1;
	}
	r = old_text ? atomic_write(dirfd, PROMFILE_BACKUP, old_text, old_len, err, errlen) : 0;
	if (r == 0)
		r = atomic_write(dirfd, PROMFILE_NAME, text, len, err, errlen);
	free(text);
	return r;
}
