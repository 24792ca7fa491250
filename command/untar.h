/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_UNTAR_H
#define OVROOT_COMMAND_UNTAR_H

#include <stddef.h>

#include "command/manifest.h"

/*
 * Unpacks the tar stream read from fd (plain, gzip, zstd, xz) into rootfd,
 * the staging directory, never writing outside it (command/stage.h says
 * what is refused); flags: STAGE_OCI_WHITEOUTS.  src gets the manifest of
 * what the stream holds (sorted; directories it implies but lacks are
 * 0755 and owned by the caller), hex the sha256 of every byte fd gave, read
 * to its end.  0, or -1 with why in err.
 */
int untar(int fd, int rootfd, unsigned flags, struct manifest *src, char hex[SHA256_HEX_LEN],
	  char *err, size_t errlen);

#endif
