/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init/boot.h"
#include "init/findstore.h"
#include "init/fsck.h"
#include "init/modload.h"
#include "init/state.h"
#include "init/statearea.h"
#include "lib/beneath.h"
#include "lib/dirs.h"
#include "lib/file.h"
#include "lib/layers.h"
#include "lib/log.h"
#include "lib/mount.h"

#define DEFAULT_ROOTDELAY_S 10

void boot_init(struct boot *b, const char *cmdline, const char *run, const char *target,
	       const char *plan_path)
{
	memset(b, 0, sizeof(*b));
	cmdline_parse(&b->cl, cmdline, say_warning, "command line: ");
	log_debug_on = b->cl.debug;
	b->run = run;
	b->target = target;
	b->plan_path = plan_path;
	b->dirfd = -1;
	b->keys_since = b->keys_last = b->usb_since = -1;
	b->tries_on_disk = -1;
	promfile_init(&b->file);
	promfile_init(&b->backup);
}

int need_module(void *ctx, const char *name)
{
	struct boot *b = ctx;
	char err[256];
	int r;

	if (!b->have_plan)
		return 0;
	r = module_load(&b->plan, name, err, sizeof(err));
	if (r < 0 && r != -ENOENT)
		say_warn("%s", err);
	return r;
}

static void read_plan(struct boot *b)
{
	struct utsname u;
	char *text;

	if (!b->plan_path || read_small_file(AT_FDCWD, b->plan_path, 1 << 20, &text, NULL) < 0)
		return;
	if (modplan_parse(&b->plan, text, b->err, sizeof(b->err)) < 0) {
		say_warn("%s: loading no modules", b->err);
		return;
	}
	b->have_plan = true;
	if (uname(&u) == 0 && b->plan.kver && strcmp(u.release, b->plan.kver) != 0)
		say_warn("the image's modules are for kernel %s, this is %s: modules may not load",
		    b->plan.kver, u.release);
	modules_load_start(&b->plan);
}

/* New keyboards and USB host controllers, with when they were first seen. */
static void keys_look(struct boot *b)
{
	size_t before = b->keys.n;
	long long now = now_ms();

	if (keys_scan(&b->keys, "/dev/input") > before) {
		if (b->keys_since < 0)
			b->keys_since = now;
		b->keys_last = now;
	}
	if (b->usb_since < 0 && usb_hosts("/sys/bus/usb/devices"))
		b->usb_since = now;
}

/* Opens the keyboards now so the key window runs while the store is found. */
static void watch_keys(struct boot *b)
{
	size_t n = b->cl.nkeys;

	if ((n == 0 && !b->cl.menukey) || b->cl.keywait_ms == 0)
		return;
	need_module(b, "evdev");
	memcpy(b->watched, b->cl.keys, n * sizeof(b->watched[0]));
	if (b->cl.menukey)
		b->watched[n++] = b->cl.menukey;
	keys_init(&b->keys, b->watched, n);
	keys_look(b);
	debug("watching the rollback key on %zu keyboard(s)%s", b->keys.n,
	      b->usb_since >= 0 ? ", and a USB host" : "");
}

/* Looks at the keys last: a normal boot waits only for what is left of the window. */
static bool key_held(struct boot *b)
{
	long long start = now_ms(), deadline;
	bool held = false;

	if ((b->cl.nkeys == 0 && !b->cl.menukey) || b->cl.keywait_ms == 0)
		return false;
	for (;;) {
		keys_look(b);
		held = keys_held(&b->keys);
		deadline = key_deadline(b->keys_since, b->keys_last, b->usb_since,
					b->cl.keywait_ms);
		if (held || deadline < 0 || now_ms() >= deadline)
			break;
		usleep(10000);
	}
	/* With no keyboard and no USB host there was nothing to wait for. */
	b->key_wait_ms = deadline < 0 ? 0 : now_ms() - start;
	debug("key window: waited %lld ms on %zu keyboard(s)%s", b->key_wait_ms, b->keys.n,
	      b->usb_since >= 0 ? " and a USB host" : "");
	b->menu_key = held && b->cl.menukey && key_down(&b->keys, b->cl.menukey);
	held = false;
	for (size_t i = 0; i < b->cl.nkeys && !b->menu_key; i++)
		held = held || key_down(&b->keys, b->cl.keys[i]);
	if (held)
		say_warn("rollback key held: booting the fallback");
	keys_close(&b->keys);
	return held;
}

/* A /dev path is the same for both flavours; the rest is findstore()'s. */
static int resolve_root(struct boot *b)
{
	struct stat st;

	if (strncmp(b->cl.root, "/dev/", 5) != 0)
		return findstore(b->cl.root, b->dev, sizeof(b->dev), b->err, sizeof(b->err));
	if (stat(b->cl.root, &st) < 0)
		return -ENOENT;
	snprintf(b->dev, sizeof(b->dev), "%s", b->cl.root);
	return 0;
}

