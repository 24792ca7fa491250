/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON walk of an OCI image layout (json-c): oci-layout, index.json,
 * an image index, the manifest.  What to make of each field is oci.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/oci_layout.h"
#include "lib/beneath.h"
#include "lib/file.h"

/* Indexes and manifests are a few KiB; a bigger one is not an image's. */
#define OCI_JSON_MAX (4 * 1024 * 1024)

int oci_blob_open(int dirfd, const char hex[SHA256_HEX_LEN], long long size,
		  char *err, size_t errlen)
{
	char rel[32 + SHA256_HEX_LEN], got[SHA256_HEX_LEN];
	struct stat st;
	int fd, r;

	snprintf(rel, sizeof(rel), "blobs/sha256/%s", hex);
	/* O_NONBLOCK: a FIFO there must not hang us; it is refused below. */
	fd = beneath_open(dirfd, rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", rel, fd == -ENOENT ? "missing" : fd == -EXDEV ?
			 "leads out of the layout (a symlink or another mount)" : strerror(-fd));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", rel);
		goto fail;
	}
	if (size >= 0 && st.st_size != size) {
		snprintf(err, errlen, "%s: %lld bytes, not the %lld its descriptor says", rel,
			 (long long)st.st_size, size);
		goto fail;
	}
	r = fcntl(fd, F_SETFL, 0) < 0 ? -errno : sha256_fd(fd, got);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", rel, strerror(-r));
		goto fail;
	}
	if (strcmp(got, hex)) {
		snprintf(err, errlen, "%s: content has digest sha256:%s, not its name: "
			 "corrupt or tampered", rel, got);
		goto fail;
	}
	if (lseek(fd, 0, SEEK_SET) == 0)
		return fd;
	snprintf(err, errlen, "%s: %s", rel, strerror(errno));
fail:
	close(fd);
	return -1;
}

