/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 for the command: libmd does the work. */
#include <errno.h>
#include <unistd.h>

#include "command/digest.h"

void digest_init(struct digest *d)
{
	SHA256Init(&d->ctx);
}

void digest_add(struct digest *d, const void *buf, size_t len)
{
	SHA256Update(&d->ctx, buf, len);
}

void digest_end(struct digest *d, char hex[SHA256_HEX_LEN])
{
	SHA256End(&d->ctx, hex);
}

int sha256_fd(int fd, char hex[SHA256_HEX_LEN])
{
	struct digest d;
	static unsigned char buf[1 << 16];
	ssize_t n;

	digest_init(&d);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		digest_add(&d, buf, (size_t)n);
	}
	digest_end(&d, hex);
	return 0;
}

void sha256_buf(const void *buf, size_t len, char hex[SHA256_HEX_LEN])
{
	struct digest d;

	digest_init(&d);
	digest_add(&d, buf, len);
	digest_end(&d, hex);
}
