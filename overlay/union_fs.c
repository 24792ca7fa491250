/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "overlay/errmsg.h"
#include "overlay/fstypes.h"
#include "overlay/steps.h"

/*
 * need_module() may fail only because overlay is built in, so the verdict
 * is /proc/filesystems'.  Without /proc, try overlay and let mount say.
 */
const char *union_fstype(const struct assembly *a, char *err, size_t errlen)
{
	int has;

	if (a->need_module)
		a->need_module("overlay");
	has = fs_supported("overlay");
	if (has)
		return "overlay";
	if (a->need_module)
		a->need_module("aufs");
	if (fs_supported("aufs") > 0)
		return "aufs";
	errmsg(err, errlen, "neither overlay nor aufs in /proc/filesystems");
	return NULL;
}
