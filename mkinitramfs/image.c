/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkinitramfs/decompress.h"
#include "mkinitramfs/image.h"
#include "mkinitramfs/msg.h"
#include "mkinitramfs/plan.h"
#include "mkinitramfs/readfile.h"
#include "mkinitramfs/xalloc.h"

static int add_program(struct cpio_image *img, const char *what,
		       const char *src, const char *dest)
{
	unsigned char *data;
	size_t size;

	if (read_whole_file(src, &data, &size)) {
		mk_error(what, src, errno);
		return -1;
	}
	if (cpio_add_file(img, dest, 0755, data, size, src)) {
		mk_error("image path", dest, errno);
		return -1;
	}
	return 0;
}

static int add_skeleton(struct cpio_image *img, const char *kver)
{
	static const char *const dirs[] = {
		"/dev", "/proc", "/sys", "/run", "/root", "/etc/ovroot",
	};
	char *moddir = xasprintf("/lib/modules/%s", kver);
	size_t i;
	int ret = 0;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		ret |= cpio_add_dir(img, dirs[i], 0755);
	ret |= cpio_add_dir(img, moddir, 0755);
	ret |= cpio_add_node(img, "/dev/console", S_IFCHR, 0600, 5, 1);
	ret |= cpio_add_node(img, "/dev/null", S_IFCHR, 0666, 1, 3);
	if (ret)
		mk_error("image path", moddir, errno);
	free(moddir);
	return ret ? -1 : 0;
}

int image_add_base(struct cpio_image *img, const struct image_spec *spec)
{
	if (add_skeleton(img, spec->kver))
		return -1;
	if (add_program(img, "init", spec->init, "/init"))
		return -1;
	if (spec->rescue_shell &&
	    add_program(img, "rescue shell", spec->rescue_shell, "/bin/sh"))
		return -1;
	if (spec->fsck && add_program(img, "fsck", spec->fsck, "/sbin/e2fsck"))
		return -1;
	return 0;
}

static int add_module(struct cpio_image *img, const struct modset_module *m)
{
	unsigned char *data;
	size_t size;
	/* Only an uncompressed module has a file on disk like the image's. */
	const char *same = module_suffix_len(m->src) ? NULL : m->src;

	if (read_module_file(m->src, &data, &size)) {
		mk_error("module", m->src, errno);
		return -1;
	}
	if (cpio_add_file(img, m->dest, 0644, data, size, same)) {
		mk_error("image path", m->dest, errno);
		return -1;
	}
	return 0;
}

int image_add_modules(struct cpio_image *img, const struct modset *plan)
{
	unsigned char *text;
	size_t i, len;

	for (i = 0; i < plan->n; i++)
		if (add_module(img, &plan->mod[i]))
			return -1;
	text = (unsigned char *)plan_format(plan, &len);
	if (cpio_add_file(img, PLAN_IMAGE_PATH, 0644, text, len, NULL)) {
		mk_error("image path", PLAN_IMAGE_PATH, errno);
		return -1;
	}
	return 0;
}
