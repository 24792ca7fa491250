/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_COPY_H
#define OVROOT_LIB_COPY_H

/*
 * Copies srcdir/src to dstdir/dst, which must not exist: a regular file, a
 * directory with everything beneath it (no other mount's tree), or
 * a symlink as a symlink; nothing is followed.  Devices, FIFOs and sockets
 * are left out.  Mode, owner and times are kept; every file and directory
 * made is fsynced, so that a rename of dst afterwards is durable.  0, or
 * -errno of the first failure.
 */
int copy_entry(int srcdir, const char *src, int dstdir, const char *dst);
/* Copies what is left to read of in to out and fsyncs out: 0 or -errno. */
int copy_data(int in, int out);

#endif
