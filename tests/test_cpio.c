/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The newc writer: archives it writes are unpacked by GNU cpio into the
 * tree that went in, and their bytes follow the format's rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/sysmacros.h>

#include "mkinitramfs/cpio.h"
#include "mkinitramfs/readfile.h"
#include "tests/mk-helpers.h"

static int to_fd(void *ctx, const void *buf, size_t len)
{
	return write_all(*(int *)ctx, buf, len);
}

struct membuf {
	unsigned char *p;
	size_t len;
};

static int to_mem(void *ctx, const void *buf, size_t len)
{
	struct membuf *m = ctx;

	m->p = realloc(m->p, m->len + len);
	memcpy(m->p + m->len, buf, len);
	m->len += len;
	return 0;
}

static unsigned char *text(const char *s)
{
	return (unsigned char *)strdup(s);
}

static char long_name[512];

/* A tree with every kind of entry; order picks the order of adding. */
static void fill(struct cpio_image *img, int order)
{
	unsigned int g;
	int i;

	for (i = 0; i < 2; i++) {
		if (i == order) {
			assert_int_equal(cpio_add_dir(img, "/etc", 0700), 0);
			assert_int_equal(cpio_add_file(img, "/etc/conf", 0640,
						       text("a=1\n"), 4, NULL), 0);
			assert_int_equal(cpio_add_file(img, "/empty", 0600, NULL,
						       0, NULL), 0);
			assert_int_equal(cpio_add_symlink(img, "/bin/sh",
							  "busybox"), 0);
		} else {
			assert_int_equal(cpio_add_file(img, "/bin/busybox", 0755,
						       text("#!x\n"), 4, NULL), 0);
			assert_int_equal(cpio_add_node(img, "/dev/null", S_IFCHR,
						       0666, 1, 3), 0);
			assert_int_equal(cpio_add_node(img, "/dev/loop0", S_IFBLK,
						       0660, 7, 0), 0);
			assert_int_equal(cpio_add_node(img, "/run/fifo", S_IFIFO,
						       0644, 0, 0), 0);
			assert_int_equal(cpio_add_file(img, long_name, 0644,
						       text("long"), 4, NULL), 0);
		}
	}
	g = cpio_new_link_group(img);
	assert_int_equal(cpio_add_link_member(img, "/lib/b", 0755,
					      NULL, 5, NULL, g), 0);
	assert_int_equal(cpio_add_link_member(img, "/lib/a", 0755,
					      text("hard\n"), 5, NULL, g), 0);
	assert_int_equal(cpio_add_link_member(img, "/sbin/c", 0755,
					      NULL, 5, NULL, g), 0);
}

static int setup(void **state)
{
	size_t i;

	(void)state;
	strcpy(long_name, "/long");
	for (i = 0; i < 30; i++)
		strcat(long_name, "/directory");
	strcat(long_name, "/file-with-a-long-name");
	return 0;
}

static struct membuf archive(int order, uint32_t mtime)
{
	struct cpio_image img;
	struct membuf m = { 0 };

	cpio_init(&img);
	fill(&img, order);
	assert_int_equal(cpio_write(&img, mtime, to_mem, &m), 0);
	cpio_free(&img);
	return m;
}

/* Unpacks an archive of fill() with GNU cpio into a new directory. */
static char *unpack(void)
{
	struct cpio_image img;
	char *dir = mk_tmpdir(), path[4200];
	int fd;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/img.cpio", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	cpio_init(&img);
	fill(&img, 0);
	assert_int_equal(cpio_write(&img, 1700000000, to_fd, &fd), 0);
	cpio_free(&img);
	close(fd);
	assert_int_equal(mk_sh("mkdir %s/x && cd %s/x && cpio -idm --quiet "
			       "--no-absolute-filenames < ../img.cpio", dir, dir),
			 0);
	return dir;
}

static void check(const char *dir, const char *rel, mode_t mode,
		  const char *content)
{
	char path[4200], *data;
	struct stat st;

	snprintf(path, sizeof(path), "%s/x/%s", dir, rel);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode, mode);
	assert_int_equal(st.st_uid, 0);
	if (!content)
		return;
	if (S_ISLNK(mode)) {
		char target[256] = { 0 };

		assert_true(readlink(path, target, sizeof(target) - 1) > 0);
		assert_string_equal(target, content);
		return;
	}
	data = mk_read(path, NULL);
	assert_non_null(data);
	assert_string_equal(data, content);
	free(data);
}

static void test_unpacks_to_same_tree(void **state)
{
	char *dir = unpack(), path[4200];
	struct stat st;

	(void)state;
	check(dir, "etc", S_IFDIR | 0700, NULL);
	check(dir, "etc/conf", S_IFREG | 0640, "a=1\n");
	check(dir, "empty", S_IFREG | 0600, "");
	check(dir, "bin/sh", S_IFLNK | 0777, "busybox");
	check(dir, "bin/busybox", S_IFREG | 0755, "#!x\n");
	check(dir, "bin", S_IFDIR | 0755, NULL);
	check(dir, "run/fifo", S_IFIFO | 0644, NULL);
	check(dir, long_name + 1, S_IFREG | 0644, "long");
	check(dir, "dev/null", S_IFCHR | 0666, NULL);
	check(dir, "dev/loop0", S_IFBLK | 0660, NULL);
	snprintf(path, sizeof(path), "%s/x/dev/loop0", dir);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(major(st.st_rdev), 7);
	assert_int_equal(minor(st.st_rdev), 0);
	snprintf(path, sizeof(path), "%s/x/etc/conf", dir);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mtime, 1700000000);
	assert_true(strlen(long_name) > 200);
	mk_rmtree(dir);
}

