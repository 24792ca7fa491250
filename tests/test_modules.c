/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The module closure and the load plan, against the real Debian kernel in
 * OVROOT_KERNEL_DIR (default .cache/kernel/current).  Without it every test
 * fails: a missing kernel must not look like a pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mkinitramfs/modules.h"
#include "mkinitramfs/plan.h"
#include "tests/mk-helpers.h"

static const char *const no_config[] = { "/nonexistent/modprobe.d", NULL };

static void build(struct modset *plan, const char *const *names, size_t n)
{
	assert_int_equal(modset_build(plan, mk_moddir(), mk_kver(), no_config,
				       names, n), 0);
}

static size_t index_of(const struct modset *plan, const char *name)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		if (!strcmp(plan->mod[i].name, name))
			return i;
	fail_msg("module %s not in the plan", name);
	return 0;
}

static int has_dep(const struct modset_module *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->ndeps; i++)
		if (!strcmp(m->deps[i], name))
			return 1;
	return 0;
}

/* Whether the test kernel's modules.dep has a module ending in file. */
static int kernel_has_module(const char *file)
{
	char path[4200], *dep, needle[256];
	int found;

	snprintf(path, sizeof(path), "%s/modules.dep", mk_moddir());
	dep = mk_read(path, NULL);
	assert_non_null(dep);
	snprintf(needle, sizeof(needle), "/%s:", file);
	found = strstr(dep, needle) != NULL;
	free(dep);
	return found;
}

static void test_ext4_closure(void **state)
{
	const char *names[] = { "ext4" };
	const struct modset_module *ext4;
	struct modset plan;

	(void)state;
	build(&plan, names, 1);
	ext4 = modset_find(&plan, "ext4");
	assert_non_null(ext4);
	assert_true(ext4->requested);
	assert_non_null(modset_find(&plan, "jbd2"));
	assert_false(modset_find(&plan, "jbd2")->requested);
	assert_non_null(modset_find(&plan, "mbcache"));
	assert_non_null(modset_find(&plan, "crc16"));
	assert_true(has_dep(ext4, "jbd2") && has_dep(ext4, "mbcache") &&
		    has_dep(ext4, "crc16"));
	/* ext4 has "softdep pre: crc32c"; taken when crc32c is a module. */
	if (kernel_has_module("crc32c_generic.ko")) {
		assert_non_null(modset_find(&plan, "crc32c_generic"));
		assert_true(has_dep(ext4, "crc32c_generic"));
	}
	assert_int_equal(strcmp(ext4->dest + strlen(ext4->dest) - 3, ".ko"), 0);
	modset_free(&plan);
}

static void test_deps_come_first(void **state)
{
	struct modset plan;
	size_t i, j, n = 0;

	(void)state;
	while (modset_default_modules[n])
		n++;
	build(&plan, (const char *const *)modset_default_modules, n);
	assert_true(plan.n >= n);
	for (i = 0; i < plan.n; i++)
		for (j = 0; j < plan.mod[i].ndeps; j++)
			assert_true(index_of(&plan, plan.mod[i].deps[j]) < i);
	/* "?NAME" is optional: when there, it is requested like the rest. */
	for (i = 0; i < n; i++) {
		const char *name = modset_default_modules[i];
		const struct modset_module *m = modset_find(&plan, name + (name[0] == '?'));

		assert_true(name[0] == '?' || m);
		assert_true(!m || m->requested);
	}
	assert_non_null(modset_find(&plan, "usbhid"));
	modset_free(&plan);
}

/* Checks one "module" line of the plan text against the plan. */
static void check_module_line(const struct modset *plan, char *line,
			      size_t *seen)
{
	char *name = strtok(line + 7, " "), *flag = strtok(NULL, " ");
	char *path = strtok(NULL, " "), *deps = strtok(NULL, " ");
	const struct modset_module *m = modset_find(plan, name);
	char *dep;

	assert_non_null(m);
	assert_non_null(deps);
	assert_string_equal(flag, m->requested ? "r" : "-");
	assert_string_equal(path, m->dest);
	assert_int_equal(strncmp(path, "/lib/modules/", 13), 0);
	if (strcmp(deps, "-"))
		for (dep = strtok(deps, ","); dep; dep = strtok(NULL, ","))
			assert_true(index_of(plan, dep) < *seen);
	assert_int_equal(index_of(plan, name), *seen);
	(*seen)++;
}

