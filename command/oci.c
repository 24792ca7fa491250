/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The decisions of reading an OCI image layout; oci_layout.c walks the JSON. */
#include <stdio.h>
#include <string.h>

#include "command/oci.h"

static const struct {
	const char *type;
	enum oci_media media;
} media_types[] = {
	{ "application/vnd.oci.image.index.v1+json", OCI_MEDIA_INDEX },
	{ "application/vnd.oci.image.manifest.v1+json", OCI_MEDIA_MANIFEST },
	{ "application/vnd.oci.image.config.v1+json", OCI_MEDIA_CONFIG },
	{ "application/vnd.oci.image.layer.v1.tar", OCI_MEDIA_LAYER_TAR },
	{ "application/vnd.oci.image.layer.v1.tar+gzip", OCI_MEDIA_LAYER_GZIP },
	{ "application/vnd.oci.image.layer.v1.tar+zstd", OCI_MEDIA_LAYER_ZSTD },
	/* A layer of a Docker schema 2 image, kept as it was by some copiers. */
	{ "application/vnd.docker.image.rootfs.diff.tar.gzip", OCI_MEDIA_LAYER_GZIP },
	/* Its blob is fetched from elsewhere, never part of a layout. */
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar", OCI_MEDIA_LAYER_FOREIGN },
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
	  OCI_MEDIA_LAYER_FOREIGN },
	{ "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
	  OCI_MEDIA_LAYER_FOREIGN },
};

enum oci_media oci_media_kind(const char *type)
{
	for (size_t i = 0; type && i < sizeof(media_types) / sizeof(media_types[0]); i++)
		if (!strcmp(type, media_types[i].type))
			return media_types[i].media;
	return OCI_MEDIA_UNKNOWN;
}

bool oci_media_is_layer(enum oci_media m)
{
	return m == OCI_MEDIA_LAYER_TAR || m == OCI_MEDIA_LAYER_GZIP || m == OCI_MEDIA_LAYER_ZSTD;
}

/*
 * Only sha256: it is what registries and skopeo write, and a digest names a
 * file under blobs/sha256/, so nothing but the 64 digits ever reaches a path.
 */
int oci_digest_hex(const char *digest, char hex[SHA256_HEX_LEN])
{
	static const char algo[] = "sha256:";
	const char *h;

	if (!digest || strncmp(digest, algo, sizeof(algo) - 1))
		return -1;
	h = digest + sizeof(algo) - 1;
	if (strlen(h) != SHA256_HEX_LEN - 1)
		return -1;
	for (size_t i = 0; i < SHA256_HEX_LEN - 1; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return -1;
	memcpy(hex, h, SHA256_HEX_LEN);
	return 0;
}

/*
 * 228 bits of the digest: no two layers share a name by chance or by design,
 * so a version of this name is the layer and is not staged again.
 */
void oci_layer_name(const char hex[SHA256_HEX_LEN], char name[VERSION_NAME_MAX + 1])
{
	snprintf(name, VERSION_NAME_MAX + 1, "%s%.*s", OCI_LAYER_PREFIX, OCI_LAYER_HEX, hex);
}

static int find_ref(const struct oci_desc *d, size_t n, const char *ref)
{
	int found = -1;

	for (size_t i = 0; i < n; i++)
		if (d[i].ref && !strcmp(d[i].ref, ref)) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	return found;
}

int oci_pick_tag(const struct oci_desc *d, size_t n, const char *tag, char *err, size_t errlen)
{
	int i;

	if (n == 0) {
		snprintf(err, errlen, "index.json lists no image");
		return -1;
	}
	if (!tag && n == 1)
		return 0;
	i = find_ref(d, n, tag ? tag : "latest");
	if (i == -2)
		snprintf(err, errlen, "index.json names two images '%s'", tag ? tag : "latest");
	else if (i < 0 && tag)
		snprintf(err, errlen, "index.json has no image tagged '%.128s'", tag);
	else if (i < 0)
		snprintf(err, errlen, "index.json lists %zu images and none is 'latest': "
			 "name one, oci:DIR:TAG", n);
	return i < 0 ? -1 : i;
}

static bool platform_is(const struct oci_desc *d, const char *arch, const char *variant)
{
	if (!d->arch || strcmp(d->arch, arch) || (d->os && strcmp(d->os, "linux")))
		return false;
	return !variant || !d->variant || !strcmp(d->variant, variant);
}

int oci_pick_platform(const struct oci_desc *d, size_t n, const char *arch,
		      const char *variant, char *err, size_t errlen)
{
	if (n == 1 && !d[0].arch)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (platform_is(&d[i], arch, variant))
			return (int)i;
	snprintf(err, errlen, "the image index has no image for linux/%s%s%s", arch,
		 variant ? "/" : "", variant ? variant : "");
	return -1;
}

const char *oci_host_arch(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__i386__)
	return "386";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#else
	return "unknown";
#endif
}

const char *oci_host_variant(void)
{
#if defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
	return "v7";
#else
	return NULL;
#endif
}

static bool tag_ok(const char *t)
{
	size_t len = strlen(t);

	if (len == 0 || len > 128)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)t[i] <= ' ' || t[i] == 0x7f)
			return false;
	return true;
}

int oci_source_parse(const char *from, char *buf, size_t len, const char **dir,
		     const char **tag)
{
	static const char scheme[] = "oci:";
	char *colon;

	*dir = *tag = NULL;
	if (strncmp(from, scheme, sizeof(scheme) - 1))
		return 0;
	if ((size_t)snprintf(buf, len, "%s", from + sizeof(scheme) - 1) >= len)
		return -1;
	colon = strchr(buf, ':');
	if (colon) {
		*colon = '\0';
		if (!tag_ok(colon + 1))
			return -1;
		*tag = colon + 1;
	}
	*dir = buf;
	return buf[0] ? 1 : -1;
}
