/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_OCI_LAYOUT_H
#define OVROOT_COMMAND_OCI_LAYOUT_H

#include <stddef.h>

#include "command/oci.h"

/* A layer of an image: its blob, what it is compressed with, its version name. */
struct oci_layer {
	enum oci_media media;
	char hex[SHA256_HEX_LEN];
	long long size;
	char name[VERSION_NAME_MAX + 1];
};

/* An image of a layout: its manifest's digest and layers, bottom first. */
struct oci_image {
	char manifest_hex[SHA256_HEX_LEN];
	size_t n;
	struct oci_layer *layer;
};

/*
 * Reads the image TAG (NULL: the only or "latest") of the OCI image layout
 * open at dirfd: oci-layout, index.json, an image index one level deep, the
 * manifest.  Every blob read is checked against its digest and size first;
 * every path stays beneath dirfd.  0, or -1 with err.
 */
int oci_image_load(int dirfd, const char *tag, struct oci_image *img, char *err, size_t errlen);
void oci_image_free(struct oci_image *img);

/*
 * Opens blobs/sha256/HEX beneath dirfd, a regular file of the size given
 * (-1: any) whose content has that digest: an fd at offset 0, or -1 with err.
 */
int oci_blob_open(int dirfd, const char hex[SHA256_HEX_LEN], long long size,
		  char *err, size_t errlen);

#endif
