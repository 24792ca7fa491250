/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_COMMAND_OCI_H
#define OVROOT_COMMAND_OCI_H

#include <stdbool.h>
#include <stddef.h>

#include "command/digest.h"
#include "selector/stack.h"

/*
 * The decisions of reading an OCI image layout (what `skopeo copy ...
 * oci:DIR:TAG` and umoci write), apart from the JSON walk (oci_layout.c):
 * which media types are known, what a digest must look like, which image
 * a tag names, and the version name of a layer.  No I/O here.
 */

enum oci_media {
	OCI_MEDIA_UNKNOWN,
	OCI_MEDIA_INDEX,		/* an image index: manifests, one per platform */
	OCI_MEDIA_MANIFEST,		/* an image: config and layers */
	OCI_MEDIA_CONFIG,
	OCI_MEDIA_LAYER_TAR,		/* a layer: tar, plain or compressed */
	OCI_MEDIA_LAYER_GZIP,
	OCI_MEDIA_LAYER_ZSTD,
	OCI_MEDIA_LAYER_FOREIGN,	/* non-distributable: not in the layout, refused */
};

enum oci_media oci_media_kind(const char *type);
bool oci_media_is_layer(enum oci_media m);

/* "sha256:" and 64 lower-case hex digits: hex gets the digits; 0 or -1. */
int oci_digest_hex(const char *digest, char hex[SHA256_HEX_LEN]);

/* The longest prefix of the digest a version name holds: 57 of 64 hex digits. */
#define OCI_LAYER_PREFIX "sha256-"
#define OCI_LAYER_HEX (VERSION_NAME_MAX - (int)sizeof(OCI_LAYER_PREFIX) + 1)
/* The version name of the layer whose blob has this digest: "sha256-0123...". */
void oci_layer_name(const char hex[SHA256_HEX_LEN], char name[VERSION_NAME_MAX + 1]);

/* One descriptor of an index, as far as choosing among them needs. */
struct oci_desc {
	enum oci_media media;
	char hex[SHA256_HEX_LEN];
	long long size;
	const char *ref;		/* org.opencontainers.image.ref.name, NULL */
	const char *arch, *os, *variant;	/* platform, NULL when absent */
};

/*
 * The manifest the tag names in index.json: with a tag, the one whose
 * ref.name is the tag; without, the only one, else the one named "latest".
 * The index of it, or -1 with err.
 */
int oci_pick_tag(const struct oci_desc *d, size_t n, const char *tag, char *err, size_t errlen);

/*
 * In an image index (one per platform): the only manifest, else the one for
 * linux on arch (GOARCH spelling, variant for arm).  Index, or -1 with err.
 */
int oci_pick_platform(const struct oci_desc *d, size_t n, const char *arch,
		      const char *variant, char *err, size_t errlen);

/* This build's platform as OCI spells it: "amd64", "386", "arm" "v7", "arm64". */
const char *oci_host_arch(void);
const char *oci_host_variant(void);

/*
 * "oci:DIR[:TAG]" (the first ':' after DIR separates the tag, as skopeo
 * reads it): dir and tag point into a copy in buf; tag is NULL when absent.
 * 1 when from is an OCI source, 0 when it is not ("oci:" missing), -1 bad.
 */
int oci_source_parse(const char *from, char *buf, size_t len, const char **dir,
		     const char **tag);

#endif
