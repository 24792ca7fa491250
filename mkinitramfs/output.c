/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkinitramfs/msg.h"
#include "mkinitramfs/output.h"
#include "mkinitramfs/xalloc.h"

int output_open(struct output *out, const char *path)
{
	mode_t mask;

	out->path = path;
	out->tmp = NULL;
	out->fd = STDOUT_FILENO;
	if (!strcmp(path, "-"))
		return 0;
	out->tmp = xasprintf("%s.tmp.XXXXXX", path);
	out->fd = mkstemp(out->tmp);
	if (out->fd < 0) {
		mk_error("output", path, errno);
		free(out->tmp);
		out->tmp = NULL;
		return -1;
	}
	/* mkstemp makes 0600; give the file the mode open(2) would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(out->fd, 0666 & ~mask)) {
		mk_error("output", path, errno);
		output_abort(out);
		return -1;
	}
	return 0;
}

void output_abort(struct output *out)
{
	if (!out->tmp)
		return;
	close(out->fd);
	unlink(out->tmp);
	free(out->tmp);
	out->tmp = NULL;
}

int output_commit(struct output *out)
{
	int err = 0;

	if (!out->tmp)
		return 0;
	if (fsync(out->fd))
		err = errno;
	if (close(out->fd) && !err)
		err = errno;
	if (!err && rename(out->tmp, out->path))
		err = errno;
	if (err) {
		mk_error("output", out->path, err);
		unlink(out->tmp);
	}
	free(out->tmp);
	out->tmp = NULL;
	return err ? -1 : 0;
}
