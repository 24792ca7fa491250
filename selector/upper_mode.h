/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_UPPER_MODE_H
#define OVROOT_UPPER_MODE_H

/* The writable layer over a stack. */
enum upper_mode {
	UPPER_TMPFS,	/* writable, forgotten at reboot (default) */
	UPPER_PERSIST,	/* upper/TOP and work/TOP on the store */
	UPPER_NONE,	/* read-only root */
};

int upper_mode_parse(const char *s, size_t len);	/* -1 when unknown */
const char *upper_mode_name(int mode);

#endif
