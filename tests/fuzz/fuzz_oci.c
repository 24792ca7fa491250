// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON walk of an OCI image layout (command/oci_layout.c) on what a
 * registry could send: the input is index.json, a manifest and an image
 * index, NUL-separated, written into a layout in a temporary directory as
 * index.json and two blobs under their own digests.  In index.json and the
 * image index, MDIGEST and IDIGEST stand for the digests of the manifest and
 * the image index, MSIZE and ISIZE for their sizes, so that inputs reach the
 * manifest.  A load that succeeds gives a layer list of valid version names;
 * one that fails says why and leaves nothing.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/oci_layout.h"
#include "tests/fuzz/fuzz.h"

static int layout = -1;
static char layout_dir[] = "/tmp/fuzz_oci.XXXXXX";

/* Nothing is left in /tmp: blobs go after each input, the rest at exit. */
static void unblob(const char hex[SHA256_HEX_LEN])
{
	char name[96];

	snprintf(name, sizeof(name), "blobs/sha256/%s", hex);
	unlinkat(layout, name, 0);
}

static void teardown(void)
{
	unlinkat(layout, "index.json", 0);
	unlinkat(layout, "oci-layout", 0);
	unlinkat(layout, "blobs/sha256", AT_REMOVEDIR);
	unlinkat(layout, "blobs", AT_REMOVEDIR);
	close(layout);
	rmdir(layout_dir);
}

static void put(const char *name, const char *text, size_t len)
{
	int fd = openat(layout, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	CHECK(fd >= 0);
	CHECK(write(fd, text, len) == (ssize_t)len);
	close(fd);
}

static void setup(void)
{
	CHECK(mkdtemp(layout_dir));
	layout = open(layout_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(layout >= 0);
	atexit(teardown);
	CHECK(mkdirat(layout, "blobs", 0755) == 0 && mkdirat(layout, "blobs/sha256", 0755) == 0);
	put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
}

/* text with each of the names replaced by its value, malloc'd. */
static char *subst(const char *text, const char *const *names, const char *const *values,
		   size_t n)
{
	size_t cap = strlen(text) * 16 + 1, used = 0;
	char *out = malloc(cap);

	CHECK(out);
	while (*text && used + 80 < cap) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!strncmp(text, names[i], strlen(names[i])))
				break;
		if (i < n) {
			used += (size_t)snprintf(out + used, cap - used, "%s", values[i]);
			text += strlen(names[i]);
		} else {
			out[used++] = *text++;
		}
	}
	out[used] = '\0';
	return out;
}

/* Writes text as a blob; hex gets its digest, size its length. */
static void blob(const char *text, char hex[SHA256_HEX_LEN], char size[24])
{
	char name[96];

	sha256_buf(text, strlen(text), hex);
	snprintf(size, 24, "%zu", strlen(text));
	snprintf(name, sizeof(name), "blobs/sha256/%s", hex);
	put(name, text, strlen(text));
}

static void check_image(const struct oci_image *img)
{
	CHECK(img->n >= 1 && img->n < STACK_LAYERS_MAX);
	CHECK(strlen(img->manifest_hex) == SHA256_HEX_LEN - 1);
	for (size_t i = 0; i < img->n; i++) {
		CHECK(oci_media_is_layer(img->layer[i].media));
		CHECK(strlen(img->layer[i].hex) == SHA256_HEX_LEN - 1);
		CHECK(img->layer[i].size >= 0);
		CHECK(version_name_valid(img->layer[i].name, strlen(img->layer[i].name)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "MDIGEST", "MSIZE", "IDIGEST", "ISIZE" };
	char *in = fuzz_strdup(data, size), *index, *manifest, *nested, *text;
	char mhex[SHA256_HEX_LEN], ihex[SHA256_HEX_LEN], msize[24], isize[24];
	const char *values[4] = { mhex, msize, ihex, isize };
	struct oci_image img;
	char err[512];

	if (layout < 0)
		setup();
	index = in;
	manifest = index + strlen(index);
	manifest += (size_t)(manifest - in) < size;
	nested = manifest + strlen(manifest);
	nested += (size_t)(nested - in) < size;
	blob(manifest, mhex, msize);
	text = subst(nested, names, values, 2);
	blob(text, ihex, isize);
	free(text);
	text = subst(index, names, values, 4);
	put("index.json", text, strlen(text));
	free(text);
	for (int t = 0; t < 2; t++) {
		err[0] = '\0';
		if (oci_image_load(layout, t ? "v1" : NULL, &img, err, sizeof(err)) == 0) {
			check_image(&img);
			oci_image_free(&img);
		} else {
			CHECK(err[0] && strlen(err) < sizeof(err));
			CHECK(img.n == 0 && img.layer == NULL);
		}
	}
	unblob(mhex);
	unblob(ihex);
	free(in);
	return 0;
}
