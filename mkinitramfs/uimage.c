/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <zlib.h>

#include "mkinitramfs/uimage.h"

/* U-Boot's IH_OS_LINUX, IH_TYPE_RAMDISK, IH_COMP_NONE. */
#define UIMAGE_OS_LINUX 5
#define UIMAGE_TYPE_RAMDISK 3
#define UIMAGE_COMP_NONE 0

/* Field offsets of struct legacy_img_hdr. */
enum {
	OFF_MAGIC = 0, OFF_HCRC = 4, OFF_TIME = 8, OFF_SIZE = 12,
	OFF_LOAD = 16, OFF_EP = 20, OFF_DCRC = 24, OFF_OS = 28,
	OFF_ARCH = 29, OFF_TYPE = 30, OFF_COMP = 31, OFF_NAME = 32,
};

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

void uimage_header(const struct uimage_info *u,
		   unsigned char out[UIMAGE_HEADER_SIZE])
{
	size_t n = u->name ? strnlen(u->name, UIMAGE_NAME_LEN) : 0;

	memset(out, 0, UIMAGE_HEADER_SIZE);
	put_be32(out + OFF_MAGIC, UIMAGE_MAGIC);
	put_be32(out + OFF_TIME, u->time);
	put_be32(out + OFF_SIZE, u->size);
	put_be32(out + OFF_DCRC, u->dcrc);
	out[OFF_OS] = UIMAGE_OS_LINUX;
	out[OFF_ARCH] = u->arch;
	out[OFF_TYPE] = UIMAGE_TYPE_RAMDISK;
	out[OFF_COMP] = UIMAGE_COMP_NONE;
	if (n)
		memcpy(out + OFF_NAME, u->name, n);
	/* The header's CRC is taken with its own field still 0. */
	put_be32(out + OFF_HCRC,
		 (uint32_t)crc32(0, out, UIMAGE_HEADER_SIZE));
}

int uimage_arch_parse(const char *name, uint8_t *arch)
{
	static const struct { const char *name; uint8_t arch; } names[] = {
		{ "i386", UIMAGE_ARCH_I386 }, { "x86", UIMAGE_ARCH_I386 },
		{ "amd64", UIMAGE_ARCH_X86_64 }, { "x86_64", UIMAGE_ARCH_X86_64 },
		{ "armhf", UIMAGE_ARCH_ARM }, { "armel", UIMAGE_ARCH_ARM },
		{ "arm", UIMAGE_ARCH_ARM },
		{ "arm64", UIMAGE_ARCH_ARM64 }, { "aarch64", UIMAGE_ARCH_ARM64 },
		{ "riscv64", UIMAGE_ARCH_RISCV }, { "riscv", UIMAGE_ARCH_RISCV },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i].name)) {
			*arch = names[i].arch;
			return 0;
		}
	}
	return -1;
}

int uimage_arch_of_elf(const unsigned char *data, size_t len, uint8_t *arch)
{
	/* ELF e_machine numbers (elf.h) and the U-Boot arch each one is. */
	static const struct { unsigned int machine; uint8_t arch; } machines[] = {
		{ 3, UIMAGE_ARCH_I386 },	/* EM_386 */
		{ 40, UIMAGE_ARCH_ARM },	/* EM_ARM */
		{ 62, UIMAGE_ARCH_X86_64 },	/* EM_X86_64 */
		{ 183, UIMAGE_ARCH_ARM64 },	/* EM_AARCH64 */
		{ 243, UIMAGE_ARCH_RISCV },	/* EM_RISCV */
	};
	unsigned int machine;
	size_t i;

	/* e_ident, e_type, then e_machine at 18 in the file's byte order. */
	if (len < 20 || memcmp(data, "\177ELF", 4))
		return -1;
	if (data[5] == 1)
		machine = data[18] | (unsigned int)data[19] << 8;
	else if (data[5] == 2)
		machine = (unsigned int)data[18] << 8 | data[19];
	else
		return -1;
	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
		if (machines[i].machine == machine) {
			*arch = machines[i].arch;
			return 0;
		}
	}
	return -1;
}
