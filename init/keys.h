/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_INIT_KEYS_H
#define OVROOT_INIT_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#define KEYBOARDS_MAX 16

/* The input devices that can report one of the rollback keys. */
struct keywatch {
	const unsigned short *keys;
	size_t nkeys;
	int fd[KEYBOARDS_MAX];
	char node[KEYBOARDS_MAX][16];	/* "event3": each device opened once */
	size_t n;
};

void keys_init(struct keywatch *w, const unsigned short *keys, size_t nkeys);
size_t keys_scan(struct keywatch *w, const char *input_dir);
bool keys_held(const struct keywatch *w);		/* any of w->keys */
bool key_down(const struct keywatch *w, unsigned short code);
void keys_close(struct keywatch *w);
bool usb_hosts(const char *usb_devices);

/*
 * When the key window closes (ms, as now_ms()), -1 when it never opened.
 * A keyboard or a USB host controller (whose keyboards appear a second or
 * so later) opens it; the last keyboard to appear, or the controller, gets
 * the whole wait from then; the window lasts at most twice the wait from
 * its start.  Times are -1 when that never happened.
 */
long long key_deadline(long long kbd_first, long long kbd_last, long long usb_since, int wait_ms);

#endif
