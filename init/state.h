/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_STATE_H
#define OVROOT_STATE_H

struct boot;

/* Writes RUN/booted (selector/booted.h) for what this boot chose and why. */
void state_write(const struct boot *b);

#endif
