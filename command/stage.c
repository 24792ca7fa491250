/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One tar stream staged as a layer, as it stands (the OCI reader's entry). */
#include <stdio.h>
#include <string.h>

#include "command/mftree.h"
#include "command/stage.h"
#include "command/stagecheck.h"
#include "command/staging.h"
#include "command/untar.h"
#include "lib/log.h"

int stage_tar_layer(struct store *s, const char *name, int fd, unsigned flags)
{
	return stage_tar_layer_sha256(s, name, fd, flags, NULL);
}

int stage_tar_layer_sha256(struct store *s, const char *name, int fd, unsigned flags,
			   const char *expect)
{
	struct manifest src, got;
	char hex[SHA256_HEX_LEN], err[1024];
	struct staging st;
	int r = -1;

	memset(&got, 0, sizeof(got));
	if (staging_begin(&st, s, name) < 0) {
		staging_end(&st, NULL);
		return -1;
	}
	if (untar(fd, st.dir, flags, &src, hex, err, sizeof(err)) < 0) {
		say("stage %s: %s: nothing staged", name, err);
	} else {
		if (expect && strcmp(hex, expect))
			say("stage %s: the stream read has sha256 %s, not %s: changed since it was "
			    "checked? nothing staged", name, hex, expect);
		else if (mf_tree(st.dir, &got, err, sizeof(err)) < 0)
			say("stage %s: %s: nothing staged", name, err);
		else if (stage_check(name, &src, &got) == 0)
			r = staging_commit(&st, &got, st.entry, "");
		mf_free(&src);
	}
	mf_free(&got);
	staging_end(&st, NULL);
	return r;
}
