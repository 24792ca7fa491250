/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_DECOMPRESS_H
#define OVROOT_MK_DECOMPRESS_H

#include <stddef.h>

/*
 * Reads a kernel module, decompressing it if it is an xz, zstd or gzip
 * file (told by its magic, not its name), so that the image holds plain
 * .ko files and the init needs no decompressor.  0, or -1 with errno set
 * (EBADMSG for a damaged compressed file).
 */
int read_module_file(const char *path, unsigned char **data, size_t *size);

/* The length of a compression suffix (".xz", ".zst", ".gz") ending name. */
size_t module_suffix_len(const char *name);

#endif
