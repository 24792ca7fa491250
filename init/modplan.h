/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OVROOT_MODPLAN_H
#define OVROOT_MODPLAN_H

#include <stdbool.h>
#include <stddef.h>

#define MODPLAN_PATH "/etc/ovroot/modules"

/* One module of the load plan ovroot-mkinitramfs writes; see docs/mkinitramfs.md. */
struct plan_module {
	const char *name, *path, *deps, *opts;	/* deps: "a,b" or "" */
	bool requested;
	bool loaded;
	bool failed;		/* tried once: not again for every dependant */
};

struct plan_alias {
	const char *alias, *name;
};

struct modplan {
	const char *kver;
	struct plan_module *mod;
	size_t n;
	struct plan_alias *alias;
	size_t nalias;
	char *text;		/* owns every string above */
};

int modplan_parse(struct modplan *p, char *text, char *err, size_t errlen);
int modplan_find(const struct modplan *p, const char *name);
bool modplan_loads_at_start(const struct plan_module *m);
void modplan_free(struct modplan *p);

#endif
