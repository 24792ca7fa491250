/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_CMDLINE_H
#define OVROOT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "selector/promfile.h"

#define CMDLINE_MAX 4096
#define KEYS_MAX 8
#define KEYWAIT_DEFAULT_MS 1000
/* The kernel's panic timeout while a try is spent, when it has none. */
#define PANIC_DEFAULT_S 10
/* The boot menu: the key that opens it (KEY_M) and how long it waits. */
#define MENUKEY_DEFAULT 50
#define MENUTIMEOUT_DEFAULT_S 30
/* The tmpfs upper's size= (as systemd limits /tmp): half the RAM. */
#define UPPERSIZE_DEFAULT "50%"

enum fatal_action {
	FATAL_DEFAULT,	/* the rescue shell when the image has one, else reboot */
	FATAL_SHELL,
	FATAL_REBOOT,
	FATAL_HALT,
};

/* What ovroot reads from the kernel command line. */
struct cmdline {
	char root[256];		/* LABEL=, UUID=, PARTUUID=, PARTLABEL=, /dev/..., MAJ:MIN */
	char rootfstype[64];
	char rootflags[256];
	bool rootwait;
	int rootdelay;		/* seconds; -1: unset */
	int rw;			/* -1: unset, 0: ro, 1: rw */
	char init[256];
	char dir[256];		/* ovroot.dir=, default /ovroot */
	char override[CMDLINE_MAX]; /* ovroot.root=, "" when absent */
	unsigned short keys[KEYS_MAX];
	size_t nkeys;		/* 0: no rollback key (ovroot.key=none) */
	int keywait_ms;
	int upper;		/* ovroot.upper=, -1 when absent */
	char uppersize[24];	/* ovroot.uppersize=: tmpfs size= of the tmpfs upper */
	int watchdog;		/* ovroot.watchdog= seconds, -1 when absent, 0: off */
	int panic_s;		/* ovroot.panic= seconds, 0: leave the kernel's */
	enum fatal_action fatal;
	bool debug;
	bool menu;		/* ovroot.menu: open the boot menu */
	unsigned short menukey;	/* ovroot.menukey=, 0: none */
	int menutimeout_s;	/* ovroot.menutimeout=, 0: wait for a person */
};

void cmdline_parse(struct cmdline *c, const char *text, warn_fn warn, void *ctx);
int key_code(const char *name, size_t len);
const char *fatal_action_name(enum fatal_action f);

#endif