static void test_plan_text(void **state)
{
	const char *names[] = { "ext4", "overlay", "vfat" };
	struct modset plan;
	char *text, *line, *save, want[300];
	size_t len, seen = 0;
	int nline = 0;

	(void)state;
	build(&plan, names, 3);
	text = plan_format(&plan, &len);
	assert_int_equal(strlen(text), len);
	assert_string_equal(strstr(text, "alias fs-ext3 ext4\n") ? "y" : "n",
			    "y");
	assert_non_null(strstr(text, "alias fs-vfat vfat\n"));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), nline++) {
		if (nline == 0) {
			assert_string_equal(line, "# ovroot load plan");
			continue;
		}
		if (nline == 1) {
			snprintf(want, sizeof(want), "kernel %s", mk_kver());
			assert_string_equal(line, want);
			continue;
		}
		assert_null(strstr(line, "  "));
		if (!strncmp(line, "module ", 7))
			check_module_line(&plan, line, &seen);
		else
			assert_int_equal(strncmp(line, "alias fs-", 9), 0);
	}
	assert_int_equal(seen, plan.n);
	free(text);
	modset_free(&plan);
}

/* The name of some module in modules.builtin, e.g. "unix". */
static void builtin_name(char *name, size_t size)
{
	char path[4200], *list, *line, *base;

	snprintf(path, sizeof(path), "%s/modules.builtin", mk_moddir());
	list = mk_read(path, NULL);
	assert_non_null(list);
	line = strstr(list, "kernel/net/unix/unix.ko\n") ?
		strstr(list, "kernel/net/unix/unix.ko\n") : list;
	*strchrnul(line, '\n') = '\0';
	base = strrchr(line, '/') ? strrchr(line, '/') + 1 : line;
	snprintf(name, size, "%.*s", (int)(strlen(base) - 3), base);
	for (line = name; *line; line++)
		if (*line == '-')
			*line = '_';
	free(list);
}

static void test_builtin_skipped(void **state)
{
	char name[128];
	const char *names[2] = { name, "loop" };
	struct modset plan;

	(void)state;
	builtin_name(name, sizeof(name));
	assert_true(name[0]);
	build(&plan, names, 2);
	assert_null(modset_find(&plan, name));
	assert_non_null(modset_find(&plan, "loop"));
	modset_free(&plan);
}

static void test_unknown_fails_optional_not(void **state)
{
	const char *bad[] = { "loop", "no_such_module_zz" };
	const char *opt[] = { "loop", "?no_such_module_zz" };
	struct modset plan;

	(void)state;
	assert_int_equal(modset_build(&plan, mk_moddir(), mk_kver(), no_config,
				       bad, 2), -1);
	modset_free(&plan);
	build(&plan, opt, 2);
	assert_int_equal(plan.n, 1);
	modset_free(&plan);
}

static void test_unknown_name_in_message(void **state)
{
	char *dir = mk_tmpdir(), out[4200], *err = NULL;
	char *argv[] = { (char *)mk_tool(), "-k", (char *)mk_kver(), "-m",
		(char *)mk_moddir(), "--init", "/bin/true", "-o", out,
		"--module", "no_such_module_zz", NULL };

	(void)state;
	snprintf(out, sizeof(out), "%s/a.img", dir);
	assert_int_equal(mk_run(argv, &err), 1);
	assert_non_null(strstr(err, "no_such_module_zz"));
	assert_int_equal(mk_lines(err), 1);
	assert_false(mk_exists(out));
	free(err);
	argv[10] = "?no_such_module_zz";
	assert_int_equal(mk_run(argv, &err), 0);
	assert_true(mk_exists(out));
	free(err);
	mk_rmtree(dir);
}

static void test_config_paths(void **state)
{
	char **p = modset_config_paths("/target");
	size_t i;

	(void)state;
	assert_string_equal(p[0], "/target/etc/modprobe.d");
	assert_string_equal(p[1], "/target/lib/modprobe.d");
	assert_string_equal(p[2], "/target/usr/lib/modprobe.d");
	assert_null(p[3]);
	modset_free_paths(p);
	p = modset_config_paths(NULL);
	assert_string_equal(p[0], "/etc/modprobe.d");
	for (i = 0; p[i]; i++)
		assert_int_equal(strncmp(p[i], "/target", 7) != 0, 1);
	modset_free_paths(p);
}

/* The load plan inside an uncompressed image. */
static char *plan_of(const char *img)
{
	char cmd[4200];
	FILE *f;
	char *text = calloc(1, 65536);

	snprintf(cmd, sizeof(cmd),
		 "cpio -i --quiet --to-stdout etc/ovroot/modules < %s", img);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_true(fread(text, 1, 65535, f) > 0);
	assert_int_equal(pclose(f), 0);
	return text;
}

