# SPDX-License-Identifier: GPL-2.0-or-later
#
# ovroot: boot-time root selector.  `make` builds the init, the image
# builder, the ovroot command and the unit tests; `make check` installs what
# a fresh Debian 12 machine lacks and runs every suite.

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= gcc
CFLAGS ?= -O2 -g
# Messages are cut to their buffers on purpose; paths check their length.
WARN := -Wall -Wextra -Werror -Wno-format-truncation
CPPFLAGS += -I. -D_GNU_SOURCE -DOVROOT_VERSION='"$(VERSION)"'
ALL_CFLAGS := -std=gnu11 $(WARN) $(CFLAGS)
B := build

# ARCH=i386|armhf|arm64 cross-builds the programs that run on the device (both
# inits, the ovroot command, the QEMU guest programs) into build-$(ARCH)/,
# every output there.  The default, the host (x86_64), builds into build/
# (build/init/ovroot-init, build/command/ovroot, ...).  A cross
# build links against Debian's foreign packages unpacked into a private
# sysroot (scripts/fetch-sysroot), never against the host's libraries.
HOST_ARCH := x86_64
ARCH ?= $(HOST_ARCH)
ifeq ($(ARCH),amd64)
override ARCH := $(HOST_ARCH)
endif
ifeq ($(ARCH),$(HOST_ARCH))
CROSS :=
else
CROSS := 1
TRIPLET_i386 := i686-linux-gnu
TRIPLET_armhf := arm-linux-gnueabihf
TRIPLET_arm64 := aarch64-linux-gnu
MULTIARCH_i386 := i386-linux-gnu
MULTIARCH_armhf := arm-linux-gnueabihf
MULTIARCH_arm64 := aarch64-linux-gnu
TRIPLET := $(TRIPLET_$(ARCH))
ifeq ($(TRIPLET),)
$(error ARCH=$(ARCH): one of x86_64 (the host), i386, armhf, arm64)
endif
B := build-$(ARCH)
SYSROOT := $(CURDIR)/.cache/sysroot/$(ARCH)
SYSROOT_DONE := $(SYSROOT)/.complete
CC := $(TRIPLET)-gcc
AR := $(TRIPLET)-ar
KLCC := $(SYSROOT)/usr/bin/klcc
SYS_CPPFLAGS := -isystem $(SYSROOT)/usr/include
SYS_LIBDIRS := $(SYSROOT)/usr/lib/$(MULTIARCH_$(ARCH)) $(SYSROOT)/lib/$(MULTIARCH_$(ARCH))
LDFLAGS += $(SYS_LIBDIRS:%=-L%) $(SYS_LIBDIRS:%=-Wl,-rpath-link,%)
endif
O := $(B)/
# The image builder runs on the host whatever ARCH says.
MKINITRAMFS := build/mkinitramfs/ovroot-mkinitramfs

