/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver of tests/ns/badstore.sh: a virtual keyboard through /dev/uinput.
 *   ns-uinput check                 exit 0 when /dev/uinput makes devices
 *   ns-uinput keyboard|idle DELAY_MS HOLD_S
 * sleeps DELAY_MS, creates a keyboard that can report Esc, holds Esc down
 * on it (one key-down, no key-up: it stays held for EVIOCGKEY; "idle"
 * holds nothing) and keeps it for HOLD_S seconds before it goes away.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/uinput.h>

static int emit(int fd, int type, int code, int value)
{
	struct input_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = (unsigned short)type;
	ev.code = (unsigned short)code;
	ev.value = value;
	return write(fd, &ev, sizeof(ev)) == (ssize_t)sizeof(ev) ? 0 : -1;
}

static int create_keyboard(void)
{
	struct uinput_setup setup;
	int fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	memset(&setup, 0, sizeof(setup));
	setup.id.bustype = BUS_USB;
	setup.id.vendor = 0x1d6b;
	setup.id.product = 0x0104;
	snprintf(setup.name, sizeof(setup.name), "ovroot test keyboard");
	if (ioctl(fd, UI_SET_EVBIT, EV_KEY) < 0 || ioctl(fd, UI_SET_KEYBIT, KEY_ESC) < 0 ||
	    ioctl(fd, UI_SET_KEYBIT, KEY_A) < 0 || ioctl(fd, UI_DEV_SETUP, &setup) < 0 ||
	    ioctl(fd, UI_DEV_CREATE) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 2 && strcmp(argv[1], "check") == 0) {
		fd = create_keyboard();
		if (fd < 0)
			return 1;
		ioctl(fd, UI_DEV_DESTROY);
		close(fd);
		return 0;
	}
	if (argc != 4 || (strcmp(argv[1], "keyboard") != 0 && strcmp(argv[1], "idle") != 0)) {
		fprintf(stderr, "usage: ns-uinput check | keyboard|idle DELAY_MS HOLD_S\n");
		return 2;
	}
	usleep((useconds_t)atoi(argv[2]) * 1000);
	fd = create_keyboard();
	if (fd < 0) {
		perror("/dev/uinput");
		return 1;
	}
	/* udev-less: the node appears through devtmpfs; give evdev a moment. */
	usleep(100000);
	if (strcmp(argv[1], "keyboard") == 0 &&
	    (emit(fd, EV_KEY, KEY_ESC, 1) < 0 || emit(fd, EV_SYN, SYN_REPORT, 0) < 0))
		perror("uinput write");
	sleep((unsigned)atoi(argv[3]));
	ioctl(fd, UI_DEV_DESTROY);
	close(fd);
	return 0;
}
