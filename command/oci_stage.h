/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_OCI_STAGE_H
#define OVROOT_COMMAND_OCI_STAGE_H

#include "command/store.h"

/*
 * `ovroot stage NAME --from oci:DIR[:TAG]`: every layer of the image is
 * staged as the version sha256-<57 hex digits of its blob's digest>
 * (stage_tar_layer_sha256, OCI whiteouts made overlayfs ones, the bytes
 * read hashed again) unless that version
 * is already in the store; then ovroot/images/NAME records the stack
 * L_top+...+L_bottom for `promote NAME`.  The whole layout (JSON and every
 * layer blob, by digest) is checked before anything is written.  The
 * caller holds the store lock.  sha256 (NULL: none) must be the digest of
 * the image's manifest, as a registry names the image (@sha256:...).  0, or
 * 1 said.
 */
int oci_stage(struct store *s, const char *name, const char *from, const char *sha256);

#endif
