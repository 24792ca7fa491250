/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ovroot-mkinitramfs: builds the initramfs that holds the ovroot init, the
 * kernel modules it needs with their load plan, and whatever else is
 * included.  The image is written by us (newc cpio, then compressed by the
 * codec's library), so the same inputs give the same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkinitramfs/compress.h"
#include "mkinitramfs/cpio.h"
#include "mkinitramfs/image.h"
#include "mkinitramfs/list.h"
#include "mkinitramfs/modules.h"
#include "mkinitramfs/msg.h"
#include "mkinitramfs/output.h"
#include "mkinitramfs/tree.h"
#include "mkinitramfs/uimage.h"
#include "mkinitramfs/xalloc.h"

#ifndef OVROOT_LIBDIR
#define OVROOT_LIBDIR "/usr/local/lib/ovroot"
#endif
#ifndef OVROOT_VERSION
#define OVROOT_VERSION "unknown"
#endif

struct options {
	const char *kver, *modules_dir, *out, *init, *rescue_shell, *sysroot, *fsck;
	const char *arch;	/* --arch, for the U-Boot header */
	int want_fsck;
	const char **modules;	/* --module, then the default set */
	size_t nmodules, capmodules;
	const char **includes;
	size_t nincludes, capincludes;
	int no_defaults, list, uboot_header;
	enum compress_kind compress;
};

enum { OPT_MODULE = 256, OPT_NO_DEFAULTS, OPT_COMPRESS, OPT_INCLUDE,
	OPT_INIT, OPT_RESCUE, OPT_SYSROOT, OPT_LIST, OPT_UBOOT, OPT_ARCH,
	OPT_VERSION, OPT_FSCK };

/* Debian's package e2fsck-static; with --sysroot, the target's. */
#define E2FSCK_STATIC "/sbin/e2fsck.static"

static const struct option long_options[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "modules-dir", required_argument, NULL, 'm' },
	{ "output", required_argument, NULL, 'o' },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "no-default-modules", no_argument, NULL, OPT_NO_DEFAULTS },
	{ "compress", required_argument, NULL, OPT_COMPRESS },
	{ "include", required_argument, NULL, OPT_INCLUDE },
	{ "init", required_argument, NULL, OPT_INIT },
	{ "rescue-shell", required_argument, NULL, OPT_RESCUE },
	{ "fsck", optional_argument, NULL, OPT_FSCK },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "uboot-header", no_argument, NULL, OPT_UBOOT },
	{ "arch", required_argument, NULL, OPT_ARCH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fputs(
"usage: " MK_PROG " -k KVER [-m MODULES_DIR] -o OUT [options]\n"
"Builds the ovroot initramfs: the init, kernel modules and a load plan.\n"
"\n"
"  -k, --kernel KVER        kernel release the modules are for\n"
"  -m, --modules-dir DIR    module tree (default: /lib/modules/KVER, or\n"
"                           SYSROOT/lib/modules/KVER with --sysroot)\n"
"  -o, --output OUT         image to write, replaced atomically; - for\n"
"                           standard output\n"
"      --module NAME        add a module or alias with its dependencies\n"
"                           and pre-softdeps; ?NAME: skip it if unknown\n"
"      --no-default-modules leave out the default set: overlay squashfs\n"
"                           erofs loop ext4 vfat virtio_blk virtio_pci evdev\n"
"                           and, where they are modules, virtio_mmio\n"
"                           virtio_input xhci_pci ehci_pci ohci_pci uhci_hcd\n"
"                           usbhid hid_generic\n"
"      --compress KIND      none, gzip (default), zstd or xz\n"
"      --include SRC[:DEST] copy a file or directory tree into the image\n"
"                           at DEST (default: the same path as SRC)\n"
"      --init PATH|tiny     the init binary for /init (default: ovroot-init\n"
"                           of the build tree, else " OVROOT_LIBDIR ");\n"
"                           tiny: ovroot-init-tiny, the klibc flavour\n"
"      --rescue-shell PATH  a static shell to put at /bin/sh\n"
"      --fsck[=PATH]        a static e2fsck at /sbin/e2fsck, for the init to\n"
"                           preen an ext2/3/4 store before writing it\n"
"                           (default PATH: [SYSROOT]" E2FSCK_STATIC ", from\n"
"                           e2fsck-static; not in the image without --fsck)\n"
"      --sysroot DIR        take modules and modprobe.d from this target\n"
"                           tree instead of the running system\n"
"      --list               write a gen_init_cpio file list instead of an\n"
"                           image; made files go to OUT.d/\n"
"      --uboot-header       put U-Boot's legacy image header in front (for\n"
"                           bootm): a ramdisk, compression none, arch from\n"
"                           the modules (else the init) or --arch\n"
"      --arch ARCH          the header's arch: i386, amd64, armhf, arm64,\n"
"                           riscv64 (or x86, x86_64, arm, aarch64, riscv)\n"
"  -h, --help               show this help\n"
"      --version            show the version\n"
"Times in the image are SOURCE_DATE_EPOCH, or 0 when it is unset.\n", f);
}

