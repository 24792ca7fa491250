/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The choice loop of PID 1.  Whatever goes wrong after the policy has chosen
 * (a try that cannot be recorded, a layer that does not mount, a persistent
 * upper the store cannot hold, a root with no init) passes that choice over
 * with one line and makes the choice again, so that a store holding one good
 * version always boots it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <unistd.h>

#include "init/boot.h"
#include "init/switchroot.h"
#include "lib/file.h"
#include "lib/layers.h"
#include "lib/log.h"
#include "lib/mount.h"

/* How long the init waits for the ovroot command's store lock. */
#define LOCK_WAIT_MS 5000

/* Appends one "; "-separated note for booted's notes= line. */
static void note(struct boot *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct boot *b, const char *fmt, ...)
{
	size_t used = strlen(b->notes);
	va_list ap;

	if (used && used + 2 < sizeof(b->notes))
		strcpy(b->notes + used, "; "), used += 2;
	va_start(ap, fmt);
	vsnprintf(b->notes + used, sizeof(b->notes) - used, fmt, ap);
	va_end(ap);
}

static bool banned(const struct boot *b, const char *name)
{
	for (size_t i = 0; i < b->nbanned; i++)
		if (strcmp(b->banned[i], name) == 0)
			return true;
	return false;
}

static bool layer_usable(void *ctx, const char *name)
{
	const struct boot *b = ctx;
	enum layer_kind kind;
	int r;

	if (banned(b, name))
		return false;
	r = layer_find(b->dirfd, name, &kind);
	if (r < 0 && r != -ENOENT)
		say_warn("version %s refused: %s", name,
		    r == -EXDEV ? "it leads out of the store" : strerror(-r));
	return r == 0;
}

static void decide(struct boot *b, bool key)
{
	struct policy_input in = {
		.override = b->override.n ? &b->override : NULL,
		.override_from_menu = b->menu_chosen,
		.file = b->have_file ? &b->file : NULL,
		.backup = b->have_backup ? &b->backup : NULL,
		.key_held = key,
		.upper_override = b->cl.upper,
		.tries_unwritable = b->tries_unwritable,
		.layer_ok = layer_usable,
		.ctx = b,
	};

	b->d = policy_select(&in);
	if (b->d.note)
		say_warn("%s", b->d.note);
	if (b->d.missing && b->d.reason != REASON_OVERRIDE && b->d.reason != REASON_MENU &&
	    b->d.reason != REASON_PROMOTED)
		say_warn("version %s %s: passed over", b->d.missing,
		    banned(b, b->d.missing) ? "is unusable" : "is missing");
	if (b->have_file)
		b->tries_on_disk = b->file.tries;
}

/* The init mounted the store itself: its filesystem's flag is the one to change. */
static int remount_store(struct boot *b, bool rw)
{
	return remount(b->store, MS_NOSUID | MS_NODEV, rw, false,
		       b->cl.rootflags[0] ? b->cl.rootflags : NULL);
}

static int save_promfile(struct boot *b, char *err, size_t errlen)
{
	size_t len;
	char *text = promfile_text(&b->file, &len, err, errlen);
	int r;

	if (!text)
		return -1;
	r = atomic_replace(b->dirfd, PROMFILE_NAME, PROMFILE_BACKUP, b->file_text, b->file_len,
			   text, len, err, errlen);
	free(text);
	return r;
}

/* The ovroot command's lock (command/store.c), so that no write of its is lost. */
static int lock_store(struct boot *b)
{
	long long until = now_ms() + LOCK_WAIT_MS;

	while (flock(b->dirfd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK || now_ms() >= until)
			return -1;
		usleep(10000);
	}
	return 0;
}

int boot_write_file(struct boot *b, char *why, size_t whylen)
{
	bool was_ro = !b->store_rw;
	int r = -1;

	/* before the lock: the check unmounts the store, and the lock is on its fd */
	if (was_ro && boot_check_store(b) < 0) {
		snprintf(why, whylen, "the store is kept read-only after fsck");
		return -1;
	}
	if (lock_store(b) < 0) {
		snprintf(why, whylen, "the store stayed locked for %d s", LOCK_WAIT_MS / 1000);
		return -1;
	}
	if (was_ro && remount_store(b, true) < 0) {
		snprintf(why, whylen, "the store cannot be made writable: %s", strerror(errno));
	} else {
		r = save_promfile(b, why, whylen);
		if (was_ro && remount_store(b, false) < 0)
			say_warn("cannot remount the store read-only: %s", strerror(errno));
	}
	flock(b->dirfd, LOCK_UN);
	return r;
}

