/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init/boot.h"
#include "init/state.h"
#include "lib/file.h"
#include "lib/log.h"
#include "selector/booted.h"

static void fill(struct booted *o, const struct boot *b)
{
	memset(o, 0, sizeof(*o));
	o->stack = b->d.stack;
	if (b->have_file)
		o->promoted = b->file.root;
	snprintf(o->reason, sizeof(o->reason), "%s", reason_name(b->d.reason));
	snprintf(o->store, sizeof(o->store), "%s", b->dev);
	snprintf(o->store_type, sizeof(o->store_type), "%s", b->fstype);
	snprintf(o->store_mount, sizeof(o->store_mount), "%s", b->store);
	snprintf(o->store_dir, sizeof(o->store_dir), "%s", b->cl.dir);
	snprintf(o->upper, sizeof(o->upper), "%s", upper_mode_name(b->d.upper));
	if (b->tries_on_disk >= 0)
		snprintf(o->tries, sizeof(o->tries), "%d", b->tries_on_disk);
	snprintf(o->notes, sizeof(o->notes), "%s", b->notes);
	snprintf(o->upper_path, sizeof(o->upper_path), "%s", b->as.upper_path);
	snprintf(o->state, sizeof(o->state), "%s", b->state_area);
	o->key_wait_ms = b->key_wait_ms;
	o->watchdog = b->watchdog_armed;
	o->panic = b->panic_set;
	o->layer_path = b->as.layer_path;
	o->nlayer = b->as.n;
}

void state_write(const struct boot *b)
{
	static struct booted o;	/* four paths: kept off PID 1's stack */
	char err[256];
	size_t len;
	char *text;
	int dirfd, r = -1;

	fill(&o, b);
	text = booted_format(&o, &len);
	dirfd = open(b->run, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!text)
		snprintf(err, sizeof(err), "out of memory");
	else if (dirfd < 0)
		snprintf(err, sizeof(err), "%s", strerror(errno));
	else
		r = atomic_write(dirfd, BOOTED_FILE, text, len, err, sizeof(err));
	if (r < 0)
		say_warn("cannot record the boot in %s/%s: %s", b->run, BOOTED_FILE, err);
	if (dirfd >= 0)
		close(dirfd);
	free(text);
}
