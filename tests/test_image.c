/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The image layout ovroot-mkinitramfs promises, and its --list output in
 * the kernel's gen_init_cpio format.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/mk-helpers.h"

/* Runs the tool on the test kernel with the extra arguments. */
static void run_tool(const char *out, const char *a1, const char *a2,
		     const char *a3)
{
	const char *dir = mk_modules_dir();
	char *err = NULL;
	char *argv[] = { (char *)mk_tool(), "-k", (char *)mk_kver(), "-m",
		(char *)dir, "--init", "/bin/true", "-o", (char *)out,
		(char *)a1, (char *)a2, (char *)a3, NULL };

	if (!dir)
		fail_msg("no test kernel in %s (set OVROOT_KERNEL_DIR)",
			 mk_kernel_dir());
	if (mk_run(argv, &err))
		fail_msg("build failed: %s", err ? err : "");
	free(err);
}

static void test_layout(void **state)
{
	char out[4200];

	(void)state;
	snprintf(out, sizeof(out), "%s/l.img", mk_work);
	run_tool(out, "--rescue-shell", "/bin/busybox", "--include=/etc/hostname:/etc/hn");
	assert_int_equal(mk_sh(
		"set -e; cd %s; mkdir x; cd x; gzip -dc ../l.img | "
		"cpio -idm --quiet --no-absolute-filenames; "
		"for d in dev proc sys run root etc/ovroot lib/modules/%s; do "
		"test -d $d; done; "
		"test \"$(stat -c '%%F %%a %%t:%%T' dev/console)\" = "
		"'character special file 600 5:1'; "
		"test \"$(stat -c '%%F %%a %%t:%%T' dev/null)\" = "
		"'character special file 666 1:3'; "
		"cmp init /bin/true; test -x init; cmp bin/sh /bin/busybox; "
		"cmp etc/hn /etc/hostname; "
		"head -2 etc/ovroot/modules | tail -1 | grep -qx 'kernel %s'; "
		"test -f lib/modules/%s/kernel/fs/overlayfs/overlay.ko",
		mk_work, mk_kver(), mk_kver(), mk_kver()), 0);
}

static void test_list(void **state)
{
	char out[4200], *text, want[8600];

	(void)state;
	snprintf(out, sizeof(out), "%s/list.txt", mk_work);
	run_tool(out, "--list", "--rescue-shell", "/bin/busybox");
	text = mk_read(out, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\ndir /dev 0755 0 0\n"));
	assert_non_null(strstr(text, "\nnod /dev/console 0600 0 0 c 5 1\n"));
	assert_non_null(strstr(text, "\nnod /dev/null 0666 0 0 c 1 3\n"));
	assert_non_null(strstr(text, "\nfile /init /bin/true 0755 0 0\n"));
	assert_non_null(strstr(text, "\nfile /bin/sh /bin/busybox 0755 0 0\n"));
	snprintf(want, sizeof(want), "\nfile /etc/ovroot/modules %s.d/etc/ovroot/"
		 "modules 0644 0 0\n", out);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof(want), "%s.d/etc/ovroot/modules", out);
	assert_true(mk_exists(want));
	snprintf(want, sizeof(want), "\ndir /lib/modules/%s 0755 0 0\n",
		 mk_kver());
	assert_non_null(strstr(text, want));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, mk_work_setup, mk_work_teardown);
}
