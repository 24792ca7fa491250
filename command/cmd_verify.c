/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ovroot verify NAME|STACK */
#include <string.h>

#include "command/cmd.h"
#include "command/verify.h"
#include "lib/log.h"

int cmd_verify(struct store *s, int argc, char **argv)
{
	struct stack st;
	char err[256];
	int r;

	if (argc != 1 || argv[0][0] == '-') {
		say("verify: which version or stack? e.g. ovroot verify v3+v2");
		return 2;
	}
	if (stack_parse(&st, argv[0], strlen(argv[0]), err, sizeof(err)) < 0) {
		say("verify: %s", err);
		return 1;
	}
	r = verify_stack(s, &st, true);
	if (r > 0)
		say("verify: %s: %d version%s differ%s from %s manifest", argv[0], r,
		    r == 1 ? "" : "s", r == 1 ? "s" : "", r == 1 ? "its" : "their");
	stack_free(&st);
	return r != 0;
}
