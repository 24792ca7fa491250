/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * U-Boot's legacy image header (mkinitramfs/uimage.c): the encoding against
 * headers that Debian's mkimage (u-boot-tools 2023.01) wrote, the arch
 * names and ELF machines, and ovroot-mkinitramfs --uboot-header against
 * `mkimage -l` and mkimage's own bytes for the same image.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "mkinitramfs/uimage.h"
#include "tests/mk-helpers.h"

/*
 * Each row: what mkimage -A ARCH -O linux -T ramdisk -C none -n NAME was
 * given (SOURCE_DATE_EPOCH=TIME, -d a file of "hello ovroot\n": 13 bytes,
 * CRC-32 a813c750) and the 64 bytes it wrote, in hex.
 */
static const struct header_row {
	const char *name;
	uint32_t time;
	uint8_t arch;
	const char *hex;
} header_rows[] = {
	{ "ovroot 6.1.0-57-arm64", 1700000000, UIMAGE_ARCH_ARM64,
	  "27051956eec97baf6553f1000000000d0000000000000000a813c750051603006f76"
	  "726f6f7420362e312e302d35372d61726d36340000000000000000000000" },
	{ "ovroot 6.1.0-57-arm", 1700000000, UIMAGE_ARCH_ARM,
	  "27051956991a53cf6553f1000000000d0000000000000000a813c750050203006f76"
	  "726f6f7420362e312e302d35372d61726d00000000000000000000000000" },
	{ "ovroot 6.1.0-57-x86", 1700000000, UIMAGE_ARCH_I386,
	  "27051956a81f825c6553f1000000000d0000000000000000a813c750050303006f76"
	  "726f6f7420362e312e302d35372d78383600000000000000000000000000" },
	{ "ovroot 6.1.0-57-x86_64", 1700000000, UIMAGE_ARCH_X86_64,
	  "27051956eb2e10356553f1000000000d0000000000000000a813c750051803006f76"
	  "726f6f7420362e312e302d35372d7838365f363400000000000000000000" },
	/* a name longer than the field: cut to 32 bytes, no NUL */
	{ "0123456789012345678901234567890123456789", 0, UIMAGE_ARCH_ARM64,
	  "27051956000d8f2a000000000000000d0000000000000000a813c750051603003031"
	  "323334353637383930313233343536373839303132333435363738393031" },
	/* no name, the last second a 32-bit time has */
	{ "", 4294967295u, UIMAGE_ARCH_ARM,
	  "27051956b658440fffffffff0000000d0000000000000000a813c750050203000000"
	  "000000000000000000000000000000000000000000000000000000000000" },
};

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void test_header_table(void **state)
{
	unsigned char hdr[UIMAGE_HEADER_SIZE];
	char hex[2 * UIMAGE_HEADER_SIZE + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(header_rows) / sizeof(header_rows[0]); i++) {
		const struct header_row *r = &header_rows[i];
		struct uimage_info u = { r->name, r->time, 13, 0xa813c750u,
					 r->arch };

		uimage_header(&u, hdr);
		to_hex(hdr, sizeof(hdr), hex);
		if (strcmp(hex, r->hex))
			fail_msg("row %zu (%s):\n got  %s\n want %s", i, r->name,
				 hex, r->hex);
	}
}

