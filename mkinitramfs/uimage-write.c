/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "mkinitramfs/readfile.h"
#include "mkinitramfs/uimage.h"

int uimage_reserve(int fd)
{
	static const unsigned char blank[UIMAGE_HEADER_SIZE];

	return write_all(fd, blank, sizeof(blank));
}

/* Size and CRC-32 of fd's bytes from the end of the header on. */
static int sum_data(int fd, struct uimage_info *u)
{
	unsigned char buf[1 << 16];
	off_t off = UIMAGE_HEADER_SIZE;
	uLong crc = crc32(0, NULL, 0);
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		crc = crc32(crc, buf, (uInt)n);
		off += n;
		if (off - UIMAGE_HEADER_SIZE > (off_t)UINT32_MAX) {
			errno = EFBIG;
			return -1;
		}
	}
	u->size = (uint32_t)(off - UIMAGE_HEADER_SIZE);
	u->dcrc = (uint32_t)crc;
	return 0;
}

int uimage_finish(int fd, struct uimage_info *u)
{
	unsigned char hdr[UIMAGE_HEADER_SIZE];
	ssize_t n;

	if (sum_data(fd, u))
		return -1;
	uimage_header(u, hdr);
	n = pwrite(fd, hdr, sizeof(hdr), 0);
	if (n == (ssize_t)sizeof(hdr))
		return 0;
	if (n >= 0)
		errno = EIO;
	return -1;
}