static struct json_object *parse(const char *text, size_t len, const char *what,
				 char *err, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = NULL;

	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (len <= INT32_MAX)
		o = json_tokener_parse_ex(tok, text, (int)len);
	if (!o || tok->char_offset != (int)len || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "%s: not a JSON object (%s)", what,
			 o ? "trailing text or another type" :
			 json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/* A file of the layout that is no blob: named, not content-addressed. */
static struct json_object *load_file(int dirfd, const char *name, char *err, size_t errlen)
{
	struct json_object *o;
	char *text;
	size_t len;
	int r = read_small_file(dirfd, name, OCI_JSON_MAX, &text, &len);

	if (r < 0) {
		snprintf(err, errlen, "%s: %s", name, r == -ENOENT ? "missing: not an OCI image layout" :
			 r == -ELOOP ? "a symlink" : strerror(-r));
		return NULL;
	}
	o = parse(text, len, name, err, errlen);
	free(text);
	return o;
}

static struct json_object *load_blob(int dirfd, const struct oci_desc *d, char *err, size_t errlen)
{
	char what[32 + SHA256_HEX_LEN], *text;
	struct json_object *o = NULL;
	ssize_t got;
	int fd;

	if (d->size < 0 || d->size > OCI_JSON_MAX) {
		snprintf(err, errlen, "blob sha256:%s: size %lld out of range for JSON", d->hex,
			 d->size);
		return NULL;
	}
	fd = oci_blob_open(dirfd, d->hex, d->size, err, errlen);
	if (fd < 0)
		return NULL;
	text = malloc((size_t)d->size + 1);
	got = text ? read(fd, text, (size_t)d->size) : -1;
	snprintf(what, sizeof(what), "blobs/sha256/%s", d->hex);
	if (got == (ssize_t)d->size)
		o = parse(text, (size_t)got, what, err, errlen);
	else
		snprintf(err, errlen, "%s: cannot read it", what);
	free(text);
	close(fd);
	return o;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *get_of(struct json_object *o, const char *key, enum json_type t)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* A descriptor: its strings live as long as the JSON they came from. */
static int desc_get(struct json_object *o, struct oci_desc *d, const char *where,
		    char *err, size_t errlen)
{
	struct json_object *size = get_of(o, "size", json_type_int);
	struct json_object *plat = get_of(o, "platform", json_type_object);
	const char *type = get_str(o, "mediaType"), *digest = get_str(o, "digest");

	memset(d, 0, sizeof(*d));
	d->media = oci_media_kind(type);
	if (d->media == OCI_MEDIA_UNKNOWN) {
		snprintf(err, errlen, "%s: media type '%.100s' is not one ovroot knows", where,
			 type ? type : "(none)");
		return -1;
	}
	if (oci_digest_hex(digest, d->hex) < 0) {
		snprintf(err, errlen, "%s: digest '%.100s' is not sha256:<64 hex digits>", where,
			 digest ? digest : "(none)");
		return -1;
	}
	d->size = size ? json_object_get_int64(size) : -1;
	if (d->size < 0) {
		snprintf(err, errlen, "%s: no size, or a negative one", where);
		return -1;
	}
	d->ref = get_str(get_of(o, "annotations", json_type_object),
			 "org.opencontainers.image.ref.name");
	d->arch = get_str(plat, "architecture");
	d->os = get_str(plat, "os");
	d->variant = get_str(plat, "variant");
	return 0;
}

/* The descriptors of an index's "manifests": -1 with err, else how many. */
static int descs_get(struct json_object *index, const char *where, struct oci_desc **out,
		     char *err, size_t errlen)
{
	struct json_object *a = get_of(index, "manifests", json_type_array);
	size_t n = a ? json_object_array_length(a) : 0;

	*out = NULL;
	if (!a) {
		snprintf(err, errlen, "%s: no \"manifests\" list", where);
		return -1;
	}
	if (n > 4096 || !(*out = calloc(n ? n : 1, sizeof(**out)))) {
		snprintf(err, errlen, "%s: %zu manifests: too many", where, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (desc_get(json_object_array_get_idx(a, i), &(*out)[i], where, err, errlen) < 0) {
			free(*out);
			*out = NULL;
			return -1;
		}
	return (int)n;
}

static int check_layout(int dirfd, char *err, size_t errlen)
{
	struct json_object *o = load_file(dirfd, "oci-layout", err, errlen);
	const char *v = get_str(o, "imageLayoutVersion");
	int r = v && !strcmp(v, "1.0.0") ? 0 : -1;

	if (o && r < 0)
		snprintf(err, errlen, "oci-layout: imageLayoutVersion '%.40s', not 1.0.0",
			 v ? v : "(none)");
	json_object_put(o);
	return o ? r : -1;
}

/* *d becomes the descriptor chosen from the index (or image index) o. */
static int pick(struct json_object *o, const char *where, const char *tag, bool platform,
		struct oci_desc *d, char *err, size_t errlen)
{
	struct oci_desc *all;
	int n = descs_get(o, where, &all, err, errlen), i;

	if (n < 0)
		return -1;
	i = platform ? oci_pick_platform(all, (size_t)n, oci_host_arch(), oci_host_variant(),
					 err, errlen) :
		       oci_pick_tag(all, (size_t)n, tag, err, errlen);
	if (i >= 0) {
		*d = all[i];
		d->ref = d->arch = d->os = d->variant = NULL;	/* they die with o */
	}
	free(all);
	return i < 0 ? -1 : 0;
}

/* The manifest descriptor: from index.json, through an image index one level deep. */
static int find_manifest(int dirfd, const char *tag, struct oci_desc *d, char *err, size_t errlen)
{
	struct json_object *o = load_file(dirfd, "index.json", err, errlen);
	int r = o ? pick(o, "index.json", tag, false, d, err, errlen) : -1;

	json_object_put(o);
	if (r == 0 && d->media == OCI_MEDIA_INDEX) {
		o = load_blob(dirfd, d, err, errlen);
		r = o ? pick(o, "the image index", NULL, true, d, err, errlen) : -1;
		json_object_put(o);
	}
	if (r == 0 && d->media != OCI_MEDIA_MANIFEST) {
		snprintf(err, errlen, "sha256:%s is no image manifest (an index in an index?)",
			 d->hex);
		r = -1;
	}
	return r;
}

static int layers_get(struct json_object *m, struct oci_image *img, char *err, size_t errlen)
{
	struct json_object *a = get_of(m, "layers", json_type_array);
	size_t n = a ? json_object_array_length(a) : 0;
	struct oci_desc d;

	if (!a || n == 0 || n > STACK_LAYERS_MAX - 1) {
		snprintf(err, errlen, "manifest: %s", !a ? "no \"layers\" list" : n ? "too many layers" :
			 "no layer");
		return -1;
	}
	img->layer = calloc(n, sizeof(*img->layer));
	if (!img->layer) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (desc_get(json_object_array_get_idx(a, i), &d, "manifest layer", err, errlen) < 0)
			return -1;
		if (!oci_media_is_layer(d.media)) {
			snprintf(err, errlen, "manifest layer sha256:%s: %s", d.hex,
				 d.media == OCI_MEDIA_LAYER_FOREIGN ?
				 "non-distributable, its blob is not in a layout" : "is not a layer");
			return -1;
		}
		img->layer[i].media = d.media;
		img->layer[i].size = d.size;
		memcpy(img->layer[i].hex, d.hex, sizeof(d.hex));
		oci_layer_name(d.hex, img->layer[i].name);
		img->n = i + 1;
	}
	return 0;
}

static int read_manifest(int dirfd, const struct oci_desc *d, struct oci_image *img,
			 char *err, size_t errlen)
{
	struct json_object *m = load_blob(dirfd, d, err, errlen), *v;
	struct oci_desc config;
	const char *type = get_str(m, "mediaType");
	int r = -1;

	if (!m)
		return -1;
	if (!(v = get_of(m, "schemaVersion", json_type_int)) || json_object_get_int(v) != 2)
		snprintf(err, errlen, "manifest: schemaVersion is not 2");
	else if (type && oci_media_kind(type) != OCI_MEDIA_MANIFEST)
		snprintf(err, errlen, "manifest: media type '%.100s' is no image manifest", type);
	else if (desc_get(get_of(m, "config", json_type_object), &config, "manifest config",
			  err, errlen) == 0 && config.media != OCI_MEDIA_CONFIG)
		snprintf(err, errlen, "manifest config: not an image config: not an image");
	else if (config.media == OCI_MEDIA_CONFIG)
		r = layers_get(m, img, err, errlen);
	json_object_put(m);
	return r;
}

int oci_image_load(int dirfd, const char *tag, struct oci_image *img, char *err, size_t errlen)
{
	struct oci_desc d;

	memset(img, 0, sizeof(*img));
	if (check_layout(dirfd, err, errlen) < 0 || find_manifest(dirfd, tag, &d, err, errlen) < 0)
		return -1;
	memcpy(img->manifest_hex, d.hex, sizeof(d.hex));
	if (read_manifest(dirfd, &d, img, err, errlen) == 0)
		return 0;
	oci_image_free(img);
	return -1;
}

void oci_image_free(struct oci_image *img)
{
	free(img->layer);
	memset(img, 0, sizeof(*img));
}
