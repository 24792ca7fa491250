/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "overlay/beneath.h"
#include "overlay/errmsg.h"
#include "overlay/loop.h"
#include "overlay/mkdirs.h"
#include "overlay/steps.h"

static int open_image(int ovroot_dirfd, const char *name, enum layer_kind kind)
{
	char rel[PATH_MAX];
	int ret;

	ret = snprintf(rel, sizeof(rel), "versions/%s%s", name,
		       layer_suffix(kind));
	if (ret < 0 || (size_t)ret >= sizeof(rel))
		return -ENAMETOOLONG;
	return beneath_open(ovroot_dirfd, rel, O_RDONLY);
}

int image_layer_mount(const struct assembly *a, int ovroot_dirfd,
		      const char *name, enum layer_kind kind, const char *mnt,
		      char *err, size_t errlen)
{
	const char *fstype = layer_fstype(kind);
	char dev[32];
	int img, loop, ret;

	ret = mkdirs(mnt, 0755);
	if (ret) {
		errmsg(err, errlen, "layer %s: %s: %s", name, mnt, strerror(-ret));
		return ret;
	}
	img = open_image(ovroot_dirfd, name, kind);
	if (img < 0) {
		errmsg(err, errlen, "layer %s: versions/%s%s: %s", name, name,
		       layer_suffix(kind), strerror(-img));
		return img;
	}
	loop = loop_attach_ro(img, name, dev, sizeof(dev));
	close(img);
	if (loop < 0) {
		errmsg(err, errlen, "layer %s: loop device: %s", name,
		       strerror(-loop));
		return loop;
	}
	ret = 0;
	if (mount(dev, mnt, fstype, MS_RDONLY, NULL)) {
		ret = -errno;
		errmsg(err, errlen, "layer %s: mount %s %s on %s: %s", name,
		       fstype, dev, mnt, strerror(-ret));
	}
	/* Autoclear: the device goes with the mount, or now on failure. */
	close(loop);
	if (!ret)
		LOG(a, "layer %s: %s image on %s at %s", name, fstype, dev, mnt);
	return ret;
}
