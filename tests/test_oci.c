/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading OCI image layouts: the decisions (media types, digests, tag and
 * platform choice, layer names, oci:DIR:TAG) as tables, then the JSON walk
 * over layouts made here, good and bad.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "command/oci.h"
#include "command/oci_layout.h"

static void test_media(void **state)
{
	static const struct {
		const char *type;
		enum oci_media media;
		bool layer;
	} t[] = {
		{ "application/vnd.oci.image.index.v1+json", OCI_MEDIA_INDEX, false },
		{ "application/vnd.oci.image.manifest.v1+json", OCI_MEDIA_MANIFEST, false },
		{ "application/vnd.oci.image.config.v1+json", OCI_MEDIA_CONFIG, false },
		{ "application/vnd.oci.image.layer.v1.tar", OCI_MEDIA_LAYER_TAR, true },
		{ "application/vnd.oci.image.layer.v1.tar+gzip", OCI_MEDIA_LAYER_GZIP, true },
		{ "application/vnd.oci.image.layer.v1.tar+zstd", OCI_MEDIA_LAYER_ZSTD, true },
		{ "application/vnd.docker.image.rootfs.diff.tar.gzip", OCI_MEDIA_LAYER_GZIP, true },
		{ "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
		  OCI_MEDIA_LAYER_FOREIGN, false },
		{ "application/vnd.oci.image.layer.v1.tar+xz", OCI_MEDIA_UNKNOWN, false },
		{ "application/vnd.docker.distribution.manifest.v2+json", OCI_MEDIA_UNKNOWN, false },
		{ "application/vnd.cncf.helm.config.v1+json", OCI_MEDIA_UNKNOWN, false },
		{ "application/vnd.oci.image.layer.v1.tar+gzip ", OCI_MEDIA_UNKNOWN, false },
		{ "", OCI_MEDIA_UNKNOWN, false },
		{ NULL, OCI_MEDIA_UNKNOWN, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(oci_media_kind(t[i].type), t[i].media);
		assert_int_equal(oci_media_is_layer(oci_media_kind(t[i].type)), t[i].layer);
	}
}

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_digest(void **state)
{
	static const struct {
		const char *digest;
		int ok;
	} t[] = {
		{ "sha256:" H64, 0 },
		{ "sha256:" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", -1 },
		{ "sha256:" H64 "0", -1 },
		{ "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", -1 },
		{ "sha512:" H64, -1 },
		{ "SHA256:" H64, -1 },
		{ H64, -1 },
		{ "sha256:../../../../etc/passwd", -1 },
		{ "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd/x", -1 },
		{ "sha256:" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n", -1 },
		{ "sha256:", -1 },
		{ "", -1 },
		{ NULL, -1 },
	};
	char hex[SHA256_HEX_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(oci_digest_hex(t[i].digest, hex), t[i].ok);
		if (t[i].ok == 0)
			assert_string_equal(hex, t[i].digest + 7);
	}
}

/* The longest name the digest gives that is still a version name. */
static void test_layer_name(void **state)
{
	char name[VERSION_NAME_MAX + 1];

	(void)state;
	assert_int_equal(OCI_LAYER_HEX, 57);
	oci_layer_name(H64, name);
	assert_string_equal(name, "sha256-0123456789abcdef0123456789abcdef0123456789abcdef012345678");
	assert_int_equal(strlen(name), VERSION_NAME_MAX);
	assert_true(version_name_valid(name, strlen(name)));
}

static void test_pick_tag(void **state)
{
	static const struct oci_desc one[] = { { .ref = "v1" } };
	static const struct oci_desc unnamed[] = { { .ref = NULL } };
	static const struct oci_desc two[] = { { .ref = "v1" }, { .ref = "latest" } };
	static const struct oci_desc nolatest[] = { { .ref = "v1" }, { .ref = "v2" } };
	static const struct oci_desc twice[] = { { .ref = "v1" }, { .ref = "v1" } };
	static const struct {
		const struct oci_desc *d;
		size_t n;
		const char *tag;
		int want;
		const char *err;
	} t[] = {
		{ one, 1, NULL, 0, NULL },
		{ unnamed, 1, NULL, 0, NULL },
		{ one, 1, "v1", 0, NULL },
		{ one, 1, "v2", -1, "no image tagged 'v2'" },
		{ unnamed, 1, "v1", -1, "no image tagged 'v1'" },
		{ two, 2, NULL, 1, NULL },
		{ two, 2, "v1", 0, NULL },
		{ two, 2, "latest", 1, NULL },
		{ nolatest, 2, NULL, -1, "none is 'latest'" },
		{ nolatest, 2, "v2", 1, NULL },
		{ twice, 2, "v1", -1, "two images 'v1'" },
		{ one, 0, NULL, -1, "lists no image" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		err[0] = '\0';
		assert_int_equal(oci_pick_tag(t[i].d, t[i].n, t[i].tag, err, sizeof(err)), t[i].want);
		if (t[i].err)
			assert_non_null(strstr(err, t[i].err));
	}
}

static void test_pick_platform(void **state)
{
	static const struct oci_desc plain[] = { { .arch = NULL } };
	static const struct oci_desc multi[] = {
		{ .arch = "arm64", .os = "linux" },
		{ .arch = "arm", .os = "linux", .variant = "v6" },
		{ .arch = "arm", .os = "linux", .variant = "v7" },
		{ .arch = "amd64", .os = "windows" },
		{ .arch = "amd64", .os = "linux" },
	};
	static const struct {
		const struct oci_desc *d;
		size_t n;
		const char *arch, *variant;
		int want;
	} t[] = {
		{ plain, 1, "amd64", NULL, 0 },
		{ multi, 5, "amd64", NULL, 4 },
		{ multi, 5, "arm64", NULL, 0 },
		{ multi, 5, "arm", "v7", 2 },
		{ multi, 5, "386", NULL, -1 },
		{ multi, 1, "amd64", NULL, -1 },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(oci_pick_platform(t[i].d, t[i].n, t[i].arch, t[i].variant, err,
						   sizeof(err)), t[i].want);
	assert_non_null(strstr(err, "no image for linux/amd64"));
	assert_non_null(oci_host_arch());
}

static void test_source(void **state)
{
	static const struct {
		const char *from;
		int want;
		const char *dir, *tag;
	} t[] = {
		{ "oci:/srv/img", 1, "/srv/img", NULL },
		{ "oci:/srv/img:v2", 1, "/srv/img", "v2" },
		{ "oci:img:1.0-rc1", 1, "img", "1.0-rc1" },
		{ "oci:img:a:b", 1, "img", "a:b" },
		{ "oci:", -1, NULL, NULL },
		{ "oci::v1", -1, NULL, NULL },
		{ "oci:img:", -1, NULL, NULL },
		{ "oci:img:a b", -1, NULL, NULL },
		{ "/srv/img", 0, NULL, NULL },
		{ "docker://x/y", 0, NULL, NULL },
	};
	char buf[64];
	const char *dir, *tag;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = oci_source_parse(t[i].from, buf, sizeof(buf), &dir, &tag);

		assert_int_equal(r, t[i].want);
		if (r != 1)
			continue;
		assert_string_equal(dir, t[i].dir);
		if (t[i].tag)
			assert_string_equal(tag, t[i].tag);
		else
			assert_null(tag);
	}
}

/* A layout in a temporary directory, written piece by piece. */
struct layout {
	char dir[64];
	int fd;
	char config[SHA256_HEX_LEN], layer[2][SHA256_HEX_LEN], manifest[SHA256_HEX_LEN];
	size_t config_len, layer_len[2], manifest_len;
};

static void put(int dirfd, const char *name, const char *text)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static size_t blob(struct layout *l, const char *text, char hex[SHA256_HEX_LEN])
{
	char name[96];

	sha256_buf(text, strlen(text), hex);
	snprintf(name, sizeof(name), "blobs/sha256/%s", hex);
	put(l->fd, name, text);
	return strlen(text);
}

static const char *manifest_fmt =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
	"\"config\":{\"mediaType\":\"%s\",\"digest\":\"sha256:%s\",\"size\":%zu},"
	"\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
	"\"digest\":\"sha256:%s\",\"size\":%zu},"
	"{\"mediaType\":\"%s\",\"digest\":\"sha256:%s\",\"size\":%zu}]}";

static const char *index_fmt =
	"{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"sha256:%s\","
	"\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}";

/* The manifest with these media types, and index.json naming it "v1". */
static void write_manifest(struct layout *l, const char *config_type, const char *layer_type)
{
	char text[2048];

	snprintf(text, sizeof(text), manifest_fmt, config_type, l->config, l->config_len,
		 l->layer[0], l->layer_len[0], layer_type, l->layer[1], l->layer_len[1]);
	l->manifest_len = blob(l, text, l->manifest);
	snprintf(text, sizeof(text), index_fmt, "application/vnd.oci.image.manifest.v1+json",
		 l->manifest, l->manifest_len);
	put(l->fd, "index.json", text);
}

static void layout_make(struct layout *l)
{
	snprintf(l->dir, sizeof(l->dir), "/tmp/test_oci.XXXXXX");
	assert_non_null(mkdtemp(l->dir));
	l->fd = open(l->dir, O_RDONLY | O_DIRECTORY);
	assert_true(l->fd >= 0);
	assert_int_equal(mkdirat(l->fd, "blobs", 0755), 0);
	assert_int_equal(mkdirat(l->fd, "blobs/sha256", 0755), 0);
	put(l->fd, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	l->config_len = blob(l, "{\"architecture\":\"amd64\",\"os\":\"linux\"}", l->config);
	l->layer_len[0] = blob(l, "bottom layer, not a real tar", l->layer[0]);
	l->layer_len[1] = blob(l, "top layer", l->layer[1]);
	write_manifest(l, "application/vnd.oci.image.config.v1+json",
		       "application/vnd.oci.image.layer.v1.tar+gzip");
}

static void layout_remove(struct layout *l)
{
	char cmd[128];

	close(l->fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", l->dir);
	assert_int_equal(system(cmd), 0);
}

/* The load fails, err naming what. */
static void load_fails(struct layout *l, const char *tag, const char *what)
{
	struct oci_image img;
	char err[512] = "";

	assert_int_equal(oci_image_load(l->fd, tag, &img, err, sizeof(err)), -1);
	if (!strstr(err, what))
		fail_msg("error '%s' does not say '%s'", err, what);
	assert_int_equal(img.n, 0);
}

static void test_layout_good(void **state)
{
	struct layout l;
	struct oci_image img;
	char err[512] = "", name[VERSION_NAME_MAX + 1];

	(void)state;
	layout_make(&l);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(oci_image_load(l.fd, i ? "v1" : NULL, &img, err, sizeof(err)), 0);
		assert_string_equal(img.manifest_hex, l.manifest);
		assert_int_equal(img.n, 2);
		assert_string_equal(img.layer[0].hex, l.layer[0]);
		assert_int_equal(img.layer[0].media, OCI_MEDIA_LAYER_TAR);
		assert_int_equal(img.layer[1].media, OCI_MEDIA_LAYER_GZIP);
		assert_int_equal(img.layer[1].size, (long long)l.layer_len[1]);
		oci_layer_name(l.layer[1], name);
		assert_string_equal(img.layer[1].name, name);
		oci_image_free(&img);
	}
	layout_remove(&l);
}

/* An image index (as skopeo writes for a multi-platform image), one level deep. */
static void test_layout_nested(void **state)
{
	struct layout l;
	struct oci_image img;
	char text[1024], nested[SHA256_HEX_LEN], err[512] = "";
	size_t len;

	(void)state;
	layout_make(&l);
	snprintf(text, sizeof(text),
		 "{\"schemaVersion\":2,\"manifests\":["
		 "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
		 "\"digest\":\"sha256:%s\",\"size\":%zu,"
		 "\"platform\":{\"architecture\":\"no-such-arch\",\"os\":\"linux\"}},"
		 "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
		 "\"digest\":\"sha256:%s\",\"size\":%zu,"
		 "\"platform\":{\"architecture\":\"%s\",\"os\":\"linux\"}}]}",
		 H64, (size_t)1, l.manifest, l.manifest_len, oci_host_arch());
	len = blob(&l, text, nested);
	snprintf(text, sizeof(text), index_fmt, "application/vnd.oci.image.index.v1+json",
		 nested, len);
	put(l.fd, "index.json", text);
	assert_int_equal(oci_image_load(l.fd, "v1", &img, err, sizeof(err)), 0);
	assert_string_equal(img.manifest_hex, l.manifest);
	assert_int_equal(img.n, 2);
	oci_image_free(&img);

	/* an index in the index in index.json: one level only */
	snprintf(text, sizeof(text),
		 "{\"schemaVersion\":2,\"manifests\":["
		 "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
		 "\"digest\":\"sha256:%s\",\"size\":%zu}]}", nested, len);
	len = blob(&l, text, nested);
	snprintf(text, sizeof(text), index_fmt, "application/vnd.oci.image.index.v1+json",
		 nested, len);
	put(l.fd, "index.json", text);
	load_fails(&l, "v1", "is no image manifest");
	layout_remove(&l);
}

static void test_layout_bad(void **state)
{
	struct layout l;
	char path[160], err[512];
	int fd;

	(void)state;
	layout_make(&l);
	load_fails(&l, "v2", "no image tagged 'v2'");

	/* a blob whose content is not its digest: the manifest */
	snprintf(path, sizeof(path), "blobs/sha256/%s", l.manifest);
	put(l.fd, path, "{\"schemaVersion\":2}");
	load_fails(&l, "v1", "not the");	/* the size differs first */
	write_manifest(&l, "application/vnd.oci.image.config.v1+json",
		       "application/vnd.oci.image.layer.v1.tar+gzip");
	fd = openat(l.fd, path, O_WRONLY);
	assert_int_equal(pwrite(fd, "[", 1, 0), 1);	/* same size, other content */
	close(fd);
	load_fails(&l, "v1", "corrupt or tampered");

	/* a layer blob: checked when opened for staging */
	write_manifest(&l, "application/vnd.oci.image.config.v1+json",
		       "application/vnd.oci.image.layer.v1.tar+gzip");
	snprintf(path, sizeof(path), "blobs/sha256/%s", l.layer[1]);
	put(l.fd, path, "top layeR");
	assert_int_equal(oci_blob_open(l.fd, l.layer[1], (long long)l.layer_len[1], err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "corrupt or tampered"));

	/* a missing blob */
	assert_int_equal(unlinkat(l.fd, path, 0), 0);
	assert_int_equal(oci_blob_open(l.fd, l.layer[1], -1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "missing"));
	snprintf(path, sizeof(path), "blobs/sha256/%s", l.manifest);
	assert_int_equal(unlinkat(l.fd, path, 0), 0);
	load_fails(&l, "v1", "missing");

	/* a blob that is a symlink out of the layout, a FIFO */
	write_manifest(&l, "application/vnd.oci.image.config.v1+json",
		       "application/vnd.oci.image.layer.v1.tar+gzip");
	snprintf(path, sizeof(path), "blobs/sha256/%s", l.layer[1]);
	assert_int_equal(symlinkat("/etc/passwd", l.fd, path), 0);
	assert_int_equal(oci_blob_open(l.fd, l.layer[1], -1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "leads out of the layout"));
	assert_int_equal(unlinkat(l.fd, path, 0), 0);
	assert_int_equal(mkfifoat(l.fd, path, 0644), 0);
	assert_int_equal(oci_blob_open(l.fd, l.layer[1], -1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));

	/* a digest that would lead out of blobs/sha256 */
	put(l.fd, "index.json", "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
	    "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":"
	    "\"sha256:../../../../../etc/passwd\",\"size\":10}]}");
	load_fails(&l, NULL, "is not sha256:<64 hex digits>");

	/* unknown media types: of a layer, of the config (an artifact, no image) */
	write_manifest(&l, "application/vnd.oci.image.config.v1+json",
		       "application/vnd.oci.image.layer.v1.tar+xz");
	load_fails(&l, "v1", "'application/vnd.oci.image.layer.v1.tar+xz' is not one ovroot knows");
	write_manifest(&l, "application/vnd.cncf.helm.config.v1+json",
		       "application/vnd.oci.image.layer.v1.tar");
	load_fails(&l, "v1", "is not one ovroot knows");
	write_manifest(&l, "application/vnd.oci.image.config.v1+json",
		       "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
	load_fails(&l, "v1", "non-distributable");

	/* not a layout: oci-layout wrong or missing, index.json not JSON */
	put(l.fd, "index.json", "{\"schemaVersion\":2,");
	load_fails(&l, "v1", "index.json: not a JSON object");
	put(l.fd, "oci-layout", "{\"imageLayoutVersion\":\"2.0.0\"}");
	load_fails(&l, "v1", "not 1.0.0");
	assert_int_equal(unlinkat(l.fd, "oci-layout", 0), 0);
	load_fails(&l, "v1", "oci-layout: missing");
	layout_remove(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_media),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_layer_name),
		cmocka_unit_test(test_pick_tag),
		cmocka_unit_test(test_pick_platform),
		cmocka_unit_test(test_source),
		cmocka_unit_test(test_layout_good),
		cmocka_unit_test(test_layout_nested),
		cmocka_unit_test(test_layout_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
