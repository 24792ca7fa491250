/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The module closure.  libkmod resolves names and aliases with the target's
 * indexes (modules.dep.bin, modules.alias.bin, modules.builtin, ...) and the
 * modprobe.d files we hand it; we walk dependencies and pre-softdeps depth
 * first, in name order, and append a module once all it needs is placed.
 */
#include <errno.h>
#include <libkmod.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkinitramfs/decompress.h"
#include "mkinitramfs/modules.h"
#include "mkinitramfs/msg.h"
#include "mkinitramfs/xalloc.h"

/*
 * The USB host controllers and HID drivers let the rollback key be read
 * from a USB keyboard; where a kernel has them built in (or a platform
 * lacks them) they are skipped.  virtio_mmio is the virtio transport of
 * boards and of machines without PCI; virtio_input is the keyboard of
 * QEMU's arm and arm64 "virt" machine, which has no PS/2 (docs/hardware.md).
 */
const char *const modset_default_modules[] = {
	"overlay", "squashfs", "erofs", "loop", "ext4", "vfat",
	"virtio_blk", "virtio_pci", "?virtio_mmio", "evdev", "?virtio_input",
	"?xhci_pci", "?ehci_pci", "?ohci_pci", "?uhci_hcd", "?usbhid", "?hid_generic", NULL,
};

struct closure {
	struct kmod_ctx *ctx;
	struct modset *plan;
	const char *dirname;	/* libkmod's absolute modules dir */
	char **visiting;	/* the current path of the walk */
	size_t nvisiting, capvisiting;
};

char **modset_config_paths(const char *sysroot)
{
	/* libkmod's own list, spelt out so that a sysroot can prefix it. */
	static const char *const host[] = {
		"/etc/modprobe.d", "/run/modprobe.d",
		"/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d",
		"/lib/modprobe.d", NULL,
	};
	static const char *const target[] = {
		"/etc/modprobe.d", "/lib/modprobe.d", "/usr/lib/modprobe.d",
		NULL,
	};
	const char *const *dirs = sysroot ? target : host;
	char **paths = xcalloc(6, sizeof(*paths));
	size_t i;

	for (i = 0; dirs[i]; i++)
		paths[i] = xasprintf("%s%s", sysroot ? sysroot : "", dirs[i]);
	return paths;
}

void modset_free_paths(char **paths)
{
	size_t i;

	for (i = 0; paths && paths[i]; i++)
		free(paths[i]);
	free(paths);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int by_module_name(const void *a, const void *b)
{
	return strcmp(kmod_module_get_name(*(struct kmod_module *const *)a),
		      kmod_module_get_name(*(struct kmod_module *const *)b));
}

const struct modset_module *modset_find(const struct modset *plan,
					  const char *name)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (!strcmp(plan->mod[i].name, name))
			return &plan->mod[i];
	return NULL;
}

static char *image_path(const struct closure *c, const char *src)
{
	size_t dlen = strlen(c->dirname);
	const char *rel = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;

	if (!strncmp(src, c->dirname, dlen) && src[dlen] == '/')
		rel = src + dlen + 1;
	return xasprintf("/lib/modules/%s/%.*s", c->plan->kver,
			 (int)(strlen(rel) - module_suffix_len(rel)), rel);
}

static void add_fs_aliases(struct modset_module *m, struct kmod_module *mod)
{
	struct kmod_list *info = NULL, *it;

	if (kmod_module_get_info(mod, &info) < 0)
		return;
	kmod_list_foreach(it, info) {
		const char *value = kmod_module_info_get_value(it);

		if (strcmp(kmod_module_info_get_key(it), "alias") ||
		    !value || strncmp(value, "fs-", 3))
			continue;
		m->fs_aliases = xrealloc(m->fs_aliases,
			(m->nfs_aliases + 1) * sizeof(char *));
		m->fs_aliases[m->nfs_aliases++] = xstrdup(value);
	}
	kmod_module_info_free_list(info);
	if (m->nfs_aliases)
		qsort(m->fs_aliases, m->nfs_aliases, sizeof(char *), by_string);
}

