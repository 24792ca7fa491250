/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MODLOAD_H
#define OVROOT_MODLOAD_H

#include "init/modplan.h"

int module_load(struct modplan *p, const char *name, char *err, size_t errlen);
void modules_load_start(struct modplan *p);
void modules_load_filesystems(struct modplan *p);

#endif
