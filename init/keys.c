/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "init/keys.h"

#define BITS_LONG (8 * sizeof(long))
#define KEY_LONGS ((KEY_MAX + BITS_LONG) / BITS_LONG)

static bool bit(const unsigned long *bits, unsigned n)
{
	return bits[n / BITS_LONG] >> (n % BITS_LONG) & 1;
}

void keys_init(struct keywatch *w, const unsigned short *keys, size_t nkeys)
{
	memset(w, 0, sizeof(*w));
	w->keys = keys;
	w->nkeys = nkeys;
}

static bool can_report_a_key(const struct keywatch *w, int fd)
{
	unsigned long caps[KEY_LONGS] = { 0 };

	if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof(caps)), caps) < 0)
		return false;
	for (size_t i = 0; i < w->nkeys; i++)
		if (bit(caps, w->keys[i]))
			return true;
	return false;
}

static bool known(const struct keywatch *w, const char *node)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->node[i], node) == 0)
			return true;
	return false;
}

static void consider(struct keywatch *w, int dirfd, const char *node)
{
	int fd;

	if (strncmp(node, "event", 5) != 0 || strlen(node) >= sizeof(w->node[0]) ||
	    known(w, node) || w->n == KEYBOARDS_MAX)
		return;
	fd = openat(dirfd, node, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!can_report_a_key(w, fd)) {
		close(fd);
		return;
	}
	w->fd[w->n] = fd;
	snprintf(w->node[w->n], sizeof(w->node[0]), "%s", node);
	w->n++;
}

/* Opens the keyboards that appeared since the last scan; returns how many are open. */
size_t keys_scan(struct keywatch *w, const char *input_dir)
{
	DIR *d = opendir(input_dir);
	struct dirent *e;

	if (!d)
		return w->n;
	while ((e = readdir(d)))
		consider(w, dirfd(d), e->d_name);
	closedir(d);
	return w->n;
}

/* EVIOCGKEY gives the state now, whether or not we read the events. */
bool key_down(const struct keywatch *w, unsigned short code)
{
	for (size_t i = 0; i < w->n; i++) {
		unsigned long state[KEY_LONGS] = { 0 };

		if (ioctl(w->fd[i], EVIOCGKEY(sizeof(state)), state) >= 0 && bit(state, code))
			return true;
	}
	return false;
}

bool keys_held(const struct keywatch *w)
{
	for (size_t k = 0; k < w->nkeys; k++)
		if (key_down(w, w->keys[k]))
			return true;
	return false;
}

/* A USB host controller's root hub ("usb1") is there: its keyboards come later. */
bool usb_hosts(const char *usb_devices)
{
	DIR *d = opendir(usb_devices);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = strncmp(e->d_name, "usb", 3) == 0;
	closedir(d);
	return found;
}

long long key_deadline(long long kbd_first, long long kbd_last, long long usb_since, int wait_ms)
{
	long long start = kbd_first, last = kbd_last, end;

	if (usb_since >= 0 && (start < 0 || usb_since < start))
		start = usb_since;
	if (start < 0)
		return -1;
	if (usb_since > last)
		last = usb_since;
	end = last + wait_ms;
	return end < start + 2LL * wait_ms ? end : start + 2LL * wait_ms;
}

void keys_close(struct keywatch *w)
{
	for (size_t i = 0; i < w->n; i++)
		close(w->fd[i]);
	w->n = 0;
}
