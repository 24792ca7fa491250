/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "mkinitramfs/decompress.h"
#include "mkinitramfs/readfile.h"
#include "mkinitramfs/xalloc.h"

struct growbuf {
	unsigned char *p;
	size_t len, cap;
};

/* Room for at least 64 KiB more output; returns the free space. */
static size_t make_room(struct growbuf *b)
{
	if (b->cap - b->len < 65536) {
		b->cap = b->cap * 2 + 65536;
		b->p = xrealloc(b->p, b->cap);
	}
	return b->cap - b->len;
}

static int unxz(const unsigned char *in, size_t len, struct growbuf *b)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret ret;

	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return -1;
	s.next_in = in;
	s.avail_in = len;
	do {
		s.avail_out = make_room(b);
		s.next_out = b->p + b->len;
		ret = lzma_code(&s, LZMA_FINISH);
		b->len = b->cap - s.avail_out;
	} while (ret == LZMA_OK);
	lzma_end(&s);
	return ret == LZMA_STREAM_END ? 0 : -1;
}

static int unzstd(const unsigned char *in, size_t len, struct growbuf *b)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();
	ZSTD_inBuffer ib = { .src = in, .size = len };
	ZSTD_outBuffer ob;
	size_t ret = 1;

	if (!d)
		return -1;
	while (ret && !ZSTD_isError(ret)) {
		ob = (ZSTD_outBuffer){ .size = make_room(b) };
		ob.dst = b->p + b->len;
		ret = ZSTD_decompressStream(d, &ob, &ib);
		b->len += ob.pos;
		if (ib.pos == ib.size && ob.pos < ob.size && ret)
			break;	/* truncated: no more input, frame unfinished */
	}
	ZSTD_freeDCtx(d);
	return ret == 0 ? 0 : -1;
}

static int gunzip(const unsigned char *in, size_t len, struct growbuf *b)
{
	z_stream z = { .next_in = (unsigned char *)in, .avail_in = (uInt)len };
	int ret;

	if (inflateInit2(&z, 16 + 15) != Z_OK)
		return -1;
	do {
		z.avail_out = (uInt)make_room(b);
		z.next_out = b->p + b->len;
		ret = inflate(&z, Z_NO_FLUSH);
		b->len = b->cap - z.avail_out;
	} while (ret == Z_OK);
	inflateEnd(&z);
	return ret == Z_STREAM_END ? 0 : -1;
}

static int (*decoder_for(const unsigned char *p, size_t len))
	(const unsigned char *, size_t, struct growbuf *)
{
	static const unsigned char xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0 };
	static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const unsigned char gz_magic[] = { 0x1f, 0x8b };

	if (len >= sizeof(xz_magic) && !memcmp(p, xz_magic, sizeof(xz_magic)))
		return unxz;
	if (len >= sizeof(zstd_magic) &&
	    !memcmp(p, zstd_magic, sizeof(zstd_magic)))
		return unzstd;
	if (len >= sizeof(gz_magic) && !memcmp(p, gz_magic, sizeof(gz_magic)))
		return gunzip;
	return NULL;
}

int read_module_file(const char *path, unsigned char **data, size_t *size)
{
	int (*decode)(const unsigned char *, size_t, struct growbuf *);
	struct growbuf out = { 0 };
	unsigned char *raw;
	size_t len;

	if (read_whole_file(path, &raw, &len))
		return -1;
	decode = decoder_for(raw, len);
	if (!decode) {
		*data = raw;
		*size = len;
		return 0;
	}
	if (decode(raw, len, &out)) {
		free(raw);
		free(out.p);
		errno = EBADMSG;
		return -1;
	}
	free(raw);
	*data = out.p;
	*size = out.len;
	return 0;
}

size_t module_suffix_len(const char *name)
{
	static const char *const suffixes[] = { ".xz", ".zst", ".gz" };
	size_t n = strlen(name), i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t s = strlen(suffixes[i]);

		if (n > s && !strcmp(name + n - s, suffixes[i]))
			return s;
	}
	return 0;
}
