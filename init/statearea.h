/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_STATEAREA_H
#define OVROOT_STATEAREA_H

struct boot;

/*
 * Binds the state area (docs/state.md) into the assembled root at
 * b->target: the device's files from the store's ovroot/state/, made on
 * first boot, whichever version boots.  Never fails the boot: whatever
 * cannot be bound is said in one line and left as the version has it.
 */
void statearea_bind(struct boot *b);

/*
 * Before anything is assembled: when the store has a state area (state.conf
 * or state/), its fsck check runs now, while the store can still be
 * unmounted for it (boot_check_store()).
 */
void statearea_precheck(struct boot *b);

#endif
