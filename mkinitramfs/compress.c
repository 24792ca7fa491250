/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "mkinitramfs/compress.h"
#include "mkinitramfs/readfile.h"
#include "mkinitramfs/xalloc.h"

/* zlib's default level: -9 costs six times the time for 1% less. */
#define GZIP_LEVEL 6
#define ZSTD_LEVEL 19
#define XZ_PRESET 6
#define OUT_SIZE (1 << 16)

struct compress_stream {
	enum compress_kind kind;
	int fd;
	int ready;		/* the codec state needs freeing */
	size_t held;		/* COMPRESS_NONE: bytes waiting in out */
	z_stream gz;
	ZSTD_CCtx *zstd;
	lzma_stream xz;
	unsigned char out[OUT_SIZE];
};

int compress_kind_parse(const char *name, enum compress_kind *kind)
{
	static const char *const names[] = {
		[COMPRESS_NONE] = "none", [COMPRESS_GZIP] = "gzip",
		[COMPRESS_ZSTD] = "zstd", [COMPRESS_XZ] = "xz",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*kind = (enum compress_kind)i;
			return 0;
		}
	}
	return -1;
}

static int flush_out(struct compress_stream *s, size_t len)
{
	return write_all(s->fd, s->out, len);
}

static int step_none(struct compress_stream *s, const unsigned char *in,
		     size_t len, int finish)
{
	while (len) {
		size_t n = OUT_SIZE - s->held < len ? OUT_SIZE - s->held : len;
		memcpy(s->out + s->held, in, n);
		s->held += n;
		in += n;
		len -= n;
		if (s->held == OUT_SIZE && flush_out(s, OUT_SIZE))
			return -1;
		if (s->held == OUT_SIZE)
			s->held = 0;
	}
	if (finish && s->held && flush_out(s, s->held))
		return -1;
	return 0;
}

static int step_gzip(struct compress_stream *s, const unsigned char *in,
		     size_t len, int finish)
{
	int ret;

	s->gz.next_in = (unsigned char *)in;
	s->gz.avail_in = (uInt)len;
	do {
		s->gz.next_out = s->out;
		s->gz.avail_out = OUT_SIZE;
		ret = deflate(&s->gz, finish ? Z_FINISH : Z_NO_FLUSH);
		if (ret == Z_STREAM_ERROR) {
			errno = EIO;
			return -1;
		}
		if (flush_out(s, OUT_SIZE - s->gz.avail_out))
			return -1;
	} while (s->gz.avail_in || (finish && ret != Z_STREAM_END));
	return 0;
}

static int step_zstd(struct compress_stream *s, const unsigned char *in,
		     size_t len, int finish)
{
	ZSTD_inBuffer ib = { .src = in, .size = len };
	ZSTD_outBuffer ob;
	size_t left;

	do {
		ob = (ZSTD_outBuffer){ .dst = s->out, .size = OUT_SIZE };
		left = ZSTD_compressStream2(s->zstd, &ob, &ib,
					    finish ? ZSTD_e_end : ZSTD_e_continue);
		if (ZSTD_isError(left)) {
			errno = EIO;
			return -1;
		}
		if (flush_out(s, ob.pos))
			return -1;
	} while (ib.pos < ib.size || (finish && left));
	return 0;
}

static int step_xz(struct compress_stream *s, const unsigned char *in,
		   size_t len, int finish)
{
	lzma_ret ret;

	s->xz.next_in = in;
	s->xz.avail_in = len;
	do {
		s->xz.next_out = s->out;
		s->xz.avail_out = OUT_SIZE;
		ret = lzma_code(&s->xz, finish ? LZMA_FINISH : LZMA_RUN);
		if (ret != LZMA_OK && ret != LZMA_STREAM_END) {
			errno = ret == LZMA_MEM_ERROR ? ENOMEM : EIO;
			return -1;
		}
		if (flush_out(s, OUT_SIZE - s->xz.avail_out))
			return -1;
	} while (s->xz.avail_in || (finish && ret != LZMA_STREAM_END));
	return 0;
}

static int step(struct compress_stream *s, const void *in, size_t len,
		int finish)
{
	switch (s->kind) {
	case COMPRESS_GZIP:
		return step_gzip(s, in, len, finish);
	case COMPRESS_ZSTD:
		return step_zstd(s, in, len, finish);
	case COMPRESS_XZ:
		return step_xz(s, in, len, finish);
	default:
		return step_none(s, in, len, finish);
	}
}

static int start_codec(struct compress_stream *s)
{
	lzma_stream xz_init = LZMA_STREAM_INIT;

	switch (s->kind) {
	case COMPRESS_GZIP:
		/* 16 + 15: a gzip wrapper, whose default header has mtime 0. */
		return deflateInit2(&s->gz, GZIP_LEVEL, Z_DEFLATED, 16 + 15, 8,
				    Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -1;
	case COMPRESS_ZSTD:
		s->zstd = ZSTD_createCCtx();
		if (!s->zstd)
			return -1;
		ZSTD_CCtx_setParameter(s->zstd, ZSTD_c_compressionLevel,
				       ZSTD_LEVEL);
		ZSTD_CCtx_setParameter(s->zstd, ZSTD_c_checksumFlag, 1);
		return 0;
	case COMPRESS_XZ:
		s->xz = xz_init;
		return lzma_easy_encoder(&s->xz, XZ_PRESET, LZMA_CHECK_CRC32) ==
		       LZMA_OK ? 0 : -1;
	default:
		return 0;
	}
}

struct compress_stream *compress_open(enum compress_kind kind, int fd)
{
	struct compress_stream *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->fd = fd;
	if (start_codec(s)) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->ready = 1;
	return s;
}

int compress_write(void *stream, const void *buf, size_t len)
{
	return step(stream, buf, len, 0);
}

void compress_abort(struct compress_stream *s)
{
	if (!s)
		return;
	if (s->ready && s->kind == COMPRESS_GZIP)
		deflateEnd(&s->gz);
	if (s->ready && s->kind == COMPRESS_XZ)
		lzma_end(&s->xz);
	ZSTD_freeCCtx(s->zstd);
	free(s);
}

int compress_close(struct compress_stream *s)
{
	int ret = step(s, NULL, 0, 1);
	int saved = errno;

	compress_abort(s);
	errno = saved;
	return ret;
}
