/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_MSG_H
#define OVROOT_MK_MSG_H

/*
 * Diagnostics of ovroot-mkinitramfs.  Every message is one line on stderr
 * that starts with the program name, so a build log shows which tool spoke.
 */

#define MK_PROG "ovroot-mkinitramfs"

/* "ovroot-mkinitramfs: WHAT: PATH: strerror(ERRNUM)" */
void mk_error(const char *what, const char *path, int errnum);

/* "ovroot-mkinitramfs: " followed by the formatted text. */
void mk_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "ovroot-mkinitramfs: note: " followed by the formatted text. */
void mk_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
