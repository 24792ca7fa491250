/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_FINDSTORE_H
#define OVROOT_FINDSTORE_H

#include <stddef.h>

/*
 * The one piece the two init flavours do not share: turning root= into a
 * device node and telling its filesystem type.  The full init uses libblkid
 * (findstore-blkid.c), the tiny one sysfs (findstore-sysfs.c).
 *
 * findstore() takes the forms other than /dev/..., which the caller
 * handles alike for both: 0 with dev set; -ENOENT while the device is not there (yet);
 * -EINVAL when this flavour cannot resolve that form of root= (err says why).
 * findstore_fstype(): 0 with type set, or -1 when unknown.
 */
extern const char findstore_flavour[];
int findstore(const char *spec, char *dev, size_t devlen, char *err, size_t errlen);
int findstore_fstype(const char *dev, char *type, size_t len);

#endif
