/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/sys.h"
#include "overlay/stackmount.h"

/*
 * Before Linux 6.5 overlayfs takes its options the legacy way: fsconfig()
 * then only appends "key=value" to a one-page string and accepts any key,
 * and lowerdir+ fails late.  A key no filesystem knows tells that apart.
 */
static bool legacy_options(void)
{
	int fd, ret;

	fd = sys_fsopen("overlay", SYS_FSOPEN_CLOEXEC);
	if (fd < 0)
		return true;
	ret = sys_fsconfig(fd, SYS_FSCONFIG_SET_FLAG, "ovroot-probe", NULL, 0);
	close(fd);
	return ret == 0;
}

/* The kernel's last message on the context, as " (e overlay: ...)". */
static const char *fc_message(int fd, char *buf, size_t len)
{
	ssize_t got;

	buf[0] = '\0';
	if (len < 4)
		return buf;
	/* Each read() is one message; the last one explains the failure. */
	while ((got = read(fd, buf + 2, len - 4)) > 0) {
		buf[0] = ' ';
		buf[1] = '(';
		buf[2 + got] = '\0';
		buf[2 + strcspn(buf + 2, "\n")] = '\0';
		strcat(buf, ")");
	}
	return buf;
}

static int set_string(int fd, const char *key, const char *value)
{
	return sys_fsconfig(fd, SYS_FSCONFIG_SET_STRING, key, value, 0) ? -errno : 0;
}

/*
 * index=off: a persistent upper is reused when the stack under it changes
 * (a new version below the same top).  With index=on overlayfs records the
 * lower root in the upper and then refuses the changed stack with ESTALE;
 * the kernel default depends on CONFIG_OVERLAY_FS_INDEX, so say it.
 */
static int set_layers(int fd, const struct stack_mount *s, size_t *bad)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < s->n; i++) {
		ret = set_string(fd, "lowerdir+", s->lower[i]);
		if (ret) {
			*bad = i;
			return ret;
		}
	}
	if (!ret && s->upper)
		ret = set_string(fd, "upperdir", s->upper);
	if (!ret && s->upper)
		ret = set_string(fd, "workdir", s->work);
	if (!ret)
		ret = set_string(fd, "index", "off");
	return ret;
}

static int create_and_move(int fd, const struct stack_mount *s)
{
	int mfd, ret = 0;

	if (sys_fsconfig(fd, SYS_FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return -errno;
	mfd = sys_fsmount(fd, SYS_FSMOUNT_CLOEXEC, s->upper ? 0 : SYS_MOUNT_ATTR_RDONLY);
	if (mfd < 0)
		return -errno;
	if (sys_move_mount(mfd, "", AT_FDCWD, s->target, SYS_MOVE_MOUNT_F_EMPTY_PATH))
		ret = -errno;
	close(mfd);
	return ret;
}

int ovl_mount_fsconfig(const struct stack_mount *s, char *err, size_t errlen)
{
	char msg[256];
	size_t bad = s->n;
	int fd, ret;

	if (legacy_options())
		return -EOPNOTSUPP;
	fd = sys_fsopen("overlay", SYS_FSOPEN_CLOEXEC);
	if (fd < 0)
		return errno == ENOSYS ? -EOPNOTSUPP : -errno;
	ret = set_string(fd, "source", "overlay");
	if (!ret)
		ret = set_layers(fd, s, &bad);
	/* Linux 6.5 to 6.7 do not know lowerdir+ at all. */
	if (ret == -EINVAL && bad == 0) {
		close(fd);
		return -EOPNOTSUPP;
	}
	if (ret && bad < s->n)
		errmsg(err, errlen, "overlay: lower layer %s: %s%s",
		       s->lower[bad], strerror(-ret),
		       fc_message(fd, msg, sizeof(msg)));
	else if (ret)
		errmsg(err, errlen, "overlay: options: %s%s", strerror(-ret),
		       fc_message(fd, msg, sizeof(msg)));
	if (!ret) {
		ret = create_and_move(fd, s);
		if (ret)
			errmsg(err, errlen, "overlay on %s: %s%s", s->target,
			       strerror(-ret), fc_message(fd, msg, sizeof(msg)));
	}
	close(fd);
	return ret;
}
