/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ovroot: look at and change what the next boot of an ovroot store uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/cmd.h"
#include "lib/log.h"

static const char usage[] =
"usage: ovroot [--store DIR] COMMAND [ARG...]\n"
"\n"
"  status [--json]      what booted and why, what the next boot uses\n"
"  list [--json]        every version in the store, its size, what refers to it\n"
"  promote STACK [--tries N] [--upper tmpfs|persist|none] [--no-verify]\n"
"                       boot STACK (e.g. v3+v2) next; the old root becomes the\n"
"                       fallback; --tries N: unconfirmed, N boots to mark-good;\n"
"                       each layer is verified against its manifest first\n"
"  rollback             the next boot uses the fallback, from now on\n"
"  mark-good            the running stack is healthy: confirm it (it must be root;\n"
"                       a fallback or override boot confirms nothing: exit 3)\n"
"  pin NAME / unpin NAME  gc never removes a pinned version\n"
"  gc [--dry-run]       remove versions and upper layers nothing refers to or uses\n"
"  stage NAME --from DIR|TARBALL|-|oci:DIR[:TAG] [--sha256 HEX]\n"
"        [--base STACK [--delta]] [--image squashfs|erofs] [--oci-layer]\n"
"                       make version NAME from a tree or a tarball (gz, zst, xz),\n"
"                       atomically, with its manifest; --base: files the same\n"
"                       as STACK's are hard links to them; --delta: a layer of\n"
"                       what differs from STACK, so NAME+STACK shows the source;\n"
"                       --oci-layer: the tarball is one OCI image layer;\n"
"                       oci:DIR[:TAG]: each layer of the OCI image a version\n"
"                       sha256-..., NAME names them for promote NAME\n"
"                       (--sha256: the image's manifest digest)\n"
"  squash STACK --as NAME  one version equal to what STACK shows (hard links)\n"
"  verify NAME|STACK    compare versions with their manifests, name what differs\n"
"\n"
"  --store DIR          the store's ovroot directory (default: the one booted,\n"
"                       from /run/ovroot/booted; OVROOT_RUN overrides /run/ovroot)\n"
"\n"
"\n"
"Exit status: 0 done, 1 failed, 2 bad usage, 3 mark-good refused by design\n"
"(the running stack is not the promoted root).\n"
"See ovroot(8) / docs/ovroot.md.\n";

struct command {
	const char *name;
	int (*run)(struct store *s, int argc, char **argv);
	bool writes;
};

static const struct command commands[] = {
	{ "status", cmd_status, false },
	{ "list", cmd_list, false },
	{ "promote", cmd_promote, true },
	{ "rollback", cmd_rollback, true },
	{ "mark-good", cmd_mark_good, true },
	{ "pin", cmd_pin, true },
	{ "unpin", cmd_unpin, true },
	{ "gc", cmd_gc, true },
	{ "stage", cmd_stage, true },
	{ "squash", cmd_squash, true },
	{ "verify", cmd_verify, false },
};

static const struct command *find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *run = getenv("OVROOT_RUN");
	const struct command *c;
	struct store s;
	int i = 1, r;

	if (i + 1 < argc && !strcmp(argv[i], "--store")) {
		dir = argv[i + 1];
		i += 2;
	}
	if (i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (i < argc && !strcmp(argv[i], "--version")) {
		puts("ovroot " OVROOT_VERSION);
		return 0;
	}
	c = i < argc ? find(argv[i]) : NULL;
	if (!c) {
		if (i < argc)
			say("unknown command '%s'", argv[i]);
		fputs(usage, stderr);
		return 2;
	}
	if (store_open(&s, dir, run ? run : "/run/ovroot") < 0 ||
	    (c->writes && store_lock(&s) < 0)) {
		store_close(&s);
		return 1;
	}
	r = c->run(&s, argc - i - 1, argv + i + 1);
	store_close(&s);
	if (fflush(stdout) != 0 && !r) {
		say("cannot write the output");
		r = 1;
	}
	return r;
}