static void append(struct closure *c, struct kmod_module *mod, char **deps,
		   size_t ndeps, int requested)
{
	struct modset *plan = c->plan;
	struct modset_module *m;
	const char *options = kmod_module_get_options(mod);

	xgrow(&plan->mod, &plan->cap, plan->n, sizeof(*plan->mod));
	m = &plan->mod[plan->n++];
	memset(m, 0, sizeof(*m));
	m->name = xstrdup(kmod_module_get_name(mod));
	m->requested = requested;
	m->src = xstrdup(kmod_module_get_path(mod));
	m->dest = image_path(c, m->src);
	m->deps = deps;
	m->ndeps = ndeps;
	m->options = options && *options ? xstrdup(options) : NULL;
	add_fs_aliases(m, mod);
}

/* The modules mod needs first: modules.dep's and the pre-softdeps. */
static size_t needed(struct kmod_module *mod, struct kmod_list *deps,
		     struct kmod_list *pre, struct kmod_module ***out)
{
	struct kmod_list *lists[] = { deps, pre }, *it;
	struct kmod_module **all = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < 2; i++) {
		kmod_list_foreach(it, lists[i]) {
			xgrow(&all, &cap, n, sizeof(*all));
			all[n++] = kmod_module_get_module(it);
		}
	}
	if (n)
		qsort(all, n, sizeof(*all), by_module_name);
	for (i = j = 0; i < n; i++) {
		const char *name = kmod_module_get_name(all[i]);

		if ((j && !strcmp(name, kmod_module_get_name(all[j - 1]))) ||
		    !strcmp(name, kmod_module_get_name(mod)))
			kmod_module_unref(all[i]);
		else
			all[j++] = all[i];
	}
	*out = all;
	return j;
}

static int in_walk(const struct closure *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nvisiting; i++)
		if (!strcmp(c->visiting[i], name))
			return 1;
	return 0;
}

static const struct modset_module *visit(struct closure *c,
					  struct kmod_module *mod,
					  int requested);

/* Places what mod needs; returns the names of those in the plan. */
static size_t place_needs(struct closure *c, struct kmod_module *mod,
			  char ***names)
{
	struct kmod_list *deps = kmod_module_get_dependencies(mod);
	struct kmod_list *pre = NULL, *post = NULL;
	struct kmod_module **need;
	size_t n, i, count = 0;

	kmod_module_get_softdeps(mod, &pre, &post);
	n = needed(mod, deps, pre, &need);
	*names = n ? xcalloc(n, sizeof(char *)) : NULL;
	for (i = 0; i < n; i++) {
		const struct modset_module *placed = visit(c, need[i], 0);

		if (placed)
			(*names)[count++] = xstrdup(placed->name);
		kmod_module_unref(need[i]);
	}
	free(need);
	kmod_module_unref_list(deps);
	kmod_module_unref_list(pre);
	kmod_module_unref_list(post);
	return count;
}

/*
 * Puts mod and what it needs into the plan.  Returns its plan entry, or
 * NULL when it is built in or already on the walk (a softdep cycle: the
 * edge that closes it is dropped).
 */
static const struct modset_module *visit(struct closure *c,
					  struct kmod_module *mod,
					  int requested)
{
	const char *name = kmod_module_get_name(mod);
	struct modset_module *m;
	char **deps;
	size_t ndeps;

	if (!kmod_module_get_path(mod) || in_walk(c, name))
		return NULL;
	m = (struct modset_module *)modset_find(c->plan, name);
	if (m) {
		m->requested |= requested;
		return m;
	}
	xgrow(&c->visiting, &c->capvisiting, c->nvisiting, sizeof(char *));
	c->visiting[c->nvisiting++] = xstrdup(name);
	ndeps = place_needs(c, mod, &deps);
	free(c->visiting[--c->nvisiting]);
	append(c, mod, deps, ndeps, requested);
	return &c->plan->mod[c->plan->n - 1];
}

