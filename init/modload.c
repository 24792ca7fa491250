/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "init/modload.h"
#include "lib/log.h"
#include "lib/sys.h"

static int load_file(const struct plan_module *m, char *err, size_t errlen)
{
	int fd = open(m->path, O_RDONLY | O_CLOEXEC);
	long r;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open module %s: %s", m->path, strerror(errno));
		return -errno;
	}
	r = sys_finit_module(fd, m->opts);
	close(fd);
	if (r < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot load module %s: %s", m->name, strerror(errno));
		return -errno;
	}
	return 0;
}

static int load_index(struct modplan *p, int i, int depth, char *err, size_t errlen);

static void load_deps(struct modplan *p, const char *deps, int depth, char *err, size_t errlen)
{
	char dep[128];

	while (*deps) {
		size_t l = strcspn(deps, ",");
		int j;

		snprintf(dep, sizeof(dep), "%.*s", (int)(l < sizeof(dep) ? l : sizeof(dep) - 1), deps);
		j = modplan_find(p, dep);
		/*
		 * A soft dependency may not fit this machine (crc32c_intel
		 * without SSE4.2): go on, the module itself tells if it needed it.
		 */
		if (j >= 0 && !p->mod[j].failed &&
		    load_index(p, j, depth + 1, err, errlen) < 0)
			debug("%s", err);
		deps += l + (deps[l] == ',');
	}
}

static int load_index(struct modplan *p, int i, int depth, char *err, size_t errlen)
{
	struct plan_module *m = &p->mod[i];
	long long t = now_ms();
	int r;

	if (m->loaded)
		return 0;
	if (depth > 64) {
		snprintf(err, errlen, "load plan: dependency loop at %s", m->name);
		return -ELOOP;
	}
	load_deps(p, m->deps, depth, err, errlen);
	r = load_file(m, err, errlen);
	if (r < 0) {
		m->failed = true;
		return r;
	}
	m->loaded = true;
	debug("loaded module %s (%lld ms)", m->name, now_ms() - t);
	return 0;
}

/*
 * Loads a module of the plan with its dependencies.  -ENOENT: the plan does
 * not have it, which is fine when the kernel has it built in.
 */
int module_load(struct modplan *p, const char *name, char *err, size_t errlen)
{
	int i = modplan_find(p, name);

	if (i < 0) {
		snprintf(err, errlen, "module %s is not in the image", name);
		return -ENOENT;
	}
	return load_index(p, i, 0, err, errlen);
}

void modules_load_start(struct modplan *p)
{
	char err[256];

	for (size_t i = 0; i < p->n; i++)
		if (modplan_loads_at_start(&p->mod[i]) &&
		    load_index(p, (int)i, 0, err, sizeof(err)) < 0)
			say_warn("%s: going on without it", err);
}

/* Every filesystem of the plan but overlay, for a store of unknown type. */
void modules_load_filesystems(struct modplan *p)
{
	char err[256];

	for (size_t i = 0; i < p->n; i++)
		if (p->mod[i].requested && strstr(p->mod[i].path, "/kernel/fs/") &&
		    strcmp(p->mod[i].name, "overlay") != 0 &&
		    load_index(p, (int)i, 0, err, sizeof(err)) < 0)
			debug("%s", err);
}
