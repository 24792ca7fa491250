/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "command/inuse.h"

struct proc {
	const char *pid;
	char comm[32];
	char dir[64];
};

static void mark_link(struct items *it, const struct proc *p, const char *link,
		      const char *what)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", p->dir, link);
	items_mark_path(it, path, "%s of process %s (%s)", what, p->pid, p->comm);
}

static void mark_fds(struct items *it, const struct proc *p)
{
	char path[128];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/fd", p->dir);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] != '.' && fstatat(dirfd(d), de->d_name, &st, 0) == 0)
			items_mark(it, st.st_dev, st.st_ino, "process %s (%s) has a file of it open",
				   p->pid, p->comm);
	}
	closedir(d);
}

/* "addr perms offset MAJ:MIN INODE path": the device and inode are enough. */
static void mark_maps(struct items *it, const struct proc *p)
{
	char path[128], line[4096 + 128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/maps", p->dir);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long long ino;

		if (sscanf(line, "%*s %*s %*s %x:%x %llu", &maj, &min, &ino) == 3 && ino)
			items_mark(it, makedev(maj, min), (ino_t)ino,
				   "process %s (%s) maps a file of it", p->pid, p->comm);
	}
	fclose(f);
}

static void read_comm(struct proc *p)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/comm", p->dir);
	strcpy(p->comm, "?");
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(p->comm, sizeof(p->comm), f))
		p->comm[strcspn(p->comm, "\n")] = '\0';
	fclose(f);
}

/* Every process but this one: root, working directory, open files, mappings. */
void inuse_procs(struct items *it)
{
	char self[32];
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return;
	snprintf(self, sizeof(self), "%d", (int)getpid());
	while ((de = readdir(d))) {
		struct proc p = { .pid = de->d_name };

		if (!isdigit((unsigned char)de->d_name[0]) || !strcmp(de->d_name, self))
			continue;
		snprintf(p.dir, sizeof(p.dir), "/proc/%s", p.pid);
		read_comm(&p);
		mark_link(it, &p, "root", "root");
		mark_link(it, &p, "cwd", "working directory");
		mark_fds(it, &p);
		mark_maps(it, &p);
	}
	closedir(d);
}
