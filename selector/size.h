/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_SIZE_H
#define OVROOT_SIZE_H

#include <stddef.h>

/* 1536 -> "1.5K", as du -h does. */
void size_human(unsigned long long bytes, char *buf, size_t len);

#endif
