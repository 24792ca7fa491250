/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Image layers: a squashfs or erofs file, attached to a loop device and mounted. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/loop.h>

#include "lib/dirs.h"
#include "lib/layers.h"
#include "lib/log.h"
#include "overlay/steps.h"

/* Another process may take the free device before we configure it. */
#define LOOP_TRIES 8
/* devtmpfs creates /dev/loopN a moment after LOOP_CTL_GET_FREE. */
#define NODE_WAIT_MS 2000
#define NODE_STEP_MS 10

static int open_node(const char *dev)
{
	const struct timespec step = { 0, NODE_STEP_MS * 1000000L };
	int waited;

	for (waited = 0; ; waited += NODE_STEP_MS) {
		int fd = open(dev, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		if (errno != ENOENT || waited >= NODE_WAIT_MS)
			return -errno;
		nanosleep(&step, NULL);
	}
}

/* Before Linux 5.8: two ioctls, and read-only comes from image_fd's mode. */
static int configure_old(int fd, int image_fd, struct loop_info64 *info)
{
	int ret;

	/* the fd travels as the pointer-sized argument, in both libcs */
	if (ioctl(fd, LOOP_SET_FD, (void *)(unsigned long)image_fd))
		return -errno;
	if (!ioctl(fd, LOOP_SET_STATUS64, info))
		return 0;
	ret = -errno;
	ioctl(fd, LOOP_CLR_FD, NULL);
	return ret;
}

static int configure(int fd, int image_fd, const char *label)
{
	struct loop_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (unsigned int)image_fd;
	cfg.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
	snprintf((char *)cfg.info.lo_file_name, LO_NAME_SIZE, "%s", label);
	if (!ioctl(fd, LOOP_CONFIGURE, &cfg))
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -errno;
	return configure_old(fd, image_fd, &cfg.info);
}

/*
 * Attaches image_fd read-only and autoclearing to a free loop device and
 * writes its node (/dev/loopN) into dev.  Returns the device's open fd, or
 * -errno.  Keep the fd open until the device is mounted: autoclear detaches
 * the device on its last close, which is also the cleanup when the mount
 * fails (and, later, when it is unmounted).  label is shown by losetup.
 */
static int loop_attach_ro(int image_fd, const char *label, char *dev, size_t devlen)
{
	int ctl, fd = -EBUSY, tries;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	for (tries = 0; tries < LOOP_TRIES; tries++) {
		int nr = ioctl(ctl, LOOP_CTL_GET_FREE, NULL), ret;

		if (nr < 0) {
			fd = -errno;
			break;
		}
		snprintf(dev, devlen, "/dev/loop%d", nr);
		fd = open_node(dev);
		if (fd < 0)
			break;
		ret = configure(fd, image_fd, label);
		if (!ret)
			break;
		close(fd);
		fd = ret;
		if (ret != -EBUSY)
			break;
	}
	close(ctl);
	return fd;
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
	img = layer_open(ovroot_dirfd, name, kind, O_RDONLY);
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