static void test_arch_names(void **state)
{
	static const struct { const char *name; int ret; uint8_t arch; } rows[] = {
		{ "i386", 0, UIMAGE_ARCH_I386 }, { "x86", 0, UIMAGE_ARCH_I386 },
		{ "amd64", 0, UIMAGE_ARCH_X86_64 },
		{ "x86_64", 0, UIMAGE_ARCH_X86_64 },
		{ "armhf", 0, UIMAGE_ARCH_ARM }, { "armel", 0, UIMAGE_ARCH_ARM },
		{ "arm", 0, UIMAGE_ARCH_ARM },
		{ "arm64", 0, UIMAGE_ARCH_ARM64 },
		{ "aarch64", 0, UIMAGE_ARCH_ARM64 },
		{ "riscv64", 0, UIMAGE_ARCH_RISCV },
		{ "riscv", 0, UIMAGE_ARCH_RISCV },
		{ "", -1, 0 }, { "ARM64", -1, 0 }, { "arm6", -1, 0 },
		{ "mips", -1, 0 }, { "i686", -1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t arch = 0xff;
		int ret = uimage_arch_parse(rows[i].name, &arch);

		if (ret != rows[i].ret || (!ret && arch != rows[i].arch))
			fail_msg("\"%s\": got %d, arch %u", rows[i].name, ret,
				 arch);
	}
}

static void test_arch_of_elf(void **state)
{
	/* The first 20 bytes of an ELF header: ident, e_type, e_machine. */
	static const struct { const char *what; unsigned char h[20]; size_t len;
			      int ret; uint8_t arch; } rows[] = {
		{ "x86_64 module", { 0x7f, 'E', 'L', 'F', 2, 1, 1, [16] = 1,
		  [18] = 62 }, 20, 0, UIMAGE_ARCH_X86_64 },
		{ "i386 program", { 0x7f, 'E', 'L', 'F', 1, 1, 1, [16] = 2,
		  [18] = 3 }, 20, 0, UIMAGE_ARCH_I386 },
		{ "armhf", { 0x7f, 'E', 'L', 'F', 1, 1, 1, [18] = 40 }, 20, 0,
		  UIMAGE_ARCH_ARM },
		{ "arm64", { 0x7f, 'E', 'L', 'F', 2, 1, 1, [18] = 183 }, 20, 0,
		  UIMAGE_ARCH_ARM64 },
		{ "riscv64", { 0x7f, 'E', 'L', 'F', 2, 1, 1, [18] = 243 }, 20, 0,
		  UIMAGE_ARCH_RISCV },
		{ "big-endian arm64", { 0x7f, 'E', 'L', 'F', 2, 2, 1, [19] = 183 },
		  20, 0, UIMAGE_ARCH_ARM64 },
		{ "big-endian read as little", { 0x7f, 'E', 'L', 'F', 2, 2, 1,
		  [18] = 183 }, 20, -1, 0 },
		{ "mips", { 0x7f, 'E', 'L', 'F', 1, 2, 1, [19] = 8 }, 20, -1, 0 },
		{ "no byte order", { 0x7f, 'E', 'L', 'F', 2, 0, 1, [18] = 62 },
		  20, -1, 0 },
		{ "not ELF", { '#', '!', '/', 'b', 'i', 'n', [18] = 62 }, 20, -1, 0 },
		{ "cut short", { 0x7f, 'E', 'L', 'F', 2, 1, 1, [18] = 62 }, 19,
		  -1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t arch = 0xff;
		int ret = uimage_arch_of_elf(rows[i].h, rows[i].len, &arch);

		if (ret != rows[i].ret || (!ret && arch != rows[i].arch))
			fail_msg("%s: got %d, arch %u", rows[i].what, ret, arch);
	}
}

/* Runs the tool on the test kernel; returns its exit status. */
static int run_tool(const char *init, const char *out, const char *a1,
		    const char *a2, const char *a3)
{
	char *err = NULL;
	char *argv[] = { (char *)mk_tool(), "-k", (char *)mk_kver(), "-m",
		(char *)mk_moddir(), "--init", (char *)init, "-o", (char *)out,
		(char *)a1, (char *)a2, (char *)a3, NULL };
	int ret = mk_run(argv, &err);

	if (ret && ret != 2)
		print_message("# %s", err ? err : "");
	free(err);
	return ret;
}

/*
 * The header the tool writes is what mkimage writes for the same image
 * (same time, arch of the test kernel's modules, name "ovroot KVER"), and
 * `mkimage -l` reads it as a valid x86_64 ramdisk with the image's size.
 */
static void test_tool_matches_mkimage(void **state)
{
	char img[4200], uimg[4200];

	(void)state;
	snprintf(img, sizeof(img), "%s/plain.img", mk_work);
	snprintf(uimg, sizeof(uimg), "%s/ovroot.uimg", mk_work);
	setenv("SOURCE_DATE_EPOCH", "1234567890", 1);
	assert_int_equal(run_tool("/bin/true", img, NULL, NULL, NULL), 0);
	assert_int_equal(run_tool("/bin/true", uimg, "--uboot-header", NULL,
				  NULL), 0);
	assert_int_equal(mk_sh(
		"set -e; cd %s; "
		"mkimage -A x86_64 -O linux -T ramdisk -C none -n 'ovroot %s' "
		"-d plain.img want.uimg >/dev/null; cmp want.uimg ovroot.uimg; "
		"TZ=UTC mkimage -l ovroot.uimg >list; "
		"grep -qx 'Image Name:   ovroot %s' list; "
		"grep -qx 'Created:      Fri Feb 13 23:31:30 2009' list; "
		"grep -qx 'Image Type:   AMD x86_64 Linux RAMDisk Image "
		"(uncompressed)' list; "
		"grep -q \"^Data Size:    $(stat -c %%s plain.img) Bytes\" list; "
		"tail -c +65 ovroot.uimg | cmp - plain.img",
		mk_work, mk_kver(), mk_kver()), 0);
	unsetenv("SOURCE_DATE_EPOCH");
}

/* The modules tell the arch, else the init; --arch overrides both. */
static void test_tool_arch(void **state)
{
	/* An arm64 ELF header is enough: the tool only copies the init. */
	static const unsigned char arm64[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1,
		[16] = 2, [18] = 183 };
	char init[4200], out[4200];
	FILE *f;

	(void)state;
	snprintf(init, sizeof(init), "%s/init-arm64", mk_work);
	snprintf(out, sizeof(out), "%s/a.uimg", mk_work);
	f = fopen(init, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(arm64, 1, sizeof(arm64), f), sizeof(arm64));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(run_tool(init, out, "--uboot-header",
				  "--no-default-modules", NULL), 0);
	assert_int_equal(mk_sh("mkimage -l %s | grep -qx 'Image Type:   "
			       "AArch64 Linux RAMDisk Image (uncompressed)'",
			       out), 0);
	/* the modules (the kernel's arch) win over the init */
	assert_int_equal(run_tool(init, out, "--uboot-header", NULL, NULL), 0);
	assert_int_equal(mk_sh("mkimage -l %s | grep -qx 'Image Type:   "
			       "AMD x86_64 Linux RAMDisk Image (uncompressed)'",
			       out), 0);
	assert_int_equal(run_tool(init, out, "--uboot-header", "--arch",
				  "armhf"), 0);
	assert_int_equal(mk_sh("mkimage -l %s | grep -qx 'Image Type:   "
			       "ARM Linux RAMDisk Image (uncompressed)'",
			       out), 0);
	/* no modules, and an init that is no ELF: nothing tells the arch */
	assert_int_equal(run_tool("/etc/hostname", out, "--uboot-header",
				  "--no-default-modules", NULL), 1);
}

/* Usage errors: no file to write the header into, an unknown arch. */
static void test_tool_usage(void **state)
{
	char out[4200];

	(void)state;
	snprintf(out, sizeof(out), "%s/u.uimg", mk_work);
	assert_int_equal(run_tool("/bin/true", "-", "--uboot-header", NULL,
				  NULL), 2);
	assert_int_equal(run_tool("/bin/true", out, "--uboot-header", "--list",
				  NULL), 2);
	assert_int_equal(run_tool("/bin/true", out, "--uboot-header", "--arch",
				  "mips"), 2);
	assert_int_equal(run_tool("/bin/true", out, "--arch", "arm64", NULL), 2);
	assert_false(mk_exists(out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_table),
		cmocka_unit_test(test_arch_names),
		cmocka_unit_test(test_arch_of_elf),
		cmocka_unit_test(test_tool_matches_mkimage),
		cmocka_unit_test(test_tool_arch),
		cmocka_unit_test(test_tool_usage),
	};

	return cmocka_run_group_tests(tests, mk_work_setup, mk_work_teardown);
}
