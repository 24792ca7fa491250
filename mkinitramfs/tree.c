/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mkinitramfs/msg.h"
#include "mkinitramfs/readfile.h"
#include "mkinitramfs/tree.h"
#include "mkinitramfs/xalloc.h"

void tree_init(struct tree *t, struct cpio_image *img)
{
	memset(t, 0, sizeof(*t));
	t->img = img;
}

void tree_free(struct tree *t)
{
	free(t->links);
	t->links = NULL;
	t->nlinks = t->caplinks = 0;
}

static int add_path(struct tree *t, const char *src, const char *dest);

/*
 * The hardlink group of a file seen before, or a new one; *first says
 * whether this is the first member met, which then carries the data.
 */
static unsigned int link_group(struct tree *t, const struct stat *st,
			       int *first)
{
	size_t i;

	for (i = 0; i < t->nlinks; i++) {
		if (t->links[i].dev == st->st_dev &&
		    t->links[i].ino == st->st_ino) {
			*first = 0;
			return t->links[i].group;
		}
	}
	xgrow(&t->links, &t->caplinks, t->nlinks, sizeof(*t->links));
	t->links[t->nlinks] = (struct tree_link){
		st->st_dev, st->st_ino, cpio_new_link_group(t->img)
	};
	*first = 1;
	return t->links[t->nlinks++].group;
}

static int add_file(struct tree *t, const char *src, const char *dest,
		    const struct stat *st)
{
	unsigned char *data = NULL;
	size_t size = 0;
	unsigned int group = 0;
	int first = 1;

	if (st->st_nlink > 1)
		group = link_group(t, st, &first);
	if (first && read_whole_file(src, &data, &size)) {
		mk_error("include", src, errno);
		return -1;
	}
	if (cpio_add_link_member(t->img, dest, st->st_mode, data, size, src,
				 group)) {
		mk_error("include destination", dest, errno);
		return -1;
	}
	return 0;
}

static int add_symlink(struct tree *t, const char *src, const char *dest,
		       const struct stat *st)
{
	size_t cap = (size_t)st->st_size + 1;
	char *target = xmalloc(cap);
	ssize_t n = readlink(src, target, cap);
	int ret = 0;

	if (n < 0 || (size_t)n >= cap) {
		mk_error("include", src, n < 0 ? errno : EOVERFLOW);
		ret = -1;
	} else {
		target[n] = '\0';
		ret = cpio_add_symlink(t->img, dest, target);
		if (ret)
			mk_error("include destination", dest, errno);
	}
	free(target);
	return ret;
}

static int add_dir(struct tree *t, const char *src, const char *dest,
		   const struct stat *st)
{
	DIR *d;
	struct dirent *de;
	char *s, *ds;
	int ret = 0;

	if (cpio_add_dir(t->img, dest, st->st_mode)) {
		mk_error("include destination", dest, errno);
		return -1;
	}
	d = opendir(src);
	if (!d) {
		mk_error("include", src, errno);
		return -1;
	}
	while (!ret && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		s = xasprintf("%s/%s", src, de->d_name);
		ds = xasprintf("%s/%s", dest, de->d_name);
		ret = add_path(t, s, ds);
		free(s);
		free(ds);
	}
	closedir(d);
	return ret;
}

static int add_path(struct tree *t, const char *src, const char *dest)
{
	struct stat st;

	if (lstat(src, &st)) {
		mk_error("include", src, errno);
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return add_file(t, src, dest, &st);
	if (S_ISLNK(st.st_mode))
		return add_symlink(t, src, dest, &st);
	if (S_ISDIR(st.st_mode))
		return add_dir(t, src, dest, &st);
	if (cpio_add_node(t->img, dest, st.st_mode, st.st_mode,
			  major(st.st_rdev), minor(st.st_rdev))) {
		mk_error("include destination", dest, errno);
		return -1;
	}
	return 0;
}

int tree_include(struct tree *t, const char *spec)
{
	char *src = xstrdup(spec);
	char *colon = strchr(src, ':');
	const char *dest = src;
	int ret;

	if (colon) {
		*colon = '\0';
		dest = colon + 1;
	}
	ret = add_path(t, src, dest);
	free(src);
	return ret;
}