static long long store_deadline(const struct boot *b)
{
	if (b->cl.rootwait)
		return -1;
	return now_ms() + 1000LL * (b->cl.rootdelay >= 0 ? b->cl.rootdelay : DEFAULT_ROOTDELAY_S);
}

static int find_store(struct boot *b)
{
	long long deadline = store_deadline(b), next_note = now_ms() + 2000;
	int r;

	if (!b->cl.root[0]) {
		snprintf(b->err, sizeof(b->err), "no root= on the kernel command line");
		return -1;
	}
	while ((r = resolve_root(b)) == -ENOENT) {
		if (deadline >= 0 && now_ms() >= deadline) {
			snprintf(b->err, sizeof(b->err), "store device root=%s did not appear "
				 "within %d s", b->cl.root,
				 b->cl.rootdelay >= 0 ? b->cl.rootdelay : DEFAULT_ROOTDELAY_S);
			return -1;
		}
		if (now_ms() >= next_note) {
			say("waiting for the store device root=%s", b->cl.root);
			next_note = now_ms() + 10000;
		}
		usleep(10000);
	}
	if (r < 0)
		return -1;
	debug("store device %s", b->dev);
	return 0;
}

static void store_fstype(struct boot *b)
{
	char alias[80];

	if (b->cl.rootfstype[0])
		snprintf(b->fstype, sizeof(b->fstype), "%s", b->cl.rootfstype);
	else if (findstore_fstype(b->dev, b->fstype, sizeof(b->fstype)) < 0)
		b->fstype[0] = '\0';
	if (!b->fstype[0])
		return;
	snprintf(alias, sizeof(alias), "fs-%s", b->fstype);
	if (need_module(b, b->fstype) == -ENOENT)
		need_module(b, alias);
}

/* An unknown type (the tiny init without rootfstype=): every filesystem of the image. */
static int mount_typed(struct boot *b, unsigned long flags)
{
	const char *data = b->cl.rootflags[0] ? b->cl.rootflags : NULL;

	if (b->fstype[0])
		return mount(b->dev, b->store, b->fstype, flags, data);
	if (b->have_plan)
		modules_load_filesystems(&b->plan);
	return mount_any_type(b->dev, b->store, flags, data, b->fstype, sizeof(b->fstype));
}

static bool check_wanted(const struct boot *b)
{
	return b->fsck && !b->fsck_done && fsck_applies(b->fstype);
}

bool boot_check_pending(const struct boot *b)
{
	return check_wanted(b);
}

/* e2fsck -p on the unmounted store, and one line for what it found. */
static void run_check(struct boot *b)
{
	char last[200];
	int st = fsck_run(b->fsck, b->dev, last, sizeof(last));
	enum fsck_result r = fsck_verdict(st);
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);

	b->fsck_done = true;
	if (st < 0) {
		say_warn("store %s: cannot run %s: %s: not checked", b->dev, b->fsck,
			 strerror(errno));
		return;
	}
	if (r == FSCK_CLEAN)
		say("store %s: checked, clean (%s)", b->dev, last);
	else if (r == FSCK_FIXED)
		say_warn("store %s: fsck fixed errors (exit %d: %s)", b->dev, code, last);
	else
		say_warn("store %s: %s (exit %d: %s): it stays read-only this boot, "
			 "nothing is written to it", b->dev,
			 r == FSCK_UNFIXED ? "fsck found errors it cannot fix" : "fsck failed",
			 code, last);
	b->store_unfixed = r == FSCK_UNFIXED || r == FSCK_FAILED;
}

static int mount_store(struct boot *b)
{
	unsigned long flags = MS_NOSUID | MS_NODEV;

	store_fstype(b);
	b->store_rw = b->cl.rw == 1;
	if (b->store_rw && check_wanted(b))
		run_check(b);
	if (b->store_unfixed)
		b->store_rw = false;
	if (!b->store_rw)
		flags |= MS_RDONLY;
	snprintf(b->store, sizeof(b->store), "%s/store", b->run);
	if (mkdirs(b->store, 0755) < 0 || mount_typed(b, flags) < 0) {
		snprintf(b->err, sizeof(b->err), "cannot mount the store %s (%s) at %s: %s",
			 b->dev, b->fstype[0] ? b->fstype : "type unknown", b->store,
			 strerror(errno));
		return -1;
	}
	debug("store %s (%s) mounted at %s", b->dev, b->fstype, b->store);
	return 0;
}