static void test_hardlinks_unpack_as_one_inode(void **state)
{
	char *dir = unpack(), a[4200], b[4200], c[4200];
	struct stat sa, sb, sc;

	(void)state;
	snprintf(a, sizeof(a), "%s/x/lib/a", dir);
	snprintf(b, sizeof(b), "%s/x/lib/b", dir);
	snprintf(c, sizeof(c), "%s/x/sbin/c", dir);
	assert_int_equal(lstat(a, &sa), 0);
	assert_int_equal(lstat(b, &sb), 0);
	assert_int_equal(lstat(c, &sc), 0);
	assert_int_equal(sa.st_ino, sb.st_ino);
	assert_int_equal(sa.st_ino, sc.st_ino);
	assert_int_equal(sa.st_nlink, 3);
	check(dir, "sbin/c", S_IFREG | 0755, "hard\n");
	mk_rmtree(dir);
}

struct newc {
	char name[600];
	unsigned long f[13];	/* ino mode uid gid nlink mtime size ... */
};

enum { INO, MODE, UID, GID, NLINK, MTIME, SIZE, DMAJ, DMIN, RMAJ, RMIN,
	NAMESZ, CHECK };

/* Parses the header at *off and steps over the entry. */
static void next(const struct membuf *m, size_t *off, struct newc *h)
{
	char field[9] = { 0 };
	int i;

	assert_true(*off + 110 <= m->len);
	assert_memory_equal(m->p + *off, "070701", 6);
	for (i = 0; i < 13; i++) {
		memcpy(field, m->p + *off + 6 + 8 * i, 8);
		h->f[i] = strtoul(field, NULL, 16);
	}
	assert_true(h->f[NAMESZ] < sizeof(h->name));
	memcpy(h->name, m->p + *off + 110, h->f[NAMESZ]);
	assert_int_equal(h->name[h->f[NAMESZ] - 1], '\0');
	*off = (*off + 110 + h->f[NAMESZ] + 3) & ~(size_t)3;
	*off = (*off + h->f[SIZE] + 3) & ~(size_t)3;
}

static int has_entry(struct newc *seen, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(seen[i].name, name))
			return 1;
	return 0;
}

static void test_format_rules(void **state)
{
	struct membuf m = archive(0, 42);
	struct newc *seen = calloc(64, sizeof(*seen)), *h;
	size_t off = 0, n = 0;
	unsigned long last_ino = 0;
	char parent[600], *slash;

	(void)state;
	for (;;) {
		h = &seen[n];
		next(&m, &off, h);
		if (!strcmp(h->name, "TRAILER!!!"))
			break;
		assert_true(n == 0 || strcmp(seen[n - 1].name, h->name) < 0);
		assert_int_equal(h->f[UID], 0);
		assert_int_equal(h->f[GID], 0);
		assert_int_equal(h->f[MTIME], 42);
		assert_int_equal(h->f[DMAJ], 0);
		assert_true(h->f[INO] == last_ino + 1 || h->f[NLINK] > 1);
		if (h->f[INO] > last_ino)
			last_ino = h->f[INO];
		strcpy(parent, h->name);
		slash = strrchr(parent, '/');
		if (slash) {
			*slash = '\0';
			assert_true(has_entry(seen, n, parent));
		}
		if (!strcmp(h->name, "lib/a") || !strcmp(h->name, "lib/b"))
			assert_int_equal(h->f[SIZE], 0);
		if (!strcmp(h->name, "sbin/c"))
			assert_int_equal(h->f[SIZE], 5);
		if (!strcmp(h->name, "bin"))
			assert_int_equal(h->f[NLINK], 2);
		if (!strcmp(h->name, "lib"))
			assert_int_equal(h->f[NLINK], 2);
		n++;
		assert_true(n < 64);
	}
	assert_int_equal(off % 4, 0);
	assert_int_equal(m.len % 512, 0);
	assert_true(n > 10);
	free(seen);
	free(m.p);
}

static void test_order_of_adding_does_not_matter(void **state)
{
	struct membuf a = archive(0, 7), b = archive(1, 7);

	(void)state;
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.p, b.p, a.len);
	free(a.p);
	free(b.p);
}

static void test_paths(void **state)
{
	struct cpio_image img;
	char *p;

	(void)state;
	p = cpio_norm_path("//a/./b//c/");
	assert_string_equal(p, "a/b/c");
	free(p);
	assert_null(cpio_norm_path("/a/../b"));
	assert_null(cpio_norm_path("/"));
	cpio_init(&img);
	assert_int_equal(cpio_add_dir(&img, "/d", 0755), 0);
	assert_int_equal(cpio_add_dir(&img, "d/", 0700), 0);
	assert_int_equal(cpio_add_file(&img, "/f", 0644, NULL, 0, NULL), 0);
	assert_int_equal(cpio_add_file(&img, "f", 0644, text("x"), 1, NULL),
			 -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(cpio_add_file(&img, "/f/g", 0644, NULL, 0, NULL), -1);
	assert_int_equal(errno, ENOTDIR);
	assert_int_equal(cpio_add_symlink(&img, "/x/../y", "t"), -1);
	assert_int_equal(errno, EINVAL);
	cpio_finish(&img);
	assert_int_equal(img.n, 2);
	assert_int_equal(img.ent[0]->mode, S_IFDIR | 0700);
	cpio_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unpacks_to_same_tree),
		cmocka_unit_test(test_hardlinks_unpack_as_one_inode),
		cmocka_unit_test(test_format_rules),
		cmocka_unit_test(test_order_of_adding_does_not_matter),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
