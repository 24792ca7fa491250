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
bool keys_held(const struct keywatch *w);
void keys_close(struct keywatch *w);

#endif
