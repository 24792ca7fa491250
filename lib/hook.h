/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_LIB_HOOK_H
#define OVROOT_LIB_HOOK_H

/*
 * Test hooks.  The kernel hands unknown words of its command line to init as
 * environment, so a shipped program must never read one: only the test
 * builds compile the files that use hooks with OVROOT_TEST_HOOKS (Makefile,
 * HOOK_SRC), where hook() reads the environment.  Elsewhere it is NULL and
 * the hook, with its name, is compiled out.  The hooks: OVROOT_FAULT_AT=N
 * (lib/file.c, fault_point(): the promotion file's writes and staging), OVROOT_NO_OPENAT2=1 (lib/beneath.c),
 * OVROOT_NO_LOWERDIR_PLUS=1 (overlay/assemble.c).
 */
#ifdef OVROOT_TEST_HOOKS
#include <stdlib.h>
#define hook(name) ((const char *)getenv(name))
#else
#define hook(name) ((const char *)NULL)
#endif

#endif
