/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_STATECONF_H
#define OVROOT_STATECONF_H

#include <stdbool.h>
#include <stddef.h>

#include "selector/promfile.h"

/*
 * The state area's list (docs/state.md): the device's own files, kept in
 * the store's ovroot/state/ and bound into every version it boots.  Read
 * from the booted root's /etc/ovroot/state.conf when the version ships one,
 * else from the store's ovroot/state.conf; neither: no state area.
 */
#define STATECONF_NAME "state.conf"			/* in the store's ovroot dir */
#define STATECONF_ROOT_PATH "etc/ovroot/state.conf"	/* in the root, beneath it */
#define STATECONF_MAX (64 * 1024)
#define STATE_PATHS_MAX 64
#define STATE_PATH_MAX 256
#define STATE_EPOCH_MAX 999999
/* The one entry that is not bound but copied in (docs/state.md, machine-id). */
#define STATE_MACHINE_ID "etc/machine-id"

enum state_kind {
	STATE_FILE,	/* /var/lib/systemd/random-seed */
	STATE_DIR,	/* /home/ (written with a trailing slash) */
	STATE_GLOB,	/* /etc/ssh/ssh_host_* : the files of that name, "*" and "?" in the last part */
};

struct state_path {
	char path[STATE_PATH_MAX];	/* relative to /, no trailing slash: "home" */
	enum state_kind kind;
};

struct stateconf {
	int epoch;			/* 0 when not given */
	size_t n;
	struct state_path p[STATE_PATHS_MAX];
};

/* What the line "default" stands for. */
extern const char *const state_default_paths[];

/*
 * Parses the text of a state.conf: "epoch=N", "default", and absolute
 * paths one a line; "#" comments.  Unknown key=value lines are warned
 * about and ignored.  0, or -1 with a reason naming the line: a file that
 * is half understood binds nothing.
 */
int stateconf_parse(struct stateconf *c, const char *text, size_t len, warn_fn warn, void *ctx,
		    char *err, size_t errlen);

/* "*" (any run of characters) and "?" (one), nothing else special; never matches ".", "..". */
bool state_glob_match(const char *pattern, const char *name);

/* Whether text (len bytes) is a machine-id: 32 lowercase hex digits and a newline. */
bool machine_id_valid(const char *text, size_t len);

/* Formats 16 random bytes as a machine-id (a version 4 UUID, as systemd does): 33 bytes with "\n". */
void machine_id_format(const unsigned char rnd[16], char out[34]);

#endif