static void test_sysroot_options(void **state)
{
	char *root = mk_tmpdir(), out[4200], want[512], *err = NULL, *plan;
	char *argv[] = { (char *)mk_tool(), "-k", (char *)mk_kver(),
		"--sysroot", root, "--init", "/bin/true", "-o", out,
		"--compress", "none", "--no-default-modules", "--module", "loop",
		NULL };

	(void)state;
	mk_moddir();
	assert_int_equal(mk_sh("mkdir -p %s/lib/modules %s/etc/modprobe.d && "
			       "ln -s $(realpath %s) %s/lib/modules/%s && "
			       "echo 'options loop max_loop=4' > "
			       "%s/etc/modprobe.d/loop.conf", root, root,
			       mk_moddir(), root, mk_kver(), root), 0);
	snprintf(out, sizeof(out), "%s/a.img", root);
	assert_int_equal(mk_run(argv, &err), 0);
	plan = plan_of(out);
	snprintf(want, sizeof(want),
		 "\nmodule loop r /lib/modules/%s/kernel/drivers/block/loop.ko"
		 " - max_loop=4\n", mk_kver());
	assert_non_null(strstr(plan, want));
	free(plan);
	free(err);
	mk_rmtree(root);
}

/*
 * A copy of part of the tree with xz and zstd compressed modules, indexed
 * by depmod -b: the image holds them decompressed, byte for byte.
 */
static void test_compressed_modules(void **state)
{
	char *base = mk_tmpdir(), out[4200], *err = NULL, *plan;
	char want[512];
	char *argv[] = { (char *)mk_tool(), "-k", (char *)mk_kver(), "-m",
		want, "--init", "/bin/true", "-o", out, "--compress", "none",
		"--no-default-modules", "--module", "ext4", "--module", "loop",
		NULL };

	(void)state;
	mk_moddir();
	assert_int_equal(mk_sh(
		"set -e; src=%s; dst=%s/lib/modules/%s; mkdir -p $dst; "
		"cp $src/modules.builtin $src/modules.builtin.modinfo "
		"$src/modules.order $dst/; "
		"for m in fs/ext4/ext4.ko fs/jbd2/jbd2.ko fs/mbcache.ko "
		"lib/crc16.ko drivers/block/loop.ko; do "
		"mkdir -p $(dirname $dst/kernel/$m); "
		"cp $src/kernel/$m $dst/kernel/$m; done; "
		"xz --check=crc32 $dst/kernel/fs/ext4/ext4.ko "
		"$dst/kernel/fs/jbd2/jbd2.ko; "
		"zstd -q --rm $dst/kernel/fs/mbcache.ko $dst/kernel/lib/crc16.ko; "
		"depmod -b %s %s; grep -q 'ext4.ko.xz:.*crc16.ko.zst' "
		"$dst/modules.dep",
		mk_moddir(), base, mk_kver(), base, mk_kver()), 0);
	snprintf(want, sizeof(want), "%s/lib/modules/%s", base, mk_kver());
	snprintf(out, sizeof(out), "%s/a.img", base);
	assert_int_equal(mk_run(argv, &err), 0);
	plan = plan_of(out);
	assert_non_null(strstr(plan, "/kernel/fs/ext4/ext4.ko jbd2") ||
			strstr(plan, "/kernel/fs/ext4/ext4.ko crc16"));
	assert_non_null(strstr(plan, "/kernel/lib/crc16.ko -\n"));
	assert_non_null(strstr(plan, "alias fs-ext3 ext4\n"));
	assert_null(strstr(plan, ".ko.xz"));
	assert_int_equal(mk_sh(
		"cd %s && mkdir x && cd x && cpio -idm --quiet < ../a.img && "
		"cmp lib/modules/%s/kernel/fs/ext4/ext4.ko %s/kernel/fs/ext4/ext4.ko"
		" && cmp lib/modules/%s/kernel/lib/crc16.ko %s/kernel/lib/crc16.ko",
		base, mk_kver(), mk_moddir(), mk_kver(), mk_moddir()), 0);
	free(plan);
	free(err);
	mk_rmtree(base);
}

static void test_missing_index_suggests_depmod(void **state)
{
	char *base = mk_tmpdir(), dir[4200], out[4200], *err = NULL;
	char *argv[] = { (char *)mk_tool(), "-k", "9.9.9", "-m", dir,
		"--init", "/bin/true", "-o", out, NULL };

	(void)state;
	snprintf(dir, sizeof(dir), "%s/lib/modules/9.9.9", base);
	snprintf(out, sizeof(out), "%s/a.img", base);
	assert_int_equal(mk_sh("mkdir -p %s", dir), 0);
	assert_int_equal(mk_run(argv, &err), 1);
	assert_non_null(strstr(err, "modules.dep.bin"));
	assert_non_null(strstr(err, "depmod -b"));
	assert_int_equal(mk_lines(err), 1);
	assert_false(mk_exists(out));
	free(err);
	mk_rmtree(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext4_closure),
		cmocka_unit_test(test_deps_come_first),
		cmocka_unit_test(test_plan_text),
		cmocka_unit_test(test_builtin_skipped),
		cmocka_unit_test(test_unknown_fails_optional_not),
		cmocka_unit_test(test_unknown_name_in_message),
		cmocka_unit_test(test_config_paths),
		cmocka_unit_test(test_sysroot_options),
		cmocka_unit_test(test_compressed_modules),
		cmocka_unit_test(test_missing_index_suggests_depmod),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