static void push(const char ***v, size_t *n, size_t *cap, const char *s)
{
	xgrow(v, cap, *n, sizeof(**v));
	(*v)[(*n)++] = s;
}

/* 0 to go on, 1 to exit with success, -1 for a usage error. */
static int parse_option(struct options *o, int c)
{
	switch (c) {
	case 'k': o->kver = optarg; break;
	case 'm': o->modules_dir = optarg; break;
	case 'o': o->out = optarg; break;
	case OPT_MODULE:
		push(&o->modules, &o->nmodules, &o->capmodules, optarg);
		break;
	case OPT_NO_DEFAULTS: o->no_defaults = 1; break;
	case OPT_COMPRESS:
		if (!compress_kind_parse(optarg, &o->compress))
			break;
		mk_fail("unknown compression: %s (none, gzip, zstd, xz)",
			optarg);
		return -1;
	case OPT_INCLUDE:
		push(&o->includes, &o->nincludes, &o->capincludes, optarg);
		break;
	case OPT_INIT: o->init = optarg; break;
	case OPT_RESCUE: o->rescue_shell = optarg; break;
	case OPT_FSCK: o->want_fsck = 1; o->fsck = optarg; break;
	case OPT_SYSROOT: o->sysroot = optarg; break;
	case OPT_LIST: o->list = 1; break;
	case OPT_UBOOT: o->uboot_header = 1; break;
	case OPT_ARCH:
		if (!uimage_arch_parse(optarg, &(uint8_t){ 0 })) {
			o->arch = optarg;
			break;
		}
		mk_fail("unknown arch: %s (i386, amd64, armhf, arm64, riscv64)",
			optarg);
		return -1;
	case 'h': usage(stdout); return 1;
	case OPT_VERSION: printf("%s %s\n", MK_PROG, OVROOT_VERSION); return 1;
	default: return -1;
	}
	return 0;
}

static int parse_options(struct options *o, int argc, char **argv)
{
	const char *const *d;
	int c;

	o->compress = COMPRESS_GZIP;
	while ((c = getopt_long(argc, argv, "k:m:o:h", long_options,
				NULL)) != -1) {
		int ret = parse_option(o, c);

		if (ret)
			return ret;
	}
	if (optind < argc || !o->kver || !o->out) {
		mk_fail(optind < argc ? "unexpected argument: %s" :
			"-k KVER and -o OUT are required%s",
			optind < argc ? argv[optind] : "");
		return -1;
	}
	if (o->uboot_header && (o->list || !strcmp(o->out, "-"))) {
		mk_fail("--uboot-header needs an image file: not with %s",
			o->list ? "--list" : "-o -");
		return -1;
	}
	if (o->arch && !o->uboot_header) {
		mk_fail("--arch is for --uboot-header");
		return -1;
	}
	for (d = modset_default_modules; !o->no_defaults && *d; d++)
		push(&o->modules, &o->nmodules, &o->capmodules, *d);
	return 0;
}

/*
 * NAME (ovroot-init, or ovroot-init-tiny for "--init tiny") of the build tree
 * next to us, else the installed one.
 */
static char *default_init(const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		char *path;

		exe[n] = '\0';
		path = xasprintf("%s/../init/%s", dirname(exe), name);
		if (!access(path, F_OK))
			return path;
		free(path);
	}
	return xasprintf(OVROOT_LIBDIR "/%s", name);
}

/* SOURCE_DATE_EPOCH as a cpio mtime; 0, or -1 after an error. */
static int image_mtime(uint32_t *mtime)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	unsigned long long v;
	char *end;

	*mtime = 0;
	if (!s)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || *s == '-' || *s == '+' || errno || v > UINT32_MAX) {
		mk_fail("SOURCE_DATE_EPOCH: %s: not a number of seconds from 0 to %u",
			s, UINT32_MAX);
		return -1;
	}
	*mtime = (uint32_t)v;
	return 0;
}

static int add_modules(const struct options *o, struct cpio_image *img)
{
	char **config = modset_config_paths(o->sysroot);
	char *dir = o->modules_dir ? xstrdup(o->modules_dir) :
		xasprintf("%s/lib/modules/%s", o->sysroot ? o->sysroot : "",
			  o->kver);
	struct modset plan;
	int ret;

	ret = modset_build(&plan, dir, o->kver, (const char *const *)config,
			    o->modules, o->nmodules);
	if (!ret)
		ret = image_add_modules(img, &plan);
	modset_free(&plan);
	modset_free_paths(config);
	free(dir);
	return ret;
}

