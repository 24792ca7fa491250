/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_FATAL_H
#define OVROOT_FATAL_H

#include "init/cmdline.h"

#define RESCUE_SHELL "/bin/sh"
#define REBOOT_PAUSE_S 10

/* PID 1 when nothing can boot: ovroot.fatal says what next.  Never returns. */
void __attribute__((noreturn)) fatal_act(enum fatal_action action);
/*
 * The same once the root is switched and its init failed: the initramfs and
 * its rescue shell are gone, so the default reboots; ovroot.fatal=shell
 * starts the root's own /bin/sh, said as such.
 */
void __attribute__((noreturn)) fatal_act_switched(enum fatal_action action);

#endif
