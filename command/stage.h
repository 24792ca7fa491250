/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_STAGE_H
#define OVROOT_COMMAND_STAGE_H

#include "command/store.h"

/*
 * Getting a version into the store (docs/ovroot.md, "stage").  Everything is
 * made under versions/.staging-NAME (a name no command takes for a version)
 * and appears as versions/NAME by one rename once it is whole, synced and
 * compared with its source; its manifest is ovroot/manifests/NAME.
 */

/* Flags of stage_tar_layer. */
#define STAGE_OCI_WHITEOUTS 0x1u	/* .wh.NAME -> whiteout, .wh..wh..opq -> opaque dir */

/*
 * Stages ONE tar stream read from fd (plain, gzip, zstd or xz: libarchive
 * tells) as the version name of the store s, a layer as it stands: with
 * STAGE_OCI_WHITEOUTS the OCI whiteouts become overlayfs ones (a member
 * .wh.X: a character device 0/0 named X; .wh..wh..opq: its directory gets
 * trusted.overlay.opaque=y), as an OCI image layer needs to lie over the
 * layers below it.  No member is ever written outside the staging
 * directory: "..", absolute names, members through a symlink, hard links
 * to names outside the stream and device nodes other than whiteouts are
 * refused, and then nothing is left.
 *
 * The caller holds the store lock (store_lock; ovroot's dispatch takes it
 * for the commands that write) and has made the store writable
 * (store_writable).  What an interrupted staging left is removed first and
 * said; a name that is already a version is refused.  fd is read to its end
 * and not closed.  Returns 0, or -1 with the reason said on stderr.
 */
int stage_tar_layer(struct store *s, const char *name, int fd, unsigned flags);
/*
 * The same, and the bytes read from fd must have the sha256 expect (64 hex
 * digits; NULL: any): a stream that does not is refused before the version
 * appears.  The OCI reader passes the layer's digest, so that a blob
 * changed in place after it was checked is never staged.
 */
int stage_tar_layer_sha256(struct store *s, const char *name, int fd, unsigned flags,
			   const char *expect);

#endif
