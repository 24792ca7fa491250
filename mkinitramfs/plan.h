/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_PLAN_H
#define OVROOT_MK_PLAN_H

#include <stddef.h>

#include "mkinitramfs/modules.h"

/*
 * The text of /etc/ovroot/modules, which the init reads:
 *
 *	# ovroot load plan
 *	kernel KVER
 *	module NAME FLAG PATH DEPS OPTIONS
 *	alias ALIAS NAME
 *
 * One record a line, fields split by single spaces.  FLAG is "r" for a
 * requested module and "-" for one that is only needed; DEPS is a comma
 * list of module names or "-"; OPTIONS is the rest of the line and may be
 * empty (the line then ends after DEPS).  Modules come in load order, then
 * the "fs-" aliases sorted.
 */
#define PLAN_IMAGE_PATH "/etc/ovroot/modules"

/* A new string holding the plan text; its length goes to *len. */
char *plan_format(const struct modset *plan, size_t *len);

#endif
