/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "overlay/errmsg.h"
#include "overlay/stackmount.h"

/* A bind mount takes MS_RDONLY only when remounted. */
int bind_mount_ro(const char *src, const char *target, char *err,
		  size_t errlen)
{
	int ret;

	if (mount(src, target, NULL, MS_BIND, NULL)) {
		ret = -errno;
		errmsg(err, errlen, "bind %s on %s: %s", src, target,
		       strerror(-ret));
		return ret;
	}
	if (!mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL))
		return 0;
	ret = -errno;
	errmsg(err, errlen, "read-only remount of %s: %s", target,
	       strerror(-ret));
	umount2(target, MNT_DETACH);
	return ret;
}
