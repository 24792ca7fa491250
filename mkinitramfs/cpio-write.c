/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "newc" writer: a 110-byte ASCII header per entry, the name with its
 * NUL, the data, each padded to 4 bytes, then "TRAILER!!!" and padding to
 * 512 bytes as gen_init_cpio does.  Owner, group and the filesystem device
 * are 0 throughout; of a hardlink group only the last member carries the
 * data, which is what the kernel and GNU cpio expect.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkinitramfs/cpio.h"
#include "mkinitramfs/xalloc.h"

#define NEWC_HEADER_LEN 110

struct newc_out {
	cpio_write_fn fn;
	void *ctx;
	uint64_t off;
};

static int emit(struct newc_out *w, const void *buf, size_t len)
{
	if (len && w->fn(w->ctx, buf, len))
		return -1;
	w->off += len;
	return 0;
}

static int pad_to(struct newc_out *w, unsigned int align)
{
	static const unsigned char zero[512];

	return emit(w, zero, (align - w->off % align) % align);
}

static int header(struct newc_out *w, const char *name, uint32_t ino,
		  uint32_t mode, uint32_t nlink, uint32_t mtime, uint32_t size,
		  uint32_t rmajor, uint32_t rminor)
{
	char hdr[NEWC_HEADER_LEN + 1];
	size_t namesize = strlen(name) + 1;

	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ino, mode, 0, 0, nlink, mtime, size, 0, 0, rmajor, rminor,
		 (uint32_t)namesize, 0);
	if (emit(w, hdr, NEWC_HEADER_LEN) || emit(w, name, namesize))
		return -1;
	return pad_to(w, 4);
}

static int entry(struct newc_out *w, const struct cpio_entry *e,
		 const struct cpio_entry *data, uint32_t mtime)
{
	size_t size = data ? data->size : 0;

	if (size > UINT32_MAX) {
		errno = EFBIG;
		return -1;
	}
	if (header(w, e->path, e->ino, e->mode, e->nlink, mtime,
		   (uint32_t)size, e->rdev_major, e->rdev_minor))
		return -1;
	if (size && (emit(w, data->data, size) || pad_to(w, 4)))
		return -1;
	return 0;
}

/*
 * For each hardlink group: the index of its last member, and the member
 * that holds the data (the one added with it).
 */
static void plan_groups(const struct cpio_image *img, size_t *last,
			const struct cpio_entry **holder)
{
	const struct cpio_entry *e;
	size_t i;

	for (i = 0; i < img->n; i++) {
		e = img->ent[i];
		if (!e->link_group)
			continue;
		last[e->link_group] = i;
		if (e->data && !holder[e->link_group])
			holder[e->link_group] = e;
	}
}

static int entries(struct newc_out *w, const struct cpio_image *img,
		   uint32_t mtime)
{
	size_t *last = xcalloc(img->link_groups + 1, sizeof(*last));
	const struct cpio_entry **holder;
	size_t i;
	int ret = 0;

	holder = xcalloc(img->link_groups + 1, sizeof(*holder));
	plan_groups(img, last, holder);
	for (i = 0; i < img->n && !ret; i++) {
		const struct cpio_entry *e = img->ent[i], *data = e;

		if (e->link_group)
			data = last[e->link_group] == i ?
				holder[e->link_group] : NULL;
		if (S_ISDIR(e->mode) || S_ISCHR(e->mode) || S_ISBLK(e->mode))
			data = NULL;
		ret = entry(w, e, data, mtime);
	}
	free(last);
	free(holder);
	return ret;
}

int cpio_write(struct cpio_image *img, uint32_t mtime, cpio_write_fn fn,
	       void *ctx)
{
	struct newc_out w = { .fn = fn, .ctx = ctx };

	cpio_finish(img);
	if (entries(&w, img, mtime))
		return -1;
	if (header(&w, "TRAILER!!!", 0, 0, 1, 0, 0, 0, 0))
		return -1;
	return pad_to(&w, 512);
}