/* Resolves one requested name; 0, or -1 after an error message. */
static int request(struct closure *c, const char *name)
{
	int optional = name[0] == '?';
	struct kmod_list *list = NULL, *it;
	struct kmod_module **mods = NULL;
	size_t n = 0, cap = 0, i;
	int err;

	name += optional;
	err = kmod_module_new_from_lookup(c->ctx, name, &list);
	if (err < 0) {
		mk_error("module lookup", name, -err);
		return -1;
	}
	kmod_list_foreach(it, list) {
		xgrow(&mods, &cap, n, sizeof(*mods));
		mods[n++] = kmod_module_get_module(it);
	}
	kmod_module_unref_list(list);
	if (!n && optional)
		mk_note("optional module %s not found, skipped", name);
	if (!n && !optional)
		mk_fail("module not found: %s (in %s)", name, c->dirname);
	if (n)
		qsort(mods, n, sizeof(*mods), by_module_name);
	for (i = 0; i < n; i++) {
		if (!kmod_module_get_path(mods[i]))
			mk_note("module %s is built into the kernel, skipped",
				kmod_module_get_name(mods[i]));
		else
			visit(c, mods[i], 1);
		kmod_module_unref(mods[i]);
	}
	free(mods);
	return n || optional ? 0 : -1;
}

static void log_nothing(void *data, int priority, const char *file,
			int line, const char *fn, const char *format,
			va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn;
	(void)format, (void)args;
}

/* The BASEDIR to suggest for "depmod -b BASEDIR KVER". */
static char *depmod_base(const char *modules_dir)
{
	const char *tail = strstr(modules_dir, "/lib/modules/");

	if (!tail)
		return xstrdup("BASEDIR");
	if (tail == modules_dir)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(tail - modules_dir), modules_dir);
}

/* The tree must exist and be indexed; 0, or -1 after a message. */
static int check_tree(const char *modules_dir, const char *kver)
{
	struct stat st;
	char *index;
	int ret = 0;

	if (stat(modules_dir, &st)) {
		mk_error("module tree", modules_dir, errno);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		mk_error("module tree", modules_dir, ENOTDIR);
		return -1;
	}
	index = xasprintf("%s/modules.dep.bin", modules_dir);
	if (access(index, R_OK)) {
		char *base = depmod_base(modules_dir);

		mk_fail("module index: %s: %s; run depmod -b %s %s", index,
			strerror(errno), base, kver);
		free(base);
		ret = -1;
	}
	free(index);
	return ret;
}

static int by_request_name(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	return strcmp(x + (x[0] == '?'), y + (y[0] == '?'));
}

int modset_build(struct modset *plan, const char *modules_dir,
		  const char *kver, const char *const *config_paths,
		  const char *const *names, size_t nnames)
{
	struct closure c = { .plan = plan };
	const char **sorted;
	size_t i;
	int ret = 0;

	memset(plan, 0, sizeof(*plan));
	plan->kver = xstrdup(kver);
	if (check_tree(modules_dir, kver))
		return -1;
	c.ctx = kmod_new(modules_dir, config_paths);
	if (!c.ctx) {
		mk_error("module tree", modules_dir, ENOMEM);
		return -1;
	}
	kmod_set_log_fn(c.ctx, log_nothing, NULL);
	kmod_load_resources(c.ctx);
	c.dirname = kmod_get_dirname(c.ctx);
	sorted = xcalloc(nnames, sizeof(*sorted));
	/* No names at all (--no-default-modules alone) is a plan of none. */
	if (nnames) {
		memcpy(sorted, names, nnames * sizeof(*sorted));
		qsort(sorted, nnames, sizeof(*sorted), by_request_name);
	}
	for (i = 0; i < nnames; i++)
		if (request(&c, sorted[i]))
			ret = -1;
	free(sorted);
	free(c.visiting);
	kmod_unref(c.ctx);
	return ret;
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void modset_free(struct modset *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++) {
		struct modset_module *m = &plan->mod[i];

		free(m->name);
		free(m->src);
		free(m->dest);
		free(m->options);
		free_strings(m->deps, m->ndeps);
		free_strings(m->fs_aliases, m->nfs_aliases);
	}
	free(plan->mod);
	free(plan->kver);
	memset(plan, 0, sizeof(*plan));
}
