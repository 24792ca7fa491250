/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MK_MODULES_H
#define OVROOT_MK_MODULES_H

#include <stddef.h>

/*
 * The load plan: the modules to put in the image, closed over their
 * dependencies and pre-softdeps by libkmod, in an order where every module
 * comes after all of its deps.
 */

struct modset_module {
	char *name;		/* as the kernel knows it: virtio_blk */
	int requested;		/* named by the caller, not only needed */
	char *src;		/* the file on disk, maybe compressed */
	char *dest;		/* absolute path in the image, ending .ko */
	char **deps;		/* names of modules to load first, sorted */
	size_t ndeps;
	char *options;		/* from modprobe.d, or NULL */
	char **fs_aliases;	/* its "fs-*" aliases, sorted */
	size_t nfs_aliases;
};

struct modset {
	char *kver;
	struct modset_module *mod;
	size_t n, cap;
};

/* The modules the image gets unless --no-default-modules. */
extern const char *const modset_default_modules[];

/*
 * The modprobe.d directories to read: the host's, or with a sysroot only
 * the target's.  A new NULL-terminated array; free with modset_free_paths.
 */
char **modset_config_paths(const char *sysroot);
void modset_free_paths(char **paths);

/*
 * Resolves names (module names or aliases; a leading '?' makes one
 * optional) against the module tree modules_dir with the modprobe.d
 * config_paths.  Built-in modules are skipped with a note.  Returns 0, or
 * -1 after printing a one-line error (unknown name, no modules.dep.bin,
 * unreadable tree).
 */
int modset_build(struct modset *plan, const char *modules_dir,
		  const char *kver, const char *const *config_paths,
		  const char *const *names, size_t nnames);
void modset_free(struct modset *plan);

/* The plan's module called name, or NULL. */
const struct modset_module *modset_find(const struct modset *plan,
					  const char *name);

#endif
