/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_OVERLAY_LOOP_H
#define OVROOT_OVERLAY_LOOP_H

#include <stddef.h>

/*
 * Attaches image_fd read-only and autoclearing to a free loop device and
 * writes its node (/dev/loopN) into dev.  Returns the device's open fd, or
 * -errno.  Keep the fd open until the device is mounted: autoclear detaches
 * the device on its last close, which is also the cleanup when the mount
 * fails (and, later, when it is unmounted).  label is shown by losetup.
 */
int loop_attach_ro(int image_fd, const char *label, char *dev, size_t devlen);

#endif
