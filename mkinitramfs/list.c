/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkinitramfs/list.h"
#include "mkinitramfs/msg.h"
#include "mkinitramfs/readfile.h"
#include "mkinitramfs/xalloc.h"

/* Creates path and its parents; 0, or -1 with errno set. */
static int make_dirs(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); ; p = strchr(p + 1, '/')) {
		if (p)
			*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		if (!p)
			return 0;
		*p = '/';
	}
}

/* Writes e's data below datadir; returns the new file's path or NULL. */
static char *write_data(const char *datadir, const struct cpio_entry *e)
{
	char *path = xasprintf("%s/%s", datadir, e->path);
	char *slash = strrchr(path, '/');
	int fd, err = 0;

	*slash = '\0';
	if (make_dirs(path))
		err = errno;
	*slash = '/';
	fd = err ? -1 : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			     0644);
	if (!err && fd < 0)
		err = errno;
	if (fd >= 0 && write_all(fd, e->data, e->size))
		err = errno;
	if (fd >= 0 && close(fd) && !err)
		err = errno;
	if (err) {
		mk_error("list data", path, err);
		free(path);
		return NULL;
	}
	return path;
}

/* The other members of e's hardlink group, after e in sorted order. */
static void put_links(const struct cpio_image *img, size_t at, FILE *out)
{
	unsigned int group = img->ent[at]->link_group;
	size_t i;

	for (i = at + 1; group && i < img->n; i++)
		if (img->ent[i]->link_group == group)
			fprintf(out, " /%s", img->ent[i]->path);
}

static int seen_group(const struct cpio_image *img, size_t at)
{
	size_t i;

	for (i = 0; img->ent[at]->link_group && i < at; i++)
		if (img->ent[i]->link_group == img->ent[at]->link_group)
			return 1;
	return 0;
}

/* The data of e's group, for a file made by the tool. */
static const struct cpio_entry *data_of(const struct cpio_image *img,
					size_t at)
{
	size_t i;

	for (i = 0; img->ent[at]->link_group && i < img->n; i++)
		if (img->ent[i]->link_group == img->ent[at]->link_group &&
		    img->ent[i]->data)
			return img->ent[i];
	return img->ent[at];
}

static int put_file(const struct cpio_image *img, size_t at, FILE *out,
		    const char *datadir)
{
	const struct cpio_entry *e = img->ent[at];
	char *made = NULL;

	if (seen_group(img, at))
		return 0;
	if (!e->src) {
		made = write_data(datadir, data_of(img, at));
		if (!made)
			return -1;
	}
	fprintf(out, "file /%s %s %04o 0 0", e->path, made ? made : e->src,
		(unsigned int)(e->mode & 07777));
	put_links(img, at, out);
	fputc('\n', out);
	free(made);
	return 0;
}

static int put_entry(const struct cpio_image *img, size_t at, FILE *out,
		     const char *datadir)
{
	const struct cpio_entry *e = img->ent[at];
	unsigned int perm = e->mode & 07777;

	if (strpbrk(e->path, " \t\n")) {
		mk_fail("list: a name with white space cannot be listed: /%s",
			e->path);
		return -1;
	}
	if (S_ISDIR(e->mode))
		fprintf(out, "dir /%s %04o 0 0\n", e->path, perm);
	else if (S_ISCHR(e->mode) || S_ISBLK(e->mode))
		fprintf(out, "nod /%s %04o 0 0 %c %u %u\n", e->path, perm,
			S_ISCHR(e->mode) ? 'c' : 'b', e->rdev_major,
			e->rdev_minor);
	else if (S_ISLNK(e->mode))
		fprintf(out, "slink /%s %s %04o 0 0\n", e->path,
			(const char *)e->data, perm);
	else if (S_ISFIFO(e->mode))
		fprintf(out, "pipe /%s %04o 0 0\n", e->path, perm);
	else if (S_ISSOCK(e->mode))
		fprintf(out, "sock /%s %04o 0 0\n", e->path, perm);
	else
		return put_file(img, at, out, datadir);
	return 0;
}

int list_write(struct cpio_image *img, FILE *out, const char *datadir)
{
	char *copy = xstrdup(datadir), *abs;
	size_t i;
	int ret = 0;

	if (make_dirs(copy) || !(abs = realpath(datadir, NULL))) {
		mk_error("list data", datadir, errno);
		free(copy);
		return -1;
	}
	free(copy);
	cpio_finish(img);
	fprintf(out, "# ovroot initramfs, gen_init_cpio list\n");
	for (i = 0; i < img->n && !ret; i++)
		ret = put_entry(img, i, out, abs);
	free(abs);
	return ret;
}
