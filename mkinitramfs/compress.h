/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_COMPRESS_H
#define OVROOT_MK_COMPRESS_H

#include <stddef.h>

/*
 * Compression of the image as it is written, through each codec's library.
 * The output depends only on the input bytes: gzip gets a header with mtime
 * 0, and xz uses CRC32 checks, the kind the kernel's xz decoder accepts.
 */

enum compress_kind {
	COMPRESS_NONE,
	COMPRESS_GZIP,
	COMPRESS_ZSTD,
	COMPRESS_XZ,
};

struct compress_stream;

/* "none", "gzip", "zstd" or "xz"; 0, or -1 for any other name. */
int compress_kind_parse(const char *name, enum compress_kind *kind);

/* A stream that writes to fd; NULL with errno set on failure. */
struct compress_stream *compress_open(enum compress_kind kind, int fd);

/* Compresses len bytes (a cpio_write_fn); 0, or -1 with errno set. */
int compress_write(void *stream, const void *buf, size_t len);

/* Ends the stream and frees it; 0, or -1 with errno set. */
int compress_close(struct compress_stream *s);

/* Frees the stream without finishing it, after an error. */
void compress_abort(struct compress_stream *s);

#endif
