/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_SHUTDOWN_H
#define OVROOT_SHUTDOWN_H

#include <stdbool.h>

struct boot;

/* Where systemd looks for the initramfs to return to at the end of shutdown. */
#define HANDBACK_DIR "/run/initramfs"
#define HANDBACK_PROGRAM HANDBACK_DIR "/shutdown"
/* Where systemd puts the old root when it returns there. */
#define HANDBACK_OLDROOT "/oldroot"

/*
 * At boot, before the switch, when the store is writable: this program (it
 * is static) copied to /run/initramfs/shutdown with the directories systemd
 * moves into it, so that systemd hands the end of shutdown back to it.
 */
void shutdown_install(const struct boot *b);

/* argv[0] is ".../shutdown" (as systemd runs it) or argv[1] is --shutdown. */
bool shutdown_invoked(int argc, char **argv);

/*
 * The end of shutdown, as PID 1 in /run/initramfs: unmounts the old root,
 * the image layers and the store (or remounts the store read-only, or
 * freezes it), syncs, then reboots, powers off, halts or kexecs as the verb
 * (argv[1], or the one after --shutdown) says.  Waits at most a bounded
 * time for any of it.  Returns only when not PID 1 (exit status 2).
 */
int shutdown_main(int argc, char **argv);

#endif
