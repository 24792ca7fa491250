/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_EARLY_H
#define OVROOT_EARLY_H

#include <stddef.h>

void early_mounts(void);
void early_console(void);
void read_kernel_cmdline(char *buf, size_t len);

#endif