# Programs: each main file is its own program, everything else is library.
# Rooms (README.md, "Source layout"): lib/ plumbing, selector/ the pure
# decision core, overlay/ layer assembly, init/ PID 1, command/ the ovroot
# command, mkinitramfs/ the image builder.
MAINS := init/ovroot-init.c mkinitramfs/ovroot-mkinitramfs.c command/ovroot.c
# The store finder is the one piece the two init flavours do not share.
# lib/sys-glibc.c is in the library: every glibc program uses it.
FLAVOUR := init/findstore-blkid.c init/findstore-sysfs.c lib/sys-klibc.c
ROOMS := lib selector overlay init command $(if $(CROSS),,mkinitramfs)
LIB_SRC := $(filter-out $(MAINS) $(FLAVOUR), $(foreach r,$(ROOMS),$(wildcard $(r)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
LIB := $(B)/libovroot.a

TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(TEST_SRC:tests/%.c=$(B)/tests/%)
# libarchive is linked statically, with the tar reader and the gzip, xz and
# zstd filters alone: the shared library needs libxml2 and ICU (30 MB) on the
# device for formats the command never reads.
ARCHIVE_LIBS := -l:libarchive.a -lzstd -llzma -lz
# json-c (the OCI reader) too: one library less on the device.
JSON_LIBS := -l:libjson-c.a
TEST_LIBS := -lcmocka -lkmod -lmount -lblkid -lmd $(ARCHIVE_LIBS) $(JSON_LIBS)
# The files with test hooks (lib/hook.h), compiled with them for the test
# builds only; linked before the library, they stand in for its members.
HOOK_SRC := lib/file.c lib/beneath.c overlay/assemble.c
HOOKS_OBJ := $(HOOK_SRC:%.c=$(B)/hooked/%.o)
TEST_OBJ := $(B)/init/findstore-sysfs.o $(HOOKS_OBJ)

# Helper programs of the namespace tests (tests/ns/*.sh run them): static, so
# they also run chrooted in a fake initramfs that holds nothing else.
NS_SRC := $(wildcard tests/ns/*.c)
NS_PROGS := $(NS_SRC:tests/ns/%.c=$(B)/tests/ns-%)

# Man pages: man/NAME.SECTION.scd, made with scdoc into build/man/NAME.SECTION.
MAN_SRC := $(wildcard man/*.scd)
MANS := $(MAN_SRC:man/%.scd=build/man/%)

# The programs of the device; a cross build makes these alone.
DEVICE_PROGS := $(O)init/ovroot-init $(O)init/ovroot-init-tiny $(O)command/ovroot
PROGS := $(DEVICE_PROGS) $(if $(CROSS),,$(MKINITRAMFS))

# Guest programs of the QEMU tests: the probe (/sbin/init of every test
# root) and the floor init (benchmark and harness check).  Static, small.
QEMU_PROGS := $(B)/qemu/probe $(B)/qemu/floor

# The ovroot command with the test hooks, for the crash test (OVROOT_FAULT_AT),
# and the init with them, for the namespace tests of the mount(2) path that
# kernels before 6.8 take (OVROOT_NO_LOWERDIR_PLUS).  Never installed.
HOOKED := $(B)/tests/ovroot-hooked $(B)/tests/ovroot-init-hooked

ifeq ($(CROSS),)
all: $(PROGS) $(TESTS) $(NS_PROGS) $(QEMU_PROGS) $(HOOKED) $(MANS)
else
all: $(DEVICE_PROGS) $(QEMU_PROGS)

# The foreign libraries and klibc, fetched once (scripts/fetch-sysroot).
$(SYSROOT_DONE): scripts/fetch-sysroot
	scripts/fetch-sysroot $(ARCH)
$(LIB_OBJ) $(B)/init/ovroot-init.o $(B)/init/findstore-blkid.o $(B)/command/ovroot.o \
	$(QEMU_PROGS): | $(SYSROOT_DONE)
endif

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(SYS_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/hooked/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DOVROOT_TEST_HOOKS $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# ar keeps one member per file name: two sources named alike would hide one.
$(LIB): $(LIB_OBJ)
	@d=$$(for o in $^; do basename $$o; done | sort | uniq -d); \
	test -z "$$d" || { echo "two sources share an object name: $$d" >&2; exit 1; }
	@rm -f $@
	$(AR) rcs $@ $^

# The init runs as PID 1 from the initramfs: static, libblkid from its .a;
# stripped and without unused sections, since every byte is in every image.
$(O)init/ovroot-init: $(B)/init/ovroot-init.o $(B)/init/findstore-blkid.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -static -s -Wl,--gc-sections $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -l:libblkid.a

# The tiny flavour: the same boot code built with klibc; sysfs finds the store
# (init/findstore-sysfs.c) and init/sys-klibc.c issues the system calls
# klibc does not wrap.
KLCC ?= klcc
TINY_SRC := $(filter-out init/findstore-blkid.c lib/sys-glibc.c, \
	$(wildcard init/*.c overlay/*.c lib/*.c)) $(addprefix selector/, booted.c execfmt.c menu.c policy.c \
	promfile.c stack.c stateconf.c)
TINY_OBJ := $(TINY_SRC:%.c=$(B)/tiny/%.o)

$(B)/tiny/%.o: %.c | $(SYSROOT_DONE)
	@mkdir -p $(dir $@)
	$(KLCC) $(CPPFLAGS) -std=gnu11 $(WARN) -Os -MMD -MP -c -o $@ $<

$(O)init/ovroot-init-tiny: $(TINY_OBJ)
	@mkdir -p $(dir $@)
	$(KLCC) -static -s -o $@ $^

$(B)/qemu/probe: qemu-tests/guest/probe.c
$(B)/qemu/floor: qemu-tests/bench/floor.c
$(QEMU_PROGS):
	@mkdir -p $(dir $@)
	$(CC) -static -Os $(CPPFLAGS) -std=gnu11 $(WARN) $(LDFLAGS) -o $@ $<

# The image builder looks for the installed init here when not in the tree.
$(B)/mkinitramfs/ovroot-mkinitramfs.o: CPPFLAGS += -DOVROOT_LIBDIR='"$(PREFIX)/lib/ovroot"'

ifeq ($(CROSS),)
$(MKINITRAMFS): $(B)/mkinitramfs/ovroot-mkinitramfs.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lkmod -lzstd -llzma -lz
else
$(MKINITRAMFS): FORCE
	$(MAKE) ARCH=$(HOST_ARCH) $@
FORCE:
endif

$(O)command/ovroot: $(B)/command/ovroot.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ -lmount -lmd $(ARCHIVE_LIBS) $(JSON_LIBS)

$(B)/tests/ovroot-hooked: $(B)/command/ovroot.o $(HOOKS_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lmount -lmd $(ARCHIVE_LIBS) $(JSON_LIBS)

$(B)/tests/ovroot-init-hooked: $(B)/init/ovroot-init.o $(B)/init/findstore-blkid.o $(HOOKS_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lblkid

$(B)/tests/%: tests/%.c $(wildcard tests/*.h) $(LIB) $(TEST_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(TEST_OBJ) $(LIB) $(TEST_LIBS)

$(B)/tests/ns-%: tests/ns/%.c $(HOOKS_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -static $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(HOOKS_OBJ) $(LIB)

# Dynamic builds of the programs, for ASan (build-san) and valgrind (build):
# neither can watch the allocations of a static program.
$(B)/bin/ovroot-init: $(B)/init/ovroot-init.o $(B)/init/findstore-blkid.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lblkid

$(B)/bin/ovroot-mkinitramfs: $(B)/mkinitramfs/ovroot-mkinitramfs.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lkmod -lzstd -llzma -lz

$(B)/bin/ovroot: $(B)/command/ovroot.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lmount -lmd $(ARCHIVE_LIBS) $(JSON_LIBS)

$(B)/bin/ns-%: tests/ns/%.c $(HOOKS_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(HOOKS_OBJ) $(LIB)

# Fuzz targets (tests/fuzz/fuzz_*.c), linked with libFuzzer for make fuzz
# (clang, build-fuzz) or with a replay main for make check (gcc, build-san).
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_SECONDS ?= 60
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The OCI reader's target (fuzz_oci) needs libmd and json-c.
FUZZ_LIBS := -lmd $(JSON_LIBS)
CLANG_WARN := -Wall -Wextra -Werror -Wno-unknown-warning-option -Wno-format-truncation

$(B)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB) $(FUZZ_LIBS)

$(B)/fuzz/fuzz-%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB) $(FUZZ_LIBS)

SAN_PROGS = $(TESTS) $(B)/bin/ovroot-init $(B)/bin/ovroot $(B)/bin/ovroot-mkinitramfs $(HOOKED) \
	$(B)/bin/ns-overlay $(FUZZ_NAMES:%=$(B)/fuzz/replay-%)
san-progs: $(SAN_PROGS)
fuzz-progs: $(FUZZ_NAMES:%=$(B)/fuzz/fuzz-%)

# The unit and namespace tests, the corpus replay: gcc, ASan and UBSan.
san:
	$(MAKE) B=build-san CFLAGS='-O1 -g $(SAN_FLAGS)' san-progs

# Every fuzz target for FUZZ_SECONDS each; new corpus entries, minimized,
# are merged into tests/fuzz/corpus/TARGET.
fuzz:
	$(MAKE) B=build-fuzz CC=clang WARN='$(CLANG_WARN)' \
		CFLAGS='-O1 -g -fsanitize=fuzzer-no-link $(SAN_FLAGS)' fuzz-progs
	tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Static analysis; .clang-tidy says which checks and why.
lint: cppcheck clang-tidy

TIDY_JOBS ?= $(shell nproc)
TIDY_FLAGS := -I. -D_GNU_SOURCE -DOVROOT_TEST_HOOKS -DOVROOT_VERSION=\"$(VERSION)\" -std=gnu11
clang-tidy:
	@echo $(MAINS) $(wildcard $(FLAVOUR)) $(LIB_SRC) | tr ' ' '\n' | \
		xargs -P $(TIDY_JOBS) -n 8 sh -c 'clang-tidy --quiet "$$@" -- \
		$(TIDY_FLAGS) 2>/dev/null' clang-tidy

# Debian packages and the test kernel; does nothing when all is present.
deps:
	@scripts/install-deps

check: deps
	$(MAKE) all $(B)/bin/ovroot-init
	$(MAKE) san
	tests/run-all

unit-check: all
	tests/run-all --unit

# ARCH=i386|armhf|arm64: that arch's boots alone (qemu-tests/test-arch.sh).
qemu-check: deps
ifeq ($(CROSS),)
	$(MAKE) all $(B)/bin/ovroot-init
	$(MAKE) san
	tests/run-all --qemu
else
	$(MAKE) all
	QT_ARCHES=$(ARCH) tests/run-all --arch
endif

# A debootstrapped Debian 12 systemd root booted as a version under QEMU
# (qemu-tests/system/run): not part of check, .ci/run calls it after check.
system-check: deps
	$(MAKE) $(PROGS)
	tests/run-all --system

# ARCH=i386|armhf|arm64: the same boots of that arch's kernel and init.
demo: deps
	$(MAKE) all $(if $(CROSS),$(MKINITRAMFS))
	QT_ARCH=$(ARCH) qemu-tests/demo

# The power-cut test with 8 cuts per write request instead of check's 3
# (docs/hardening.md, "Power cuts").
powercut: deps
	$(MAKE) all
	POWERCUT_ROUNDS=8 sh qemu-tests/test-powercut.sh

# Boot-time benchmark, not part of check: writes docs/benchmarks.md.
bench: deps
	qemu-tests/bench/install-deps
	$(MAKE) all
	qemu-tests/bench/run

# Both check the test-hook build: without it every hook is a constant NULL.
cppcheck:
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --std=c11 -I. -D_GNU_SOURCE -DOVROOT_TEST_HOOKS $(MAINS) $(wildcard $(FLAVOUR)) $(LIB_SRC)

# The programs alone, without the tests (the Debian package builds these).
programs: $(PROGS)

man: $(MANS)
build/man/%: man/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@

# systemd looks for units in /usr/local/lib/systemd/system and /usr/lib/... alike.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

# A cross build installs the device's programs into DESTDIR (the target's
# tree); ovroot-mkinitramfs is a host tool, installed by the host build.
# The mark-good unit is installed, never enabled; its ExecStart follows PREFIX.
install: $(PROGS) $(MANS)
	install -D -m 0755 $(O)init/ovroot-init $(DESTDIR)$(PREFIX)/lib/ovroot/ovroot-init
	install -D -m 0755 $(O)init/ovroot-init-tiny $(DESTDIR)$(PREFIX)/lib/ovroot/ovroot-init-tiny
	$(if $(CROSS),,install -D -m 0755 $(MKINITRAMFS) \
		$(DESTDIR)$(PREFIX)/sbin/ovroot-mkinitramfs)
	install -D -m 0755 $(O)command/ovroot $(DESTDIR)$(PREFIX)/sbin/ovroot
	for m in $(MANS); do s=$${m##*.}; \
		install -D -m 0644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/$${m##*/} || exit 1; done
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|/usr/local/sbin/ovroot|$(PREFIX)/sbin/ovroot|' systemd/ovroot-mark-good.service \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/ovroot-mark-good.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/ovroot-mark-good.service

# The Debian package (debian/), built from a copy of the tree's files in
# build/deb/, where dpkg-buildpackage also leaves the .deb: neither the
# checkout nor its parent gets a file.  Prints the .deb's path.
DEB_DIR := build/deb
DEB_SRC := $(DEB_DIR)/ovroot-$(VERSION)
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	git ls-files -z -co --exclude-standard | \
		tar -c --null --ignore-failed-read -T - -f - | tar -x -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b -j$(DEB_JOBS)
	rm -rf $(DEB_SRC)
	@ls $(CURDIR)/$(DEB_DIR)/ovroot_$(VERSION)_*.deb
DEB_JOBS ?= 2
.PHONY: programs man deb

clean:
	rm -rf $(B) build-san build-fuzz $(if $(CROSS),,build-i386 build-armhf build-arm64)

.PHONY: FORCE all deps check unit-check qemu-check system-check powercut demo bench cppcheck install clean \
	san san-progs fuzz fuzz-progs lint clang-tidy
.DELETE_ON_ERROR:

-include $(LIB_OBJ:.o=.d) $(TINY_OBJ:.o=.d) $(HOOKS_OBJ:.o=.d) $(B)/init/ovroot-init.d $(B)/command/ovroot.d \
	$(B)/mkinitramfs/ovroot-mkinitramfs.d $(B)/init/findstore-blkid.d \
	$(B)/init/findstore-sysfs.d