static int open_ovroot_dir(struct boot *b)
{
	int storefd = open(b->store, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (snprintf(b->ovroot_dir, sizeof(b->ovroot_dir), "%s%s", b->store, b->cl.dir) >=
	    (int)sizeof(b->ovroot_dir)) {
		close(storefd);
		snprintf(b->err, sizeof(b->err), "store path too long: %s%s", b->store, b->cl.dir);
		return -1;
	}
	if (storefd >= 0) {
		b->dirfd = b->cl.dir[1] ? beneath_open(storefd, b->cl.dir + 1,
						       O_RDONLY | O_DIRECTORY)
					: dup(storefd);
		close(storefd);
	}
	if (b->dirfd < 0) {
		snprintf(b->err, sizeof(b->err), "the store %s has no directory %s: %s",
			 b->dev, b->cl.dir, strerror(b->dirfd < 0 ? -b->dirfd : errno));
		b->dirfd = -1;
		return -1;
	}
	return 0;
}

int boot_check_store(struct boot *b)
{
	if (b->store_unfixed)
		return -1;
	if (!check_wanted(b))
		return 0;
	close(b->dirfd);
	b->dirfd = -1;
	if (umount(b->store) < 0) {
		b->fsck_done = true;
		say_warn("store %s: cannot unmount it for fsck: %s: not checked", b->dev,
			 strerror(errno));
	} else {
		run_check(b);
		if (mount_typed(b, MS_NOSUID | MS_NODEV | MS_RDONLY) < 0) {
			say_warn("store %s: cannot mount it again after fsck: %s", b->dev,
				 strerror(errno));
			b->store_unfixed = true;
			return -1;
		}
	}
	if (open_ovroot_dir(b) < 0) {
		say_warn("%s", b->err);
		b->store_unfixed = true;
		return -1;
	}
	return b->store_unfixed ? -1 : 0;
}

/* Reads and parses name into pf; its text is kept for the backup when text is given. */
static bool load_promfile(struct boot *b, const char *name, struct promfile *pf,
			  char **text, size_t *len, char *why, size_t whylen)
{
	char *buf = NULL, prefix[32];
	size_t n = 0;
	int r = read_small_file(b->dirfd, name, PROMFILE_MAX, &buf, &n);

	snprintf(prefix, sizeof(prefix), "%s: ", name);
	r = promfile_parse_read(pf, r, buf, n, say_warning, prefix, why, whylen);
	if (r == 0 && text) {
		*text = buf;
		*len = n;
	} else {
		free(buf);
	}
	return r == 0;
}

static void read_promotion(struct boot *b)
{
	char why[256];

	b->have_file = load_promfile(b, PROMFILE_NAME, &b->file, &b->file_text, &b->file_len,
				     why, sizeof(why));
	if (b->have_file)
		return;
	say_warn("promotion file %s/%s %s: using its backup %s", b->cl.dir, PROMFILE_NAME, why,
	    PROMFILE_BACKUP);
	b->have_backup = load_promfile(b, PROMFILE_BACKUP, &b->backup, NULL, NULL,
				       why, sizeof(why));
	if (!b->have_backup)
		say_warn("backup %s/%s %s", b->cl.dir, PROMFILE_BACKUP, why);
}

static void parse_override(struct boot *b)
{
	char why[256];

	if (b->cl.override[0] &&
	    stack_parse(&b->override, b->cl.override, strlen(b->cl.override),
			why, sizeof(why)) < 0)
		say_warn("ovroot.root=%s: %s: ignored", b->cl.override, why);
}

/*
 * Everything up to the switch: find and mount the store, read the promotion
 * file, look at the key, choose, count the try, assemble, record.  0, or -1
 * with b->err saying why nothing can boot.
 */
int boot_prepare(struct boot *b)
{
	bool key;

	read_plan(b);
	watch_keys(b);
	if (find_store(b) < 0 || mount_store(b) < 0 || open_ovroot_dir(b) < 0)
		return -1;
	read_promotion(b);
	parse_override(b);
	key = key_held(b);
	if (b->menu_key || b->cl.menu)
		boot_menu(b);
	if (b->menu_shell) {
		snprintf(b->err, sizeof(b->err), "the rescue shell was chosen in the boot menu");
		return -1;
	}
	statearea_precheck(b);
	if (boot_choose(b, key) < 0)
		return -1;
	statearea_bind(b);
	if (b->guard_root)
		guard_try(b, b->guard_root);
	state_write(b);
	return 0;
}

/* What the store holds, for the line that says nothing could boot. */
void boot_list_versions(const struct boot *b)
{
	char list[512] = "";
	int fd = b->dirfd >= 0 ? beneath_open(b->dirfd, "versions", O_RDONLY | O_DIRECTORY) : -1;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		if (b->dirfd >= 0)
			say_warn("the store has no versions directory");
		return;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(list) + strlen(e->d_name) + 2 < sizeof(list))
			strcat(strcat(list, " "), e->d_name);
	closedir(d);
	say_warn("versions in the store:%s", list[0] ? list : " none");
}
