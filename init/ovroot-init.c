/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ovroot-init: as PID 1 in the initramfs it selects a version of the root
 * filesystem, layers it and switches root into it.  As a plain program,
 * --prepare does everything up to the switch, for other initramfs tools and
 * for the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init/boot.h"
#include "init/early.h"
#include "init/fatal.h"
#include "init/findstore.h"
#include "init/fsck.h"
#include "init/shutdown.h"
#include "init/switchroot.h"
#include "lib/log.h"

#define RUN_DIR "/run/ovroot"
#define NEW_ROOT "/newroot"

static struct boot b;	/* large: keep it off the stack */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ovroot-init                 (as PID 1 in the initramfs)\n"
		"       ovroot-init --prepare DIR [--cmdline TEXT] [--run DIR] [--plan FILE]\n"
		"                   [--guard-root DIR] [--kmsg PATH] [--fsck E2FSCK]\n"
		"       ovroot-init --shutdown VERB    (as PID 1 at the end of shutdown)\n"
		"       ovroot-init --version | --help\n"
		"\n"
		"--prepare DIR   select the stack, mount the store, assemble the stack at DIR\n"
		"                and write RUN/booted; exit 0, or 1 when nothing can boot\n"
		"--cmdline TEXT  parameters to use instead of /proc/cmdline\n"
		"--run DIR       state directory (default " RUN_DIR ")\n"
		"--plan FILE     module load plan to follow (default: load no modules)\n"
		"--guard-root DIR  while a try is spent, set the panic timeout and arm the\n"
		"                watchdog under DIR (\"/\" for a tool that switches root\n"
		"                itself; default: not at all)\n"
		"--kmsg PATH     also write each line to PATH, the kernel log (/dev/kmsg),\n"
		"                with its level (default: stderr only)\n"
		"--fsck E2FSCK   preen an ext2/3/4 store with this e2fsck before it is\n"
		"                first written (default: no check)\n"
		"--shutdown VERB the end of shutdown (reboot, poweroff, halt, kexec), as\n"
		"                systemd runs /run/initramfs/shutdown, where the init puts\n"
		"                itself when the store is writable: unmounts the old root\n"
		"                and the store, or makes it read-only, then does VERB\n"
		"See docs/boot.md for the kernel parameters.\n");
}

static void __attribute__((noreturn)) pid1(char **argv)
{
	static char cmdline[CMDLINE_MAX];
	/*
	 * Only the init that newroot_check() found runnable: the kernel's
	 * fallbacks (/etc/init, /bin/init, /bin/sh) would start something no
	 * one chose, and the root's own shell as PID 1 leaves an unattended
	 * device at a prompt.
	 */
	const char *inits[] = { NULL, NULL };
	char err[512];
	int r;

	early_mounts();
	early_console();
	log_to_kmsg("/dev/kmsg");
	read_kernel_cmdline(cmdline, sizeof(cmdline));
	boot_init(&b, cmdline, RUN_DIR, NEW_ROOT, MODPLAN_PATH);
	b.guard_root = "/";
	if (access(FSCK_PATH, X_OK) == 0)
		b.fsck = FSCK_PATH;
	debug("ovroot-init %s, %s", OVROOT_VERSION, findstore_flavour);
	mkdir(RUN_DIR, 0755);
	mkdir(NEW_ROOT, 0755);
	if (boot_prepare(&b) < 0) {
		say_warn("%s", b.err);
		/* a person chose the shell: not whatever ovroot.fatal says */
		if (b.menu_shell)
			fatal_act(FATAL_SHELL);
		boot_list_versions(&b);
		fatal_act(b.cl.fatal);
	}
	shutdown_install(&b);
	inits[0] = b.cl.init[0] ? b.cl.init : "/sbin/init";
	r = switch_root(NEW_ROOT, inits, argv, err, sizeof(err));
	say_warn("cannot switch root: %s", err);
	if (r == SWITCHED_NO_INIT)
		fatal_act_switched(b.cl.fatal);
	fatal_act(b.cl.fatal);
}

static int prepare(int argc, char **argv)
{
	static char cmdline[CMDLINE_MAX];
	const char *dir = NULL, *run = RUN_DIR, *plan = NULL, *text = NULL, *guard = NULL;
	const char *fsck = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--prepare") == 0)
			dir = argv[i + 1];
		else if (strcmp(argv[i], "--cmdline") == 0)
			text = argv[i + 1];
		else if (strcmp(argv[i], "--run") == 0)
			run = argv[i + 1];
		else if (strcmp(argv[i], "--plan") == 0)
			plan = argv[i + 1];
		else if (strcmp(argv[i], "--guard-root") == 0)
			guard = argv[i + 1];
		else if (strcmp(argv[i], "--kmsg") == 0)
			log_to_kmsg(argv[i + 1]);
		else if (strcmp(argv[i], "--fsck") == 0)
			fsck = argv[i + 1];
		else
			dir = NULL, i = argc;
	}
	if (!dir || argc % 2 == 0) {
		usage(stderr);
		return 2;
	}
	if (!text) {
		read_kernel_cmdline(cmdline, sizeof(cmdline));
		text = cmdline;
	}
	mkdir(run, 0755);
	boot_init(&b, text, run, dir, plan);
	b.guard_root = guard;
	b.fsck = fsck;
	if (boot_prepare(&b) < 0) {
		say_warn("%s", b.err);
		boot_list_versions(&b);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* systemd runs us as PID 1 too, from /run/initramfs, at the end of shutdown */
	if (shutdown_invoked(argc, argv))
		return shutdown_main(argc, argv);
	if (getpid() == 1)
		pid1(argv);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("ovroot-init %s, %s\n", OVROOT_VERSION, findstore_flavour);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	return prepare(argc, argv);
}
