/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_DIGEST_H
#define OVROOT_COMMAND_DIGEST_H

#include <stddef.h>
#include <sha2.h>

/* SHA-256 (libmd) of what the command stages and verifies, as 64 lower-case
 * hex digits and a NUL. */
#define SHA256_HEX_LEN (2 * SHA256_DIGEST_LENGTH + 1)

struct digest {
	SHA2_CTX ctx;
};

void digest_init(struct digest *d);
void digest_add(struct digest *d, const void *buf, size_t len);
void digest_end(struct digest *d, char hex[SHA256_HEX_LEN]);

/* The digest of everything fd reads from where it stands: 0, or -errno. */
int sha256_fd(int fd, char hex[SHA256_HEX_LEN]);
void sha256_buf(const void *buf, size_t len, char hex[SHA256_HEX_LEN]);

#endif
