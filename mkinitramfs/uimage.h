/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_UIMAGE_H
#define OVROOT_MK_UIMAGE_H

#include <stddef.h>
#include <stdint.h>

/*
 * U-Boot's legacy image header (include/image.h there), for a board whose
 * boot script loads the image with bootm, bootz or booti ADDR without a
 * size: 64 bytes, big-endian, in front of the image.  ovroot writes a
 * ramdisk of OS linux with compression "none" (the payload is the image as
 * the kernel unpacks it, already compressed), load address and entry
 * point 0, as `mkimage -T ramdisk -C none` does.
 */

#define UIMAGE_HEADER_SIZE 64
#define UIMAGE_NAME_LEN 32	/* no NUL when the name fills it */
#define UIMAGE_MAGIC 0x27051956u

/* U-Boot's IH_ARCH_* numbers. */
enum uimage_arch {
	UIMAGE_ARCH_ARM = 2,
	UIMAGE_ARCH_I386 = 3,
	UIMAGE_ARCH_ARM64 = 22,
	UIMAGE_ARCH_X86_64 = 24,
	UIMAGE_ARCH_RISCV = 26,
};

struct uimage_info {
	const char *name;	/* cut to UIMAGE_NAME_LEN bytes */
	uint32_t time;		/* seconds since 1970 */
	uint32_t size;		/* bytes of data after the header */
	uint32_t dcrc;		/* CRC-32 of those bytes */
	uint8_t arch;		/* enum uimage_arch */
};

/* The header for u, with its own CRC-32 (header CRC field as 0). */
void uimage_header(const struct uimage_info *u,
		   unsigned char out[UIMAGE_HEADER_SIZE]);

/*
 * An architecture by name: Debian's (i386, amd64, armhf, armel, arm64,
 * riscv64), the kernel's (x86_64, aarch64) or mkimage's (x86, arm).  0, or -1
 * for a name it does not know.
 */
int uimage_arch_parse(const char *name, uint8_t *arch);

/* From the ELF header of a program or module; 0, or -1 if not one we know. */
int uimage_arch_of_elf(const unsigned char *data, size_t len, uint8_t *arch);

/*
 * The file side (uimage-write.c): uimage_reserve() writes a blank header at
 * the start of fd, before the image; uimage_finish() reads the image back
 * from offset UIMAGE_HEADER_SIZE to the end, fills in u->size and u->dcrc
 * and writes the header over the blank one.  fd must be a regular file.
 * 0, or -1 with errno set (EFBIG for an image of 4 GiB or more).
 */
int uimage_reserve(int fd);
int uimage_finish(int fd, struct uimage_info *u);

#endif