static int fill_image(const struct options *o, struct cpio_image *img)
{
	char *init = !o->init ? default_init("ovroot-init") :
		     !strcmp(o->init, "tiny") ? default_init("ovroot-init-tiny") :
		     xstrdup(o->init);
	char *fsck = !o->want_fsck ? NULL : o->fsck ? xstrdup(o->fsck) :
		     xasprintf("%s" E2FSCK_STATIC, o->sysroot ? o->sysroot : "");
	struct image_spec spec = { o->kver, init, o->rescue_shell, fsck };
	struct tree tree;
	size_t i;
	int ret = add_modules(o, img);

	if (!ret)
		ret = image_add_base(img, &spec);
	tree_init(&tree, img);
	for (i = 0; !ret && i < o->nincludes; i++)
		ret = tree_include(&tree, o->includes[i]);
	tree_free(&tree);
	free(init);
	free(fsck);
	return ret;
}

static int write_list(const struct options *o, struct cpio_image *img,
		      struct output *out)
{
	char *datadir = strcmp(o->out, "-") ? xasprintf("%s.d", o->out) :
		xstrdup(MK_PROG ".d");
	FILE *f = fdopen(dup(out->fd), "w");
	int ret;

	if (!f) {
		mk_error("output", o->out, errno);
		free(datadir);
		return -1;
	}
	ret = list_write(img, f, datadir);
	if (fclose(f) && !ret) {
		mk_error("output", o->out, errno);
		ret = -1;
	}
	free(datadir);
	return ret;
}

/*
 * The U-Boot arch of the image: --arch, else that of its modules (what the
 * kernel is, and U-Boot boots only its own arch), else that of /init.
 */
static int image_arch(const struct options *o, const struct cpio_image *img,
		      uint8_t *arch)
{
	const struct cpio_entry *init = NULL;
	size_t i;

	if (o->arch)
		return uimage_arch_parse(o->arch, arch);
	for (i = 0; i < img->n; i++) {
		const struct cpio_entry *e = img->ent[i];
		size_t n = strlen(e->path);

		if (n > 3 && !strcmp(e->path + n - 3, ".ko") &&
		    !uimage_arch_of_elf(e->data, e->size, arch))
			return 0;
		if (!strcmp(e->path, "init"))
			init = e;
	}
	if (init && !uimage_arch_of_elf(init->data, init->size, arch))
		return 0;
	mk_fail("--uboot-header: the modules and the init are of no arch known "
		"here; give --arch");
	return -1;
}

/* A blank U-Boot header before the image, if asked for; 0 or -1. */
static int start_uimage(const struct options *o, const struct cpio_image *img,
			int fd, struct uimage_info *u)
{
	if (!o->uboot_header)
		return 0;
	if (image_arch(o, img, &u->arch))
		return -1;
	if (uimage_reserve(fd)) {
		mk_error("output", o->out, errno);
		return -1;
	}
	return 0;
}

/* The U-Boot header over the blank one, once the image is written. */
static int finish_uimage(const struct options *o, int fd,
			 struct uimage_info *u)
{
	char *name;
	int ret;

	if (!o->uboot_header)
		return 0;
	name = xasprintf("ovroot %s", o->kver);
	u->name = name;
	ret = uimage_finish(fd, u);
	if (ret)
		mk_error("U-Boot header", o->out, errno);
	free(name);
	return ret;
}

static int write_image(const struct options *o, struct cpio_image *img,
		       struct output *out, uint32_t mtime)
{
	struct uimage_info u = { .time = mtime };
	struct compress_stream *s;

	if (start_uimage(o, img, out->fd, &u))
		return -1;
	s = compress_open(o->compress, out->fd);
	if (!s || cpio_write(img, mtime, compress_write, s)) {
		mk_error("output", o->out, errno);
		compress_abort(s);
		return -1;
	}
	if (compress_close(s)) {
		mk_error("output", o->out, errno);
		return -1;
	}
	return finish_uimage(o, out->fd, &u);
}

static int build(const struct options *o)
{
	struct cpio_image img;
	struct output out;
	uint32_t mtime;
	int ret;

	cpio_init(&img);
	ret = image_mtime(&mtime);
	if (!ret)
		ret = fill_image(o, &img);
	if (!ret)
		ret = output_open(&out, o->out);
	if (!ret) {
		ret = o->list ? write_list(o, &img, &out) :
			write_image(o, &img, &out, mtime);
		if (ret)
			output_abort(&out);
		else
			ret = output_commit(&out);
	}
	cpio_free(&img);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int ret = parse_options(&o, argc, argv), status = 0;

	if (ret < 0) {
		fprintf(stderr, "Try '%s --help'.\n", MK_PROG);
		status = 2;
	} else if (ret == 0) {
		status = build(&o) ? 1 : 0;
	}
	free(o.modules);
	free(o.includes);
	return status;
}
