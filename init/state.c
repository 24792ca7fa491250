/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "init/boot.h"
#include "init/log.h"
#include "init/state.h"

static void put_stack(FILE *f, const char *key, const struct stack *st)
{
	char buf[STACK_LAYERS_MAX * (VERSION_NAME_MAX + 1)];

	stack_format(st, buf, sizeof(buf));
	fprintf(f, "%s=%s\n", key, buf);
}

static void put_tries(FILE *f, const struct boot *b)
{
	if (b->d.reason == REASON_PROMOTED && b->d.write_tries >= 0)
		fprintf(f, "tries=%d\n", b->d.write_tries);
	else if (b->have_file && b->file.tries >= 0)
		fprintf(f, "tries=%d\n", b->file.tries);
	else
		fprintf(f, "tries=\n");
}

/* key=value lines; "layer=NAME PATH" once per layer, top first. */
void state_write(const struct boot *b)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", b->run, STATE_FILE);
	f = fopen(path, "we");
	if (!f) {
		say("cannot record the boot in %s: %s", path, strerror(errno));
		return;
	}
	put_stack(f, "stack", &b->d.stack);
	fprintf(f, "reason=%s\n", reason_name(b->d.reason));
	if (b->have_file)
		put_stack(f, "promoted", &b->file.root);
	fprintf(f, "store=%s\nstore_type=%s\nstore_mount=%s\nstore_dir=%s\n", b->dev,
		b->fstype, b->store, b->cl.dir);
	fprintf(f, "upper=%s\n", upper_mode_name(b->d.upper));
	put_tries(f, b);
	fprintf(f, "key_wait_ms=%lld\n", b->key_wait_ms);
	for (size_t i = 0; i < b->as.n; i++)
		fprintf(f, "layer=%s %s\n", b->d.stack.layer[i], b->as.layer_path[i]);
	if (b->as.upper_path[0])
		fprintf(f, "upper_path=%s\n", b->as.upper_path);
	if (fclose(f) != 0)
		say("cannot record the boot in %s: %s", path, strerror(errno));
}
