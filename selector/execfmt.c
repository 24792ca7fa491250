/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ELF program headers and the #! line, read the way the kernel's
 * binfmt_elf and binfmt_script do, to tell before the switch whether a
 * root's init can start: a dynamic init whose loader a layer has shadowed
 * fails with "No such file or directory", which names the wrong file.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "selector/execfmt.h"

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define PT_INTERP 3
/* binfmt_elf refuses a PT_INTERP longer than this (PATH_MAX) or shorter than 2. */
#define INTERP_MAX 4096

struct elf {
	const unsigned char *buf;
	size_t len;
	bool be, is64;
};

static uint64_t get(const struct elf *e, uint64_t off, unsigned width)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < width; i++) {
		unsigned b = e->be ? i : width - 1 - i;

		v = v << 8 | e->buf[off + b];
	}
	return v;
}

static bool in_buf(const struct elf *e, uint64_t off, uint64_t size)
{
	return off <= e->len && size <= e->len - off;
}

static enum exec_kind copy_interp(const struct elf *e, uint64_t off, uint64_t size,
				  char *interp, size_t interplen)
{
	if (size < 2 || size > INTERP_MAX || !in_buf(e, off, size) || size > interplen)
		return EXEC_UNKNOWN;
	/* NUL-terminated inside the segment, with no NUL before the end */
	if (e->buf[off + size - 1] != '\0' || memchr(e->buf + off, '\0', size - 1))
		return EXEC_UNKNOWN;
	memcpy(interp, e->buf + off, size);
	return EXEC_DYNAMIC;
}

static enum exec_kind elf_interp(const struct elf *e, char *interp, size_t interplen)
{
	/* e_phoff, e_phentsize, e_phnum and, in a program header, p_offset, p_filesz */
	uint64_t phoff = e->is64 ? get(e, 32, 8) : get(e, 28, 4);
	uint64_t phentsize = get(e, e->is64 ? 54 : 42, 2);
	uint64_t phnum = get(e, e->is64 ? 56 : 44, 2);
	uint64_t need = e->is64 ? 56 : 32;

	if (phnum == 0)
		return EXEC_STATIC;
	if (phentsize < need || !in_buf(e, phoff, phentsize * phnum))
		return EXEC_UNKNOWN;
	for (uint64_t i = 0; i < phnum; i++) {
		uint64_t ph = phoff + i * phentsize;

		if (get(e, ph, 4) != PT_INTERP)
			continue;
		if (e->is64)
			return copy_interp(e, get(e, ph + 8, 8), get(e, ph + 32, 8),
					   interp, interplen);
		return copy_interp(e, get(e, ph + 4, 4), get(e, ph + 16, 4), interp, interplen);
	}
	return EXEC_STATIC;
}

/* "#!" blanks path [arg]: the path ends at a blank or the end of the line. */
static enum exec_kind script_interp(const unsigned char *buf, size_t len, char *interp,
				    size_t interplen)
{
	size_t i = 2, start, n;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	start = i;
	while (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\0')
		i++;
	n = i - start;
	if (n == 0)
		return EXEC_NONE;
	if (n >= interplen)
		return EXEC_UNKNOWN;
	memcpy(interp, buf + start, n);
	interp[n] = '\0';
	return EXEC_SCRIPT;
}

enum exec_kind exec_interp(const unsigned char *buf, size_t len, char *interp,
			   size_t interplen)
{
	struct elf e = { .buf = buf, .len = len };

	if (interplen)
		interp[0] = '\0';
	if (len >= 2 && buf[0] == '#' && buf[1] == '!')
		return script_interp(buf, len, interp, interplen);
	if (len < 4 || memcmp(buf, "\177ELF", 4) != 0)
		return EXEC_NONE;
	if (len <= EI_DATA || (buf[EI_CLASS] != ELFCLASS32 && buf[EI_CLASS] != ELFCLASS64) ||
	    (buf[EI_DATA] != ELFDATA2LSB && buf[EI_DATA] != ELFDATA2MSB))
		return len <= EI_DATA ? EXEC_UNKNOWN : EXEC_NONE;
	e.is64 = buf[EI_CLASS] == ELFCLASS64;
	e.be = buf[EI_DATA] == ELFDATA2MSB;
	if (len < (e.is64 ? 64u : 52u))
		return EXEC_UNKNOWN;
	return elf_interp(&e, interp, interplen);
}
