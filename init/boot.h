/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_BOOT_H
#define OVROOT_BOOT_H

#include <limits.h>
#include <stdbool.h>

#include "init/cmdline.h"
#include "init/keys.h"
#include "init/modplan.h"
#include "overlay/assemble.h"
#include "selector/policy.h"

#define BANNED_MAX 8

/* Everything one boot learns on its way, in the order it learns it. */
struct boot {
	struct cmdline cl;
	const char *run;		/* state directory, /run/ovroot */
	const char *target;		/* where the stack is assembled */
	const char *plan_path;		/* the load plan, NULL: none */
	const char *guard_root;		/* where guard_try() acts, NULL: it does not */
	struct modplan plan;
	bool have_plan;
	struct keywatch keys;
	unsigned short watched[KEYS_MAX + 1];	/* the rollback keys and the menu key */
	bool menu_key;			/* the menu key was held */
	bool menu_chosen;		/* the stack in override was chosen in the menu */
	bool menu_shell;		/* the rescue shell was chosen in the menu */
	long long keys_since;		/* when the first keyboard appeared, -1: none */
	long long keys_last;		/* when the last one appeared, -1: none */
	long long usb_since;		/* when a USB host controller was seen, -1: none */
	long long key_wait_ms;		/* what the boot waited for the key window */
	char dev[256];
	char fstype[64];
	char store[PATH_MAX];		/* RUN/store */
	char ovroot_dir[PATH_MAX];	/* STORE + ovroot.dir */
	int dirfd;
	bool store_rw;
	const char *fsck;		/* e2fsck to preen an ext store with, NULL: none */
	bool fsck_done;			/* it ran (or could not) this boot */
	bool store_unfixed;		/* it found errors it cannot fix: keep read-only */
	char *file_text;		/* the promotion file as read */
	size_t file_len;
	struct promfile file, backup;
	bool have_file, have_backup;
	struct stack override;
	struct decision d;
	const char *banned[BANNED_MAX];	/* versions passed over this boot */
	size_t nbanned;
	bool tries_unwritable;		/* this boot's try could not be recorded */
	int tries_on_disk;		/* tries= as the store now holds it, -1: none */
	char notes[1024];		/* what was passed over or changed, for booted */
	char state_area[128];		/* what the state area bound, for booted; "" off */
	int panic_set;			/* seconds set as the panic timeout, 0: none */
	int watchdog_armed;		/* seconds the watchdog was armed for, 0: not */
	struct assembled as;
	char err[512];
};

void boot_init(struct boot *b, const char *cmdline, const char *run, const char *target,
	       const char *plan_path);
int boot_prepare(struct boot *b);
void boot_list_versions(const struct boot *b);
/*
 * Before the store is first made writable: the preen check of an ext store
 * (unmounted for it, mounted read-only again after).  0 when the store may
 * be written, -1 (said) when fsck left errors: it stays read-only.
 */
int boot_check_store(struct boot *b);
/* Whether boot_check_store() would still run the check (it unmounts the store). */
bool boot_check_pending(const struct boot *b);
/* The overlay code's need_module, with the boot as its ctx (init/boot.c). */
int need_module(void *ctx, const char *name);
/*
 * The choice loop (init/choose.c): decide, count the try, assemble, check
 * the root; whatever fails is passed over and the choice made again.  0, or
 * -1 with b->err when nothing can boot.
 */
int boot_choose(struct boot *b, bool key);
/*
 * Writes b->file (and its old text to boot.bak) under the ovroot command's
 * store lock, the store writable for that moment (init/choose.c): 0, or -1
 * with why.
 */
int boot_write_file(struct boot *b, char *why, size_t whylen);
/* The boot menu (init/bootmenu.c): sets override, menu_chosen or menu_shell. */
void boot_menu(struct boot *b);
/*
 * While a try is spent (init/guard.c): the panic timeout and the watchdog
 * to set, 0 for none.  guard_try() applies them under root ("/" in PID 1).
 */
void guard_plan(const struct boot *b, int *panic_s, int *watchdog_s);
void guard_try(struct boot *b, const char *root);

#endif
