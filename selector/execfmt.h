/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_EXECFMT_H
#define OVROOT_EXECFMT_H

#include <stddef.h>

/* What execve() makes of a file, as far as its first bytes tell. */
enum exec_kind {
	EXEC_NONE,		/* neither ELF nor #!: execve fails with ENOEXEC */
	EXEC_STATIC,		/* an ELF file with no PT_INTERP */
	EXEC_DYNAMIC,		/* an ELF file whose PT_INTERP names its loader */
	EXEC_SCRIPT,		/* #!: the interpreter named on the first line */
	EXEC_UNKNOWN,		/* ELF, but the header or PT_INTERP lies past buf or is bad */
};

/*
 * Reads the header of an executable from its first len bytes: its kind and,
 * for EXEC_DYNAMIC and EXEC_SCRIPT, the path of the program the kernel loads
 * first (PT_INTERP of either ELF class and byte order, or the #! path) into
 * interp.  A path that does not fit interplen makes it EXEC_UNKNOWN.  Pure.
 */
enum exec_kind exec_interp(const unsigned char *buf, size_t len, char *interp,
			   size_t interplen);

#endif
