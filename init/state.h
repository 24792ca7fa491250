/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_STATE_H
#define OVROOT_STATE_H

struct boot;

/* RUN/booted: what booted and why, for the ovroot command and for scripts. */
#define STATE_FILE "booted"

void state_write(const struct boot *b);

#endif