/* Writes tries= before the stack boots: 0, or -1 with why. */
static int write_try(struct boot *b, char *why, size_t whylen)
{
	int old = b->file.tries;

	b->file.tries = b->d.write_tries;
	if (boot_write_file(b, why, whylen) == 0)
		return 0;
	b->file.tries = old;
	return -1;
}

/*
 * An unconfirmed stack boots only with its try on disk: one that could not
 * be counted might boot a bad version for ever.  false: choose again.
 */
static bool count_try(struct boot *b)
{
	char why[320];

	if (b->d.write_tries < 0)
		return true;
	if (write_try(b, why, sizeof(why)) == 0) {
		b->tries_on_disk = b->d.write_tries;
		say("unconfirmed: %d tries left after this boot", b->d.write_tries);
		return true;
	}
	say_warn("cannot count this try (%s): an unconfirmed version boots only counted, "
	    "choosing again", why);
	note(b, "try not recorded: %s", why);
	b->tries_unwritable = true;
	return false;
}

static int assemble_as(struct boot *b, enum upper_mode upper)
{
	struct assembly a = {
		.ovroot_dir = b->ovroot_dir,
		.names = (const char *const *)b->d.stack.layer,
		.n = b->d.stack.n,
		.upper = upper,
		.target = b->target,
		.state_dir = b->run,
		.upper_size = b->cl.uppersize,
		.need_module = need_module,
		.ctx = b,
		.log = debug,
	};

	return assemble_stack(&a, &b->as, b->err, sizeof(b->err));
}

/*
 * A persistent upper the store cannot hold (read-only, full, upper/NAME not
 * a directory) leaves upper/NAME alone: the same stack boots on a tmpfs.
 */
static int assemble(struct boot *b)
{
	bool remounted = false;

	if (b->d.upper == UPPER_PERSIST && !b->store_rw && boot_check_store(b) == 0 &&
	    remount_store(b, true) == 0)
		remounted = b->store_rw = true;
	if (assemble_as(b, b->d.upper) == 0)
		return 0;
	if (b->d.upper != UPPER_PERSIST || b->as.bad_layer >= 0)
		return -1;
	say_warn("%s: booting the same stack with a tmpfs upper", b->err);
	note(b, "upper persist failed: %s", b->err);
	if (remounted && remount_store(b, false) == 0)
		b->store_rw = false;
	b->d.upper = UPPER_TMPFS;
	return assemble_as(b, UPPER_TMPFS);
}

/* The root must hold the init that is meant to run and /dev /proc /sys /run. */
static int check_root(struct boot *b)
{
	const char *init = b->cl.init[0] ? b->cl.init : "/sbin/init";
	struct assembly a = { .target = b->target, .state_dir = b->run };

	if (newroot_check(b->target, init, b->err, sizeof(b->err)) == 0)
		return 0;
	assembled_unmount(&a, &b->as);
	b->as.bad_layer = 0;
	return -1;
}

/* The version to blame (the top one when no layer is) is passed over. */
static bool pass_over(struct boot *b)
{
	long i = b->as.bad_layer >= 0 ? b->as.bad_layer : 0;
	const char *name = b->d.stack.layer[i];

	if (b->nbanned == BANNED_MAX)
		return false;
	say_warn("%s: version %s passed over, choosing again", b->err, name);
	note(b, "%s passed over: %s", name, b->err);
	b->banned[b->nbanned++] = name;
	return true;
}

static void say_choice(const struct boot *b)
{
	char stack[512];

	stack_format(&b->d.stack, stack, sizeof(stack));
	/* a fallback is a warning in the kernel log; a choice made by a person is not */
	(b->d.reason == REASON_PROMOTED || b->d.reason == REASON_OVERRIDE ||
	 b->d.reason == REASON_MENU ? say : say_warn)("booting %s (%s, upper %s)", stack,
						      reason_name(b->d.reason),
						      upper_mode_name(b->d.upper));
}

int boot_choose(struct boot *b, bool key)
{
	for (;;) {
		decide(b, key);
		if (b->d.reason == REASON_NONE) {
			snprintf(b->err, sizeof(b->err), "no bootable stack in %s on %s",
				 b->cl.dir, b->dev);
			return -1;
		}
		say_choice(b);
		if (!count_try(b))
			continue;
		if (assemble(b) == 0 && check_root(b) == 0)
			break;
		if (!pass_over(b))
			return -1;
	}
	debug("stack mounted at %s with %s", b->target, b->as.mount_method);
	return 0;
}
